"""Who may use the 政策计算器 and the 免申即享 / 潜在培育对象 list. One condition per line.

The calculator of one enterprise: the enterprise itself, its service officer, its city (or county) and the
province — the scope of ``enterprises.access``; an enterprise outside it is "not found" (404).  The list of
every enterprise in scope: officers, cities and the province.  Departments, banks and experts: 403.
"""

from __future__ import annotations

from django.db.models import QuerySet

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.awards import access as awards_access
from zjtx.core.errors import PermissionDeniedError
from zjtx.enterprises import access as enterprise_access
from zjtx.enterprises.models import Enterprise

CALCULATOR_ROLES = {Role.PROVINCE, Role.CITY, Role.OFFICER, Role.ENTERPRISE}
LIST_ROLES = {Role.PROVINCE, Role.CITY, Role.OFFICER}


def can_open(user: User) -> bool:
    return user.is_authenticated and user.role in CALCULATOR_ROLES


def require_calculator(user: User) -> None:
    if not can_open(user):
        raise PermissionDeniedError("您的角色无权使用政策计算器")


def can_list(user: User) -> bool:
    return user.is_authenticated and user.role in LIST_ROLES


def require_list(user: User) -> None:
    if not can_list(user):
        raise PermissionDeniedError("只有省级、市级管理员和服务专员可以查看免申即享与潜在培育对象名单")


def enterprise_for(user: User, credit_code: str) -> Enterprise:
    """The enterprise whose calculator ``user`` opens: 403 for a role without the calculator, 404 outside
    its scope (the registry's rule, so its existence is not revealed)."""
    require_calculator(user)
    return enterprise_access.access_enterprise_for_view(user, credit_code)


def enterprises_in_scope(user: User) -> QuerySet[Enterprise]:
    """The enterprises the user's list covers: the province all, a city (county) its own, an officer those
    assigned to it."""
    require_list(user)
    return enterprise_access.visible_enterprises(user)


def may_fix_indicators(user: User) -> bool:
    """Whether the gap's 数据不足 may link to the registry's indicator pages (whoever may edit them)."""
    return user.role in enterprise_access.EDIT_ROLES


def may_read_awards(user: User) -> bool:
    """Whether the award lines may link to the awards app's pages (an officer has no awards view)."""
    return user.role in awards_access.VIEW_ROLES
