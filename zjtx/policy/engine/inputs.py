"""Check the input frames against the contract and build the per-enterprise frame the rules read.

The rules work on one row per enterprise: the registry columns plus each yearly indicator for the
last three years, suffixed ``_y0`` (上年度), ``_y1`` and ``_y2``.  Money becomes integer 分.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from zjtx.policy.engine.schema import (
    DTYPES,
    ENTERPRISE_COLUMNS,
    EVENT_COLUMNS,
    INDICATOR_COLUMNS,
    MONEY_LIMIT_WAN,
    MONEY_SCALE,
    PRIOR_COLUMNS,
    TIER_RANK,
    UNUSED_INDICATORS,
    YEARLY,
    YEARS_BACK,
    Column,
    InputError,
)

FRAME_NAMES = {
    "enterprises": "企业表",
    "indicators": "年度指标表",
    "events": "事件表",
    "prior": "已享受奖补表",
}
MAX_EXAMPLES = 5


def prepare(frame: pl.DataFrame, columns: tuple[Column, ...], frame_name: str) -> pl.DataFrame:
    """Select the contract columns in canonical types; absent optional columns become nulls."""
    label = FRAME_NAMES[frame_name]
    missing = [c.name for c in columns if c.required and c.name not in frame.columns]
    if missing:
        raise InputError([f"{label}缺少必需列：{', '.join(missing)}"])
    exprs = [_canonical(frame, column, label) for column in columns]
    prepared = frame.select(exprs)
    _check_values(prepared, columns, label)
    return prepared


def _canonical(frame: pl.DataFrame, column: Column, label: str) -> pl.Expr:
    target = DTYPES[column.kind]
    if column.name not in frame.columns:
        return pl.lit(None, dtype=target).alias(column.name)
    source = frame.schema[column.name]
    expr = pl.col(column.name)
    if column.kind == "money":
        return _to_units(expr, source).alias(column.name)
    if column.kind == "str" and source != pl.String:
        return expr.cast(pl.String).alias(column.name)
    if source == target:
        return expr
    try:
        return expr.cast(target, strict=True).alias(column.name)
    except pl.exceptions.InvalidOperationError:
        raise InputError([f"{label}列 {column.name}（{column.label}）类型 {source} 无法转换"]) from None


def _to_units(expr: pl.Expr, source: pl.DataType) -> pl.Expr:
    """万元 → integer 分.  Decimals round half-even at 6 places; floats via x·10⁶ rounded half-even."""
    if isinstance(source, pl.Decimal):
        return (expr.cast(pl.Decimal(38, 6)) * MONEY_SCALE).cast(pl.Int64)
    if source.is_integer():
        return expr.cast(pl.Int64) * MONEY_SCALE
    if source.is_float() or source == pl.Null:
        return (expr.cast(pl.Float64) * MONEY_SCALE).round(0).cast(pl.Int64)
    raise InputError([f"金额列类型 {source} 不受支持（应为 Decimal 或数值，单位万元）"])


def _check_values(frame: pl.DataFrame, columns: tuple[Column, ...], label: str) -> None:
    checks: list[tuple[str, pl.Expr]] = []
    for column in columns:
        col = pl.col(column.name)
        if column.required and column.name in ("credit_code", "kind", "date", "award", "year"):
            checks.append((f"{column.name}（{column.label}）为空", col.is_null()))
        if column.allowed:
            checks.append(
                (
                    f"{column.name}（{column.label}）取值不在 {list(column.allowed)} 中",
                    col.is_not_null() & ~col.is_in(list(column.allowed)),
                )
            )
        if column.kind == "money":
            limit = MONEY_LIMIT_WAN * MONEY_SCALE
            negative_ok = column.name == "net_profit"
            bad = (col.abs() > limit) if negative_ok else ((col < 0) | (col > limit))
            checks.append((f"{column.name}（{column.label}）为负数或超过1万亿元", bad))
        elif column.kind == "int" and column.name != "year":
            checks.append((f"{column.name}（{column.label}）为负数", col < 0))
    if not checks or frame.height == 0:
        return
    flags = frame.select([expr.fill_null(False).any().alias(str(i)) for i, (_, expr) in enumerate(checks)])
    problems: list[str] = []
    for index, (message, expr) in enumerate(checks):
        if flags.item(0, str(index)):
            rows = frame.with_row_index("row").filter(expr.fill_null(False))["row"].head(MAX_EXAMPLES)
            problems.append(f"{label}第 {', '.join(str(r + 1) for r in rows)} 行：{message}")
    if problems:
        raise InputError(problems)


def prepare_enterprises(frame: pl.DataFrame) -> pl.DataFrame:
    prepared = prepare(frame, ENTERPRISE_COLUMNS, "enterprises")
    prepared = prepared.with_columns(pl.col("current_tier").fill_null("none"))
    _check_unique(prepared["credit_code"], "企业表 credit_code（统一社会信用代码）重复")
    return prepared


def prepare_indicators(frame: pl.DataFrame) -> pl.DataFrame:
    used = tuple(c for c in INDICATOR_COLUMNS if c.name not in UNUSED_INDICATORS)
    return prepare(frame, used, "indicators")


def prepare_events(frame: pl.DataFrame | None) -> pl.DataFrame:
    if frame is None:
        return pl.DataFrame(schema={c.name: DTYPES[c.kind] for c in EVENT_COLUMNS})
    return prepare(frame, EVENT_COLUMNS, "events")


def prepare_prior(frame: pl.DataFrame | None) -> pl.DataFrame:
    if frame is None:
        return pl.DataFrame(schema={c.name: DTYPES[c.kind] for c in PRIOR_COLUMNS})
    return prepare(frame, PRIOR_COLUMNS, "prior")


def _check_unique(codes: pl.Series, message: str) -> None:
    # A sorted column (the usual export order) is checked in one pass; otherwise hash.
    duplicated = (codes == codes.shift(1)).fill_null(False) if codes.is_sorted() else codes.is_duplicated()
    if duplicated.any():
        examples = codes.filter(duplicated).unique().head(MAX_EXAMPLES).to_list()
        raise InputError([f"{message}：{', '.join(examples)}"])


def yearly_name(name: str, back: int) -> str:
    return f"{name}_y{back}"


def build_base(enterprises: pl.DataFrame, indicators: pl.DataFrame, data_year: int) -> pl.DataFrame:
    """One row per enterprise with the last three years of indicators side by side."""
    years = list(range(data_year - YEARS_BACK + 1, data_year + 1))
    wanted = indicators
    low, high = indicators["year"].min(), indicators["year"].max()
    if indicators.height and (low != years[0] or high != years[-1]):
        wanted = indicators.filter(pl.col("year").is_between(years[0], years[-1]))
    aligned = _aligned_columns(enterprises, wanted, years)
    if aligned is None:
        aligned = _joined_columns(enterprises, wanted, years)
    base = enterprises.with_columns(aligned)
    # Equality tests rather than replace_strict: a handful of comparisons beat hashing every string.
    rank: Any = pl
    for tier, value in TIER_RANK.items():
        rank = rank.when(pl.col("current_tier") == tier).then(pl.lit(value, dtype=pl.Int8))
    return base.with_columns(rank.otherwise(pl.lit(0, dtype=pl.Int8)).alias("tier_rank"))


def _aligned_columns(
    enterprises: pl.DataFrame, indicators: pl.DataFrame, years: list[int]
) -> list[pl.Series] | None:
    """Fast path: indicators sorted as (enterprise order, year ascending), exactly 3 rows each.

    This is how the database export delivers them; the check costs a few comparisons per row,
    and saves a hash join that would cost more than every rule together.
    """
    n, k = enterprises.height, len(years)
    if indicators.height != n * k or n == 0:
        return None
    codes = enterprises["credit_code"]
    for offset, year in enumerate(years):
        if not (indicators["year"].gather_every(k, offset) == year).all():
            return None
        if not indicators["credit_code"].gather_every(k, offset).equals(codes, check_names=False):
            return None
    # One lazy query so the strided copies of all columns run in parallel.
    wide = (
        indicators.lazy()
        .select(
            [
                pl.col(column.name).gather_every(k, offset).alias(yearly_name(column.name, years[-1] - year))
                for offset, year in enumerate(years)
                for column in YEARLY
            ]
        )
        .collect()
    )
    return wide.get_columns()


def _joined_columns(enterprises: pl.DataFrame, indicators: pl.DataFrame, years: list[int]) -> list[pl.Series]:
    duplicated = indicators.select(pl.struct("credit_code", "year").is_duplicated()).to_series()
    if duplicated.any():
        rows = indicators.filter(duplicated).select("credit_code", "year").unique().head(MAX_EXAMPLES)
        pairs = [f"{c}/{y}" for c, y in rows.iter_rows()]
        raise InputError([f"年度指标表同一企业同一年度有多行：{', '.join(pairs)}"])
    keys = enterprises.select("credit_code")
    series: list[pl.Series] = []
    for year in years:
        back = years[-1] - year
        renamed = indicators.filter(pl.col("year") == year).select(
            "credit_code", *[pl.col(c.name).alias(yearly_name(c.name, back)) for c in YEARLY]
        )
        joined = keys.join(renamed, on="credit_code", how="left", maintain_order="left")
        series.extend(joined.get_columns()[1:])
    return series
