"""Write validated rows in one transaction.

Enterprises: the file's codes are staged and joined to the registry; new rows are written straight
into the registry table (COPY, the fastest way in), rows whose code exists are staged in a temporary
table and updated with SQL. Indicators are staged and upserted. PostgreSQL writes with COPY; SQLite
(the embedded demo database) with executemany. Rows that equal what is stored are left alone, so
importing the same file twice changes nothing the second time. Updated rows get one audit record each
(before and after) written by one SQL statement, and so do new indicator years (their values) as they are
inserted; new enterprises are recorded through their ImportJob.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection

STAGE = "zjtx_import_stage"
KEYS_STAGE = "zjtx_import_keys"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Target:
    table: str
    key: tuple[str, ...]  # columns that identify a row
    target_type: str  # for audit records
    what: str  # SQL naming a staged row `s` in an audit summary, as the form's records name it
    code: str  # SQL giving a staged row's credit code, so the record shows in that enterprise's history


ENTERPRISE_TARGET = Target("enterprises_enterprise", ("credit_code",), "enterprise", "'企业信息'", "s.credit_code")
INDICATOR_TARGET = Target("enterprises_indicator", ("enterprise_id", "year"), "indicator",
                          "CAST(s.year AS varchar) || '年度指标'",
                          "(SELECT credit_code FROM enterprises_enterprise WHERE id = s.enterprise_id)")

SQL_TYPES = {
    pl.String: "varchar(200)",
    pl.Int64: "bigint",
    pl.Int32: "integer",
    pl.Date: "date",
}


def stage(frame: pl.DataFrame, table: str = STAGE) -> None:
    """Create the temporary stage table shaped like `frame` and fill it."""
    columns = ", ".join(f"{name} {_sql_type(dtype)}" for name, dtype in frame.schema.items())
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        suffix = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
        cur.execute(f"CREATE TEMPORARY TABLE {table} ({columns}){suffix}")
        write_rows(table, frame)
        if connection.vendor == "postgresql":
            # Without statistics the planner takes the temporary table for tiny and may pick nested loops.
            cur.execute(f"ANALYZE {table}")


def write_rows(table: str, frame: pl.DataFrame) -> None:
    """Append `frame` to `table` as it is: COPY on PostgreSQL, executemany on SQLite."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            _copy(cur, table, frame)
        else:
            _insert_many(cur, table, frame)


def existing_keys(codes: pl.Series) -> pl.Series:
    """Which of `codes` the registry already holds. The codes go to their own temporary table
    (KEYS_STAGE, kept until commit for the list refresh) and are joined on the unique index."""
    stage(codes.to_frame("credit_code"), KEYS_STAGE)
    with connection.cursor() as cur:
        cur.execute(f"SELECT t.credit_code FROM {KEYS_STAGE} s JOIN enterprises_enterprise t "
                    "ON t.credit_code = s.credit_code")
        return pl.Series("credit_code", [code for (code,) in cur.fetchall()], dtype=pl.String)


def _sql_type(dtype: Any) -> str:
    if isinstance(dtype, pl.Decimal):
        return f"numeric({dtype.precision}, {dtype.scale})"
    return SQL_TYPES.get(dtype.base_type(), "varchar(200)")


def _copy(cur: Any, table: str, frame: pl.DataFrame) -> None:
    # CSV: an unquoted empty field is NULL, a quoted "" the empty string, which is what Polars writes.
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="")
    names = ", ".join(frame.columns)
    with cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
        copy.write(buffer.getbuffer())


def _insert_many(cur: Any, table: str, frame: pl.DataFrame) -> None:
    as_text = frame.with_columns(pl.all().cast(pl.String))
    names = ", ".join(frame.columns)
    marks = ", ".join(["%s"] * frame.width)
    cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", as_text.rows())


def upsert(target: Target, fields: Sequence[str], *, actor_id: int | None, actor_label: str, summary: str,
           insert_extra: dict[str, str] | None, keep: dict[str, str] | None = None) -> Counts:
    """Apply the staged rows to `target`: audit and update changed rows, insert new ones (not when
    `insert_extra` is None: the caller staged only rows known to exist). `keep`: field → SQL value (of the
    stored row `t`) that a staged NULL in that field stands for, so that a blank cell keeps what is stored."""
    fields = [f for f in fields if f not in target.key]
    with connection.cursor() as cur:
        total = _scalar(cur, f"SELECT count(*) FROM {STAGE}")
        updated = 0
        if fields:
            cur.execute(_audit_sql(target, fields, keep), [actor_id, actor_label, summary])
            cur.execute(_update_sql(target, fields, keep))
            updated = cur.rowcount
        created = 0
        if insert_extra is not None:
            created = _insert_audited(cur, target, fields, insert_extra, [actor_id, actor_label, summary])
    return Counts(created=created, updated=updated, unchanged=total - created - updated)


def _scalar(cur: Any, sql: str, params: Sequence[Any] = ()) -> int:
    cur.execute(sql, params)
    return int(cur.fetchone()[0])


def _join(target: Target, alias: str) -> str:
    return " AND ".join(f"{alias}.{k} = s.{k}" for k in target.key)


