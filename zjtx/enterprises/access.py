"""Who may see and change which enterprises. Every page, API call and export goes through here.

One condition per line, so that tests can walk each branch. A role that may not use a function at all
gets PermissionDeniedError (403); an enterprise outside the user's scope is NotFoundError (404), so
that its existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Q, QuerySet

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import regions
from zjtx.core.errors import NotFoundError, PermissionDeniedError
from zjtx.enterprises.models import Enterprise, ImportJob, ListEntry

LIST_ROLES = {Role.PROVINCE, Role.CITY, Role.DEPARTMENT, Role.OFFICER, Role.ENTERPRISE}
IMPORT_ROLES = {Role.PROVINCE, Role.CITY}
EDIT_ROLES = {Role.PROVINCE, Role.CITY, Role.ENTERPRISE}
# What an enterprise may not change about itself: identity, place, and anything derived.
ENTERPRISE_LOCKED_FIELDS = {"credit_code", "city_code", "county_code"}


def visible_enterprises(user: User) -> QuerySet[Enterprise]:
    """The enterprises `user` may see; raises for roles that have no registry view at all."""
    return _in_scope(Enterprise.objects.all(), user, officer=Q(service_officer=user),
                     own=Q(credit_code=user.credit_code))


def visible_list_entries(user: User) -> QuerySet[ListEntry]:
    """The same scope as visible_enterprises, on the list entries (which carry the list's indexes).
    The registry's unique index finds an enterprise user's own row: the entries have no code index."""
    own = Enterprise.objects.filter(credit_code=user.credit_code).values("pk")
    return _in_scope(ListEntry.objects.all(), user, officer=Q(enterprise__service_officer=user), own=Q(pk__in=own))


M = TypeVar("M", Enterprise, ListEntry)


def _in_scope(qs: QuerySet[M], user: User, *, officer: Q, own: Q) -> QuerySet[M]:
    require_list(user)
    if user.role == Role.PROVINCE or user.role == Role.DEPARTMENT:
        return qs
    if user.role == Role.CITY:
        qs = qs.filter(city_code=user.city_code)
        return qs.filter(county_code=user.county_code) if user.county_code else qs
    if user.role == Role.OFFICER:
        return qs.filter(officer)
    return qs.filter(own)


def list_scope_label(user: User) -> str:
    """Whose enterprises a user's list holds, for an export's title and file name. A department reads the
    whole province (its own name would read as the enterprises under it), an officer its assigned ones."""
    if user.role == Role.DEPARTMENT:
        return "安徽省"
    if user.role == Role.OFFICER:
        return f"{user.display_name}服务的企业"
    return user.scope_label


@dataclass(frozen=True)
class Places:
    """The cities and counties a user's list filters offer: only those the user can see, since any other
    choice could only give an empty list. None means all (of the 16, or of the chosen city)."""

    cities: tuple[str, ...] | None = None
    counties: frozenset[str] | None = None
    fixed: bool = False  # a city or county user's own area: there is no 全部 beyond it


def list_places(user: User) -> Places:
    if user.role == Role.CITY:
        return Places((user.city_code,), frozenset({user.county_code}) if user.county_code else None, fixed=True)
    if user.role in (Role.OFFICER, Role.ENTERPRISE):
        pairs = set(visible_list_entries(user).values_list("city_code", "county_code"))
        cities = {city for city, _ in pairs}
        return Places(tuple(c for c, _ in regions.CITIES if c in cities), frozenset(c for _, c in pairs if c))
    return Places()


def visible_enterprise_ids(user: User) -> QuerySet[ListEntry, Any]:
    """Primary keys of the enterprises `user` may see, as a subquery served by the list indexes."""
    return visible_list_entries(user).values("pk")


def require_list(user: User) -> None:
    if not user.is_authenticated or user.role not in LIST_ROLES:
        raise PermissionDeniedError("您的角色无权查看企业库")


def require_import(user: User) -> None:
    if not user.is_authenticated or user.role not in IMPORT_ROLES:
        raise PermissionDeniedError("只有省级、市级管理员可以导入企业数据")


def access_enterprise_for_view(user: User, credit_code: str) -> Enterprise:
    enterprise = visible_enterprises(user).filter(credit_code=credit_code).first()
    if enterprise is None:
        raise NotFoundError("企业不存在或不在您的管辖范围内")
    return enterprise


def access_enterprise_for_edit(user: User, credit_code: str) -> Enterprise:
    if user.role not in EDIT_ROLES:
        raise PermissionDeniedError("您的角色无权修改企业信息")
    return access_enterprise_for_view(user, credit_code)


def editable_fields(user: User, fields: list[str]) -> list[str]:
    if user.role == Role.ENTERPRISE:
        return [f for f in fields if f not in ENTERPRISE_LOCKED_FIELDS]
    return fields


def place_scope(user: User) -> tuple[str, str]:
    """The city and county an enterprise edited by `user` must stay in ('' means any). A city or county
    user who moved an enterprise out of its area would lose sight of it, so the move is refused."""
    if user.role == Role.CITY:
        return user.city_code, user.county_code
    return "", ""


def place_error(user: User, city_code: str, county_code: str) -> tuple[str, str] | None:
    """(field, Chinese reason) when `user` may not place an enterprise in this city and county."""
    city, county = place_scope(user)
    if city and city_code != city:
        return "city_code", f"只能选择本市（{regions.city_name(city)}）"
    if county and county_code != county:
        return "county_code", f"只能选择本县（区）（{regions.county_name(county)}）"
    return None


def import_scope(user: User) -> tuple[str, str]:
    """The only city and county whose rows this user may import ('' means any)."""
    require_import(user)
    return place_scope(user)


def visible_import_jobs(user: User) -> QuerySet[ImportJob]:
    """Import jobs the user may follow: all for the province, its city's for a city user, its county's
    for a county user (a job lists other enterprises' rows and errors)."""
    qs = ImportJob.objects.select_related("created_by").order_by("-created_at")
    if user.role == Role.PROVINCE:
        return qs
    if user.role != Role.CITY:
        return qs.none()
    qs = qs.filter(city_scope=user.city_code)
    return qs.filter(county_scope=user.county_code) if user.county_code else qs


def can_assign_officer(user: User) -> bool:
    return user.role in {Role.PROVINCE, Role.CITY}
