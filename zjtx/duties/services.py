"""Every write of 任务调度: opening a period, and a report's steps. Each in one transaction with one audit
record; a report's row is locked before its state is checked, so two people acting at once cannot both succeed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from zjtx.accounts.models import User
from zjtx.core import clock
from zjtx.core.audit import audit_record, changed_fields
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.text import clean_text
from zjtx.duties import access, params, plan, workflow
from zjtx.duties.models import Period, Report

S = Report.Status
CONTENT = ("progress_status", "progress", "figures", "problems", "next_steps")  # what the department writes
LIMITS = {"progress": ("工作进展", 2000), "figures": ("主要数据", 1000), "problems": ("存在问题", 1000),
          "next_steps": ("下步打算", 1000)}


def _audit(user: User, action: str, obj: Report | Period, summary: str, before: Mapping[str, Any] | None = None,
           after: Mapping[str, Any] | None = None) -> None:
    audit_record(actor=user, action=f"duties.{action}", target_type=f"duty{type(obj).__name__.lower()}",
                 target_id=str(obj.pk), summary=summary, before=before, after=after)


# ---------------------------------------------------------------- periods

def period_open(*, user: User, key: str) -> Period:
    """The province opens a period of the cycle in force (``key`` = year-seq of ``params.openable``): every
    department named in a task owes a report on it, due as the parameters in force at the period's end say."""
    if not access.may_open_periods(user):
        raise PermissionDeniedError("只有省级管理员可以开启调度")
    today = clock.today()
    span = next((s for s in params.openable(today) if s.key == key), None)
    if span is None:
        raise ApplicationError("请选择要开启的调度期次（本期或此前三期）", field="period")
    if Period.objects.filter(starts__lte=span.ends, ends__gte=span.starts).exists():
        raise ApplicationError(f"{span.label}（或与之重叠的期次）已经开启", field="period")
    due_on, days, basis = params.due_date(span.ends)
    try:
        with transaction.atomic():
            period = Period.objects.create(label=span.label, cycle=span.cycle, starts=span.starts, ends=span.ends,
                                           due_on=due_on, due_days=days, day_basis=basis, opened_by=user)
            Report.objects.bulk_create([Report(period=period, task=task, department=department)
                                        for task, department in plan.assignments()])
            _audit(user, "period_open", period,
                   f"开启{period.label}调度，{len(plan.assignments())} 份报告，报送截止 {due_on}"
                   f"（期末后 {days} 个{params.BASIS_LABELS[basis]}）",
                   after={"label": period.label, "due_on": due_on, "reports": len(plan.assignments())})
    except IntegrityError:  # opened at the same instant by someone else
        raise ApplicationError(f"{span.label}已经开启", field="period") from None
    return period


# ---------------------------------------------------------------- reports

def _locked(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("period").get(pk=report.pk)


def _content(data: Mapping[str, Any], *, complete: bool) -> dict[str, str]:
    """The written fields, checked by field: lengths always; on submission what a report must say."""
    status = str(data.get("progress_status", "") or "")
    if status and status not in Report.Progress.values:
        raise ApplicationError("请选择推进情况（正常推进、滞后或已完成）", field="progress_status")
    if complete and not status:
        raise ApplicationError("请选择推进情况（正常推进、滞后或已完成）", field="progress_status")
    found = {"progress_status": status}
    for name, (label, limit) in LIMITS.items():
        required = complete and name in ("progress", "next_steps")
        found[name] = clean_text(str(data.get(name, "") or ""), name, label, required=required, max_length=limit)
    if complete and status == Report.Progress.BEHIND and not found["problems"]:
        raise ApplicationError("推进情况为“滞后”时，请填写存在问题（滞后的原因）", field="problems")
    return found


def _write(user: User, action: str, report: Report, data: Mapping[str, Any]) -> tuple[Report, dict[str, Any]]:
    """Lock, check the step and the writer, and set the checked fields; the caller saves and audits."""
    report = _locked(report)
    access.require_in_scope(user, report)
    t = workflow.report_check(action, user=user, report=report)
    access.require_own(user, report)
    before = {"status": report.status, **{name: getattr(report, name) for name in CONTENT}}
    for name, value in _content(data, complete=action == "submit").items():
        setattr(report, name, value)
    report.status = t.target or report.status
    return report, before


def report_save(*, user: User, report: Report, data: Mapping[str, Any]) -> Report:
    """The department keeps what it has written so far; the report stays with it until submitted."""
    with transaction.atomic():
        report, before = _write(user, "save", report, data)
        after = {"status": report.status, **{name: getattr(report, name) for name in CONTENT}}
        report.save(update_fields=[*CONTENT, "updated_at"])
        changed = changed_fields(before, after)
        if changed:
            _audit(user, "report_save", report, f"{report.department_name}保存调度报告（草稿）",
                   {k: before[k] for k in changed}, {k: after[k] for k in changed})
    return report


def report_submit(*, user: User, report: Report, data: Mapping[str, Any]) -> Report:
    with transaction.atomic():
        report, before = _write(user, "submit", report, data)
        today = clock.today()
        report.submitted_on, report.submitted_by = today, user
        report.first_submitted_on = report.first_submitted_on or today
        report.return_reason = ""
        report.save(update_fields=[*CONTENT, "status", "submitted_on", "first_submitted_on", "submitted_by",
                                   "return_reason", "updated_at"])
        late = "（逾期报送）" if report.submitted_late else ""
        _audit(user, "report_submit", report,
               f"{report.department_name}报送调度报告{late}：{report.get_progress_status_display()}",
               before, {"status": report.status, **{name: getattr(report, name) for name in CONTENT}})
    return report


def report_accept(*, user: User, report: Report) -> Report:
    with transaction.atomic():
        report = _locked(report)
        access.require_in_scope(user, report)
        t = workflow.report_check("accept", user=user, report=report)
        report.status, report.reviewed_on = t.target or report.status, clock.today()
        report.save(update_fields=["status", "reviewed_on", "updated_at"])
        _audit(user, "report_accept", report, f"审核通过{report.department_name}的调度报告",
               {"status": S.SUBMITTED}, {"status": report.status})
    return report


def report_send_back(*, user: User, report: Report, reason: str) -> Report:
    """The province sends a report back with its reason; the department edits it and submits it again."""
    with transaction.atomic():
        report = _locked(report)
        access.require_in_scope(user, report)
        t = workflow.report_check("send_back", user=user, report=report)
        report.return_reason = clean_text(reason, "reason", "退回原因", max_length=200)
        report.status, report.reviewed_on = t.target or report.status, clock.today()
        report.save(update_fields=["status", "return_reason", "reviewed_on", "updated_at"])
        _audit(user, "report_send_back", report, f"退回{report.department_name}的调度报告：{report.return_reason}",
               {"status": S.SUBMITTED}, {"status": report.status, "reason": report.return_reason})
    return report
