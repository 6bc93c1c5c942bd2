"""The pages show what is stored: the matrix filtered by unit, a refused step beside its field with what was
typed kept, the period workbook, the to-dos of a department and of the province, and the demo's content."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.factories import logged_in
from zjtx.core.navigation import todos_for
from zjtx.duties import services
from zjtx.duties.demo import load_demo_duties
from zjtx.duties.models import Period, Report
from zjtx.duties.tests.conftest import WRITTEN, opened, report, submitted

pytestmark = pytest.mark.django_db


def test_the_matrix_filtered_by_a_unit_shows_its_row_and_its_tasks(world):
    page = logged_in(world["city"]).get("/duties/?unit=sci_tech").content.decode()
    assert "省科技厅负责的任务（4 项）" in page
    assert [n for n in range(1, 21) if f'data-testid="task-{n}"' in page] == [1, 3, 4, 19]
    assert "省发展改革委</th>" not in page  # the other units' rows are left out
    unknown = logged_in(world["city"]).get("/duties/?unit=nobody").content.decode()
    assert "任务清单" in unknown and unknown.count('data-testid="task-') == 20  # an edited link is not applied


def test_a_refused_submission_shows_beside_its_field_and_keeps_what_was_typed(world):
    target = report(opened(world), 1, "sci_tech")
    posted = {**WRITTEN, "progress_status": "behind", "progress": "推进会已召开"}
    response = logged_in(world["keji"]).post(f"/duties/reports/{target.pk}/submit/", posted)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="problems-error"><li>推进情况为“滞后”时，请填写存在问题（滞后的原因）' in page
    assert "推进会已召开</textarea>" in page
    target.refresh_from_db()
    assert (target.status, target.progress) == ("draft", "")


def test_the_period_workbook_lists_every_report_and_the_counts_by_task(world, settings):
    period = opened(world)
    submitted(world, period, task=3)
    services.report_save(user=world["fagai"], report=report(period, 4, "drc"), data={"progress": "=1+1"})
    settings.ZJTX_TODAY = dt.date(2026, 10, 21)
    response = logged_in(world["province"]).get(f"/duties/periods/{period.pk}.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["调度报告"]
    assert sheet["A1"].value == "2026年第三季度专精特新倍增行动任务调度汇总表"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert len(rows) == 69
    keji = next(r for r in rows if r[1] == "3．支持企业技术创新" and r[3] == "省科技厅")
    assert keji[4:9] == ["参与", "已报送待审核", "正常推进", dt.datetime(2026, 10, 12), None]  # not late
    drc = next(r for r in rows if r[1] == "4．实施补链强链工程" and r[3] == "省发展改革委")
    assert (drc[4], drc[8], drc[9]) == ("牵头", "逾期未报", "=1+1")
    assert sheet.cell(row=4 + rows.index(drc), column=10).data_type == "s"  # typed text stays text
    summary = [[c.value for c in row] for row in book["按任务统计"].iter_rows(min_row=2)]
    assert summary[2] == ["3．支持企业技术创新", "二(二)3", 5, 1, 0, 0, 4, 0, 0]


def test_a_departments_to_dos_and_the_provinces(world, settings):
    period = opened(world)
    filed = submitted(world, period, task=1)
    services.report_send_back(user=world["province"], report=filed, reason="请补充")
    settings.ZJTX_TODAY = dt.date(2026, 10, 21)
    keji = {t.label: t.count for t in todos_for(world["keji"])}
    assert keji == {"调度报告待报送": 3, "调度报告被退回，待修改后重新报送": 1, "调度报告逾期未报": 3}
    province = {t.label: t.count for t in todos_for(world["province"])}
    assert province["调度报告逾期未报"] == 68
    assert "调度报告待审核" not in province  # nothing submitted now: a to-do of 0 is not listed
    assert "2026年第三季度调度尚未开启" not in province
    assert not [t for t in todos_for(world["city"]) if "调度" in t.label]


def test_the_province_is_reminded_to_open_the_last_quarter(world):
    assert {t.label: t.count for t in todos_for(world["province"])}["2026年第三季度调度尚未开启"] == 1


def test_the_demo_gives_past_periods_in_every_state_and_keji_reports_to_write(world, settings):
    settings.ZJTX_TODAY = dt.date(2026, 11, 30)
    assert load_demo_duties(seed=2022) == 3 * 69
    assert load_demo_duties(seed=2022) is None  # only once
    assert list(Period.objects.order_by("starts").values_list("label", flat=True)) == [
        "2026年第二季度", "2026年第三季度", "2026年第四季度"]
    q3 = Period.objects.get(label="2026年第三季度")
    assert set(Report.objects.filter(period=q3).values_list("status", flat=True)) == {
        "draft", "submitted", "returned", "accepted"}
    keji = {t.label: t.count for t in todos_for(world["keji"])}
    assert keji == {"调度报告待报送": 5, "调度报告被退回，待修改后重新报送": 1, "调度报告逾期未报": 1}
    assert Report.objects.filter(progress_status="behind").exclude(problems="").exists()


def test_a_due_date_in_a_year_without_holidays_is_flagged_before_opening(world, settings):
    """The fourth quarter of 2026 is due in January 2027, a year chinese-calendar does not know: counted Monday–
    Friday (元旦 included) until the province enters 2027's holidays, which the page says before it is opened."""
    settings.ZJTX_TODAY = dt.date(2026, 12, 1)
    client = logged_in(world["province"])
    page = client.get("/duties/periods/").content.decode()
    assert "2027年的法定节假日尚未内置" in page and "2026年第四季度的报送截止日暂按周一至周五计算" in page
    assert "2026年第三季度的报送截止日" not in page  # due in October 2026, whose holidays are known
    period = services.period_open(user=world["province"], key="2026-4")
    assert period.due_on == dt.date(2027, 1, 14)  # ten weekdays from Friday 1 January
    assert 'data-testid="holidays-missing"' in client.get(f"/duties/periods/{period.pk}/").content.decode()
