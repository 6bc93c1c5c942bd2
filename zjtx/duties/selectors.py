"""Reads for the pages: the task × unit matrix, report lists, overdue flags and the period overviews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet

from zjtx.accounts.models import User
from zjtx.core import clock
from zjtx.duties import access, plan
from zjtx.duties.models import Period, Report

PAGE_SIZE = 30
OVERDUE, LATE, BEHIND = "overdue", "late", "behind"  # the status filter's extra choices
S = Report.Status


def overdue_q(today: dt.date) -> Q:
    """逾期未报: never submitted, and the period's due date has passed (the due day itself is still in time)."""
    return Q(first_submitted_on__isnull=True, period__due_on__lt=today)


def late_q() -> Q:
    """逾期报送: first submitted after the due date."""
    return Q(first_submitted_on__isnull=False, first_submitted_on__gt=F("period__due_on"))


def overdue(qs: QuerySet[Report], today: dt.date | None = None) -> QuerySet[Report]:
    return qs.filter(overdue_q(today or clock.today()))


def is_overdue(report: Report, today: dt.date | None = None) -> bool:
    return report.first_submitted_on is None and report.period.due_on < (today or clock.today())


# ---------------------------------------------------------------- the matrix

@dataclass
class MatrixRow:
    unit: plan.Unit
    cells: list[str | None]  # per task: lead / participant / None

    @property
    def leads(self) -> int:
        return sum(1 for c in self.cells if c == plan.LEAD)

    @property
    def takes_part(self) -> int:
        return sum(1 for c in self.cells if c == plan.PARTICIPANT)


def matrix(unit: str = "") -> list[MatrixRow]:
    """Units (rows) × the twenty tasks (columns): where each leads or takes part."""
    units = [u for u in plan.all_units() if not unit or u.code == unit]
    return [MatrixRow(u, [t.role(u.code) for t in plan.tasks()]) for u in units]


def tasks_for(unit: str = "") -> list[plan.Task]:
    return [t for t in plan.tasks() if not unit or t.role(unit)]


# ---------------------------------------------------------------- counts

@dataclass
class Counts:
    expected: int = 0
    submitted: int = 0  # 已报送 (awaiting review or accepted)
    accepted: int = 0
    returned: int = 0
    overdue: int = 0  # 逾期未报
    late: int = 0  # 逾期报送
    behind: int = 0  # 推进情况“滞后”

    @property
    def percent(self) -> str:
        return f"{self.submitted * 100 / self.expected:.0f}%" if self.expected else "—"


def _aggregates(today: dt.date) -> dict[str, Any]:
    return {"expected": Count("id"),
            "submitted": Count("id", filter=Q(status__in=[S.SUBMITTED, S.ACCEPTED])),
            "accepted": Count("id", filter=Q(status=S.ACCEPTED)),
            "returned": Count("id", filter=Q(status=S.RETURNED)),
            "overdue": Count("id", filter=overdue_q(today)),
            "late": Count("id", filter=late_q()),
            "behind": Count("id", filter=Q(progress_status=Report.Progress.BEHIND))}


def counts(qs: QuerySet[Report], today: dt.date | None = None) -> Counts:
    return Counts(**qs.aggregate(**_aggregates(today or clock.today())))


@dataclass
class PeriodRow:
    period: Period
    counts: Counts


def period_rows(user: User) -> list[PeriodRow]:
    """Every period with the counts of the reports the user may see (a department: those of its tasks)."""
    today = clock.today()
    found = {row.pop("period"): Counts(**row) for row in
             access.visible_reports(user).values("period").annotate(**_aggregates(today))}
    return [PeriodRow(p, found.get(p.pk, Counts())) for p in access.visible_periods(user).order_by("-starts")]


@dataclass
class TaskRow:
    task: plan.Task
    reports: list[Report] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


def grid(user: User, period: Period, *, task: int | None = None, department: str = "") -> list[TaskRow]:
    """Period × task × department: each task's reports (lead first, in the plan's order) and its counts."""
    today = clock.today()
    qs = access.visible_reports(user).filter(period=period)
    if task:
        qs = qs.filter(task=task)
    if department:
        qs = qs.filter(department=department)
    by_task: dict[int, list[Report]] = {}
    for report in qs:
        report.overdue = is_overdue(report, today)
        by_task.setdefault(report.task, []).append(report)
    rows = []
    for t in plan.tasks():
        if t.number not in by_task:
            continue
        order = {code: n for n, code in enumerate(t.departments)}
        reports = sorted(by_task[t.number], key=lambda r: order.get(r.department, 99))
        for r in reports:
            r.role_label = plan.ROLE_LABELS.get(t.role(r.department) or "", "")
        rows.append(TaskRow(t, reports, _tally(reports)))
    return rows


def _tally(reports: list[Report]) -> Counts:
    c = Counts(expected=len(reports))
    for r in reports:
        c.submitted += r.status in (S.SUBMITTED, S.ACCEPTED)
        c.accepted += r.status == S.ACCEPTED
        c.returned += r.status == S.RETURNED
        c.overdue += bool(getattr(r, "overdue", False))
        c.late += r.submitted_late
        c.behind += r.progress_status == Report.Progress.BEHIND
    return c


# ---------------------------------------------------------------- lists

def report_page(user: User, *, period: int | None = None, task: int | None = None, department: str = "",
                status: str = "", page: Any = 1) -> Page[Report]:
    today = clock.today()
    qs = access.visible_reports(user)
    if period:
        qs = qs.filter(period_id=period)
    if task:
        qs = qs.filter(task=task)
    if department:
        qs = qs.filter(department=department)
    if status == OVERDUE:
        qs = qs.filter(overdue_q(today))
    elif status == LATE:
        qs = qs.filter(late_q())
    elif status == BEHIND:
        qs = qs.filter(progress_status=Report.Progress.BEHIND)
    elif status:
        qs = qs.filter(status=status)
    result = Paginator(qs.order_by("-period__starts", "task", "department", "id"), PAGE_SIZE).get_page(page)
    for report in result.object_list:
        report.overdue = is_overdue(report, today)
        report.task_label = plan.task(report.task).label
    return result
