"""Check the input frames against the contract and build the per-enterprise frame the rules read.

The rules work on one row per enterprise: the registry columns plus each yearly indicator for the
last three years, suffixed ``_y0`` (上年度), ``_y1`` and ``_y2``.  Money becomes integer 分.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import polars as pl

from zjtx.policy.engine.schema import (
    DTYPES,
    ENTERPRISE_COLUMNS,
    EVENT_COLUMNS,
    INDICATOR_COLUMNS,
    MONEY_LIMIT,
    MONEY_SCALE,
    PRIOR_COLUMNS,
    SIGNED_MONEY,
    TIER_RANK,
    UNUSED_INDICATORS,
    YEARLY,
    YEARS_BACK,
    Column,
    InputError,
    coded,
    rule_years,
)

FRAME_NAMES = {
    "enterprises": "企业表",
    "indicators": "年度指标表",
    "events": "事件表",
    "prior": "已享受奖补表",
}
MAX_EXAMPLES = 5
RANK = "tier_rank"
DERIVED = [RANK, *[coded(c.name) for c in ENTERPRISE_COLUMNS if c.coded]]  # what enterprises get besides

# Checks a caller may vouch for with ``evaluate(..., checked_inputs=True)``: only those the registry
# guarantees on every write (NOT NULL UNIQUE credit codes; the tier mapped by ``zjtx.policy.frames``
# onto the allowed values; event kinds and grades validated when recorded; industry codes validated
# by the registry's forms and import) and the indicators' export order (``ORDER_SAMPLE``).  An unknown
# kind would match no award and an unknown grade or tier count as unknown / none; a malformed
# industry code or a row out of order would change a verdict, which is why only the registry's own
# frames may be vouched for.  Range and sign checks are never skipped: the exact integer arithmetic
# of the rules relies on them, and the database does not bound money to 1万亿元.
TRUSTED_UNIQUE = "credit_code"
TRUSTED_ALLOWED = frozenset({"current_tier", "kind", "grade", "industry_code"})
assert set(TIER_RANK) == set(next(c for c in ENTERPRISE_COLUMNS if c.name == "current_tier").allowed)


def prepare(
    frame: pl.DataFrame,
    columns: tuple[Column, ...],
    frame_name: str,
    trusted: frozenset[str] = frozenset(),
    ranked: bool = False,
) -> pl.DataFrame:
    """Select the contract columns in canonical types; absent optional columns become nulls.

    ``trusted``: columns whose allowed-value check the caller vouches for (see ``TRUSTED_ALLOWED``).
    Added last, computed once for the rules and the allowed-value checks: the integer code of each
    coded column, and with ``ranked`` the tier rank before them."""
    label = FRAME_NAMES[frame_name]
    missing = [c.name for c in columns if c.required and c.name not in frame.columns]
    if missing:
        raise InputError([f"{label}缺少必需列：{', '.join(missing)}"])
    _check_money(frame, columns, label)
    exprs = [_canonical(frame, column, label) for column in columns]
    prepared = frame.select(exprs)
    derived = _derived_exprs(columns, ranked)
    if derived:
        # The codes' string comparisons on the streaming engine: split by rows over both cores,
        # rather than one column per core.
        codes = prepared.lazy().select(derived).collect(engine="streaming")
        prepared = prepared.with_columns(codes.get_columns())
    _check_values(prepared, columns, label, trusted)
    return prepared


def _check_money(frame: pl.DataFrame, columns: tuple[Column, ...], label: str) -> None:
    """Money is checked before it is converted to 分, where NaN, ±∞ or a value beyond 64 bits would
    fail or wrap: NaN or ±∞, and a value that rounds to below 0 (net profit: below −1万亿元) or above
    1万亿元, are input errors naming the rows.  Decided from each column's extremes (the conversion
    does not decrease); the rows are looked for only when a column fails."""
    money = [c for c in columns if c.kind == "money" and c.name in frame.columns]
    money = [c for c in money if frame.schema[c.name].is_numeric()]
    if not money or frame.height == 0:
        return
    # A sum is NaN or infinite when a value is (or, harmlessly, when huge values overflow): one fast
    # pass, where the rows are looked for only if it is.
    extremes = frame.select(
        [pl.col(c.name).cast(pl.Float64).sum().alias(f"sum:{c.name}") for c in money]
        + [pl.col(c.name).cast(pl.Float64).min().alias(f"min:{c.name}") for c in money]
        + [pl.col(c.name).cast(pl.Float64).max().alias(f"max:{c.name}") for c in money]
    ).row(0, named=True)
    problems, codes = [], []
    for column in money:
        units = pl.col(column.name).cast(pl.Float64) * MONEY_SCALE
        low, high = extremes[f"min:{column.name}"], extremes[f"max:{column.name}"]
        floor = _money_floor(column)
        checks = []
        if not math.isfinite(extremes[f"sum:{column.name}"]):
            checks.append((~units.is_finite(), "不是有效数值（NaN 或无穷大）"))
        if low is not None and _outside(low, high, column):
            checks.append(((units.round(0) < floor) | (units.round(0) > MONEY_LIMIT), "为负数或超过1万亿元"))
        for bad, message in checks:
            rows = frame.with_row_index("row").filter(bad.fill_null(False))["row"].head(MAX_EXAMPLES)
            if rows.len():
                where = ", ".join(str(r + 1) for r in rows)
                problems.append(f"{label}第 {where} 行：{column.name}（{column.label}）{message}")
                codes += _codes_at(frame, rows)
                break
    if problems:
        raise InputError(problems, codes)


def _outside(low: float, high: float, column: Column) -> bool:
    """Whether a money column's extremes (万元), in 分 rounded as the conversion rounds them (half to
    even, on the same products), leave the allowed range."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return True
    return round(low * MONEY_SCALE) < _money_floor(column) or round(high * MONEY_SCALE) > MONEY_LIMIT


