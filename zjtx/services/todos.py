"""What waits for each role in 服务专员与诉求, for the home page's 待办事项 (``core.navigation.register_todos``)."""

from __future__ import annotations

from django.urls import reverse

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core.navigation import Todo
from zjtx.services import access, selectors
from zjtx.services.models import ServiceRequest

S = ServiceRequest.Status


def todos(user: User) -> list[Todo]:
    if not access.may_open(user):
        return []
    requests = access.visible_requests(user)
    url = reverse("services:requests")
    found: list[Todo] = []
    if user.role in (Role.PROVINCE, Role.CITY):
        found += [Todo("企业诉求待分派", requests.filter(status=S.PENDING).count(), f"{url}?status={S.PENDING}"),
                  Todo("企业诉求被部门退回，待重新分派", requests.filter(status=S.RETURNED).count(),
                       f"{url}?status={S.RETURNED}"),
                  Todo("专精特新企业未配备服务专员", selectors.uncovered(user).count(), reverse("services:coverage"))]
    if user.role == Role.DEPARTMENT:
        found.append(Todo("企业诉求待答复", requests.filter(status=S.IN_PROGRESS).count(),
                          f"{url}?status={S.IN_PROGRESS}"))
    if user.role in (Role.PROVINCE, Role.CITY, Role.DEPARTMENT):
        found.append(Todo("企业诉求逾期未答复", selectors.overdue(requests).count(),
                          f"{url}?status={selectors.OVERDUE}"))
    if user.role == Role.ENTERPRISE:
        found.append(Todo("诉求已答复，待评价满意度", requests.filter(status=S.ANSWERED).count(),
                          f"{url}?status={S.ANSWERED}"))
    return found
