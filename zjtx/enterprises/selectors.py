"""Reads of the enterprise registry: filtered lists with keyset pages, detail, history."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, Lookup

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import reference, regions
from zjtx.core.audit import VISIBILITY_FIELDS, Describer, describers_for, visible_to
from zjtx.core.models import AuditEvent
from zjtx.enterprises import access, industries, listing
from zjtx.enterprises.models import Enterprise, ImportJob, Indicator, ListEntry, SizeClass, Tier

PAGE_SIZE = 50
COUNT_CAP = 10_000  # beyond this the list says "10,000+" instead of counting millions of rows


@dataclass(frozen=True)
class Filters:
    """The list's filters. tier and size: None for any, "" for 未入库 / 未划型 (the empty choice)."""

    q: str = ""
    city: str = ""
    county: str = ""
    industry: str = ""
    tier: str | None = None
    size: str | None = None
    emerging: str = ""
    industry_error: str = ""  # the typed code was not an industry code: said on the page, not applied
    choice_errors: tuple[str, ...] = ()  # values the page does not offer (an old or edited link): not applied

    @classmethod
    def from_params(cls, params: Any, places: access.Places | None = None) -> Filters:
        """The filters of a list address; `places`: the cities and counties the user's form offers."""
        def get(name: str) -> str:
            return str(params.get(name, "") or "").strip()[:100]

        city, county = get("city"), get("county")
        if city and county and regions.county_city_map().get(county) != city:
            county = ""  # left over from the city chosen before: it would silently empty the list
        industry, industry_error = industry_prefix(get("industry"))
        filters = cls(q=get("q"), city=city, county=county, industry=industry, industry_error=industry_error,
                      tier=params.get("tier") if "tier" in params and params.get("tier") != "all" else None,
                      size=params.get("size") if "size" in params and params.get("size") != "all" else None,
                      emerging=get("emerging"))
        return filters.without_unoffered(places or access.Places())

    def without_unoffered(self, places: access.Places) -> Filters:
        """These filters less the values the user's filter form does not offer (an old or edited link, which
        would otherwise empty the list without a word), each named in choice_errors."""
        offered = _offered(places)
        refused = [name for name in FILTER_LABELS if (value := getattr(self, name)) and value not in offered[name]]
        cleared: dict[str, Any] = {name: None if name in ("tier", "size") else "" for name in refused}
        return replace(self, choice_errors=tuple(f"{FILTER_LABELS[n]}“{getattr(self, n)}”不是可选项" for n in refused),
                       **cleared)

    def describe(self) -> list[str]:
        """The filters in Chinese, for an export's title (e.g. 蜀山区、省专精特新企业)."""
        parts = [f"名称或代码含“{self.q}”" if self.q else "",
                 regions.city_name(self.city) if regions.is_city(self.city) else "",
                 regions.county_name(self.county) if self.county in regions.county_city_map() else "",
                 f"行业{self.industry}" if self.industry else "",
                 dict(Tier.choices).get(self.tier, "") if self.tier is not None else "",
                 dict(SizeClass.choices).get(self.size, "") if self.size is not None else "",
                 dict(reference.EMERGING_INDUSTRIES).get(self.emerging, "")]
        return [p for p in parts if p]

    def apply(self, qs: QuerySet[ListEntry]) -> QuerySet[ListEntry]:
        if self.q:
            qs = _search(qs, self.q)
        if self.city:
            qs = qs.filter(city_code=self.city)
        if self.county:
            qs = qs.filter(county_code=self.county)
        if self.industry:
            # 2 digits: 大类; 3: 中类, the 小类 codes it begins (the division narrows through its index); 4: 小类.
            qs = qs.filter(industry_division=self.industry[:2])
            if len(self.industry) > 2:
                qs = qs.filter(industry_code__startswith=self.industry)
        # None means any; "" is a choice of its own (未入库, 未划型).
        if self.tier is not None:
            qs = qs.filter(tier=self.tier)
        if self.size is not None:
            qs = qs.filter(size_class=self.size)
        if self.emerging:
            qs = qs.filter(emerging_industry=self.emerging)
        return qs