def _money_floor(column: Column) -> int:
    """The smallest amount allowed, in 分: −1万亿元 for signed money (net profit), else 0."""
    return -MONEY_LIMIT if column.name in SIGNED_MONEY else 0


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
    if source.is_float():
        return _checked_units(expr.cast(pl.Float64))  # ``_check_money`` has bounded the values
    if source == pl.Null:
        return expr.cast(pl.Int64)
    raise InputError([f"金额列类型 {source} 不受支持（应为 Decimal 或数值，单位万元）"])


def _check_values(
    frame: pl.DataFrame, columns: tuple[Column, ...], label: str, trusted: frozenset[str] = frozenset()
) -> None:
    # (message, the rows at fault, whether any row is at fault); the last is an aggregate — a
    # minimum or maximum where the check is a bound — cheaper than testing every row.
    checks: list[tuple[str, pl.Expr, pl.Expr]] = []
    for column in columns:
        col = pl.col(column.name)
        if column.required and column.name in ("credit_code", "kind", "date", "award", "year"):
            checks.append((f"{column.name}（{column.label}）为空", col.is_null(), col.is_null().any()))
        if column.allowed and column.name not in trusted:
            bad = col.is_not_null() & ~_is_one_of(col, column.allowed)
            flag = bad.any()
            if column.name == "current_tier" and RANK in frame.columns:
                # The rank is 0 exactly for "none", null and any value not allowed: one more test.
                flag = (col.is_not_null() & (pl.col(RANK) == 0) & (col != "none")).any()
            elif coded(column.name) in frame.columns:
                # The code is null exactly for null and any value not allowed.
                flag = (col.is_not_null() & pl.col(coded(column.name)).is_null()).any()
            checks.append((f"{column.name}（{column.label}）取值不在 {list(column.allowed)} 中", bad, flag))
        if column.digits and column.name not in trusted:
            bad = col.is_not_null() & ~_is_digits(col, column.digits)
            lengths = "或".join(str(n) for n in column.digits)
            checks.append((f"{column.name}（{column.label}）应为{lengths}位数字", bad, bad.any()))
        if column.kind == "money":
            floor, message = _money_floor(column), f"{column.name}（{column.label}）为负数或超过1万亿元"
            bad, flag = (col < floor) | (col > MONEY_LIMIT), (col.min() < floor) | (col.max() > MONEY_LIMIT)
            checks.append((message, bad, flag))
        elif column.kind == "int" and column.name != "year":
            checks.append((f"{column.name}（{column.label}）为负数", col < 0, col.min() < 0))
    if not checks or frame.height == 0:
        return
    flags = frame.select([flag.fill_null(False).alias(str(i)) for i, (_, _, flag) in enumerate(checks)])
    problems: list[str] = []
    codes: list[str] = []
    for index, (message, expr, _) in enumerate(checks):
        if flags.item(0, str(index)):
            rows = frame.with_row_index("row").filter(expr.fill_null(False))["row"].head(MAX_EXAMPLES)
            problems.append(f"{label}第 {', '.join(str(r + 1) for r in rows)} 行：{message}")
            codes += _codes_at(frame, rows)
    if problems:
        raise InputError(problems, codes)


