"""Reads for the awards pages, exports and API: budgets with their figures, the ledger, payment lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.awards import access
from zjtx.awards.models import Budget, Entitlement, FundingLevel, LedgerEntry
from zjtx.awards.services import OWED, REVOKED_REASON, city_label, figures_of, triggered_by
from zjtx.core import regions
from zjtx.policy.engine import load_parameters
from zjtx.tiers.models import Batch, Recognition


def budget_order(budget: Budget) -> tuple[int, bool, int]:
    """Newest year first; in a year the province's budget, then the cities' in the site's order of cities
    (by the level's text 市级 sorted before 省级)."""
    cities = [code for code, _ in regions.CITIES]
    city = cities.index(budget.city_code) if budget.city_code in cities else len(cities)
    return -budget.year, budget.funding_level != FundingLevel.PROVINCE, city


def _sum_of(qs: QuerySet[Any]) -> Coalesce:
    """The amounts of ``qs`` (rows of one budget, matched to the outer row) summed in a subquery, 0 when none."""
    total = qs.filter(budget=OuterRef("pk")).values("budget").annotate(s=Sum("amount")).values("s")
    return Coalesce(Subquery(total), Value(Decimal(0)), output_field=DecimalField(max_digits=20, decimal_places=6))


def budget_rows(user: User) -> list[dict[str, Any]]:
    """Every budget the user sees with its figures (as ``services.budget_figures``), summed in the one query:
    a province has a budget for each city and year, and a query per budget made the page slower every year."""
    budgets = access.visible_budgets(user).annotate(
        committed=_sum_of(Entitlement.objects.filter(status__in=OWED)), paid=_sum_of(LedgerEntry.objects.all()))
    rows = []
    for budget in sorted(budgets, key=budget_order):
        rows.append({"budget": budget, "city_name": city_label(budget.city_code) if budget.city_code else "全省",
                     **figures_of(budget, budget.committed, budget.paid)})
    return rows


ENTITLEMENTS_PER_PAGE = 50


def parameters_used(entitlement: Entitlement) -> list[dict[str, str]]:
    """The parameters the engine read for the entitlement, by their Chinese label (labels are not dated)."""
    params = load_parameters()
    ids = [p for p in entitlement.parameter_ids.split(",") if p]
    return [{"id": p, "label": params[p].label if p in params else p} for p in ids]


@dataclass
class EntitlementList:
    page: Page[Entitlement]
    count: int
    total: Decimal  # amount of every entitlement the filters select (not only this page's) but the refused
    paid: Decimal = Decimal(0)  # their ledger net (payments less reversals, with reissues), to hold against total
    refused: int = 0  # the refused (不予兑现) among them, shown apart: they are owed nothing
    refused_total: Decimal = Decimal(0)


def entitlement_list(*, user: User, status: str = "", city_code: str = "", search: str = "",
                     page: str | int = 1) -> EntitlementList:
    """A page of the entitlements the user sees, newest first, filtered by status, city and enterprise
    (name or credit code), with the count and total amount of the whole filtered set."""
    qs = access.visible_entitlements(user).order_by("-created_at", "-id")
    if status in Entitlement.Status.values:
        qs = qs.filter(status=status)
    elif status == RECOVERY:
        qs = awaiting_recovery(qs)
    elif status == TOPUP:
        qs = qs.exclude(topup_note="")
    if city_code:
        qs = qs.filter(enterprise__city_code=city_code)
    if search:
        qs = qs.filter(Q(enterprise__name__icontains=search) | Q(enterprise__credit_code__startswith=search.upper()))
    refused = Q(status=Entitlement.Status.REJECTED)
    figures = qs.aggregate(n=Count("id"), total=Sum("amount", filter=~refused), refused=Count("id", filter=refused),
                           refused_total=Sum("amount", filter=refused))
    paid = LedgerEntry.objects.filter(entitlement__in=qs.values("pk")).aggregate(s=Sum("amount"))["s"]
    return EntitlementList(page=Paginator(qs, ENTITLEMENTS_PER_PAGE).get_page(page), count=figures["n"],
                           total=figures["total"] or Decimal(0), paid=paid or Decimal(0), refused=figures["refused"],
                           refused_total=figures["refused_total"] or Decimal(0))


RECOVERY = "recovery"  # the list's filter of paid awards whose recognition was revoked (待追回)
TOPUP = "topup"  # the list's filter of upgrades settled short of what they now measure (待决定补差)


def awaiting_recovery(qs: QuerySet[Entitlement]) -> QuerySet[Entitlement]:
    """The paid awards among ``qs`` whose recognition was revoked: flagged 待追回 for the province."""
    return qs.filter(status=Entitlement.Status.PAID).exclude(recovery_note="")


def revocation_summary(recognition: Recognition) -> str:
    """What became of the awards of a revoked recognition: 2 项奖补资格已不予兑现，1 项已拨付待追回."""
    found = triggered_by(recognition)
    refused = found.filter(status=Entitlement.Status.REJECTED, reject_reason__startswith=REVOKED_REASON)
    parts = []
    if count := refused.count():
        recovered = refused.filter(reject_reason__contains="已追回").count()
        parts.append(f"{count} 项奖补资格已不予兑现" + (f"（其中 {recovered} 项已拨付、已追回）" if recovered else ""))
    if count := awaiting_recovery(found).count():
        parts.append(f"{count} 项已拨付待追回")
    return "，".join(parts)


@dataclass
class LedgerPage:
    page: Page[LedgerEntry]
    count: int
    total: Decimal  # net of every line the user sees (payments less reversals)


def ledger_page(*, user: User, page: str | int = 1) -> LedgerPage:
    """A page of the ledger lines the user sees, newest first, with the count and net total of all; each
    line with ``account_shown``, its receiving account number as the user may read it."""
    qs = access.visible_ledger(user).select_related("enterprise", "entitlement").order_by("-id")
    figures = qs.aggregate(n=Count("id"), total=Sum("amount"))
    lines = Paginator(qs, ENTITLEMENTS_PER_PAGE).get_page(page)
    lines.object_list = with_accounts_shown(user, lines.object_list)
    return LedgerPage(page=lines, count=figures["n"], total=figures["total"] or Decimal(0))


def with_accounts_shown(user: User, entries: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    """The ledger lines, each with ``account_shown``, its receiving account number as the user may read it."""
    lines = list(entries)
    for entry in lines:
        entry.account_shown = account_shown(user, entry.account_no)  # type: ignore[attr-defined]
    return lines


def account_shown(user: User, number: str) -> str:
    """An account number on a list page: whole for the province, else its last four digits."""
    if not number or access.sees_full_account(user):
        return number
    return f"****{number[-4:]}"


PAYMENTS_PER_PAGE = 100
EXPORT_CHUNK = 2000  # ledger lines read at a time while a workbook is written


@dataclass
class PaymentList:
    title: str
    # The lines asked for: a page of the list, or (for the workbook) every line, read as they are written.
    rows: Iterable[dict[str, Any]]
    total: Decimal
    enterprises: int
    batch: Batch | None
    city_code: str
    # 其中 by funding source (省级, 市级): each is paid from its own budget. Only the sources present.
    by_level: dict[str, Decimal] = field(default_factory=dict)
    count: int = 0  # lines of the whole selection (the total, shares and enterprises are of them too)
    page: Page[LedgerEntry] | None = None  # the page of the 拨付清单 page, for its 第 a–b 笔 and links


def payment_list(*, user: User, batch_id: int | None = None, city_code: str = "", offset: int = 0,
                 limit: int | None = None) -> PaymentList:
    """Ledger lines (payments and their corrections) of a batch and/or a city in booking order: ``limit``
    lines from ``offset``, or every line (``limit=None``, the workbook), read in chunks as they are used, so a
    province's whole ledger is never held at once. The count, net total, 其中 shares and enterprises are of
    the whole selection, summed by the database."""
    qs = _payment_lines(user, batch_id, city_code)
    values = qs.values_list(*LINE_FIELDS.values())
    lines = values.iterator(chunk_size=EXPORT_CHUNK) if limit is None else values[offset:offset + limit]
    rows = (_payment_row(user, line) for line in lines)
    batch = Batch.objects.filter(pk=batch_id).first() if batch_id else None
    parts = [batch.title if batch else "", _place(user, city_code)]
    scope = "·".join(p for p in parts if p) or "全部"
    return PaymentList(title=f"专精特新奖补资金拨付清单（{scope}）", rows=rows if limit is None else list(rows),
                       batch=batch, city_code=city_code, **_payment_figures(qs))


def payment_page(*, user: User, batch_id: int | None = None, city_code: str = "",
                 page: str | int = 1) -> PaymentList:
    """One page (``PAYMENTS_PER_PAGE`` lines) of a payment list with the figures of the whole list; a page
    number that is no number, or past the end, gives the first or the last page."""
    lines = Paginator(_payment_lines(user, batch_id, city_code), PAYMENTS_PER_PAGE).get_page(page)
    offset = max(lines.start_index() - 1, 0)
    data = payment_list(user=user, batch_id=batch_id, city_code=city_code, offset=offset, limit=PAYMENTS_PER_PAGE)
    data.page = lines
    return data


def _payment_lines(user: User, batch_id: int | None, city_code: str) -> QuerySet[LedgerEntry]:
    qs = access.visible_ledger(user).order_by("id")
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    return qs.filter(city_code=city_code) if city_code else qs


def _payment_figures(qs: QuerySet[LedgerEntry]) -> dict[str, Any]:
    """Count, net total, enterprises and each funding source's share of all the lines of ``qs``."""
    figures = qs.aggregate(count=Count("id"), total=Sum("amount"), enterprises=Count("enterprise", distinct=True))
    shares = dict(qs.order_by().values_list("funding_level").annotate(s=Sum("amount")))
    by_level = {level: shares[level] for level in FundingLevel.values if level in shares}
    return {"count": figures["count"], "total": figures["total"] or Decimal(0),
            "enterprises": figures["enterprises"], "by_level": by_level}


# A payment list's line: key → the ledger field it is read from. Read as plain values: a province's whole
# list is 50,000 lines, and making each line's ledger, enterprise, award and batch objects took longer than
# the query (docs/benchmarks.md, 拨付清单).
LINE_FIELDS = {
    "id": "id", "at": "created_at", "kind_code": "kind", "credit_code": "enterprise__credit_code",
    "enterprise": "enterprise__name", "city_code": "city_code", "award": "entitlement__award_label",
    "clause": "clause", "amount": "amount", "funding_level": "funding_level", "budget_year": "budget_year",
    "budget_line": "budget_line", "account_name": "account_name", "bank_name": "bank_name",
    "account_no": "account_no", "batch": "batch__title", "reason": "reason", "entitlement_id": "entitlement_id",
}
KIND_LABELS = dict(LedgerEntry.Kind.choices)


def _payment_row(user: User, line: tuple[Any, ...]) -> dict[str, Any]:
    row = dict(zip(LINE_FIELDS, line, strict=True))
    row["kind"], row["city"] = KIND_LABELS[row["kind_code"]], city_label(row["city_code"])
    row["batch"] = row["batch"] or ""
    # The workbook and the API carry the number as the page shows it (whole for the province only).
    row["account_no"] = row["account_shown"] = account_shown(user, row["account_no"])
    return row


def _place(user: User, city_code: str) -> str:
    """The place a list covers: a county user's list is its county's (合肥市蜀山区), not the whole city's."""
    if not city_code:
        return ""
    county = user.county_code if user.role == Role.CITY else ""
    return city_label(city_code) + (regions.county_name(county) if county else "")


def entitlements_by_event(enterprise: Any) -> dict[tuple[str, Any, str], Entitlement]:
    """The enterprise's entitlements by (event kind, event date, award): where each award the policy engine
    computes for it stands in the ledger (the 政策计算器 reads it; it decides itself who may see it)."""
    found = Entitlement.objects.filter(enterprise=enterprise).select_related("event")
    return {(x.event.kind, x.event.date, x.award): x for x in found}