FILTER_LABELS = {"city": "所在市", "county": "县（区）", "emerging": "十大新兴产业", "tier": "梯度层级",
                 "size": "企业规模"}


def _offered(places: access.Places) -> dict[str, Collection[str]]:
    """The values each chosen filter may take: what the filter form offers the user."""
    return {"city": places.cities if places.cities is not None else dict(regions.CITIES),
            "county": places.counties if places.counties is not None else regions.county_city_map(),
            "emerging": dict(reference.EMERGING_INDUSTRIES), "tier": Tier.values, "size": SizeClass.values}


CODE_SHAPE = re.compile(r"^[0-9A-Z]{18}$")
INDUSTRY_SHAPE = re.compile(r"^[A-T]?([0-9]{2,4})$")


def industry_prefix(text: str) -> tuple[str, str]:
    """What was typed in 行业代码 → (digits to match as a prefix, "") or ("", Chinese reason).
    Accepts the 2-digit 大类, 3-digit 中类 and 4-digit 小类 of GB/T 4754, also written with the
    门类 letter (C38) or in full-width digits."""
    if not text:
        return "", ""
    match = INDUSTRY_SHAPE.match(unicodedata.normalize("NFKC", text).upper().replace(" ", ""))
    if match and industries.is_valid_industry_code(match.group(1)[:2]):
        return match.group(1), ""
    return "", (f"行业代码“{text}”不是有效的国民经济行业代码：请填写 GB/T 4754 的2位大类、3位中类或"
                "4位小类代码，如 35、386、3562（可带门类字母，如 C38）")


def _search(qs: QuerySet[ListEntry], q: str) -> QuerySet[ListEntry]:
    """An 18-character code looks up the code; anything else searches names.

    The code is found through the registry's unique index. On PostgreSQL the name search first narrows
    by the GIN index of the name's two-character pieces (migrations 0004 and 0006), which also serves
    the two-character 字号 that trigram indexes cannot.
    """
    code = q.upper().replace(" ", "")
    if CODE_SHAPE.match(code):
        return qs.filter(pk__in=Enterprise.objects.filter(credit_code=code).values("pk"))
    if connection.vendor == "postgresql" and len(q) >= 2:
        grams = sorted({q[i:i + 2] for i in range(len(q) - 1)})
        qs = qs.extra(where=["name_grams @> %s::text[]"], params=[grams])  # fixed SQL text, bound parameters
    return qs.filter(name__contains=q)


def by_name_or_code(qs: QuerySet[Any], q: str, prefix: str = "enterprise__") -> QuerySet[Any]:
    """Rows of other apps (through ``prefix``) whose enterprise's name contains ``q`` or whose credit code is ``q``:
    the search box of their lists."""
    if not q:
        return qs
    return qs.filter(Q(**{f"{prefix}name__contains": q}) | Q(**{f"{prefix}credit_code": q.upper()}))


@dataclass
class Page:
    rows: list[ListEntry]
    count: int
    capped: bool
    next_cursor: int | None
    prev_cursor: int | None
    reset: bool = False  # the cursor pointed past the data (an old or hand-typed link): first page shown


def list_entries(*, user: User, filters: Filters) -> QuerySet[ListEntry]:
    return filters.apply(access.visible_list_entries(user))


def enterprise_list(*, user: User, filters: Filters) -> QuerySet[Enterprise]:
    """The registry rows of a filtered list (for exports), selected through the list's indexes."""
    return Enterprise.objects.filter(pk__in=list_entries(user=user, filters=filters).values("pk"))


def enterprise_page(*, user: User, filters: Filters, before: int | None = None, after: int | None = None,
                    size: int = PAGE_SIZE, restart: bool = False) -> Page:
    """Newest first, `size` rows, keyed on id so that page 40,000 costs what page 1 costs. With `restart`
    (pages, not the API, whose clients would loop), a cursor past the data gives the first page."""
    qs = list_entries(user=user, filters=filters)
    page = _keyset_page(qs, before=before, after=after, size=size)
    if not restart or page.rows or not page.count or (before is None and after is None):
        return page
    first = _keyset_page(qs, before=None, after=None, size=size)
    first.reset = True
    return first


