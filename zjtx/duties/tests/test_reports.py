"""Opening periods and a report's steps: who may take each, what is refused (in Chinese, by field, nothing
stored), the due date in working days across 国庆 or in calendar days, 逾期 flags, and one audit record a step."""

from __future__ import annotations

import datetime as dt

import pytest

from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.models import AuditEvent
from zjtx.duties import params, plan, selectors, services
from zjtx.duties.models import Period, Report
from zjtx.duties.tests.conftest import WRITTEN, opened, report, submitted
from zjtx.policy.models import ParameterValue
from zjtx.tiers.workflow import IllegalTransitionError

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- periods

def test_opening_a_period_owes_a_report_of_each_named_department_on_each_of_its_tasks(world):
    period = opened(world)
    assert (period.label, period.starts, period.ends) == ("2026年第三季度", dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert Report.objects.filter(period=period).count() == len(plan.assignments()) == 69
    assert sorted(Report.objects.filter(period=period, department="sci_tech").values_list("task", flat=True)) == [
        1, 3, 4, 19]
    assert set(Report.objects.values_list("status", flat=True)) == {"draft"}
    event = AuditEvent.objects.get(action="duties.period_open")
    assert event.summary == "开启2026年第三季度调度，69 份报告，报送截止 2026-10-20（期末后 10 个工作日）"


def test_the_due_date_counts_working_days_across_national_day():
    """Ten working days from the working day after 30 September 2026: 1–7 October are 国庆 and 中秋, 10 October
    (a Saturday) is a 调休 working day, so the tenth is 20 October; calendar days would give 10 October."""
    assert params.due_date(dt.date(2026, 9, 30)) == (dt.date(2026, 10, 20), 10, "working")


def test_calendar_days_when_the_parameter_says_so(world):
    ParameterValue.objects.create(parameter_id="duties.report.day_basis", start=dt.date(2026, 1, 1),
                                  value="calendar", reference="测试")
    period = opened(world)
    assert (period.due_on, period.day_basis) == (dt.date(2026, 10, 10), "calendar")


def test_a_later_parameter_change_does_not_move_an_announced_due_date(world):
    period = opened(world)
    ParameterValue.objects.create(parameter_id="duties.report.due_days", start=dt.date(2026, 1, 1), value=20,
                                  reference="测试")
    period.refresh_from_db()
    assert period.due_on == dt.date(2026, 10, 20)
    assert params.due_date(dt.date(2026, 9, 30))[0] == dt.date(2026, 11, 3)


def test_periods_follow_the_cycle_parameter():
    assert [s.label for s in params.openable(dt.date(2026, 10, 12))] == [
        "2026年第四季度", "2026年第三季度", "2026年第二季度", "2026年第一季度"]
    assert params.span("half_yearly", 2026, 2).label == "2026年下半年"
    assert params.span("monthly", 2026, 2).ends == dt.date(2026, 2, 28)
    assert params.span("yearly", 2026, 1).ends == dt.date(2026, 12, 31)


@pytest.mark.parametrize(("who", "key", "error", "message"), [
    ("keji", "2026-3", PermissionDeniedError, "只有省级管理员可以开启调度"),
    ("province", "", ApplicationError, "请选择要开启的调度期次"),
    ("province", "2027-1", ApplicationError, "请选择要开启的调度期次"),  # not begun yet
    ("province", "2025-4", ApplicationError, "请选择要开启的调度期次"),  # older than the three before
])
def test_opening_is_refused(world, who, key, error, message):
    with pytest.raises(error, match=message):
        services.period_open(user=world[who], key=key)
    assert not Period.objects.exists()


def test_a_period_opens_once_and_never_overlaps_another(world):
    opened(world)
    with pytest.raises(ApplicationError, match="2026年第三季度（或与之重叠的期次）已经开启") as caught:
        opened(world)
    assert caught.value.field == "period"
    ParameterValue.objects.create(parameter_id="duties.report.cycle", start=dt.date(2026, 1, 1),
                                  value="half_yearly", reference="测试")
    with pytest.raises(ApplicationError, match="2026年下半年（或与之重叠的期次）已经开启"):
        services.period_open(user=world["province"], key="2026-2")
    assert Period.objects.count() == 1


# ---------------------------------------------------------------- steps

def test_a_report_is_saved_submitted_sent_back_resubmitted_and_accepted(world):
    period = opened(world)
    target = report(period, 3, "sci_tech")
    services.report_save(user=world["keji"], report=target, data={"progress": "草稿：已召开推进会"})
    target.refresh_from_db()
    assert (target.status, target.progress) == ("draft", "草稿：已召开推进会")

    services.report_submit(user=world["keji"], report=target, data=WRITTEN)
    target.refresh_from_db()
    assert (target.status, target.submitted_on, target.submitted_by) == ("submitted", dt.date(2026, 10, 12),
                                                                         world["keji"])
    services.report_send_back(user=world["province"], report=target, reason="请补充本期数据")
    target.refresh_from_db()
    assert (target.status, target.return_reason) == ("returned", "请补充本期数据")

    services.report_submit(user=world["keji"], report=target, data={**WRITTEN, "figures": "新增12家"})
    services.report_accept(user=world["province"], report=target)
    target.refresh_from_db()
    assert (target.status, target.figures, target.return_reason) == ("accepted", "新增12家", "")
    actions = list(AuditEvent.objects.filter(target_type="dutyreport", target_id=str(target.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["duties.report_save", "duties.report_submit", "duties.report_send_back",
                       "duties.report_submit", "duties.report_accept"]
    first = AuditEvent.objects.filter(action="duties.report_submit").order_by("id").first()
    assert first.before["status"] == "draft" and first.after["progress"] == WRITTEN["progress"]


def test_saving_nothing_new_writes_no_audit_record(world):
    target = report(opened(world), 1, "sci_tech")
    services.report_save(user=world["keji"], report=target, data={"progress": "进展"})
    services.report_save(user=world["keji"], report=target, data={"progress": "进展"})
    assert AuditEvent.objects.filter(action="duties.report_save").count() == 1


@pytest.mark.parametrize(("data", "field", "message"), [
    ({**WRITTEN, "progress_status": ""}, "progress_status", "请选择推进情况"),
    ({**WRITTEN, "progress_status": "fast"}, "progress_status", "请选择推进情况"),
    ({**WRITTEN, "progress": "  "}, "progress", "请填写工作进展"),
    ({**WRITTEN, "next_steps": ""}, "next_steps", "请填写下步打算"),
    ({**WRITTEN, "progress_status": "behind"}, "problems", "推进情况为“滞后”时，请填写存在问题"),
    ({**WRITTEN, "figures": "字" * 1001}, "figures", "主要数据不能超过 1000 个字"),
])
def test_a_submission_missing_what_a_report_must_say_is_refused_by_field(world, data, field, message):
    target = report(opened(world), 1, "sci_tech")
    with pytest.raises(ApplicationError, match=message) as caught:
        services.report_submit(user=world["keji"], report=target, data=data)
    assert caught.value.field == field
    target.refresh_from_db()
    assert (target.status, target.progress, target.submitted_on) == ("draft", "", None)
    assert not AuditEvent.objects.filter(target_type="dutyreport").exists()


def test_a_department_writes_only_its_own_report(world):
    period = opened(world)
    theirs = report(period, 1, "drc")  # 省科技厅 reads it (both are named in task 1) but may not write it
    with pytest.raises(PermissionDeniedError, match="这是省发展改革委的调度报告，只能由该单位填报"):
        services.report_submit(user=world["keji"], report=theirs, data=WRITTEN)
    outside = report(period, 15, "commerce")  # task 15 does not name 省科技厅: not even readable
    with pytest.raises(ApplicationError, match="不存在或不在您的范围内"):
        services.report_save(user=world["keji"], report=outside, data=WRITTEN)
    assert Report.objects.filter(period=period).exclude(status="draft").count() == 0


@pytest.mark.parametrize(("step", "who", "error", "message"), [
    ("save", "keji", IllegalTransitionError, "当前状态为“已报送待审核”，不能保存调度报告"),
    ("submit", "keji", IllegalTransitionError, "当前状态为“已报送待审核”，不能报送调度报告"),
    ("accept", "keji", PermissionDeniedError, "只有省级管理员可以审核通过调度报告"),
    ("send_back", "fagai", PermissionDeniedError, "只有省级管理员可以退回调度报告"),
])
def test_a_submitted_report_stays_as_filed_until_the_province_reviews_it(world, step, who, error, message):
    filed = submitted(world, opened(world))
    calls = {"save": lambda: services.report_save(user=world[who], report=filed, data={"progress": "改"}),
             "submit": lambda: services.report_submit(user=world[who], report=filed, data=WRITTEN),
             "accept": lambda: services.report_accept(user=world[who], report=filed),
             "send_back": lambda: services.report_send_back(user=world[who], report=filed, reason="x")}
    with pytest.raises(error, match=message):
        calls[step]()
    filed.refresh_from_db()
    assert (filed.status, filed.progress) == ("submitted", WRITTEN["progress"])


def test_the_province_reviews_only_submitted_reports_and_sends_back_with_a_reason(world):
    period = opened(world)
    with pytest.raises(IllegalTransitionError, match="当前状态为“待报送”，不能审核通过调度报告"):
        services.report_accept(user=world["province"], report=report(period, 1, "sci_tech"))
    filed = submitted(world, period)
    with pytest.raises(ApplicationError, match="请填写退回原因") as caught:
        services.report_send_back(user=world["province"], report=filed, reason=" ")
    assert caught.value.field == "reason"
    filed.refresh_from_db()
    assert filed.status == "submitted"


# ---------------------------------------------------------------- overdue

def test_overdue_after_the_due_day_and_late_when_first_filed_after_it(world, settings):
    period = opened(world)  # due 20 October
    keji = report(period, 1, "sci_tech")
    settings.ZJTX_TODAY = dt.date(2026, 10, 20)
    assert not selectors.is_overdue(keji) and not selectors.overdue(Report.objects.all()).exists()
    settings.ZJTX_TODAY = dt.date(2026, 10, 21)
    keji.refresh_from_db()
    assert selectors.is_overdue(keji)
    assert selectors.overdue(Report.objects.all()).count() == 69

    services.report_submit(user=world["keji"], report=keji, data=WRITTEN)
    keji.refresh_from_db()
    assert keji.submitted_late and not selectors.is_overdue(keji)
    assert "（逾期报送）" in AuditEvent.objects.get(action="duties.report_submit").summary
    counts = selectors.counts(Report.objects.filter(period=period))
    assert (counts.expected, counts.submitted, counts.overdue, counts.late) == (69, 1, 68, 1)


def test_a_report_sent_back_is_not_overdue_and_keeps_its_first_filing_date(world, settings):
    period = opened(world)
    filed = submitted(world, period)  # on 12 October, in time
    services.report_send_back(user=world["province"], report=filed, reason="请补充")
    settings.ZJTX_TODAY = dt.date(2026, 10, 26)
    services.report_submit(user=world["keji"], report=filed, data=WRITTEN)
    filed.refresh_from_db()
    assert (filed.first_submitted_on, filed.submitted_on) == (dt.date(2026, 10, 12), dt.date(2026, 10, 26))
    assert not filed.submitted_late and not selectors.is_overdue(filed)


def test_counts_by_period_and_task_for_the_province_and_a_department(world, settings):
    period = opened(world)
    submitted(world, period, task=1)
    services.report_submit(user=world["fagai"], report=report(period, 4, "drc"),
                           data={**WRITTEN, "progress_status": "behind", "problems": "项目前期手续慢"})
    settings.ZJTX_TODAY = dt.date(2026, 10, 21)
    (row,) = selectors.period_rows(world["province"])
    assert (row.counts.expected, row.counts.submitted, row.counts.overdue, row.counts.behind) == (69, 2, 67, 1)
    (own,) = selectors.period_rows(world["keji"])  # the reports of 省科技厅's tasks 1, 3, 4, 19
    expected = sum(len(plan.task(n).departments) for n in (1, 3, 4, 19))
    assert (own.counts.expected, own.counts.submitted, own.counts.behind) == (expected, 2, 1)
    grid = {r.task.number: r for r in selectors.grid(world["province"], period)}
    assert (grid[4].counts.expected, grid[4].counts.submitted, grid[4].counts.behind) == (3, 1, 1)
    assert [(r.department, r.role_label) for r in grid[4].reports] == [
        ("drc", "牵头"), ("sci_tech", "参与"), ("econ_it", "参与")]
