"""Who may read and change policy parameters and run province-wide evaluations."""

from __future__ import annotations

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core.errors import PermissionDeniedError
from zjtx.enterprises import access as enterprise_access
from zjtx.enterprises.models import Enterprise

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


# The facts the rules read (years in the niche, IP, honours, the province's assessments …) and the
# events that trigger awards are recorded by the officials who review recognitions and awards: the
# province, and a city for its enterprises.
RECORD_ROLES = {Role.PROVINCE, Role.CITY}


def can_record(user: User) -> bool:
    return user.is_authenticated and user.role in RECORD_ROLES


def enterprise_for_recording(user: User, credit_code: str) -> Enterprise:
    """The enterprise whose facts and events ``user`` may record (its city's, for a city official)."""
    if not can_record(user):
        raise PermissionDeniedError("只有省级、市级管理员可以补录企业认定要素和专项事件")
    return enterprise_access.access_enterprise_for_view(user, credit_code)