def _keyset_page(qs: QuerySet[ListEntry], *, before: int | None, after: int | None, size: int) -> Page:
    if after is not None:
        rows = list(_in_index_order(qs.filter(pk__gt=after), descending=False)[: size + 1])[::-1]
        has_newer, rows = len(rows) > size, rows[-size:]
        has_older = qs.filter(pk__lt=rows[-1].pk).exists() if rows else False
    else:
        window = qs.filter(pk__lt=before) if before is not None else qs
        rows = list(_in_index_order(window, descending=True)[: size + 1])
        has_older, rows = len(rows) > size, rows[:size]
        has_newer = before is not None and bool(rows) and qs.filter(pk__gt=rows[0].pk).exists()
    count = qs[: COUNT_CAP + 1].count()
    return Page(rows=rows, count=min(count, COUNT_CAP), capped=count > COUNT_CAP,
                next_cursor=rows[-1].pk if has_older and rows else None,
                prev_cursor=rows[0].pk if has_newer and rows else None)


# The list's (filter …, id) indexes, the most specific first (ListEntry.Meta.indexes).
KEYSET_INDEXES = (("city_code", "tier"), ("city_code", "size_class"), ("city_code", "industry_division"),
                  ("city_code", "emerging_industry"), ("county_code",), ("city_code",), ("tier",), ("size_class",),
                  ("industry_division",), ("emerging_industry",))


def _in_index_order(qs: QuerySet[ListEntry], *, descending: bool) -> QuerySet[ListEntry]:
    """Order a page newest first (or oldest first) so that PostgreSQL walks the filters' own index.

    Ordered by id alone, the planner may walk the primary key and filter, expecting the matches to be spread
    evenly over the ids. They are not after a large import: its rows take consecutive ids in file (code, so
    city) order, and 合肥's page walked 146,764 other cities' entries of a 200,000-row import
    (docs/benchmarks-registry.md). An equality makes its column drop out of ORDER BY, so the index's last
    filter column is written as a one-value range instead: only the (filter …, id) index then gives the order.
    A name search keeps its own plan (the name-piece index, then a sort of the few matches)."""
    qs = qs.all()  # a clone, whose conditions may be edited
    lookups = _lookups_by_column(qs)
    equal = {column: {node.rhs for node in nodes} for column, nodes in lookups.items()
             if all(isinstance(node, Exact) and isinstance(node.rhs, str) for node in nodes)}
    columns = next((c for c in KEYSET_INDEXES if all(len(equal.get(name, ())) == 1 for name in c)), ())
    sign = "-" if descending else ""
    if not columns or "name" in lookups:
        return qs.order_by(f"{sign}pk")
    last = columns[-1]
    for node in lookups[last]:  # the scope's and the filter's alike (a city user choosing its own city)
        qs.query.where.children.remove(node)  # type: ignore[arg-type]
    (value,) = equal[last]
    return qs.filter(**{f"{last}__range": (value, value)}).order_by(*(f"{sign}{c}" for c in columns), f"{sign}pk")


def _lookups_by_column(qs: QuerySet[ListEntry]) -> dict[str, list[Lookup[Any]]]:
    """column → its conditions, among the top-level conditions on the list entry's own columns."""
    table = ListEntry._meta.db_table
    found: dict[str, list[Lookup[Any]]] = {}
    for node in qs.query.where.children:
        if isinstance(node, Lookup) and isinstance(node.lhs, Col) and node.lhs.alias == table:
            found.setdefault(node.lhs.target.column, []).append(node)
    return found


def registry_rows(entries: list[ListEntry]) -> list[Enterprise]:
    """The registry rows of a page of list entries, in the page's order."""
    found = Enterprise.objects.in_bulk([e.pk for e in entries])
    return [found[e.pk] for e in entries if e.pk in found]


@dataclass(frozen=True)
class PendingRefresh:
    """A large import whose rows are committed but not yet in the list, as one user's list tells of it."""

    job: ImportJob
    rows: int  # its rows within the user's sight
    named: bool  # the user may follow the job (its own, or one the import pages show it)


