"""Keep the list entries (enterprises_listentry) equal to the registry rows they copy.

The registry table carries only its key and unique code, so that a province-wide import writes at
close to COPY speed; the list's filter and name-search indexes live on the list entries, which are
refreshed from the registry by one upsert statement:

- Enterprise.save() refreshes its own entry (forms, API, admin, the recognition workflow's tier);
- an import refreshes the rows it staged in the same transaction when they are few, otherwise right
  after its commit in a follow-up task (ImportJob.listing_pending shows it on the pages);
- the demo generator rebuilds all entries in bulk.

An entry whose values already match is left alone, so refreshing twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection

TABLE = "enterprises_listentry"
COPIED = ("credit_code", "name", "city_code", "county_code", "industry_code", "industry_division",
          "emerging_industry", "tier", "size_class")
INLINE_LIMIT = 50_000  # an import touching more rows refreshes its entries after the commit


def refresh_where(condition: str, params: Sequence[Any] = ()) -> int:
    """Upsert the entries of the registry rows `e` that meet `condition`; returns the rows written."""
    columns = ", ".join(COPIED)
    selected = ", ".join(f"e.{c}" for c in COPIED)
    assignments = ", ".join(f"{c} = excluded.{c}" for c in COPIED)
    current = ", ".join(f"{TABLE}.{c}" for c in COPIED)
    incoming = ", ".join(f"excluded.{c}" for c in COPIED)
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    sql = (f"INSERT INTO {TABLE} (id, {columns}) SELECT e.id, {selected} FROM enterprises_enterprise e "
           f"WHERE {condition} ON CONFLICT (id) DO UPDATE SET {assignments} "
           f"WHERE ({current}) {differs} ({incoming})")
    with connection.cursor() as cur:
        cur.execute(sql, list(params))
        return max(cur.rowcount, 0)


def refresh_one(enterprise_id: int) -> int:
    return refresh_where("e.id = %s", [enterprise_id])


def refresh_staged(stage: str, key: str = "credit_code", since: datetime | None = None) -> int:
    """The entries of the registry rows whose `key` is in a temporary stage table; with `since`, only
    those written at or after it (an import leaves unchanged rows alone, and so does this)."""
    if since is None:
        return refresh_where(f"e.{key} IN (SELECT {key} FROM {stage})")
    return refresh_where(f"e.updated_at >= %s AND e.{key} IN (SELECT {key} FROM {stage})", [since])


Places = dict[str, dict[str, int]]


def places_staged(stage: str, since: datetime) -> list[tuple[str, str, int]]:
    """(city, county, how many) of the registry rows whose code is in `stage`, written at or after `since`."""
    with connection.cursor() as cur:
        cur.execute("SELECT city_code, county_code, count(*) FROM enterprises_enterprise e "
                    f"WHERE e.updated_at >= %s AND e.credit_code IN (SELECT credit_code FROM {stage}) "
                    "GROUP BY city_code, county_code", [since])
        return [(city, county, int(count)) for city, county, count in cur.fetchall()]


def count_places(rows: Iterable[tuple[str, str, int]]) -> Places:
    """(city, county, how many) rows as {"cities": {code: n}, "counties": {code: n}}."""
    places: Places = {"cities": {}, "counties": {}}
    for city, county, count in rows:
        places["cities"][city] = places["cities"].get(city, 0) + count
        if county:
            places["counties"][county] = places["counties"].get(county, 0) + count
    return places


def refresh_changed_since(moment: datetime) -> int:
    """The entries of every registry row created or updated at or after `moment` (a large import's rows)."""
    return refresh_where("e.updated_at >= %s", [moment])


def refresh_all() -> int:
    return refresh_where("true")


def missing_or_stale() -> int:
    """How many registry rows have no entry or a differing one (0 when the list is current)."""
    on = " AND ".join(f"l.{c} = e.{c}" for c in COPIED)
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM enterprises_enterprise e LEFT JOIN {TABLE} l ON l.id = e.id AND {on} "
                    "WHERE l.id IS NULL")
        return int(cur.fetchone()[0])
