"""What waits for each role in 金融服务, for the home page's 待办事项 (``core.navigation.register_todos``)."""

from __future__ import annotations

from django.urls import reverse

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core.navigation import Todo
from zjtx.finance import access, selectors
from zjtx.finance.models import Receivable

S = Receivable.Status


def todos(user: User) -> list[Todo]:
    if not access.may_open(user):
        return []
    found: list[Todo] = []
    if user.role == Role.BANK:
        found.append(Todo("推送至本行的企业名单", access.visible_lists(user).count(), reverse("finance:lists")))
        return found
    url = reverse("finance:receivables")
    receivables = access.visible_receivables(user)
    if user.role in access.OFFICIALS:
        found += [Todo("应收账款确权请求待转送债务人", receivables.filter(status=S.FILED).count(),
                       f"{url}?status={S.FILED}"),
                  Todo("应收账款确权待记录债务人答复", receivables.filter(status=S.SENT).count(),
                       f"{url}?status={S.SENT}")]
    found.append(Todo("应收账款确权逾期未确认", selectors.overdue(receivables).count(),
                      f"{url}?status={selectors.OVERDUE}"))
    return found
