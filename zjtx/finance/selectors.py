"""Reads for the finance pages: partner banks, lists and their enterprises, loans and the 专项信贷 totals,
receivables with their overdue flag, the listing reserve and listings per year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import clock, regions
from zjtx.core.errors import PermissionDeniedError
from zjtx.enterprises.models import Enterprise, Tier
from zjtx.enterprises.selectors import by_name_or_code
from zjtx.finance import access, params, workflow
from zjtx.finance.models import ListingCandidate, Loan, PushedList, Receivable
from zjtx.tiers.models import LADDER

PAGE_SIZE = 20
OVERDUE = "overdue"  # the status filter's extra choice: still waiting for the debtor after the deadline
# 专精特新 in the plan's sense: a provincial tier or higher on the ladder
SRDI_TIERS = LADDER[LADDER.index(Tier.PROVINCIAL):]


def partner_banks() -> list[str]:
    """The partner banks: the units of the active bank accounts."""
    names = (User.objects.filter(role=Role.BANK, is_active=True).exclude(organisation="")
             .values_list("organisation", flat=True).distinct())
    return sorted({n.strip() for n in names if n.strip()})


def list_page(user: User, page: Any = 1) -> Page[Any]:
    """The user's lists with how many of their enterprises it reads (a city: those of its place)."""
    mine = None if user.role == Role.BANK else access.enterprise_scope(user, "entries__enterprise__")
    size = Count("entries", filter=mine, distinct=True) if mine else Count("entries", distinct=True)
    qs = access.visible_lists(user).prefetch_related("recipients").annotate(size=size)
    return Paginator(qs.order_by("-pushed_on", "-id"), PAGE_SIZE).get_page(page)


def list_enterprise_page(user: User, pushed: PushedList, *, city: str = "", q: str = "",
                         page: Any = 1) -> Page[Enterprise]:
    qs = access.list_enterprises(user, pushed)
    if city:
        qs = qs.filter(city_code=city)
    qs = by_name_or_code(qs, q, "")
    return Paginator(qs.order_by("city_code", "name", "id"), PAGE_SIZE).get_page(page)


def loan_page(user: User, *, year: int | None = None, special: str = "", city: str = "", q: str = "",
              page: Any = 1) -> Page[Loan]:
    qs = access.visible_loans(user)
    if year:
        qs = qs.filter(granted_on__year=year)
    if special:
        qs = qs.filter(special=special == "1")
    if city:
        qs = qs.filter(enterprise__city_code=city)
    return Paginator(by_name_or_code(qs, q).order_by("-granted_on", "-id"), PAGE_SIZE).get_page(page)


# ---------------------------------------------------------------- 专项信贷

@dataclass
class CreditLine:
    name: str
    loans: int
    special: Decimal  # 万元
    total: Decimal  # 万元, special or not


@dataclass
class Credit:
    year: int
    goal: params.Goal
    by_bank: list[CreditLine]
    by_city: list[CreditLine]
    total: CreditLine

    @property
    def special_in_unit(self) -> Decimal:
        """The year's 专项贷款 in the target's unit (亿元), to two decimals."""
        return params.in_unit(self.total.special, self.goal.unit).quantize(Decimal("0.01"))

    @property
    def completion(self) -> str:
        if not self.goal.value:
            return "—"
        return f"{params.in_unit(self.total.special, self.goal.unit) * 100 / self.goal.value:.1f}%"


def _lines(qs: QuerySet[Loan], key: str) -> dict[str, CreditLine]:
    rows = qs.values(key).annotate(n=Count("id"), special=Sum("amount", filter=Q(special=True)),
                                   total=Sum("amount"))
    return {r[key]: CreditLine(r[key], r["n"], r["special"] or Decimal(0), r["total"] or Decimal(0)) for r in rows}


