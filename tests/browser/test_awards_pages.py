"""The entitlement page in the browser: a digital-assessment award reads the upgrade policy and three grade
amounts; their names wrap inside the page instead of widening it, and the enterprise reads names, not ids."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import login
from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.awards.models import Entitlement
from zjtx.policy.events import programme_event_announce, programme_event_record
from zjtx.tiers.tests.conftest import qualifying_enterprise

pytestmark = pytest.mark.django_db(transaction=True)


def test_entitlement_page_fits_the_window_and_names_its_parameters(browser, live_server, settings):
    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    province = make_user(Role.PROVINCE, "province")
    enterprise = qualifying_enterprise(name="庐州精工机械有限公司")
    make_user(Role.ENTERPRISE, "qiye", credit_code=enterprise.credit_code)
    event = programme_event_record(user=province, enterprise=enterprise, kind="digital_assessment",
                                   date=dt.date(2026, 5, 1), grade="4A")
    programme_event_announce(user=province, event=event)
    url = f"{live_server.url}/awards/entitlements/{Entitlement.objects.get().pk}/"
    page = browser

    login(page, live_server, "province")
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    parameters = page.get_by_test_id("parameters")
    # A first 4A read the upgrade policy and the 4A amount, not the 3A or 5A amounts.
    assert parameters.locator("li").count() == 2
    shown = parameters.inner_text()
    assert "awards.digital_assessment.amount_4a" in shown and "awards.upgrade_policy" in shown
    assert "amount_3a" not in shown and "amount_5a" not in shown
    page.click("text=退出")

    login(page, live_server, "qiye")
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    text = page.get_by_test_id("parameters").inner_text()
    assert "awards." not in text and "4A" in text


def test_payment_list_and_ledger_show_each_lines_account_within_the_window(browser, live_server, settings):
    from zjtx.awards import services
    from zjtx.tiers import services as tiers_services

    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    province = make_user(Role.PROVINCE, "province")
    enterprise = qualifying_enterprise(name="合肥芯同精工股份有限公司（长名称用于检查表格换行）")
    qiye = make_user(Role.ENTERPRISE, "qiye", credit_code=enterprise.credit_code)
    tiers_services.recognition_record_national(user=province, enterprise=enterprise, tier="little_giant",
                                               certificate_no="工信部〔2026〕1号", start_date=dt.date(2026, 6, 1))
    entitlement = Entitlement.objects.get()
    services.entitlement_confirm_account(user=qiye, entitlement=entitlement, account_name=enterprise.name,
                                         bank_name="中国工商银行合肥高新区支行", account_no="1302010009001234567")
    city = make_user(Role.CITY, "hefei", city_code=enterprise.city_code)
    services.entitlement_city_check(user=city, entitlement=entitlement, approve=True)
    services.budget_set(user=province, year=2026, funding_level="省级", allocated="5000")
    entry = services.entitlement_approve_and_pay(user=province, entitlement=entitlement)
    services.ledger_reverse(user=province, entry=entry, reason="账号有误")
    services.entitlement_correct_account(user=qiye, entitlement=entitlement, account_name=enterprise.name,
                                         bank_name="中国建设银行合肥政务区支行", account_no="6222021302000765432",
                                         note="原账户已销户")
    services.ledger_reissue(user=province, entitlement=entitlement, amount="100", reason="更正账号后重拨")
    page = browser

    login(page, live_server, "province")
    page.goto(f"{live_server.url}/awards/payments/")
    accounts = page.get_by_test_id("payment-account").all_inner_texts()
    assert [a.split("\n")[1] for a in accounts] == ["中国工商银行合肥高新区支行 · 1302010009001234567"] * 2 + [
        "中国建设银行合肥政务区支行 · 6222021302000765432"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("text=退出")

    login(page, live_server, "hefei")
    page.goto(f"{live_server.url}/awards/ledger/")
    accounts = page.get_by_test_id("ledger-account").all_inner_texts()
    assert [a.split("\n")[1] for a in accounts] == ["中国建设银行合肥政务区支行 · ****5432"] + [
        "中国工商银行合肥高新区支行 · ****4567"] * 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _paid_little_giant(province, enterprise, city):  # type: ignore[no-untyped-def]
    """A 小巨人 award of the enterprise confirmed, passed by ``city`` and paid: the entitlement."""
    from zjtx.awards import services
    from zjtx.tiers import services as tiers_services

    qiye = make_user(Role.ENTERPRISE, credit_code=enterprise.credit_code)
    tiers_services.recognition_record_national(user=province, enterprise=enterprise, tier="little_giant",
                                               certificate_no="工信部〔2026〕1号", start_date=dt.date(2026, 6, 1))
    entitlement = Entitlement.objects.get()
    services.entitlement_confirm_account(user=qiye, entitlement=entitlement, account_name=enterprise.name,
                                         bank_name="徽商银行", account_no="6228480012345678")
    services.entitlement_city_check(user=city, entitlement=entitlement, approve=True)
    services.budget_set(user=province, year=2026, funding_level="省级", allocated="500")
    services.entitlement_approve_and_pay(user=province, entitlement=entitlement)
    return entitlement


def test_the_old_city_opens_a_moved_enterprises_award_from_its_ledger(browser, live_server, settings):
    """合肥's ledger kept the line of an enterprise that moved to 芜湖; clicking its award gave 404."""
    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    province = make_user(Role.PROVINCE, "province")
    enterprise = qualifying_enterprise(name="庐州精工机械有限公司")
    hefei = make_user(Role.CITY, "hefei", city_code=enterprise.city_code)
    entitlement = _paid_little_giant(province, enterprise, hefei)
    enterprise.city_code, enterprise.county_code = "340200", ""
    enterprise.save(update_fields=["city_code", "county_code"])
    page = browser

    login(page, live_server, "hefei")
    page.goto(f"{live_server.url}/awards/ledger/")
    page.get_by_test_id("ledger-table").get_by_role("link", name=entitlement.award_label).click()
    page.wait_for_url(f"**/awards/entitlements/{entitlement.pk}/")
    assert "仅供查看" in page.get_by_test_id("read-only-note").inner_text()
    assert "100.00 万元" in page.get_by_test_id("entitlement-amount").inner_text()


