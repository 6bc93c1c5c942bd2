"""任务分工 in the browser: 省科技厅 opens the module from the menu, finds its report of the quarter, is refused
an incomplete one beside the field and files it; the province sends it back without a reason (refused), then
accepts it — each logging in and clicking from the menu or the 待办事项. A bank has no menu entry and gets 403."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import login, logout
from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.core.models import AuditEvent
from zjtx.duties import services
from zjtx.duties.models import Report

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_department_files_its_report_and_the_province_reviews_it(browser, live_server, settings):
    settings.ZJTX_TODAY = dt.date(2026, 10, 12)
    province = make_user(Role.PROVINCE, "province", full_name="省经信厅 王处长")
    make_user(Role.DEPARTMENT, "keji", department="sci_tech", full_name="省科技厅 陈处长")
    make_user(Role.CITY, "hefei", city_code="340100")
    make_user(Role.BANK, "bank")
    services.period_open(user=province, key="2026-3")
    page = browser

    login(page, live_server, "keji")
    page.get_by_role("navigation", name="模块导航").get_by_role("link", name="任务分工").click()
    assert "省科技厅" in page.get_by_test_id("matrix").inner_text()
    page.get_by_role("link", name="只看本单位").click()
    assert [page.get_by_test_id(f"task-{n}").count() for n in (1, 3, 4, 19, 2)] == [1, 1, 1, 1, 0]
    page.get_by_role("link", name="调度报告").click()
    page.get_by_role("link", name="只看本单位").click()
    assert page.get_by_test_id("report-count").inner_text() == "共 4 份"
    page.get_by_role("link", name="4．实施补链强链工程").click()
    assert page.get_by_test_id("report-due").inner_text().startswith("2026-10-20")
    page.get_by_label("工作进展").fill("联合中国科大等高校发布关键技术攻关榜单，揭榜项目 12 项。")
    page.get_by_role("button", name="报送").click()  # no 推进情况, no 下步打算: refused beside the field
    assert page.get_by_test_id("progress_status-error").inner_text() == "请选择推进情况（正常推进、滞后或已完成）"
    assert "揭榜项目 12 项" in page.get_by_label("工作进展").input_value()  # what was typed is kept
    page.get_by_label("推进情况").select_option(label="正常推进")
    page.get_by_label("下步打算").fill("四季度组织第二批揭榜挂帅项目对接。")
    page.get_by_role("button", name="报送").click()
    assert page.get_by_test_id("report-status").inner_text() == "已报送待审核"
    assert "揭榜项目 12 项" in page.get_by_test_id("report-content").inner_text()
    logout(page)

    login(page, live_server, "province")
    page.get_by_role("link", name="调度报告待审核").click()
    page.get_by_role("link", name="4．实施补链强链工程").click()
    page.get_by_role("button", name="退回修改").click()
    assert page.get_by_test_id("reason-error").inner_text() == "请填写退回原因"
    page.get_by_role("button", name="审核通过").click()
    assert page.get_by_test_id("report-status").inner_text() == "已审核"
    history = page.get_by_test_id("report-history").inner_text()
    assert "省科技厅报送调度报告：正常推进" in history and "审核通过省科技厅的调度报告" in history
    page.get_by_role("link", name="返回2026年第三季度").click()
    assert "省科技厅：已审核" in page.get_by_test_id("period-grid").inner_text()
    logout(page)

    report = Report.objects.get(task=4, department="sci_tech")
    assert (report.status, report.progress_status) == ("accepted", "on_track")
    assert AuditEvent.objects.filter(target_type="dutyreport").count() == 2

    login(page, live_server, "hefei")  # a city reads the tasks, not the reports
    page.get_by_role("navigation", name="模块导航").get_by_role("link", name="任务分工").click()
    assert page.get_by_role("link", name="调度报告").count() == 0
    assert page.goto(f"{live_server.url}/duties/reports/").status == 403
    logout(page)

    login(page, live_server, "bank")  # no menu entry, and the address is refused
    assert page.get_by_role("navigation", name="模块导航").get_by_role("link", name="任务分工").count() == 0
    assert page.goto(f"{live_server.url}/duties/").status == 403