def credit(user: User, year: int) -> Credit:
    """The year's loans of the user's scope by bank and by city, and the 专项信贷 target of that year."""
    if not access.may_see_credit(user):
        raise PermissionDeniedError("您的角色无权查看专项信贷统计")
    qs = access.visible_loans(user).filter(granted_on__year=year)
    banks = sorted(_lines(qs, "bank").values(), key=lambda line: -line.special)
    found = _lines(qs, "enterprise__city_code")
    cities = regions.CITIES if access.sees_all(user) else [(user.city_code, user.scope_label)]
    by_city = [CreditLine(name, *(_values(found.get(code)))) for code, name in cities]
    total = CreditLine("合计", sum(line.loans for line in banks), sum((x.special for x in banks), Decimal(0)),
                       sum((x.total for x in banks), Decimal(0)))
    return Credit(year, params.goal(params.SPECIAL_CREDIT, dt.date(year, 12, 31)), banks, by_city, total)


def _values(line: CreditLine | None) -> tuple[int, Decimal, Decimal]:
    return (line.loans, line.special, line.total) if line else (0, Decimal(0), Decimal(0))


def loan_years(user: User) -> list[int]:
    """Years with loans in the user's scope and the current one, newest first."""
    years = {d.year for d in access.visible_loans(user).dates("granted_on", "year")} | {clock.today().year}
    return sorted(years, reverse=True)


# ---------------------------------------------------------------- 应收账款确权

def overdue(qs: QuerySet[Receivable], today: dt.date | None = None) -> QuerySet[Receivable]:
    """Requests the debtor has not answered by the last day of the deadline."""
    return qs.filter(status__in=workflow.OPEN, deadline__lt=today or clock.today())


def is_overdue(receivable: Receivable, today: dt.date | None = None) -> bool:
    return receivable.status in workflow.OPEN and receivable.deadline < (today or clock.today())


def receivable_page(user: User, *, status: str = "", city: str = "", q: str = "", page: Any = 1) -> Page[Receivable]:
    qs = access.visible_receivables(user)
    if status == OVERDUE:
        qs = overdue(qs)
    elif status:
        qs = qs.filter(status=status)
    if city:
        qs = qs.filter(enterprise__city_code=city)
    result = Paginator(by_name_or_code(qs, q).order_by("-filed_on", "-id"), PAGE_SIZE).get_page(page)
    today = clock.today()
    for receivable in result.object_list:
        receivable.overdue = is_overdue(receivable, today)
    return result


# ---------------------------------------------------------------- 上市后备资源库

def candidate_page(user: User, *, stage: str = "", city: str = "", q: str = "",
                   page: Any = 1) -> Page[ListingCandidate]:
    qs = access.visible_candidates(user)
    if stage:
        qs = qs.filter(stage=stage)
    if city:
        qs = qs.filter(enterprise__city_code=city)
    return Paginator(by_name_or_code(qs, q).order_by("-added_on", "-id"), PAGE_SIZE).get_page(page)


@dataclass
class Listings:
    goal: params.Goal
    years: list[tuple[int, int, int]]  # year, listed that year, listed since the start
    stages: list[tuple[str, int]]  # stage label, candidates now at it

    @property
    def total(self) -> int:
        return self.years[-1][2] if self.years else 0

    @property
    def completion(self) -> str:
        return f"{self.total * 100 / self.goal.value:.1f}%" if self.goal.value else "—"


def listings(user: User) -> Listings:
    """Listings per year of the target's term (力争5年新增…上市企业) beside the target, and the reserve by stage."""
    qs = access.visible_candidates(user)
    first, last = params.listing_years(clock.today())
    per_year = dict(qs.filter(stage=ListingCandidate.Stage.LISTED, listed_on__year__gte=first,
                              listed_on__year__lte=last).values_list("listed_on__year").annotate(n=Count("id")))
    years, running = [], 0
    for year in range(first, min(last, clock.today().year) + 1):
        running += per_year.get(year, 0)
        years.append((year, per_year.get(year, 0), running))
    counts = dict(qs.values_list("stage").annotate(n=Count("id")))
    stages = [(label, counts.get(value, 0)) for value, label in ListingCandidate.Stage.choices]
    return Listings(params.goal(params.LISTINGS, dt.date(last, 12, 31)), years, stages)
