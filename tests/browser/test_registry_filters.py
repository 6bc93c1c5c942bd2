"""The registry list's filters and pages at common widths: the county follows the city, tables scroll in
their card, and the filter bar keeps 重置 on its line."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.factories import make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.enterprises.models import ImportJob

pytestmark = pytest.mark.django_db(transaction=True)


def test_choosing_a_city_refreshes_the_counties_and_resets_a_county_of_another_city(browser, live_server):
    make_user(Role.PROVINCE, "province")
    make_enterprise(city_code="340200", county_code="340202", name="芜湖镜湖测试有限公司")
    make_enterprise(county_code="340104", name="合肥蜀山测试有限公司")
    page = browser
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, live_server, "province")
    page.goto(f"{live_server.url}/enterprises/")
    page.select_option("#id_city", "340200")
    page.wait_for_selector("#id_county option[value='340202']", state="attached")
    page.select_option("#id_county", "340202")
    page.wait_for_url(lambda url: "county=340202" in url)
    assert "芜湖镜湖测试有限公司" in page.get_by_test_id("enterprise-table").inner_text()
    page.select_option("#id_city", "340100")
    page.wait_for_selector("#id_county option[value='340104']", state="attached")
    page.wait_for_url(lambda url: "city=340100" in url and "county=" not in url)
    assert page.locator("#id_county").input_value() == ""
    assert "合肥蜀山测试有限公司" in page.get_by_test_id("enterprise-table").inner_text()
    page.select_option("#id_county", "340104")  # the refreshed choices still filter
    page.wait_for_url(lambda url: "county=340104" in url)
    query, reset = page.get_by_role("button", name="查询"), page.get_by_role("link", name="重置")
    assert abs(query.bounding_box()["y"] - reset.bounding_box()["y"]) < 2  # one line at 1440 px


@pytest.mark.parametrize(("width", "path"), [(1024, "/enterprises/"), (1024, "/enterprises/import/"),
                                             (1440, "/enterprises/import/")])
def test_registry_pages_do_not_scroll_sideways(browser, live_server, width, path):
    user = make_user(Role.CITY, "hefei", city_code="340100")
    for i in range(3):
        make_enterprise(county_code="340104", name=f"合肥市蜀山区某某高端装备制造科技股份有限公司{i}号",
                        industry_code="3562", emerging_industry="high_end_equipment")
    ImportJob.objects.create(kind="enterprises", mode="all", created_by=user, city_scope="340100",
                             file_name="合肥市蜀山区2025年第三季度专精特新企业名单（修订稿）最终版.xlsx",
                             status="rejected",
                             message="共 1200 行，其中 35 行有错误；按“全部正确才导入”方式，未导入任何数据。")
    page = browser
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "hefei")
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