def test_the_province_decides_the_top_up_of_an_upgrade_paid_short(browser, live_server, settings):
    """A 4A paid at 50万 (netted against the 3A), then the 3A refused: the province's to-do leads to the 4A,
    marked 待决定补差, where it records its decision and the mark goes."""
    from zjtx.awards import services

    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    province = make_user(Role.PROVINCE, "province")
    enterprise = qualifying_enterprise(name="庐州精工机械有限公司")
    qiye = make_user(Role.ENTERPRISE, credit_code=enterprise.credit_code)
    city = make_user(Role.CITY, city_code=enterprise.city_code)
    services.budget_set(user=province, year=2026, funding_level="省级", allocated="500")
    grades = {}
    for grade, day in (("3A", dt.date(2026, 3, 1)), ("4A", dt.date(2026, 5, 1))):
        event = programme_event_record(user=province, enterprise=enterprise, kind="digital_assessment", date=day,
                                       grade=grade)
        programme_event_announce(user=province, event=event)
        grades[grade] = Entitlement.objects.get(award=f"digital_assessment.{grade}")
        services.entitlement_confirm_account(user=qiye, entitlement=grades[grade], account_name=enterprise.name,
                                             bank_name="徽商银行", account_no="6228480012345678")
        services.entitlement_city_check(user=city, entitlement=grades[grade], approve=True)
    services.entitlement_approve_and_pay(user=province, entitlement=grades["4A"])
    services.entitlement_reject(user=province, entitlement=grades["3A"], reason="评估报告无效")
    page = browser

    login(page, live_server, "province")
    page.click("text=升级奖补所抵扣的等级已不予兑现，待决定是否补差")
    table = page.get_by_test_id("entitlement-table")
    assert table.get_by_test_id("topup-mark").count() == 1
    table.get_by_role("link", name=enterprise.name).click()
    assert "差额 50.00 万元待省级决定是否补拨" in page.get_by_test_id("topup-note").inner_text()
    page.get_by_test_id("topup-form").locator("input[name=decision]").fill("另行补拨 50 万元（皖经信〔2026〕1号）")
    page.get_by_test_id("topup-form").get_by_role("button", name="记录决定").click()
    assert page.get_by_text("补差决定已记录。").is_visible()
    assert page.get_by_test_id("topup-note").count() == 0
    page.goto(f"{live_server.url}/")
    assert page.get_by_text("待决定是否补差").count() == 0


