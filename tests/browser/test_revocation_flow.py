"""撤销认定 in the browser: the province revokes a recognition, is told what became of its awards, and finds the
waiting award refused (an approval from a page opened before is refused) and the paid one waiting for recovery."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import login
from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.awards.models import Entitlement

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = dt.date(2026, 6, 1)


def _awards(province, city, qiye, enterprise):  # type: ignore[no-untyped-def]
    """A 小巨人 award waiting for the province's approval and a 单项冠军 award already paid."""
    from zjtx.awards import services
    from zjtx.tiers import services as tiers_services

    services.budget_set(user=province, year=2026, funding_level="省级", allocated="1000")
    found = []
    for tier, number in (("little_giant", "工信部〔2026〕1号"), ("single_champion", "工信部〔2026〕2号")):
        recognition = tiers_services.recognition_record_national(user=province, enterprise=enterprise, tier=tier,
                                                                 certificate_no=number, start_date=TODAY)
        entitlement = Entitlement.objects.get(recognition=recognition)
        services.entitlement_confirm_account(user=qiye, entitlement=entitlement, account_name=enterprise.name,
                                             bank_name="徽商银行合肥分行", account_no="6228480012345678")
        found.append(services.entitlement_city_check(user=city, entitlement=entitlement, approve=True))
    services.entitlement_approve_and_pay(user=province, entitlement=found[1])
    return found


def test_revoking_refuses_the_waiting_award_and_flags_the_paid_one(browser, live_server, settings):
    from zjtx.tiers.tests.conftest import qualifying_enterprise

    settings.ZJTX_TODAY = TODAY
    province = make_user(Role.PROVINCE, "province")
    city = make_user(Role.CITY, "hefei", city_code="340100")
    enterprise = qualifying_enterprise(name="庐州精工机械有限公司")
    qiye = make_user(Role.ENTERPRISE, "qiye", credit_code=enterprise.credit_code)
    waiting, paid = _awards(province, city, qiye, enterprise)
    page = browser
    login(page, live_server, "province")

    # A second tab holds the waiting award's page, opened before the revocation.
    stale = page.context.new_page()
    stale.goto(f"{live_server.url}/awards/entitlements/{waiting.pk}/")
    assert stale.get_by_test_id("entitlement-status").inner_text() == "待省级审批"

    page.goto(f"{live_server.url}/tiers/recognitions/{waiting.recognition_id}/")
    assert "已拨付的标记为待追回" in page.inner_text("main")
    page.fill("input[name=reason]", "提供虚假材料")
    page.click("button:has-text('撤销')")
    page.wait_for_selector("[data-testid=revocation-outcome]")
    assert "已撤销认定；1 项奖补资格已不予兑现" in page.inner_text(".messages")
    assert page.get_by_test_id("recognition-status").inner_text() == "已撤销"

    # Approving from the page opened before is refused, and says why.
    stale.click("[data-testid=approve-button]")
    stale.wait_for_load_state()
    refusal = stale.inner_text(".messages")
    assert "已于 2026-" in refusal and "撤销（提供虚假材料），不能审批" in refusal
    assert stale.get_by_test_id("entitlement-status").inner_text() == "不予兑现"
    assert "认定已撤销：提供虚假材料" in stale.inner_text("main")
    assert stale.locator("[data-testid=approve-button]").count() == 0

    # The paid award's recognition: revoked, the award is flagged, and the 待办事项 leads to it.
    page.goto(f"{live_server.url}/tiers/recognitions/{paid.recognition_id}/")
    page.fill("input[name=reason]", "提供虚假材料")
    page.click("button:has-text('撤销')")
    page.wait_for_selector("[data-testid=revocation-outcome]")
    assert page.get_by_test_id("revocation-outcome").inner_text() == "1 项已拨付待追回"
    page.goto(f"{live_server.url}/")
    page.click("text=已撤销认定的奖补已拨付，待追回处理")
    assert page.locator("[data-testid=recovery-mark]").count() == 1
    page.click(f"a:has-text('{enterprise.name}')")
    assert page.get_by_test_id("entitlement-status").inner_text() == "已拨付"
    assert "已拨付 200.00 万元待追回" in page.get_by_test_id("recovery-note").inner_text()

    # The money is back: recorded as a reversal, the award ends and leaves the 待办事项.
    page.fill("input[name=reason]", "2026-06-20 企业退回，凭证 0123")
    page.click("button:has-text('款项已追回，冲销拨付')")
    page.wait_for_load_state()
    assert "已记录追回并冲销" in page.inner_text(".messages")
    assert page.get_by_test_id("entitlement-status").inner_text() == "不予兑现"
    page.goto(f"{live_server.url}/")
    assert "待追回处理" not in page.inner_text("main")