def pending_list_refreshes(user: User) -> list[PendingRefresh]:
    """The pending large imports with rows in `user`'s sight, and the user's own: another city's import is
    none of its business (and would tell of that city's work). An officer or enterprise, who imports nothing,
    is told of its own rows the list does not show as stored yet, whichever import wrote them."""
    jobs = list(ImportJob.objects.filter(listing_pending=True).select_related("created_by").order_by("created_at"))
    if not jobs:
        return []
    if user.role not in (Role.PROVINCE, Role.DEPARTMENT, Role.CITY):
        rows = _unlisted_in_sight(user)
        return [PendingRefresh(job=jobs[-1], rows=rows, named=False)] if rows else []
    followed = set(access.visible_import_jobs(user).filter(pk__in=[j.pk for j in jobs]).values_list("pk", flat=True))
    found = []
    for job in jobs:
        rows, own = _rows_in_sight(user, job), job.created_by_id == user.pk
        if rows or own:
            found.append(PendingRefresh(job=job, rows=rows, named=own or job.pk in followed))
    return found


def _rows_in_sight(user: User, job: ImportJob) -> int:
    """How many of the job's pending rows lie in a province, department or city user's area."""
    places = job.listing_places or {}
    if user.role == Role.CITY:
        kind, code = ("counties", user.county_code) if user.county_code else ("cities", user.city_code)
        return int((places.get(kind) or {}).get(code, 0))
    return sum((places.get("cities") or {}).values())


def _unlisted_in_sight(user: User) -> int:
    """The user's few enterprises whose list entry is missing or differs from the registry row."""
    current = ListEntry.objects.filter(pk=OuterRef("pk"), **{name: OuterRef(name) for name in listing.COPIED})
    return access.visible_enterprises(user).filter(~Exists(current)).count()


def enterprise_indicators(*, enterprise: Enterprise) -> list[Indicator]:
    return list(Indicator.objects.filter(enterprise=enterprise).order_by("year"))


HISTORY_PAGE_SIZE = 20


def enterprise_history(*, enterprise: Enterprise, user: User, limit: int = 200) -> list[AuditEvent]:
    """The newest `limit` audit events of the enterprise that ``user`` may read, each with ``changes``."""
    return _described(_visible_history(enterprise, user)[:limit])


def history_page(*, enterprise: Enterprise, user: User, number: Any = 1) -> DjangoPage:
    """One page of the enterprise's change history, newest first (a number past the end gives the oldest
    page, anything else the newest). Counted and paged after the visibility rules, so that a user's pages
    hold only what it may read; only the page's events are read whole and described."""
    page = Paginator(_visible_history(enterprise, user), HISTORY_PAGE_SIZE).get_page(number)
    page.object_list = _described(list(page.object_list))
    return page


def _visible_history(enterprise: Enterprise, user: User) -> list[AuditEvent]:
    """Audit events of the enterprise that ``user`` may read (``core.audit.visible_to``: each app hides its
    confidential records), newest first; only the fields the rules read (not the stored values)."""
    found = (AuditEvent.objects.filter(enterprise_code=enterprise.credit_code).order_by("-at", "-id")
             .only(*VISIBILITY_FIELDS))
    return [event for event in found.iterator(chunk_size=2000) if visible_to(user, event)]


def _described(shown: list[AuditEvent]) -> list[AuditEvent]:
    """The ``shown`` events read whole, in the same order, each with ``changes``: (label, before, after) as
    people read them (Chinese labels and choice names; a withdrawn record's values go to 空). What the
    events name is read once for them all (``core.audit.describers_for``)."""
    whole = AuditEvent.objects.in_bulk([event.pk for event in shown])
    events = [whole[event.pk] for event in shown if event.pk in whole]
    describers = describers_for(events)
    for event in events:
        event.changes = _changes(event, describers[event.target_type])  # type: ignore[attr-defined]
    return events


def _changes(event: AuditEvent, describe: Describer) -> list[tuple[str, str | None, str | None]]:
    before, after = event.before or {}, event.after or {}
    keys = [*after, *(k for k in before if k not in after)]
    changes = []
    for key in keys:
        label, old = describe(key, before.get(key))
        new = describe(key, after.get(key))[1]
        if old != new:
            changes.append((label, old, new))
    return changes
