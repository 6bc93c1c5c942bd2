"""Who may see and act on visits, requests and the officers' coverage. One condition per line.

A role without the function gets PermissionDeniedError (403); a record outside the user's scope is
NotFoundError (404), so that its existence is not revealed. A department sees the requests routed to it and,
of the enterprise, only what a request shows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import regions
from zjtx.core.errors import NotFoundError, PermissionDeniedError
from zjtx.enterprises.models import Enterprise
from zjtx.services.models import ServiceRequest, Visit

OPEN_ROLES = {Role.PROVINCE, Role.CITY, Role.DEPARTMENT, Role.OFFICER, Role.ENTERPRISE}
VISIT_ROLES = {Role.PROVINCE, Role.CITY, Role.OFFICER, Role.ENTERPRISE}
COVERAGE_ROLES = {Role.PROVINCE, Role.CITY}
FILE_ROLES = {Role.ENTERPRISE, Role.OFFICER}


def may_open(user: Any) -> bool:
    return bool(user.is_authenticated) and user.role in OPEN_ROLES


def require_open(user: User) -> None:
    if not may_open(user):
        raise PermissionDeniedError("您的角色无权使用服务专员与诉求")


def may_see_visits(user: User) -> bool:
    return bool(user.is_authenticated) and user.role in VISIT_ROLES


def may_see_coverage(user: User) -> bool:
    return bool(user.is_authenticated) and user.role in COVERAGE_ROLES


def _enterprise_scope(user: User, prefix: str) -> Q:
    """The enterprises of a city (or county) user, an officer or an enterprise user, as a filter on `prefix`."""
    if user.role == Role.CITY:
        q = Q(**{f"{prefix}city_code": user.city_code})
        return q & Q(**{f"{prefix}county_code": user.county_code}) if user.county_code else q
    if user.role == Role.OFFICER:
        return Q(**{f"{prefix}service_officer": user})
    return Q(**{f"{prefix}credit_code": user.credit_code})


def visible_requests(user: User) -> QuerySet[ServiceRequest]:
    require_open(user)
    qs = ServiceRequest.objects.select_related("enterprise", "filed_by")
    if user.role == Role.PROVINCE:
        return qs
    if user.role == Role.DEPARTMENT:
        return qs.filter(department=user.department)
    return qs.filter(_enterprise_scope(user, "enterprise__"))


def access_request(user: User, pk: int) -> ServiceRequest:
    found = visible_requests(user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("诉求不存在或不在您的范围内")
    return found


def require_in_scope(user: User, request: ServiceRequest) -> None:
    """For services: the (locked) request is one the user may see."""
    if not visible_requests(user).filter(pk=request.pk).exists():
        raise NotFoundError("诉求不存在或不在您的范围内")


def visible_visits(user: User) -> QuerySet[Visit]:
    if not may_see_visits(user):
        raise PermissionDeniedError("您的角色无权查看走访记录")
    qs = Visit.objects.select_related("enterprise", "officer")
    if user.role == Role.PROVINCE:
        return qs
    if user.role == Role.OFFICER:
        # its own visits, and those of the enterprises it serves now (a predecessor's included)
        return qs.filter(Q(officer=user) | Q(enterprise__service_officer=user))
    return qs.filter(_enterprise_scope(user, "enterprise__"))


def fileable_enterprises(user: User) -> QuerySet[Enterprise]:
    """The enterprises `user` may file a request for: its own, or an officer's assigned ones."""
    if not user.is_authenticated or user.role not in FILE_ROLES:
        raise PermissionDeniedError("只有企业用户或其服务专员可以提交诉求")
    return Enterprise.objects.filter(_enterprise_scope(user, "")).order_by("name")


def visitable_enterprises(user: User) -> QuerySet[Enterprise]:
    if not user.is_authenticated or user.role != Role.OFFICER:
        raise PermissionDeniedError("只有服务专员可以记录走访")
    return Enterprise.objects.filter(service_officer=user).order_by("name")


def coverage_enterprises(user: User) -> QuerySet[Enterprise]:
    if not may_see_coverage(user):
        raise PermissionDeniedError("只有省级、市级管理员可以查看服务覆盖")
    qs = Enterprise.objects.all()
    return qs if user.role == Role.PROVINCE else qs.filter(_enterprise_scope(user, ""))


def filter_cities(user: User) -> list[tuple[str, str]]:
    """Cities a list may be filtered by: all for the province, none for the others (their scope is fixed)."""
    return list(regions.CITIES) if user.role == Role.PROVINCE else []


def may_read_record(user: User, event: Any) -> bool:
    """Audit records of visits and requests, where an enterprise's history lists them: for the roles that see
    its visits and requests there (a department reads a request's history on the request's own page)."""
    return user.role in VISIT_ROLES
