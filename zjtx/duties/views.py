"""任务分工 pages: the task × unit matrix, the 调度 periods and their overview, the reports and their steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zjtx.accounts.models import User, current_user
from zjtx.accounts.roles import Role
from zjtx.core import clock
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.http import offered_choice, page_errors, query_without_page, xlsx_response
from zjtx.core.models import AuditEvent
from zjtx.duties import access, exports, params, plan, selectors, services, workflow
from zjtx.duties.models import Period, Report
from zjtx.tiers.selectors import years_without_holidays

FORM_FIELDS = {"progress_status", "progress", "figures", "problems", "next_steps", "reason"}
STATUS_FILTERS = [*Report.Status.choices, (selectors.OVERDUE, "逾期未报"), (selectors.LATE, "逾期报送"),
                  (selectors.BEHIND, "推进滞后")]



def _number(value: str, allowed: list[int]) -> int | None:
    return int(value) if value.isdigit() and int(value) in allowed else None


def _nav(user: User) -> dict[str, Any]:
    return {"sees_reports": access.may_see_reports(user)}


@login_required
@page_errors
@require_GET
def tasks(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_open(user)
    units = [(u.code, u.name) for u in plan.all_units()]
    unit = offered_choice(request, "unit", units)
    return render(request, "duties/tasks.html", {
        **_nav(user), "units": units, "unit": unit, "unit_name": dict(units).get(unit, ""),
        "matrix": selectors.matrix(unit), "numbers": plan.task_numbers(), "tasks": selectors.tasks_for(unit),
        "own": user.department if user.role == Role.DEPARTMENT else ""})


def _unknown_years(end: dt.date, due: dt.date, basis: str) -> list[int]:
    """Years of a working-day due date whose holidays neither chinese-calendar nor the province's table knows:
    counted Monday–Friday until they are entered (tiers' holiday table)."""
    return years_without_holidays(end, due) if basis == params.WORKING else []


def _span_unknown_years(span: params.Span) -> list[int]:
    due_on, _, basis = params.due_date(span.ends)
    return _unknown_years(span.ends, due_on, basis)


def _periods_context(user: User, error: ApplicationError | None = None) -> dict[str, Any]:
    today = clock.today()
    openable: list[params.Span] = []
    if access.may_open_periods(user):
        taken = list(Period.objects.values_list("starts", "ends"))
        openable = [s for s in params.openable(today)
                    if not any(a <= s.ends and b >= s.starts for a, b in taken)]
    due_days, basis = params.due_days(today), params.day_basis(today)
    return {**_nav(user), "rows": selectors.period_rows(user), "openable": openable,
            "holidays_missing": [(s.label, years) for s in openable if (years := _span_unknown_years(s))],
            "rule": f"{params.cycle_label(params.cycle(today))}调度，期末后 {due_days} 个"
                    f"{params.BASIS_LABELS[basis]}内报送",
            "parameters": [params.CYCLE, params.DUE_DAYS, params.DAY_BASIS], "error": error}


@login_required
@page_errors
@require_GET
def periods(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_reports(user)
    return render(request, "duties/periods.html", _periods_context(user))


@login_required
@page_errors
@require_POST
def period_open(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not access.may_open_periods(user):
        raise PermissionDeniedError("只有省级管理员可以开启调度")
    try:
        period = services.period_open(user=user, key=request.POST.get("period", ""))
    except ApplicationError as exc:
        return render(request, "duties/periods.html", _periods_context(user, exc))
    messages.success(request, f"已开启{period.label}调度，报送截止 {period.due_on}。")
    return redirect("duties:period", pk=period.pk)


@login_required
@page_errors
@require_GET
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    period = access.access_period(user, pk)
    task_choices = access.filter_tasks(user)
    departments = access.filter_departments(user)
    task = _number(request.GET.get("task", ""), [t.number for t in task_choices])
    department = offered_choice(request, "department", departments)
    rows = selectors.grid(user, period, task=task, department=department)
    total = selectors.Counts()
    for row in rows:
        for name in vars(total):
            setattr(total, name, getattr(total, name) + getattr(row.counts, name))
    return render(request, "duties/period.html", {
        **_nav(user), "period": period, "rows": rows, "total": total, "task_choices": task_choices,
        "holidays_missing": _unknown_years(period.ends, period.due_on, period.day_basis), "departments": departments,
        "task": task, "department": department, "today": clock.today()})


@login_required
@page_errors
@require_GET
def period_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    period = access.access_period(user, pk)
    name = f"{period.label}任务调度汇总_{clock.today():%Y%m%d}.xlsx"
    return xlsx_response(exports.period_workbook(user, period), name)


@login_required
@page_errors
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_reports(user)
    periods_offered = [(str(p.pk), p.label) for p in access.visible_periods(user)]
    task_choices = access.filter_tasks(user)
    departments = access.filter_departments(user)
    mine = user.role == Role.DEPARTMENT and request.GET.get("mine") == "1"
    filters: dict[str, Any] = {"period": _number(request.GET.get("period", ""), [int(k) for k, _ in periods_offered]),
               "task": _number(request.GET.get("task", ""), [t.number for t in task_choices]),
               "department": user.department if mine else offered_choice(request, "department", departments),
               "status": offered_choice(request, "status", STATUS_FILTERS)}
    page = selectors.report_page(user, page=request.GET.get("page", 1), **filters)
    return render(request, "duties/reports.html", {
        **_nav(user), "page": page, "f": filters, "mine": mine, "periods": periods_offered,
        "task_choices": task_choices, "departments": departments, "statuses": STATUS_FILTERS,
        "query": query_without_page(request), "is_department": user.role == Role.DEPARTMENT})


def _detail_context(user: User, report: Report, error: ApplicationError | None = None,
                    posted: Any = None) -> dict[str, Any]:
    """The report page; after a refused step, its message beside the field and what was typed, kept."""
    task = plan.task(report.task)
    history = AuditEvent.objects.filter(target_type="dutyreport", target_id=str(report.pk)).order_by("at", "id")
    actions = workflow.available(workflow.REPORT, user=user, state=report.status)
    if not access.may_edit(user, report):
        actions -= {"save", "submit"}
    values = posted if posted is not None else {name: getattr(report, name) for name in services.CONTENT}
    return {**_nav(user), "r": report, "task": task, "role_label": plan.ROLE_LABELS.get(task.role(report.department)
                                                                                        or "", ""),
            "overdue": selectors.is_overdue(report), "history": history, "actions": actions,
            "progress_choices": Report.Progress.choices, "v": values,
            "others": access.visible_reports(user).filter(period=report.period, task=report.task)
            .exclude(pk=report.pk).order_by("department"),
            "error": error and {"field": error.field if error.field in FORM_FIELDS else "", "message": error.message}}


@login_required
@page_errors
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    return render(request, "duties/report.html", _detail_context(user, access.access_report(user, pk)))


def _act(request: HttpRequest, user: User, report: Report, action: str) -> str:
    post = request.POST
    if action == "save":
        services.report_save(user=user, report=report, data=post)
        return "已保存草稿，报送前仍可修改。"
    if action == "submit":
        done = services.report_submit(user=user, report=report, data=post)
        return "已报送，等待省级审核。" + ("（本期报送截止日已过，记为逾期报送）" if done.submitted_late else "")
    if action == "accept":
        services.report_accept(user=user, report=report)
        return "已审核通过。"
    if action == "send_back":
        services.report_send_back(user=user, report=report, reason=post.get("reason", ""))
        return "已退回，由责任单位修改后重新报送。"
    raise ApplicationError("没有这个操作", field="action")


@login_required
@page_errors
@require_POST
def report_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = current_user(request)
    found = access.access_report(user, pk)
    try:
        messages.success(request, _act(request, user, found, action))
    except PermissionDeniedError:
        raise  # another unit's report, or a step of another role: 403, not a message on the page
    except ApplicationError as exc:
        found.refresh_from_db()  # the page shows the report as stored: the refused step changed nothing
        return render(request, "duties/report.html", _detail_context(user, found, exc, request.POST))
    return redirect("duties:report", pk=pk)