def _codes_at(frame: pl.DataFrame, rows: pl.Series) -> list[str]:
    """The credit codes of the given rows (those known), to name the enterprises at fault."""
    if "credit_code" not in frame.columns:
        return []
    return [str(code) for code in frame["credit_code"].gather(rows).to_list() if code is not None]


def _is_digits(col: pl.Expr, lengths: tuple[int, ...]) -> pl.Expr:
    """Decimal digits of one of ``lengths``: the length (kept in the string's view: no scan), a
    parse as an unsigned integer, and no leading "+" (which the parse accepts).  About 8 ms of CPU
    per million codes, where a regular expression takes 19."""
    parsed = col.cast(pl.UInt32, strict=False).is_not_null()
    return col.str.len_bytes().is_in(list(lengths)) & parsed & ~col.str.starts_with("+")


def _is_one_of(col: pl.Expr, values: tuple[str, ...]) -> pl.Expr:
    """``is_in(values)`` for the non-null values, as an OR of equality tests: for the few allowed
    values of a column far cheaper than hashing every string."""
    found = col == values[0]
    for value in values[1:]:
        found = found | (col == value)
    return found


def prepare_enterprises(frame: pl.DataFrame, checked: bool = False) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The enterprises in contract types (no tier means "none"), and their ``DERIVED`` columns (the
    tier rank and the input codes: the strings are compared once, for the check and the rules).
    ``checked``: the caller vouches for the checks listed at ``TRUSTED_ALLOWED`` / ``TRUSTED_UNIQUE``."""
    trusted = TRUSTED_ALLOWED if checked else frozenset()
    prepared = prepare(frame, ENTERPRISE_COLUMNS, "enterprises", trusted, ranked=True)
    derived = prepared.select(DERIVED)
    prepared = prepared.drop(DERIVED)
    if prepared["current_tier"].null_count():  # filling makes a new column: only when needed
        prepared = prepared.with_columns(pl.col("current_tier").fill_null("none"))
    if not checked:
        _check_unique(prepared[TRUSTED_UNIQUE], "企业表 credit_code（统一社会信用代码）重复")
    return prepared, derived


def cities(frame: pl.DataFrame) -> pl.DataFrame:
    """(credit_code, city_code) of the enterprises in contract types, as ``prepare_enterprises``
    gives them; unchecked (the award pass runs before that check has passed, see ``evaluate``)."""
    wanted = [c for c in ENTERPRISE_COLUMNS if c.name in ("credit_code", "city_code")]
    return frame.select([_canonical(frame, column, FRAME_NAMES["enterprises"]) for column in wanted])


def prepare_indicators(frame: pl.DataFrame) -> pl.DataFrame:
    used = tuple(c for c in INDICATOR_COLUMNS if c.name not in UNUSED_INDICATORS)
    return prepare(frame, used, "indicators")


def prepare_events(frame: pl.DataFrame | None, checked: bool = False) -> pl.DataFrame:
    """The events in contract types, plus ``kind#``, the code of the kind the award pass selects by."""
    if frame is None:
        frame = pl.DataFrame(schema={c.name: DTYPES[c.kind] for c in EVENT_COLUMNS})
    return prepare(frame, EVENT_COLUMNS, "events", TRUSTED_ALLOWED if checked else frozenset())


def prepare_prior(frame: pl.DataFrame | None) -> pl.DataFrame:
    if frame is None:
        return pl.DataFrame(schema={c.name: DTYPES[c.kind] for c in PRIOR_COLUMNS})
    return prepare(frame, PRIOR_COLUMNS, "prior")


