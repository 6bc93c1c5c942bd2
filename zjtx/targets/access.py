"""Who may see and report target figures. One condition per line.

The province sees every target, province-wide and by city, and reports any figure and a city's share
(分解目标); a city sees its own city beside the province totals and reports its own city's figures; a
department reads everything (its targets are among them); the other roles do not see the module.
"""

from __future__ import annotations

from typing import Any

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import regions
from zjtx.core.errors import PermissionDeniedError

VIEW_ROLES = {Role.PROVINCE, Role.CITY, Role.DEPARTMENT}
PROVINCE = ""  # the place code of the province-wide figures


def may_open(user: Any) -> bool:
    return bool(user.is_authenticated) and user.role in VIEW_ROLES


def require_view(user: User) -> None:
    if not may_open(user):
        raise PermissionDeniedError("您的角色无权查看目标监测")


def sees_all_cities(user: User) -> bool:
    return user.role in (Role.PROVINCE, Role.DEPARTMENT)


def places(user: User) -> list[tuple[str, str]]:
    """The places whose figures the user may read: 全省 and every city, or 全省 and its own city."""
    require_view(user)
    cities = list(regions.CITIES) if sees_all_cities(user) else [(user.city_code, regions.city_name(user.city_code))]
    return [(PROVINCE, "全省"), *cities]


def may_report(user: User) -> bool:
    """The province, and a city's own account: a county account reads its city's figures but does not
    report for the whole city."""
    if not user.is_authenticated:
        return False
    return user.role == Role.PROVINCE or (user.role == Role.CITY and not user.county_code)


def reportable_places(user: User) -> list[tuple[str, str]]:
    """Where the user may report a figure: the province anywhere, a city its own city only."""
    if user.role == Role.PROVINCE:
        return [(PROVINCE, "全省"), *regions.CITIES]
    if may_report(user):
        return [(user.city_code, regions.city_name(user.city_code))]
    return []


def require_report(user: User, city_code: str, kind: str) -> None:
    if not may_report(user):
        raise PermissionDeniedError("只有省级、市级（本市账号）管理员可以填报目标完成数")
    if kind == "allocation" and user.role != Role.PROVINCE:
        raise PermissionDeniedError("只有省级管理员可以分解目标", field="kind")
    if city_code not in dict(reportable_places(user)):
        raise PermissionDeniedError("只能填报本市的完成数", field="city_code")


def may_read_record(user: User, event: Any) -> bool:
    """An audit record of a reported figure: for the roles that see the module."""
    return may_open(user)


def require_all_cities(user: User) -> None:
    require_view(user)
    if not sees_all_cities(user):
        raise PermissionDeniedError("只有省级管理员和省直部门可以查看各市排名")