def test_a_long_payment_list_is_read_page_by_page_with_the_whole_lists_total(browser, live_server, settings):
    """At a province's whole ledger the 拨付清单 came on one huge page; now 100 lines a page, the filter kept
    from page to page, and the 合计 and 其中 of the whole list on each."""
    from zjtx.awards.models import LedgerEntry
    from zjtx.awards.tests.conftest import more_paid_lines

    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    province = make_user(Role.PROVINCE, "province")
    enterprise = qualifying_enterprise(name="庐州精工机械有限公司")
    _paid_little_giant(province, enterprise, make_user(Role.CITY, city_code=enterprise.city_code))
    more_paid_lines(LedgerEntry.objects.get(), 149)  # 1, 2, … 149 beside 小巨人 100: 11,275.00 in all
    page = browser

    login(page, live_server, "province")
    page.goto(f"{live_server.url}/awards/payments/")
    page.get_by_test_id("payment-city").select_option(label="合肥市")
    page.get_by_role("button", name="查询").click()
    assert page.get_by_test_id("payment-range").inner_text() == "第 1–100 笔，共 150 笔"
    assert page.get_by_test_id("payment-account").count() == 100
    assert page.get_by_test_id("payment-total").inner_text() == "11,275.00"
    page.get_by_test_id("payment-next").click()
    assert page.get_by_test_id("payment-range").inner_text() == "第 101–150 笔，共 150 笔"
    assert page.get_by_test_id("payment-account").count() == 50
    assert page.get_by_test_id("payment-total").inner_text() == "11,275.00"
    assert "合肥市" in page.get_by_role("heading", level=2).inner_text() and "city=340100" in page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_province_closes_a_reversal_that_will_not_be_reissued(browser, live_server, settings):
    """A payment reversed because the enterprise moved away: from the to-do 奖补已冲销待更正重拨 the province opens
    the award, records 不再补发 with its reason, and the award reads 不予兑现 with the budget freed."""
    from zjtx.awards import services
    from zjtx.awards.models import LedgerEntry

    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    province = make_user(Role.PROVINCE, "province")
    enterprise = qualifying_enterprise(name="庐州精工机械有限公司")
    _paid_little_giant(province, enterprise, make_user(Role.CITY, city_code=enterprise.city_code))
    services.ledger_reverse(user=province, entry=LedgerEntry.objects.get(), reason="企业已迁出本省")
    page = browser

    login(page, live_server, "province")
    page.click("text=奖补已冲销待更正重拨")
    page.get_by_test_id("entitlement-table").get_by_role("link", name=enterprise.name).click()
    form = page.get_by_test_id("close-reversal")
    assert "释放所占预算 100.00 万元" in form.inner_text()
    form.get_by_role("button", name="确认不再补发").click()
    assert page.get_by_text("请填写不再补发的原因").is_visible()
    page.get_by_test_id("close-reversal").locator("input[name=reason]").fill("企业已迁出本省，不再补发")
    page.get_by_test_id("close-reversal").get_by_role("button", name="确认不再补发").click()
    assert page.get_by_text("已确认不再补发：本项奖补不予兑现，所占预算已释放。").is_visible()
    assert page.get_by_test_id("entitlement-status").inner_text() == "不予兑现"
    assert "所占预算已释放" in page.get_by_test_id("closed-note").inner_text()
    assert page.get_by_test_id("close-reversal").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="返回列表").click()
    assert page.get_by_test_id("closed-mark").count() == 1
    page.goto(f"{live_server.url}/awards/budgets/")
    cells = page.locator('[data-budget="2026-省级-"] td.num').all_inner_texts()
    assert cells == ["500.00", "0.00", "0.00", "500.00"]  # allocated, committed, paid (100 − 100), remaining
