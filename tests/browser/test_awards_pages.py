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
    assert parameters.locator("li").count() == 4
    assert "awards.digital_assessment.amount_4a" in parameters.inner_text()
    page.click("text=退出")

    login(page, live_server, "qiye")
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    text = page.get_by_test_id("parameters").inner_text()
    assert "awards." not in text and "4A" in text
