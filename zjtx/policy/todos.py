"""What waits for the province policy officer in 政策引擎, for the home page's 待办事项
(``core.navigation.register_todos``)."""

from __future__ import annotations

from django.urls import reverse

from zjtx.accounts.models import User
from zjtx.core.navigation import Todo
from zjtx.policy import access, selectors


def todos(user: User) -> list[Todo]:
    """Parameters whose value in force is 待核实 (from a summary, or a placeholder): each needs its
    document checked and, if it differs, a new value entered."""
    if not access.can_edit_parameters(user):
        return []
    count = len(selectors.parameter_rows(unconfirmed=True))
    return [Todo("政策参数现行取值待核实", count, reverse("policy:parameters") + "?unconfirmed=1")]