def _new(field: str, keep: dict[str, str] | None) -> str:
    """The value the stored row gets: the staged one, or where it is NULL and the field keeps, the fallback."""
    return f"COALESCE(s.{field}, {keep[field]})" if keep and field in keep else f"s.{field}"


def _differs(fields: Sequence[str], keep: dict[str, str] | None) -> str:
    return "(" + " OR ".join(f"t.{f} IS DISTINCT FROM {_new(f, keep)}" for f in fields) + ")"


def json_object(fields: Sequence[str], values: Sequence[str]) -> str:
    fn = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    return f"{fn}(" + ", ".join(f"'{f}', {v}" for f, v in zip(fields, values, strict=True)) + ")"


def _now() -> str:
    # No '%' here: Django formats SQL that has parameters with the % operator.
    return "now()" if connection.vendor == "postgresql" else "datetime('now')"


def _audit_insert(action: str, target: Target, verb: str, before: str, after: str) -> str:
    """INSERT … SELECT of one audit record per row the statement's FROM yields (stage `s`, stored `t`);
    the summary reads as the form's (修改2024年度指标) and names the import, whose job is the parameter."""
    key = " || '/' || ".join(f"CAST(s.{k} AS varchar)" for k in target.key)
    return audit_select(action=action, target_type=target.target_type, target_id=key, code=target.code,
                        summary=f"'导入{verb}' || {target.what} || '（' || %s || '）'", before=before, after=after)


def audit_select(*, action: str, target_type: str, target_id: str, code: str, summary: str, before: str,
                 after: str, key: str | None = None) -> str:
    """The head of an INSERT … SELECT writing one audit record per row of the FROM clause the caller appends.
    Its parameters: actor id, actor label, then those of `summary`. The other arguments are SQL expressions;
    with `key`, `before` and `after` are plain values recorded as {key: value}."""
    if key is not None:
        before, after = json_object([key], [before]), json_object([key], [after])
    return (
        "INSERT INTO core_auditevent (at, actor_id, actor_label, action, target_type, target_id, enterprise_code, "
        f"summary, before, after) SELECT {_now()}, %s, %s, '{action}', '{target_type}', {target_id}, "
        f"{code}, {summary}, {before}, {after} "
    )


def _audit_sql(target: Target, fields: Sequence[str], keep: dict[str, str] | None = None) -> str:
    """Audit the stored rows the staged ones change: before and after of every field."""
    before = json_object(fields, [f"t.{f}" for f in fields])
    after = json_object(fields, [_new(f, keep) for f in fields])
    return (_audit_insert("import_update", target, "修改", before, after)
            + f"FROM {STAGE} s JOIN {target.table} t ON {_join(target, 't')} WHERE {_differs(fields, keep)}")


def _insert_audited(cur: Any, target: Target, fields: Sequence[str], extra: dict[str, str],
                    params: list[Any]) -> int:
    """Insert the new staged rows and audit each (their values, no before); returns how many.
    PostgreSQL audits the rows the insert returns, in the same statement. SQLite, which lets one writer
    at a time in, audits the rows above the highest id stored before the insert."""
    after = json_object(fields, [f"s.{f}" for f in fields])
    audit = _audit_insert("import_create", target, "新增", "NULL", after)
    keys = ", ".join(target.key)
    if connection.vendor == "postgresql":
        cur.execute(f"WITH n AS ({_insert_sql(target, fields, extra)} RETURNING {keys}) {audit}"
                    f"FROM n JOIN {STAGE} s ON {_join(target, 'n')}", params)
        return int(cur.rowcount)
    highest = _scalar(cur, f"SELECT coalesce(max(id), 0) FROM {target.table}")
    cur.execute(_insert_sql(target, fields, extra))
    created = int(cur.rowcount)
    cur.execute(f"{audit}FROM {target.table} t JOIN {STAGE} s ON {_join(target, 't')} WHERE t.id > %s",
                [*params, highest])
    return created


def _update_sql(target: Target, fields: Sequence[str], keep: dict[str, str] | None = None) -> str:
    assignments = ", ".join(f"{f} = {_new(f, keep)}" for f in fields)
    touch = ", updated_at = " + _now() if target is ENTERPRISE_TARGET else ""
    return (
        f"UPDATE {target.table} AS t SET {assignments}{touch} FROM {STAGE} s "
        f"WHERE {_join(target, 't')} AND {_differs(fields, keep)}"
    )


def _insert_sql(target: Target, fields: Sequence[str], extra: dict[str, str]) -> str:
    """Insert the staged rows whose key is new. ON CONFLICT on the key's unique index, not an anti-join:
    a NOT EXISTS planned as a nested loop over a freshly emptied table rescans it for every row."""
    columns = [*target.key, *fields]
    names = ", ".join([*columns, *extra])
    values = ", ".join([*(f"s.{c}" for c in columns), *extra.values()])
    # SQLite needs a WHERE clause before ON CONFLICT in INSERT … SELECT.
    return (
        f"INSERT INTO {target.table} ({names}) SELECT {values} FROM {STAGE} s WHERE true "
        f"ON CONFLICT ({', '.join(target.key)}) DO NOTHING"
    )
