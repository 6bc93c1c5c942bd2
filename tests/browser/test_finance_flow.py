"""金融服务 in the browser: the province pushes a list to 徽商银行, the bank logs in, finds it from its to-do,
sees the enterprises and records a loan; the enterprise files a 应收账款确权 request and the city sends it on —
each logging in and clicking from the menu, at 1024 px wide."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import login, logout
from tests.factories import make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.core.models import AuditEvent
from zjtx.finance.models import Loan, Receivable

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def test_a_list_is_pushed_to_a_bank_which_records_a_loan_and_an_enterprise_files_a_receivable(
        browser, live_server, settings):  # type: ignore[no-untyped-def]
    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    enterprise = make_enterprise("340100", name="庐州精工机械有限公司", tier="provincial", contact_name="张敏",
                                 contact_phone="0551-63550001")
    make_enterprise("340200", name="江城新材料有限公司", tier="little_giant")
    make_enterprise("340100", name="创新型小微企业有限公司", tier="innovative")
    make_user(Role.PROVINCE, "province", full_name="省经信厅 王处长")
    make_user(Role.CITY, "hefei", city_code="340100", full_name="合肥市 李科长")
    make_user(Role.BANK, "bank", organisation="徽商银行", full_name="徽商银行 普惠金融部")
    make_user(Role.BANK, "icbc", organisation="中国工商银行安徽省分行")
    make_user(Role.ENTERPRISE, "qiye", credit_code=enterprise.credit_code, full_name="企业填报员 刘洋")
    make_user(Role.OFFICER, "officer")
    page = browser
    page.set_viewport_size({"width": 1024, "height": 800})

    login(page, live_server, "province")
    page.get_by_role("navigation", name="模块导航").get_by_role("link", name="金融服务").click()
    page.get_by_role("link", name="名单推送").click()
    page.get_by_role("link", name="推送企业名单").click()
    page.get_by_label("名单名称").fill("2026年合肥市专精特新企业名单")
    page.get_by_role("button", name="推送").click()  # no bank chosen: refused, nothing pushed
    assert page.get_by_test_id("banks-error").inner_text() == "推送至合作银行：请至少选择一家合作银行"
    page.get_by_label("徽商银行").check()
    page.get_by_label("所在市").select_option(label="合肥市")
    page.get_by_role("button", name="推送").click()
    assert "名单已推送，共 1 家企业。" in page.locator(".messages").inner_text()
    assert page.get_by_test_id("list-banks").inner_text() == "徽商银行"
    logout(page)

    login(page, live_server, "bank")
    page.get_by_role("link", name="推送至本行的企业名单").click()
    page.get_by_role("link", name="2026年合肥市专精特新企业名单").click()
    table = page.get_by_test_id("entry-table").inner_text()
    assert "庐州精工机械有限公司" in table and "0551-63550001" in table and "江城新材料有限公司" not in table
    assert _fits(page)
    page.get_by_role("link", name="为庐州精工机械有限公司记录贷款").click()
    page.get_by_label("贷款金额（万元）").fill("0")
    page.get_by_label("期限（月）").fill("12")
    page.get_by_role("button", name="保存").click()
    assert "贷款金额（万元）：贷款金额应大于 0" in page.get_by_test_id("loan-form").inner_text()
    page.get_by_label("贷款金额（万元）").fill("800")
    page.get_by_label("年利率（%，可不填）").fill("3.2")
    page.get_by_label("专精特新专项贷款").check()
    page.get_by_role("button", name="保存").click()
    assert "已记录对庐州精工机械有限公司的贷款 800.00 万元。" in page.locator(".messages").inner_text()
    assert "800.00" in page.get_by_test_id("loan-table").inner_text()
    logout(page)

    login(page, live_server, "qiye")
    page.get_by_role("navigation", name="模块导航").get_by_role("link", name="金融服务").click()
    page.get_by_role("link", name="提交确权请求").click()
    page.get_by_label("债务人名称").fill("合肥市轨道交通集团有限公司")
    page.get_by_label("债务人类型").select_option(label="大型企业")
    page.get_by_label("应收账款金额（万元）").fill("abc")
    page.get_by_label("发票或合同编号").fill("HT-2026-018")
    page.get_by_label("应收账款形成日期").fill("2026-03-15")
    page.get_by_role("button", name="提交确权请求").click()
    assert "不是数字" in page.get_by_test_id("receivable-form").inner_text()
    page.get_by_label("应收账款金额（万元）").fill("356.8")
    page.get_by_role("button", name="提交确权请求").click()
    assert page.get_by_test_id("receivable-status").inner_text() == "待转送"
    assert page.get_by_test_id("receivable-deadline").inner_text().startswith("2026-07-01")
    logout(page)

    login(page, live_server, "hefei")
    page.get_by_role("link", name="应收账款确权请求待转送债务人").click()
    page.get_by_role("link", name="合肥市轨道交通集团有限公司").click()
    page.get_by_role("button", name="转送债务人").click()
    assert page.get_by_test_id("receivable-status").inner_text() == "待债务人确认"
    page.get_by_role("button", name="债务人已确权").click()
    assert page.get_by_test_id("receivable-status").inner_text() == "已确权"
    logout(page)

    loan = Loan.objects.get()
    assert (loan.bank, loan.enterprise, str(loan.amount), loan.special) == ("徽商银行", enterprise, "800.00", True)
    assert Receivable.objects.get().status == "confirmed"
    assert AuditEvent.objects.filter(action__startswith="finance.").count() == 5

    login(page, live_server, "officer")  # no menu entry, and the address is refused
    assert page.get_by_role("navigation", name="模块导航").get_by_role("link", name="金融服务").count() == 0
    assert page.goto(f"{live_server.url}/finance/").status == 403
