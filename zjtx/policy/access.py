"""Who may read and change policy parameters and run province-wide evaluations."""

from __future__ import annotations

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core.errors import PermissionDeniedError

# The province policy role: province administrators (省经信厅). Everyone signed in may read the rules.
POLICY_ROLES = {Role.PROVINCE}


def require_view(user: User) -> None:
    if not user.is_authenticated:
        raise PermissionDeniedError("请先登录")


def can_edit_parameters(user: User) -> bool:
    return user.is_authenticated and user.role in POLICY_ROLES


def require_edit_parameters(user: User) -> None:
    if not can_edit_parameters(user):
        raise PermissionDeniedError("只有省级政策管理人员可以调整政策参数")


def require_runs(user: User) -> None:
    if not can_edit_parameters(user):
        raise PermissionDeniedError("只有省级政策管理人员可以发起全省测算和政策模拟")
