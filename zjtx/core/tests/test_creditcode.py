import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from zjtx.core import creditcode

VALID = "91350100M000100Y43"  # the worked example of GB 32100-2015 cited in criteria.md


def test_worked_example_is_valid():
    assert creditcode.credit_code_error(VALID) is None


def test_wrong_check_character_names_the_expected_one():
    message = creditcode.credit_code_error(VALID[:17] + "4")
    assert message == "统一社会信用代码校验位错误：第18位应为 3，实际为 4"


def test_length_and_alphabet_are_checked():
    assert "应为18位" in creditcode.credit_code_error(VALID[:17])
    assert "非法字符" in creditcode.credit_code_error("91350100M000100I43")
    assert creditcode.credit_code_error("") == "统一社会信用代码不能为空"


first17 = st.text(alphabet=creditcode.ALPHABET, min_size=17, max_size=17)


@given(first17, st.sampled_from(creditcode.ALPHABET))
def test_vectorised_check_agrees_with_scalar(body, last):
    code = body + last
    frame = pl.DataFrame({"c": [code]}).select(creditcode.check_expr(pl.col("c")))
    assert frame.item() == creditcode.is_valid(code)


@given(first17)
def test_exactly_one_check_character_is_valid(body):
    assert [ch for ch in creditcode.ALPHABET if creditcode.is_valid(body + ch)] == [creditcode.check_char(body)]
