"""Reads for the pages: request and visit lists with their filters, overdue requests, officers' coverage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import clock, regions
from zjtx.enterprises.models import Enterprise, Tier
from zjtx.enterprises.selectors import by_name_or_code
from zjtx.services import access, params
from zjtx.services.models import ServiceRequest, Visit
from zjtx.tiers.models import LADDER

PAGE_SIZE = 20
OVERDUE = "overdue"  # the status filter's extra choice: 办理中 past the deadline
# 专精特新 in the plan's sense (三20): a provincial tier or higher on the ladder
SRDI_TIERS = LADDER[LADDER.index(Tier.PROVINCIAL):]
S = ServiceRequest.Status


def overdue(qs: QuerySet[ServiceRequest], today: dt.date | None = None) -> QuerySet[ServiceRequest]:
    """Requests still 办理中 after the last working day of their deadline."""
    return qs.filter(status=S.IN_PROGRESS, deadline__lt=today or clock.today())


def is_overdue(request: ServiceRequest, today: dt.date | None = None) -> bool:
    return (request.status == S.IN_PROGRESS and request.deadline is not None
            and request.deadline < (today or clock.today()))


def request_page(user: User, *, status: str = "", category: str = "", city: str = "", department: str = "",
                 q: str = "", page: Any = 1) -> Page[ServiceRequest]:
    qs = access.visible_requests(user)
    if status == OVERDUE:
        qs = overdue(qs)
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if city:
        qs = qs.filter(enterprise__city_code=city)
    if department:
        qs = qs.filter(department=department)
    qs = by_name_or_code(qs, q)
    result = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(page)
    today = clock.today()
    for request in result.object_list:
        request.overdue = is_overdue(request, today)
    return result


def visit_page(user: User, *, way: str = "", city: str = "", since: dt.date | None = None,
               until: dt.date | None = None, q: str = "", page: Any = 1) -> Page[Visit]:
    qs = access.visible_visits(user)
    if way:
        qs = qs.filter(way=way)
    if city:
        qs = qs.filter(enterprise__city_code=city)
    if since:
        qs = qs.filter(visited_on__gte=since)
    if until:
        qs = qs.filter(visited_on__lte=until)
    return Paginator(by_name_or_code(qs, q).order_by("-visited_on", "-id"), PAGE_SIZE).get_page(page)


# ---------------------------------------------------------------- coverage

@dataclass
class CityCoverage:
    city_code: str
    city_name: str
    total: int = 0
    covered: int = 0

    @property
    def uncovered(self) -> int:
        return self.total - self.covered

    @property
    def percent(self) -> str:
        return f"{self.covered * 100 / self.total:.1f}%" if self.total else "—"


@dataclass
class Coverage:
    required: int  # officers each enterprise must have (parameter services.officers_per_enterprise)
    rows: list[CityCoverage]
    total: CityCoverage


def srdi_enterprises(user: User) -> QuerySet[Enterprise]:
    """The user's enterprises that must have a service officer."""
    return access.coverage_enterprises(user).filter(tier__in=SRDI_TIERS)


def _can_cover(required: int) -> bool:
    """The registry holds one officer per enterprise: a requirement above one can never be met, and then no
    enterprise counts as covered."""
    return required <= 1


def coverage(user: User) -> Coverage:
    required = params.officers_per_enterprise(clock.today())
    counts = srdi_enterprises(user).values("city_code").annotate(total=Count("id"), covered=Count("service_officer"))
    found = {row["city_code"]: row for row in counts}
    if not _can_cover(required):
        for row in found.values():
            row["covered"] = 0
    # a city user's one row is its city, or its county (合肥市 · 蜀山区) for a county account
    cities = regions.CITIES if user.role == Role.PROVINCE else [(user.city_code, user.scope_label)]
    rows = [CityCoverage(code, name, found.get(code, {}).get("total", 0), found.get(code, {}).get("covered", 0))
            for code, name in cities]
    total = CityCoverage("", "合计", sum(r.total for r in rows), sum(r.covered for r in rows))
    return Coverage(required, rows, total)


def uncovered(user: User, city: str = "") -> QuerySet[Enterprise]:
    required = params.officers_per_enterprise(clock.today())
    qs = srdi_enterprises(user)
    qs = qs.filter(service_officer__isnull=True) if _can_cover(required) else qs
    return (qs.filter(city_code=city) if city else qs).order_by("city_code", "name", "id")


@dataclass
class OfficerLoad:
    officer: User
    enterprises: int
    srdi: int
    visits: int  # this year, to the enterprises in the user's scope


def officer_loads(user: User) -> list[OfficerLoad]:
    """Each officer serving enterprises in the user's scope: how many it serves there, how many of them are
    专精特新, and its visits to them this year; busiest first."""
    scope = access.coverage_enterprises(user).filter(service_officer__isnull=False)
    counts = {row["service_officer"]: row for row in scope.values("service_officer").annotate(
        n=Count("id"), srdi=Count("id", filter=Q(tier__in=SRDI_TIERS)))}
    year = clock.today().year
    visits = dict(Visit.objects.filter(enterprise__in=scope, visited_on__year=year, officer_id__in=counts)
                  .values("officer").annotate(n=Count("id")).values_list("officer", "n"))
    officers = User.objects.filter(pk__in=counts)
    loads = [OfficerLoad(o, counts[o.pk]["n"], counts[o.pk]["srdi"], visits.get(o.pk, 0)) for o in officers]
    return sorted(loads, key=lambda load: (-load.enterprises, load.officer.display_name))


def officer_choices(enterprise: Enterprise) -> QuerySet[User]:
    """Officers who may serve an enterprise: those whose account names its city, and those serving there now."""
    serving = Enterprise.objects.filter(city_code=enterprise.city_code, service_officer__isnull=False)
    return (User.objects.filter(role=Role.OFFICER, is_active=True)
            .filter(Q(city_code=enterprise.city_code) | Q(pk__in=serving.values("service_officer")))
            .order_by("full_name", "username"))
