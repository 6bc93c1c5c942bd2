"""At 1440 px an unsized indicator row keeps the 修改 links in view, and the list fits the page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.browser.conftest import login
from tests.factories import make_enterprise, make_indicator, make_user
from zjtx.accounts.roles import Role
from zjtx.enterprises.models import Indicator

pytestmark = pytest.mark.django_db(transaction=True)


def test_unsized_rows_fit_the_detail_table_and_the_list(browser, live_server):
    make_user(Role.CITY, "hefei", city_code="340100")
    enterprise = make_enterprise(name="合肥未划型测试科技有限公司", county_code="340104")
    make_indicator(enterprise, 2023, main_product="高精密谐波减速器及其控制系统", market_share=Decimal("12.5"),
                   rd_expense=Decimal("1234567.89"), net_profit=Decimal("-98765.43"))
    Indicator.objects.create(enterprise=enterprise, year=2024, rd_expense=Decimal("10"))  # legacy: no size figures
    page = browser
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, live_server, "hefei")
    page.goto(f"{live_server.url}/enterprises/{enterprise.credit_code}/")
    assert "未划型" in page.get_by_test_id("indicator-table").inner_text()
    scroller = page.locator(".table-scroll").bounding_box()
    for link in page.get_by_test_id("indicator-table").get_by_role("link", name="修改").all():
        box = link.bounding_box()
        assert box["x"] + box["width"] <= scroller["x"] + scroller["width"] + 0.5
    page.goto(f"{live_server.url}/enterprises/?tier=all&size=")
    assert "未划型" in page.get_by_test_id("enterprise-table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
