"""Reads of the enterprise registry: filtered lists with keyset pages, detail, history."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import QuerySet

from zjtx.accounts.models import User
from zjtx.core.audit import field_label
from zjtx.core.models import AuditEvent
from zjtx.enterprises import access
from zjtx.enterprises.models import Enterprise, Indicator

PAGE_SIZE = 50
COUNT_CAP = 10_000  # beyond this the list says "10,000+" instead of counting millions of rows


@dataclass(frozen=True)
class Filters:
    q: str = ""
    city: str = ""
    county: str = ""
    industry: str = ""
    tier: str | None = None
    size: str | None = None
    emerging: str = ""

    @classmethod
    def from_params(cls, params: Any) -> Filters:
        def get(name: str) -> str:
            return str(params.get(name, "") or "").strip()[:100]

        return cls(q=get("q"), city=get("city"), county=get("county"), industry=get("industry"),
                   tier=params.get("tier") if "tier" in params and params.get("tier") != "all" else None,
                   size=params.get("size") if "size" in params and params.get("size") != "all" else None,
                   emerging=get("emerging"))

    def apply(self, qs: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
        if self.q:
            qs = _search(qs, self.q)
        if self.city:
            qs = qs.filter(city_code=self.city)
        if self.county:
            qs = qs.filter(county_code=self.county)
        if self.industry:
            field = "industry_division" if len(self.industry) == 2 else "industry_code"
            qs = qs.filter(**{field: self.industry})
        if self.tier is not None and self.tier != "":
            qs = qs.filter(tier=self.tier)
        if self.size is not None and self.size != "":
            qs = qs.filter(size_class=self.size)
        if self.emerging:
            qs = qs.filter(emerging_industry=self.emerging)
        return qs


CODE_SHAPE = re.compile(r"^[0-9A-Z]{18}$")


def _search(qs: QuerySet[Enterprise], q: str) -> QuerySet[Enterprise]:
    """An 18-character code looks up the code; anything else searches names.

    On PostgreSQL the name search first narrows by the GIN index of the name's two-character pieces
    (migration 0003), which also serves the two-character 字号 that trigram indexes cannot.
    """
    code = q.upper().replace(" ", "")
    if CODE_SHAPE.match(code):
        return qs.filter(credit_code=code)
    if connection.vendor == "postgresql" and len(q) >= 2:
        grams = sorted({q[i:i + 2] for i in range(len(q) - 1)})
        qs = qs.extra(where=["name_grams @> %s::text[]"], params=[grams])  # fixed SQL text, bound parameters
    return qs.filter(name__contains=q)


@dataclass
class Page:
    rows: list[Enterprise]
    count: int
    capped: bool
    next_cursor: int | None
    prev_cursor: int | None


def enterprise_list(*, user: User, filters: Filters) -> QuerySet[Enterprise]:
    return filters.apply(access.visible_enterprises(user))


def enterprise_page(*, user: User, filters: Filters, before: int | None = None, after: int | None = None,
                    size: int = PAGE_SIZE) -> Page:
    """Newest first, `size` rows, keyed on id so that page 40,000 costs what page 1 costs."""
    qs = enterprise_list(user=user, filters=filters)
    if after is not None:
        rows = list(qs.filter(id__gt=after).order_by("id")[: size + 1])[::-1]
        has_newer, rows = len(rows) > size, rows[-size:]
        has_older = qs.filter(id__lt=rows[-1].id).exists() if rows else False
    else:
        window = qs.filter(id__lt=before) if before is not None else qs
        rows = list(window.order_by("-id")[: size + 1])
        has_older, rows = len(rows) > size, rows[:size]
        has_newer = before is not None and bool(rows) and qs.filter(id__gt=rows[0].id).exists()
    count = qs[: COUNT_CAP + 1].count()
    return Page(rows=rows, count=min(count, COUNT_CAP), capped=count > COUNT_CAP,
                next_cursor=rows[-1].id if has_older and rows else None,
                prev_cursor=rows[0].id if has_newer and rows else None)


def enterprise_indicators(*, enterprise: Enterprise) -> list[Indicator]:
    return list(Indicator.objects.filter(enterprise=enterprise).order_by("year"))


def enterprise_history(*, enterprise: Enterprise, limit: int = 200) -> list[AuditEvent]:
    """Audit events of the enterprise, newest first, each with `changes`: (field label, before, after)."""
    events = list(AuditEvent.objects.filter(enterprise_code=enterprise.credit_code).order_by("-at", "-id")[:limit])
    for event in events:
        before, after = event.before or {}, event.after or {}
        event.changes = [(_label(k), before.get(k), v) for k, v in after.items()]  # type: ignore[attr-defined]
    return events


def _label(field: str) -> str:
    for model in (Enterprise, Indicator):
        try:
            return field_label(model, field)
        except FieldDoesNotExist:
            continue
    return field
