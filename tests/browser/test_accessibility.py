"""The main pages of each role pass axe-core's WCAG 2.1 A/AA rules (信息无障碍; see docs/adr/0006-axe-core.md),
and a keyboard user can skip the navigation and always sees where the focus is.

axe-core comes from npm (package.json, installed by `make test`); the test fails, never skips, without it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import login, logout
from tests.factories import make_user
from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.awards.models import Entitlement
from zjtx.duties import services as duties_services
from zjtx.finance.tests.axe_data import finance_pages
from zjtx.policy.events import programme_event_announce, programme_event_record
from zjtx.services import services as services_services
from zjtx.targets.models import ReportedFigure
from zjtx.tiers.tests.conftest import open_batch, qualifying_enterprise, submit

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0/2.1 level A and AA only: axe's "best-practice" rules are advice, not the standard.
AXE_RUN = """async () => {
  const wcag = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
  const result = await axe.run(document, {runOnly: {type: "tag", values: wcag}});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v =>
    `${v.id} (${v.impact}): ` + v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " + n.failureSummary).join("; "));
}"""


@pytest.fixture
def axe_page(browser):  # type: ignore[no-untyped-def]
    """The browser page with axe-core loaded into every document (an init script is not subject to the CSP)."""
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: run `npm ci` (make test does)", pytrace=False)
    browser.context.add_init_script(path=str(AXE))
    return browser


def serious_violations(page, live_server, paths: list[str]) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Each page with serious or critical violations, and what they are."""
    found = {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        violations = page.evaluate(AXE_RUN)
        if violations:
            found[path] = violations
    return found


@pytest.fixture
def programme(settings):  # type: ignore[no-untyped-def]
    """An enterprise with an application in an open batch and an announced 4A award: every list has a row."""
    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    province = make_user(Role.PROVINCE, "province")
    enterprise = qualifying_enterprise(name="庐州精工机械有限公司")
    applicant = make_user(Role.ENTERPRISE, "qiye", credit_code=enterprise.credit_code)
    make_user(Role.EXPERT, "expert")
    batch = open_batch(province)
    application = submit(applicant, batch)
    event = programme_event_record(user=province, enterprise=enterprise, kind="digital_assessment",
                                   date=dt.date(2026, 5, 1), grade="4A")
    programme_event_announce(user=province, event=event)
    enterprise.service_officer = make_user(Role.OFFICER, "officer")
    enterprise.save()
    request = services_services.request_file(user=applicant, enterprise=enterprise, category="technology",
                                             title="申报省级企业技术中心", content="希望了解申报条件")
    return {"code": enterprise.credit_code, "batch": batch.pk, "application": application.pk,
            "entitlement": Entitlement.objects.get().pk, "request": request.pk,
            "finance": finance_pages(province, applicant, enterprise)}


def test_main_pages_of_each_role_have_no_serious_accessibility_violations(axe_page, live_server, programme):
    page, code = axe_page, programme["code"]
    for year, value in ((2024, 7000), (2025, 12100)):  # a missed and a met year: both verdict colours shown
        ReportedFigure.objects.create(target="targets.industrial_robots.yearly", year=year, value=value)
    found = serious_violations(page, live_server, ["/accounts/login/"])
    period = duties_services.period_open(user=User.objects.get(username="province"), key="2026-2")
    duty = period.reports.get(task=4, department="sci_tech").pk

    login(page, live_server, "province")
    found |= serious_violations(page, live_server, [
        "/", "/enterprises/", f"/enterprises/{code}/", "/enterprises/import/",
        "/tiers/", f"/tiers/batches/{programme['batch']}/", f"/tiers/applications/{programme['application']}/",
        "/tiers/recognitions/", "/tiers/notices/", f"/tiers/enterprise/{code}/",
        "/policy/", f"/policy/explain/{code}/",
        "/targets/", "/targets/targets.industrial_robots.yearly/", "/targets/report/",
        "/awards/", f"/awards/entitlements/{programme['entitlement']}/", "/awards/payments/",
        "/matcher/candidates/", "/matcher/candidates/?show=awards", f"/matcher/{code}/",
        "/services/", f"/services/requests/{programme['request']}/", "/services/visits/", "/services/coverage/",
        f"/services/coverage/assign/{code}/", *programme["finance"]["province"],
        "/duties/", "/duties/periods/", f"/duties/periods/{period.pk}/", "/duties/reports/", f"/duties/reports/{duty}/",
        "/policy/whatif/",  # last: the what-if below is started from this page
    ])
    # A what-if result: the tables and charts the run page draws once the run has finished.
    page.fill("input[name=name]", "4A奖补提高到130万")
    page.fill("input[name=as_of]", "2026-06-01")
    page.select_option("select[name=param_0]", "awards.digital_assessment.amount_4a")
    page.fill("input[name=value_0]", "130")
    page.click("text=开始模拟")
    page.wait_for_selector("[data-testid=run-status]:text('已完成')")
    found |= serious_violations(page, live_server, [page.url.removeprefix(live_server.url)])
    logout(page)

    login(page, live_server, "qiye")
    found |= serious_violations(page, live_server, [
        "/", f"/enterprises/{code}/", f"/tiers/enterprise/{code}/", f"/tiers/batches/{programme['batch']}/apply/",
        "/awards/", f"/awards/entitlements/{programme['entitlement']}/", f"/matcher/{code}/",
        "/services/", "/services/requests/new/", f"/services/requests/{programme['request']}/",
        *programme["finance"]["qiye"],
    ])
    logout(page)

    login(page, live_server, "officer")
    found |= serious_violations(page, live_server, ["/services/visits/", "/services/visits/new/",
                                                    "/services/requests/new/"])
    logout(page)

    make_user(Role.DEPARTMENT, "keji", department="sci_tech")
    login(page, live_server, "keji")
    found |= serious_violations(page, live_server, ["/", f"/duties/reports/{duty}/", "/duties/reports/?mine=1"])
    logout(page)

    login(page, live_server, "bank")
    found |= serious_violations(page, live_server, programme["finance"]["bank"])
    logout(page)

    login(page, live_server, "expert")
    found |= serious_violations(page, live_server, ["/", "/tiers/reviews/"])
    assert not found, "\n".join(f"{path}: {'; '.join(v)}" for path, v in found.items())


def test_keyboard_user_can_skip_to_the_content_and_sees_the_focus(browser, live_server):
    make_user(Role.PROVINCE, "province")
    page = browser
    login(page, live_server, "province")
    page.goto(f"{live_server.url}/enterprises/")

    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "跳到正文"
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0  # shown when focused, not parked off screen
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"

    # The next Tab lands in the page's own content (the filters), not back in the navigation, and shows a ring.
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.evaluate("el => el.closest('main') !== null")
    assert focused.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    assert focused.evaluate("el => parseFloat(getComputedStyle(el).outlineWidth)") >= 2
