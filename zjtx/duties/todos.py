"""What waits for each role in 任务调度, for the home page's 待办事项 (``core.navigation.register_todos``)."""

from __future__ import annotations

from django.urls import reverse

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import clock
from zjtx.core.navigation import Todo
from zjtx.duties import access, params, selectors
from zjtx.duties.models import Period, Report

S = Report.Status


def todos(user: User) -> list[Todo]:
    if not access.may_see_reports(user):
        return []
    url = reverse("duties:reports")
    if user.role == Role.DEPARTMENT:
        own = access.visible_reports(user).filter(department=user.department)
        return [Todo("调度报告待报送", own.filter(status=S.DRAFT).count(), f"{url}?status={S.DRAFT}&mine=1"),
                Todo("调度报告被退回，待修改后重新报送", own.filter(status=S.RETURNED).count(),
                     f"{url}?status={S.RETURNED}&mine=1"),
                Todo("调度报告逾期未报", selectors.overdue(own).count(), f"{url}?status={selectors.OVERDUE}&mine=1")]
    reports = access.visible_reports(user)
    return [Todo("调度报告待审核", reports.filter(status=S.SUBMITTED).count(), f"{url}?status={S.SUBMITTED}"),
            Todo("调度报告逾期未报", selectors.overdue(reports).count(), f"{url}?status={selectors.OVERDUE}"),
            Todo(f"{_last_ended().label}调度尚未开启", 0 if _opened(_last_ended()) else 1,
                 reverse("duties:periods"))]


def _last_ended() -> params.Span:
    today = clock.today()
    return params.previous(params.span_of(today, params.cycle(today)))


def _opened(span: params.Span) -> bool:
    return Period.objects.filter(starts__lte=span.ends, ends__gte=span.starts).exists()