def _check_unique(codes: pl.Series, message: str) -> None:
    # A strictly increasing column (the usual export order) has no duplicates: one comparison pass,
    # in two halves side by side (one expression runs on one core).
    n = codes.len()
    if n < 2 or _increasing(codes):
        return
    # A sorted column is checked in one more pass; otherwise hash.
    duplicated = (codes == codes.shift(1)).fill_null(False) if codes.is_sorted() else codes.is_duplicated()
    if duplicated.any():
        examples = codes.filter(duplicated).unique().head(MAX_EXAMPLES).to_list()
        raise InputError([f"{message}：{', '.join(examples)}"])


def _increasing(values: pl.Series) -> bool:
    """Whether every value is greater than the one before it (nulls aside)."""
    n, half = values.len(), values.len() // 2
    halves = [(start, length) for start, length in ((1, half), (half + 1, n - half - 1)) if length > 0]
    tests = [
        (pl.lit(values.slice(start, length)) > pl.lit(values.slice(start - 1, length))).all().alias(str(start))
        for start, length in halves
    ]
    return all(pl.select(tests).row(0))


def yearly_name(name: str, back: int) -> str:
    return f"{name}_y{back}"


def build_base(enterprises: pl.DataFrame, indicators: pl.DataFrame, data_year: int) -> pl.DataFrame:
    """One row per enterprise with the last three years of indicators side by side."""
    years = rule_years(data_year)
    wanted = indicators
    low, high = indicators["year"].min(), indicators["year"].max()
    if indicators.height and (low != years[0] or high != years[-1]):
        wanted = indicators.filter(pl.col("year").is_between(years[0], years[-1]))
    aligned = _aligned_columns(enterprises, wanted, years)
    if aligned is None:
        aligned = _joined_columns(enterprises, wanted, years)
    return enterprises.with_columns(aligned).with_columns(derived_exprs())


def derived_exprs() -> list[pl.Expr]:
    """The ``DERIVED`` columns of the enterprises: the tier rank and the code of each coded column."""
    return _derived_exprs(ENTERPRISE_COLUMNS, ranked=True)


def _derived_exprs(columns: tuple[Column, ...], ranked: bool) -> list[pl.Expr]:
    return [*([tier_rank_expr()] if ranked else []), *[_code_expr(c) for c in columns if c.coded]]


# Polars keeps strings of up to 12 bytes inside the column's 16-byte views: equality tests on them
# are cheap and beat a cast.  Longer values (the event kinds) are compared byte by byte, once per
# allowed value; a cast to an Enum of the allowed values hashes each string once instead (unknown
# values become null, as with the equality tests).
INLINE_BYTES = 12


def _code_expr(column: Column) -> pl.Expr:
    if max(len(v.encode()) for v in column.allowed) > INLINE_BYTES:
        as_enum = pl.col(column.name).cast(pl.Enum(list(column.allowed)), strict=False)
        return as_enum.to_physical().cast(pl.Int8).alias(coded(column.name))
    code: Any = pl
    for index, value in enumerate(column.allowed):
        code = code.when(pl.col(column.name) == value).then(pl.lit(index, dtype=pl.Int8))
    return code.otherwise(pl.lit(None, dtype=pl.Int8)).alias(coded(column.name))


def tier_rank_expr() -> pl.Expr:
    # Equality tests rather than replace_strict: a handful of comparisons beat hashing every string.
    # "none", null and any other value rank 0.
    rank: Any = pl
    for tier, value in TIER_RANK.items():
        if value:
            rank = rank.when(pl.col("current_tier") == tier).then(pl.lit(value, dtype=pl.Int8))
    return rank.otherwise(pl.lit(0, dtype=pl.Int8)).alias(RANK)


