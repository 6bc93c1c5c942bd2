"""Loans: recorded by a bank for enterprises on its lists only, refused by field otherwise (nothing stored),
audited; the yearly 专项信贷 totals by bank and city, converted once into the target's unit (亿元)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from tests.factories import logged_in
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.models import AuditEvent
from zjtx.finance import selectors, services
from zjtx.finance.models import Loan
from zjtx.finance.tests.conftest import HUISHANG, ICBC, TODAY, pushed

pytestmark = pytest.mark.django_db


def _loan(world, who="bank", enterprise="A", **fields):
    values = {"granted_on": TODAY, "amount": "500", "term_months": "12"} | fields
    return services.loan_record(user=world[who], enterprise=world[enterprise], **values)


def test_a_loan_is_recorded_in_the_banks_name_and_audited(world):
    pushed(world, [HUISHANG], "A")
    loan = _loan(world, amount="1,234.5", rate="3.45%", special=True)
    loan.refresh_from_db()
    assert (loan.bank, loan.amount, loan.term_months, loan.rate, loan.special) == (
        HUISHANG, Decimal("1234.50"), 12, Decimal("3.450"), True)
    event = AuditEvent.objects.get(action="finance.loan_record")
    assert event.enterprise_code == world["A"].credit_code
    assert event.summary == "徽商银行发放专精特新专项贷款 1,234.50 万元（2026-06-01，12个月）"


@pytest.mark.parametrize(("who", "enterprise"), [("bank2", "A"), ("bank", "B"), ("bank_none", "A")])
def test_a_loan_to_an_enterprise_not_on_the_banks_lists_is_refused(world, who, enterprise):
    pushed(world, [HUISHANG], "A")
    pushed(world, [ICBC], "B")
    with pytest.raises(ApplicationError) as refused:  # A is on 徽商银行's list only, B on 工商银行's
        _loan(world, who=who, enterprise=enterprise)
    assert refused.value.field == "enterprise"
    assert not Loan.objects.exists() and not AuditEvent.objects.filter(action="finance.loan_record").exists()


def test_only_a_bank_records_loans(world):
    pushed(world, [HUISHANG], "A")
    with pytest.raises(PermissionDeniedError):
        _loan(world, who="province")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("amount", "", "请填写贷款金额"),
    ("amount", "0", "贷款金额应大于 0"),
    ("amount", "-50", "贷款金额应大于 0"),
    ("amount", "五百", "贷款金额“五百”不是数字，请以万元为单位填写，如 500 或 12.5"),
    ("amount", "12.345", "贷款金额最多保留两位小数（万元）"),
    ("amount", "NaN", "贷款金额应大于 0"),
    ("amount", "1e15", "贷款金额超出可记录的范围，请核对单位（万元）"),
    ("term_months", "", "请填写贷款期限（月）"),
    ("term_months", "1.5", "贷款期限“1.5”应为正整数（月）"),
    ("term_months", "0", "贷款期限“0”应为正整数（月）"),
    ("rate", "abc", "年利率“abc”不是数字，请填写百分数，如 3.45"),
    ("rate", "120", "年利率应为大于 0、小于 100 的百分数，最多三位小数"),
    ("granted_on", dt.date(2026, 6, 2), "放款日期不能晚于今天（2026-06-01）"),
    ("granted_on", None, "请填写放款日期"),
])
def test_bad_values_are_refused_by_field_and_nothing_is_stored(world, field, value, message):
    pushed(world, [HUISHANG], "A")
    with pytest.raises(ApplicationError) as refused:
        _loan(world, **{field: value})
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Loan.objects.exists()


def test_the_loan_page_shows_a_refusal_beside_its_field_and_keeps_the_rest(world):
    pushed(world, [HUISHANG], "A")
    client = logged_in(world["bank"])
    page = client.post("/finance/loans/new/", {"enterprise": world["B"].credit_code, "granted_on": "2026-05-20",
                                               "amount": "300", "term_months": "12"}).content.decode()
    assert "企业统一社会信用代码：只能为推送至本行名单中的企业记录贷款" in page
    assert 'value="300"' in page and not Loan.objects.exists()
    response = client.post("/finance/loans/new/", {"enterprise": world["A"].credit_code.lower(),
                                                   "granted_on": "2026-05-20", "amount": "300",
                                                   "term_months": "12", "special": "on"})
    assert response.status_code == 302
    assert Loan.objects.get().special is True


def test_credit_totals_by_bank_and_city_in_the_targets_unit(world):
    pushed(world, [HUISHANG, ICBC], "A", "B")
    _loan(world, amount="25000", special=True)  # 2.5 亿元
    _loan(world, enterprise="B", amount="12500.50", special=True)
    _loan(world, enterprise="B", amount="999", special=False)  # not 专项: in 全部 only
    _loan(world, who="bank2", enterprise="B", amount="2500", special=True)
    _loan(world, granted_on=dt.date(2025, 12, 31), amount="70000", special=True)  # last year
    data = selectors.credit(world["province"], 2026)
    assert data.goal.value == Decimal("4000") and data.goal.unit == "亿元"
    assert data.total.special == Decimal("40000.50") and data.total.total == Decimal("40999.50")
    assert data.special_in_unit == Decimal("4.00")
    assert data.completion == "0.1%"
    by_bank = {line.name: (line.loans, line.special, line.total) for line in data.by_bank}
    assert by_bank == {HUISHANG: (3, Decimal("37500.50"), Decimal("38499.50")),
                       ICBC: (1, Decimal("2500"), Decimal("2500"))}
    by_city = {line.name: (line.loans, line.special) for line in data.by_city}
    assert by_city["合肥市"] == (1, Decimal("25000")) and by_city["芜湖市"] == (3, Decimal("15000.50"))
    assert by_city["蚌埠市"] == (0, Decimal(0)) and len(by_city) == 16
    assert selectors.credit(world["province"], 2025).total.special == Decimal("70000")
    # a city's totals are its own
    hefei = selectors.credit(world["city"], 2026)
    assert hefei.total.special == Decimal("25000") and [line.name for line in hefei.by_city] == ["合肥市"]


def test_the_credit_page_shows_the_total_beside_the_target(world):
    pushed(world, [HUISHANG], "A")
    _loan(world, amount="123456", special=True)
    page = logged_in(world["province"]).get("/finance/credit/?year=2026").content.decode()
    assert "12.35 亿元" in page and "123,456.00 万元" in page
    assert "合作银行每年安排专项信贷资金不少于 4000 亿元（二(四)9）" in page and "0.3%" in page
    chart = json.loads(page.split('id="credit-data" type="application/json">')[1].split("</script>")[0])
    assert chart["banks"] == [HUISHANG] and chart["bank_special"] == [123456.0]
    assert chart["cities"][0] == "合肥市" and chart["city_special"][0] == 123456.0 and len(chart["cities"]) == 16


def test_the_target_follows_a_new_dated_value_of_its_parameter(world):
    from zjtx.policy.models import ParameterValue

    ParameterValue.objects.create(parameter_id="targets.special_credit.yearly", start=dt.date(2026, 1, 1),
                                  value=5000, reference="测试", confirmed=True)
    assert selectors.credit(world["province"], 2026).goal.value == Decimal("5000")
    assert selectors.credit(world["province"], 2025).goal.value == Decimal("4000")
