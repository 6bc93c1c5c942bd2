"""The only bridge between the database and the engine: registry rows → Polars frames.

PostgreSQL streams each query with COPY … TO STDOUT (CSV), which moves millions of rows in seconds;
SQLite (the demo database) goes through the cursor.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import polars as pl
from django.db import connection, transaction

from zjtx.policy.engine.schema import DTYPES, ENTERPRISE_COLUMNS, EVENT_COLUMNS, INDICATOR_COLUMNS, Column

# Registry tier → engine tier (the engine uses the national name 专精特新中小企业 for 省专精特新).
TIER_TO_ENGINE = {"": "none", "innovative": "innovative", "provincial": "srdi",
                  "provincial_champion": "provincial_champion", "little_giant": "little_giant",
                  "single_champion": "single_champion"}

ENTERPRISE_SQL = (
    "SELECT credit_code, city_code, NULLIF(county_code, '') AS county_code, industry_division AS industry_code, "
    "NULLIF(emerging_industry, '') AS emerging_industry, founded_on, tier AS current_tier, f.data AS facts "
    "FROM enterprises_enterprise e LEFT JOIN policy_enterprisefacts f ON f.enterprise_id = e.id"
)
REGISTRY_COLUMNS = ENTERPRISE_COLUMNS[:7]
FACT_COLUMNS = ENTERPRISE_COLUMNS[7:]
INDICATOR_VALUES = (
    "i.revenue, i.main_revenue, i.rd_expense, i.employees, i.rd_staff, i.net_profit, "
    "i.total_assets, i.total_liabilities, i.ip_i_count, i.market_share, i.financing, i.export"
)
INDICATOR_SQL = (
    f"SELECT e.credit_code, i.year, {INDICATOR_VALUES} "
    "FROM enterprises_indicator i JOIN enterprises_enterprise e ON e.id = i.enterprise_id"
)
EVENT_SQL = (
    "SELECT e.credit_code, v.kind, v.date, NULLIF(v.grade, '') AS grade, v.amount, v.rank "
    "FROM policy_programmeevent v JOIN enterprises_enterprise e ON e.id = v.enterprise_id"
)


def registry_frames(
    codes: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(enterprises, indicators, events) of the whole registry, or of the given credit codes.

    With ``years`` (the years the rules read), the indicators are exactly one row per enterprise and
    year, missing ones as empty rows, ordered by year and then as the enterprises: the export
    order the engine takes without a join (``inputs.aligned_indicators``).  Without, every
    indicator row, in no particular order."""
    where, params = _where(codes)
    schema = {**_schema(REGISTRY_COLUMNS), "facts": pl.String()}
    indicator_schema = _schema(INDICATOR_COLUMNS, money=pl.Float64())
    with _snapshot():
        enterprises = _query(f"{ENTERPRISE_SQL}{where} ORDER BY e.credit_code", params, schema)
        enterprises = _with_facts(enterprises).with_columns(
            pl.col("current_tier").replace_strict(TIER_TO_ENGINE, default="none"))
        if years:
            indicators = _query(_yearly_sql(years, where), params, indicator_schema)
        else:
            indicators = _query(INDICATOR_SQL + where, params, indicator_schema)
        events = _query(EVENT_SQL + where, params, _schema(EVENT_COLUMNS, money=pl.Float64()))
    return enterprises, indicators, events


@contextmanager
def _snapshot() -> Iterator[None]:
    """The three queries read one snapshot of the registry, so an import committing between them
    cannot give indicators or events of enterprises the first query did not see.  PostgreSQL needs
    REPEATABLE READ for that, set as the transaction's first statement (so only when no transaction
    is open yet: inside one, e.g. a test, the caller's isolation stands); SQLite's read transaction
    is one snapshot already."""
    outer = connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _yearly_sql(years: Sequence[int], where: str) -> str:
    wanted = " UNION ALL ".join(f"SELECT {int(year)} AS year" for year in years)
    return (
        f"SELECT e.credit_code, y.year, {INDICATOR_VALUES} FROM enterprises_enterprise e CROSS JOIN ({wanted}) y "
        f"LEFT JOIN enterprises_indicator i ON i.enterprise_id = e.id AND i.year = y.year"
        f"{where} ORDER BY y.year, e.credit_code"
    )


def _with_facts(frame: pl.DataFrame) -> pl.DataFrame:
    """Spread the JSON facts into the engine's optional columns (absent facts stay null: 数据不足)."""
    struct = pl.Struct({c.name: (pl.Float64() if c.kind == "money" else DTYPES[c.kind]) for c in FACT_COLUMNS})
    facts = frame["facts"].str.json_decode(struct).struct.unnest()
    return pl.concat([frame.drop("facts"), facts], how="horizontal")


def _where(codes: Sequence[str] | None) -> tuple[str, list[str]]:
    if codes is None:
        return "", []
    if not codes:
        return " WHERE 1 = 0", []
    return f" WHERE e.credit_code IN ({', '.join(['%s'] * len(codes))})", list(codes)


def _schema(columns: Sequence[Column], money: pl.DataType | None = None) -> dict[str, pl.DataType]:
    return {c.name: (money if money is not None and c.kind == "money" else DTYPES[c.kind]) for c in columns}


def _query(sql: str, params: list[str], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            query = cur.cursor.mogrify(sql, params) if params else sql
            with cur.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            buffer.seek(0)
            return pl.read_csv(buffer, schema=schema)
        cur.execute(sql, params)
        return pl.DataFrame(cur.fetchall(), schema=schema, orient="row")