@dataclass(frozen=True)
class Yearly:
    """Raw indicators in export order, checked: any per-year column can be taken from them,
    converted, for all rows or some.

    Two export orders are accepted: by year (each year's rows together, enterprises in registry
    order within it: a year's column is a slice, no copy) or by enterprise (each enterprise's 3
    years together: a year's column is every third value).  Only the year columns some rule reads
    are taken during ``evaluate``; the others (e.g. the assets of two years back) are taken when
    someone reads ``Result.frame``."""

    indicators: pl.DataFrame
    data_year: int
    names: tuple[str, ...]  # every per-year column, in the order of the per-enterprise frame
    by_year: bool = False

    def columns(self, names: list[str], rows: pl.Series | None = None) -> list[pl.Series]:
        """The named per-year columns for every enterprise, or for the given row numbers."""
        height = self.height if rows is None else rows.len()
        exprs = {name: self._expr(name, rows) for name in names}
        present = [e.alias(n) for n, e in exprs.items() if e is not None]
        found = self.indicators.lazy().select(present).collect() if present else pl.DataFrame()
        return [found[name] if exprs[name] is not None else _nulls(name, height) for name in names]

    def raw(self, names: list[str]) -> tuple[list[pl.Series], list[pl.Expr]]:
        """The named per-year columns as they are (money still in 万元, a slice when the export is
        by year), and the expressions that convert them in place: for a query that reads them."""
        exprs = {name: self._expr(name, None, convert=False) for name in names}
        present = [e.alias(n) for n, e in exprs.items() if e is not None]
        found = self.indicators.select(present)  # eager: slices stay views of the indicators
        series = [found[name] if exprs[name] is not None else _nulls(name, self.height) for name in names]
        money = [name for name in names if exprs[name] is not None and _YEARLY_NAMES[name][0].kind == "money"]
        return series, [_checked_units(pl.col(name)).alias(name) for name in money]

    @property
    def height(self) -> int:
        return self.indicators.height // YEARS_BACK

    def _expr(self, name: str, rows: pl.Series | None, convert: bool = True) -> pl.Expr | None:
        column, back = _YEARLY_NAMES[name]
        if column.name not in self.indicators.columns:
            return None
        offset = YEARS_BACK - 1 - back
        source = pl.col(column.name)
        if rows is not None:
            values = source.gather(rows + offset * self.height if self.by_year else rows * YEARS_BACK + offset)
        else:
            values = self.part(source, offset)
        return _checked_units(values) if convert and column.kind == "money" else values

    def part(self, source: pl.Expr, offset: int) -> pl.Expr:
        """The rows of one year (``offset`` 0 the oldest) of an indicator column, every enterprise."""
        if self.by_year:
            return source.slice(offset * self.height, self.height)
        return source.gather_every(YEARS_BACK, offset)


def _checked_units(values: pl.Expr) -> pl.Expr:
    """万元 → 分 for checked money: no NaN and every value within the money limit, so the wrapping
    cast (twice as fast as the checked one) gives what the checked cast of ``_to_units`` gives.

    The rounding is ``round(0)``'s (half to even) done by two additions: for |v| < 2⁵¹, v + 1.5·2⁵²
    lies where doubles are whole numbers, so the addition itself rounds v to the nearest whole number,
    ties to even (1.5·2⁵² is even), and subtracting the constant again is exact.  The money limit,
    10¹⁴ 分, is far below 2⁵¹."""
    return ((values * MONEY_SCALE + ROUNDING) - ROUNDING).cast(pl.Int64, wrap_numerical=True)


ROUNDING = 1.5 * 2.0**52
assert MONEY_LIMIT < 2**51, "the rounding by addition needs |分| < 2⁵¹"


_YEARLY_NAMES = {yearly_name(c.name, back): (c, back) for c in YEARLY for back in range(YEARS_BACK)}


def _nulls(name: str, height: int) -> pl.Series:
    column, _ = _YEARLY_NAMES[name]
    return pl.repeat(None, height, dtype=DTYPES[column.kind], eager=True).alias(name)


