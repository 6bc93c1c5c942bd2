"""目标监测 in the browser: the province opens it from the menu, reads the targets table, opens a target and
sees its trend and city charts drawn, then switches to one city's figures; the page fits 1024 px."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.browser.conftest import login
from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.targets.models import ReportedFigure

pytestmark = pytest.mark.django_db(transaction=True)

ROBOTS = "targets.industrial_robots.yearly"


def test_province_reads_the_targets_and_switches_to_a_city(browser, live_server, settings):
    settings.ZJTX_TODAY = dt.date(2026, 11, 30)
    make_user(Role.PROVINCE, "province")
    for year, value in ((2023, 10350), (2024, 11200), (2025, 12100)):
        ReportedFigure.objects.create(target=ROBOTS, year=year, value=Decimal(value))
    ReportedFigure.objects.create(target=ROBOTS, year=2025, city_code="340100", value=Decimal(3262))
    ReportedFigure.objects.create(target=ROBOTS, year=2025, city_code="340200", value=Decimal(959))
    page = browser
    page.set_viewport_size({"width": 1024, "height": 800})

    login(page, live_server, "province")
    page.get_by_role("navigation").get_by_role("link", name="目标监测").click()
    page.wait_for_url(f"{live_server.url}/targets/")
    table = page.get_by_test_id("targets-table")
    row = table.locator(f"tr[data-target='{ROBOTS}']")
    assert "12,100" in row.locator("td[data-year='2025']").inner_text()
    assert "151.3%" in row.locator("td[data-year='2025']").inner_text()
    assert "未填报" in row.locator("td[data-year='2022']").inner_text()
    assert row.get_by_test_id("final").inner_text().split() == ["未填报", "2022—2025年", "3/4", "年完成，1", "年未填报"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    row.get_by_role("link", name="每年推广应用工业机器人").click()
    page.wait_for_selector("#trend-chart canvas")
    page.wait_for_selector("#city-chart canvas")
    assert page.locator("[data-projection='2026']").inner_text().startswith("2026年")
    cities = page.get_by_test_id("city-table").locator("tbody tr")
    assert cities.first.inner_text().split("\t")[:3] == ["1", "合肥市", "3,262"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_test_id("detail-filter").get_by_label("地区").select_option(label="芜湖市")
    page.get_by_test_id("detail-filter").get_by_role("button", name="查看").click()
    page.wait_for_url("**city=340200**")
    assert page.get_by_role("heading", name="芜湖市逐年完成情况").is_visible()
    yearly = page.get_by_test_id("yearly-table")
    assert "959" in yearly.locator("tr[data-year='2025']").inner_text()
    assert "未填报" in yearly.locator("tr[data-year='2024']").inner_text()
