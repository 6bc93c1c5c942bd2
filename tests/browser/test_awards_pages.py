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