def export_layout(height: int, indicators: pl.DataFrame, data_year: int) -> Yearly | None:
    """The ``Yearly`` view of indicators laid out as an export for ``height`` enterprises (by year,
    or by enterprise with 3 years ascending: the right number of rows, types, and the order of the
    first rows' years), or None; their values are not looked at (``aligned_indicators`` does)."""
    years = rule_years(data_year)
    schema = indicators.schema
    if height == 0 or indicators.height != height * len(years) or schema.get("credit_code") != pl.String:
        return None
    year = schema.get("year")
    if year is None or not year.is_integer() or indicators["year"].null_count():
        return None
    present = [c for c in YEARLY if c.name in schema]
    for column in present:
        wanted = pl.Float64 if column.kind == "money" else DTYPES[column.kind]
        if schema[column.name] != wanted:
            return None
    # By year when the second row is of the first year too (with one enterprise both orders agree).
    by_year = height > 1 and indicators["year"][1] == years[0]
    names = tuple(yearly_name(c.name, years[-1] - value) for value in years for c in YEARLY)
    return Yearly(indicators.select([c.name for c in present]), data_year, names, by_year)


# With ``checked_inputs`` the indicators' export order is vouched for too: ``frames.registry_frames(
# years=…)`` reads both frames in one snapshot, the enterprises ordered by their (unique) credit code,
# the indicators by year and credit code, one row per enterprise and year.  Every ``ORDER_SAMPLE``-th
# row is still compared (under 1,100 per year), a tripwire against frames from elsewhere; a row out
# of order, unlike the other vouched checks, would attach one enterprise's figures to another.
ORDER_SAMPLE = 1024


def aligned_indicators(
    enterprises: pl.DataFrame, indicators: pl.DataFrame, data_year: int, order_checked: bool = False
) -> Yearly | None:
    """Fast path for raw indicators already in an export order (see ``Yearly``: by year, or by
    enterprise with 3 years ascending), with money as Float64: check them without splitting or
    converting anything.

    The per-year columns it gives (``Yearly.columns``) are exactly those that
    ``build_base(enterprises, prepare_indicators(indicators), …)`` adds.  Returns None — and the
    caller takes the general path, with its error messages — whenever the frame is not in that
    order, holds a value the checks reject, or has a type this path does not handle.  The checks
    compare each value with a limit after a non-decreasing conversion (万元 → 分), so checking a
    column's smallest and largest value, converted the same way, gives the same verdict.
    ``order_checked``: the caller vouches for the order (see ``ORDER_SAMPLE``)."""
    n = enterprises.height
    layout = export_layout(n, indicators, data_year)
    if layout is None:
        return None
    years = rule_years(data_year)
    present = [c for c in YEARLY if c.name in indicators.schema]
    step = max(1, n // ORDER_SAMPLE) if order_checked else 1
    codes = pl.lit(enterprises["credit_code"].gather_every(step))
    checks = [
        check.alias(f"{offset}:{name}")
        for offset, value in enumerate(years)
        for name, check in (
            ("year", (layout.part(pl.col("year"), offset) == value).all()),
            ("code", (layout.part(pl.col("credit_code"), offset).gather_every(step) == codes).all()),
        )
    ]
    checks += [pl.col(c.name).min().alias(f"min:{c.name}") for c in present if c.kind in ("money", "int")]
    checks += [pl.col(c.name).max().alias(f"max:{c.name}") for c in present if c.kind == "money"]
    # A sum is NaN or infinite when some value is: one fast pass instead of a NaN test per value.
    checks += [pl.col(c.name).sum().alias(f"sum:{c.name}") for c in present if c.kind == "money"]
    found = indicators.lazy().select(checks).collect().row(0, named=True)
    in_order = all(found[f"{offset}:{name}"] for offset in range(len(years)) for name in ("year", "code"))
    if not in_order or not _within_limits(found, present):
        return None
    return layout


def _within_limits(found: dict[str, Any], columns: list[Column]) -> bool:
    """The checks ``_check_values`` makes on the yearly columns, from each column's extremes (and
    no NaN in money, which the checked cast of the general path rejects)."""
    assert not any(column.allowed or column.required for column in columns), "no such yearly checks"
    for column in columns:
        low = found.get(f"min:{column.name}")
        if column.kind == "int" and low is not None and low < 0:
            return False
        if column.kind != "money":
            continue
        if not math.isfinite(found[f"sum:{column.name}"]):
            return False  # a NaN or ±∞ (or values so large that they fail anyway)
        if low is not None and _outside(low, found[f"max:{column.name}"], column):
            return False
    return True


def _aligned_columns(enterprises: pl.DataFrame, indicators: pl.DataFrame, years: list[int]) -> list[pl.Series] | None:
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
