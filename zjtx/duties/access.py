"""Who may see and act on 任务分工 and 调度. One condition per line.

The province office sees everything and reviews; a department reads the reports of the tasks it is named in
(its own and the other units' on those tasks) and writes only its own; a city reads the task list (各市人民政府
are named in most tasks, but report through 目标监测, not here); the other roles have no access (403).
A report outside the user's scope is NotFoundError (404), so that its existence is not revealed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core.errors import NotFoundError, PermissionDeniedError
from zjtx.duties import plan
from zjtx.duties.models import Period, Report

OPEN_ROLES = {Role.PROVINCE, Role.CITY, Role.DEPARTMENT}
REPORT_ROLES = {Role.PROVINCE, Role.DEPARTMENT}


def may_open(user: Any) -> bool:
    return bool(user.is_authenticated) and user.role in OPEN_ROLES


def require_open(user: User) -> None:
    if not may_open(user):
        raise PermissionDeniedError("您的角色无权使用任务分工")


def may_see_reports(user: Any) -> bool:
    return bool(user.is_authenticated) and user.role in REPORT_ROLES


def require_reports(user: User) -> None:
    if not may_see_reports(user):
        raise PermissionDeniedError("只有省级管理员和省直部门可以查看调度报告")


def may_open_periods(user: User) -> bool:
    return bool(user.is_authenticated) and user.role == Role.PROVINCE


def visible_reports(user: User) -> QuerySet[Report]:
    require_reports(user)
    qs = Report.objects.select_related("period", "submitted_by")
    if user.role == Role.PROVINCE:
        return qs
    return qs.filter(task__in=[t.number for t in plan.tasks_of(user.department)])


def visible_periods(user: User) -> QuerySet[Period]:
    require_reports(user)
    return Period.objects.all()


def access_report(user: User, pk: int) -> Report:
    found = visible_reports(user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("调度报告不存在或不在您的范围内")
    return found


def access_period(user: User, pk: int) -> Period:
    found = visible_periods(user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("调度期次不存在")
    return found


def may_edit(user: User, report: Report) -> bool:
    """Only the department the report belongs to writes it; the others named in the task read it."""
    return user.role == Role.DEPARTMENT and user.department == report.department


def require_own(user: User, report: Report) -> None:
    if user.role == Role.DEPARTMENT and not may_edit(user, report):
        raise PermissionDeniedError(f"这是{report.department_name}的调度报告，只能由该单位填报")


def require_in_scope(user: User, report: Report) -> None:
    """For services: the (locked) report is one the user may see."""
    if not visible_reports(user).filter(pk=report.pk).exists():
        raise NotFoundError("调度报告不存在或不在您的范围内")


def filter_departments(user: User) -> list[tuple[str, str]]:
    """Departments a list may be filtered by: for a department, those of its tasks."""
    if user.role == Role.DEPARTMENT:
        named = {code for t in plan.tasks_of(user.department) for code in t.departments}
        return [(u.code, u.name) for u in plan.all_units() if u.code in named]
    return [(u.code, u.name) for u in plan.all_units() if not u.municipal]


def filter_tasks(user: User) -> list[plan.Task]:
    return plan.tasks_of(user.department) if user.role == Role.DEPARTMENT else list(plan.tasks())


def may_read_record(user: User, event: Any) -> bool:
    return bool(user.is_authenticated) and user.role in REPORT_ROLES
