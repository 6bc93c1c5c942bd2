"""服务专员与诉求 in the browser: the enterprise files a request, the province routes it to 省科技厅, the
department answers within its deadline and the enterprise rates it — each logging in and clicking from the menu."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import login, logout
from tests.factories import make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.core.models import AuditEvent
from zjtx.services.models import ServiceRequest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_request_is_filed_routed_answered_and_rated(browser, live_server, settings):
    settings.ZJTX_TODAY = dt.date(2026, 9, 30)  # the answer's ten working days run past 国庆节: 20 October
    enterprise = make_enterprise("340100", name="庐州精工机械有限公司", tier="provincial")
    make_user(Role.ENTERPRISE, "qiye", credit_code=enterprise.credit_code, full_name="企业填报员 刘洋")
    make_user(Role.PROVINCE, "province", full_name="省经信厅 王处长")
    make_user(Role.DEPARTMENT, "keji", department="sci_tech", full_name="省科技厅 陈处长")
    make_user(Role.BANK, "bank")
    page = browser

    login(page, live_server, "qiye")
    page.get_by_role("navigation", name="模块导航").get_by_role("link", name="服务专员").click()
    page.get_by_role("link", name="提交诉求").click()
    page.get_by_role("button", name="提交诉求").click()  # empty: refused beside the fields
    assert "诉求类别：请选择诉求类别" in page.get_by_test_id("request-form").inner_text()
    page.get_by_label("诉求类别").select_option(label="技术创新")
    page.get_by_label("诉求标题").fill("申报省级企业技术中心")
    page.get_by_label("诉求内容").fill("研发投入占比连续三年超过5%，希望了解申报条件。")
    page.get_by_role("button", name="提交诉求").click()
    assert page.get_by_test_id("request-status").inner_text() == "待分派"
    logout(page)

    login(page, live_server, "province")
    page.get_by_role("link", name="企业诉求待分派").click()
    page.get_by_role("link", name="申报省级企业技术中心").click()
    page.get_by_test_id("route-form").get_by_role("button", name="分派").click()  # no department chosen
    assert page.get_by_test_id("department-error").inner_text() == "请选择方案中列明的承办部门"
    page.get_by_label("承办部门").select_option(label="省科技厅")
    page.get_by_test_id("route-form").get_by_role("button", name="分派").click()
    assert "已分派至省科技厅，答复期限 2026-10-20。" in page.locator(".messages").inner_text()
    assert page.get_by_test_id("request-deadline").inner_text().startswith("2026-10-20")
    logout(page)

    login(page, live_server, "keji")
    page.get_by_role("link", name="企业诉求待答复").click()
    assert "庐州精工机械有限公司" in page.get_by_test_id("request-table").inner_text()
    page.get_by_role("link", name="申报省级企业技术中心").click()
    page.get_by_test_id("answer-form").locator("textarea").fill("申报指南已发送，10月下旬组织专题辅导。")
    page.get_by_role("button", name="提交答复").click()
    assert page.get_by_test_id("request-status").inner_text() == "已答复"
    logout(page)

    login(page, live_server, "qiye")
    page.get_by_role("link", name="诉求已答复，待评价满意度").click()
    page.get_by_role("link", name="申报省级企业技术中心").click()
    assert "申报指南已发送" in page.get_by_test_id("request-answer").inner_text()
    page.get_by_label("满意度").select_option("5")
    page.get_by_label("评价意见").fill("答复及时")
    page.get_by_role("button", name="提交评价").click()
    assert page.get_by_test_id("request-status").inner_text() == "已评价"
    assert page.get_by_test_id("request-rating").inner_text() == "5 分：答复及时"
    history = page.get_by_test_id("request-history").inner_text()
    for step in ("提交诉求（技术创新）", "分派至省科技厅", "省科技厅答复", "评价满意度 5/5 分"):
        assert step in history
    logout(page)

    request = ServiceRequest.objects.get()
    assert (request.status, request.department, request.rating) == ("rated", "sci_tech", 5)
    assert AuditEvent.objects.filter(target_type="servicerequest").count() == 4

    login(page, live_server, "bank")  # no menu entry, and the address is refused
    assert page.get_by_role("navigation", name="模块导航").get_by_role("link", name="服务专员").count() == 0
    assert page.goto(f"{live_server.url}/services/").status == 403
