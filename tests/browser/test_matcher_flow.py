"""政策计算器 in the browser: the enterprise opens it from the menu and reads its awards and its next step's gap;
an officer's list holds only the enterprises assigned to it, and leads to their calculators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.browser.conftest import login, logout
from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.policy.models import ProgrammeEvent
from zjtx.tiers.tests.conftest import qualifying_enterprise

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_enterprise_reads_its_awards_and_gap_and_the_officer_only_its_enterprises(browser, live_server,
                                                                                       settings):
    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    mine = qualifying_enterprise(name="庐州精工机械有限公司")
    mine.indicators.filter(year=2025).update(rd_expense=Decimal("200"))  # 2.5%: short of 省冠军's 3%
    ProgrammeEvent.objects.create(enterprise=mine, kind="digital_assessment", date=dt.date(2026, 4, 1), grade="4A")
    other = qualifying_enterprise(name="包河智造装备有限公司")
    make_user(Role.ENTERPRISE, "qiye", credit_code=mine.credit_code)
    officer = make_user(Role.OFFICER, "officer")
    mine.service_officer = officer
    mine.save()
    page = browser

    login(page, live_server, "qiye")
    page.get_by_role("navigation", name="模块导航").get_by_role("link", name="政策计算器").click()
    page.wait_for_url(f"**/matcher/{mine.credit_code}/")
    assert "现在可以享受 1 项奖补，合计 100.00 万元" in page.get_by_test_id("awards-summary").inner_text()
    award = page.get_by_test_id("awards-table").locator("tbody tr").first.inner_text()
    assert "数字化转型评估4A级一次性奖补" in award and "免申即享" in award and "未生成" in award
    assert "省专精特新冠军企业" in page.get_by_test_id("gap-verdict").inner_text()
    gap = page.get_by_test_id("gap-table").locator("tbody tr").first.inner_text()
    assert "上年度研发费用占营业收入比重" in gap and "2.5%" in gap and "≥ 3%" in gap
    page.set_viewport_size({"width": 1024, "height": 900})  # every column in sight, no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("[...document.querySelectorAll('.table-scroll')].every(t => t.scrollWidth <= t.clientWidth)")
    page.get_by_test_id("explain-link").click()
    page.wait_for_url(f"**/policy/explain/{mine.credit_code}/?as_of=2026-06-01")
    logout(page)

    login(page, live_server, "officer")
    page.get_by_role("navigation", name="模块导航").get_by_role("link", name="政策计算器").click()
    page.wait_for_url("**/matcher/candidates/")
    assert "按今天（2026年6月1日）即时测算" in page.get_by_test_id("list-source").inner_text()
    page.get_by_role("link", name="差一项条件（1）").click()
    assert page.evaluate("[...document.querySelectorAll('.table-scroll')].every(t => t.scrollWidth <= t.clientWidth)")
    table = page.get_by_test_id("candidate-table").inner_text()
    assert "庐州精工机械有限公司" in table and other.name not in table
    page.get_by_role("link", name="庐州精工机械有限公司").click()
    page.wait_for_url(f"**/matcher/{mine.credit_code}/")
    assert page.goto(f"{live_server.url}/matcher/{other.credit_code}/").status == 404
