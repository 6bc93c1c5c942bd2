"""The explanation states each actual value in its own unit, as the requirement beside it."""

from __future__ import annotations

import datetime as dt

from zjtx.policy.engine import evaluate, explain
from zjtx.policy.tests.caserunner import case_inputs, case_params, failed_score_result, load_cases


def test_banded_little_giant_conditions_show_the_actual_value_with_its_unit():
    case = next(c for name, c in load_cases() if "股权融资8000万元、研发总额3000万元" in name)
    enterprises, indicators, events, prior = case_inputs(case)
    text = explain(evaluate(enterprises, indicators, events, case["as_of"], case_params(case), prior), "D2")
    assert "研发人员占职工总数比重：实际 49%，要求 ≥ 50%" in text
    assert "近2年研发费用总额：实际 2,999.99万元，要求 ≥ 3,000万元" in text
    assert "近2年新增股权融资：实际 7,999.99万元" in text


def _case_explain(name: str, code: str) -> str:
    case = next(c for case_name, c in load_cases() if name in case_name)
    enterprises, indicators, events, prior = case_inputs(case)
    return explain(evaluate(enterprises, indicators, events, case["as_of"], case_params(case), prior), code)


def _line(text: str, label: str) -> str:
    return next(line.strip() for line in text.splitlines() if line.strip()[2:].startswith(label + "："))


def test_a_score_passed_with_an_item_missing_shows_the_known_points_and_the_missing_item():
    text = _case_explain("已知得分已够60分时，缺一项指标也能判定创新型达标", "C")
    total = _line(text, "评价总分")
    assert total.startswith("✓ 评价总分：实际 已知各项合计 85分，已达要求（上年度资产负债率 缺数据）")
    growth = _line(text, "成长性得分")
    assert growth.startswith("✓ 成长性得分：实际 已知各项合计 15分，已达要求（上年度资产负债率 缺数据）")
    assert not [line for line in text.splitlines() if line.strip()[:1] in "✓✗" and "实际 缺" in line]


def test_a_score_failed_with_an_item_missing_shows_the_highest_possible_points():
    result = failed_score_result()
    total = _line(explain(result, "F"), "评价总分")
    assert total.startswith("✗ 评价总分：实际 最高可能 ")
    assert "上年度主营业务收入增长率 缺数据，按满分计）" in total


def test_a_leaf_for_another_revenue_band_reads_not_applicable_not_a_value_below_the_requirement():
    text = _case_explain("营业收入5000万元以下：股权融资8000万元", "D2")
    line = _line(text, "营业收入1亿元以上：近2年每年研发费用占比")
    assert line.startswith("✓ 营业收入1亿元以上：近2年每年研发费用占比：实际 不适用（营业收入（万元）（2023年） ")
    assert "，不在此档）" in line


def test_a_2026_score_passed_on_the_previous_year_names_both_years():
    enterprises, indicators, events, prior = case_inputs(
        {"enterprises": [{"credit_code": "G", "current_tier": "srdi", "dev_eval_score_prev": 72}]}
    )
    result = evaluate(enterprises, indicators, events, dt.date(2026, 6, 1), case_params({}), prior)
    line = _line(explain(result, "G"), "专精特新发展评价得分（复核时近2年任一年）")
    assert line.startswith(
        "✓ 专精特新发展评价得分（复核时近2年任一年）："
        "实际 本年度专精特新发展评价得分 缺、上一年度专精特新发展评价得分 72，"
    )


def test_a_yes_no_input_that_decides_a_condition_is_shown_beside_the_figure():
    enterprises, indicators, events, prior = case_inputs(
        {"enterprises": [{"credit_code": "H", "niche_years": 6, "main_product_is_new": True, "is_tech_sme": True}]}
    )
    result = evaluate(enterprises, indicators, events, dt.date(2026, 6, 1), case_params({}), prior)
    text = explain(result, "H")
    years = _line(text, "从事相关领域年限（新产品另计）")
    assert years.startswith(
        "✓ 从事相关领域年限（新产品另计）：实际 6年（主导产品属新产品 是），要求 ≥ 10年（新产品 ≥ 5年）"
    )
    tier = _line(text, "已是创新型中小企业（或有效的科技型中小企业）")
    assert tier.startswith("✓ 已是创新型中小企业（或有效的科技型中小企业）：实际 无（有效的科技型中小企业 是）")
