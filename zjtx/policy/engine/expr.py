"""Exact, null-aware comparisons on whole columns.

Why integers: a threshold such as "R&D ≥ 3% of revenue" must give the same answer as a person with
a calculator at the exact boundary.  Floats get 0.08 + 0.12 wrong, so money is held as integer
分 and every ratio is turned into an integer at a fixed scale with floor division:
``floor(v·S) ≥ c·S  ⇔  v ≥ c`` whenever ``c·S`` is a whole number, and ``ceil`` serves ``>``/``≤``.

Why nulls: a null input is unknown.  Polars' boolean ``&``/``|`` follow Kleene logic (true | null
is true, false & null is false), which is exactly "decide when the known facts decide, else
数据不足".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from zjtx.policy.engine.parameters import ParameterError
from zjtx.policy.engine.schema import CODED, MONEY_LIMIT, MONEY_SCALE, coded

RATIO_SCALE = 10_000  # ratios are held in units of 0.01% (basis points of 1)
PERCENT = RATIO_SCALE // 100  # units per percentage point

Number = Decimal | int | float
INT64 = pl.Int64()


@dataclass(frozen=True)
class Metric:
    """A quantity on a whole column, comparable exactly with thresholds in its own unit.

    ``floor``/``ceil`` are integer columns equal to floor/ceil(value × ``scale``); for plain
    integer and float metrics both are the column itself.  ``display`` is the value in ``unit``
    as Float64, only for showing to people.  ``inputs`` are the base columns it is made of.
    """

    name: str
    floor: pl.Expr
    ceil: pl.Expr
    scale: int
    unit: str
    display: pl.Expr
    inputs: tuple[str, ...]
    denominators: tuple[str, ...] = ()  # inputs whose 0 leaves the quantity unknown (null)
    is_float: bool = False

    def threshold(self, value: Number) -> int | float:
        if self.is_float:
            return float(value)
        scaled = Decimal(str(value)) * self.scale
        if scaled != scaled.to_integral_value():
            raise ParameterError(f"{self.name} 的门槛 {value}{self.unit} 超出可精确比较的精度")
        return int(scaled)

    def ge(self, value: Number) -> pl.Expr:
        return self.floor >= self.threshold(value)

    def gt(self, value: Number) -> pl.Expr:
        return self.ceil > self.threshold(value)

    def le(self, value: Number) -> pl.Expr:
        return self.ceil <= self.threshold(value)

    def lt(self, value: Number) -> pl.Expr:
        return self.floor < self.threshold(value)

    def compare(self, op: str, value: Number) -> pl.Expr:
        table = {">=": self.ge, ">": self.gt, "<=": self.le, "<": self.lt}
        if op not in table:
            raise ParameterError(f"未知比较符：{op}")
        return table[op](value)

    def known(self) -> pl.Expr:
        return self.floor.is_not_null()


def integer(name: str, unit: str = "") -> Metric:
    column = pl.col(name)
    return Metric(name, column, column, 1, unit, column.cast(pl.Float64), (name,))


def floating(name: str, unit: str = "") -> Metric:
    column = pl.col(name)
    return Metric(name, column, column, 1, unit, column, (name,), is_float=True)


def money(name: str) -> Metric:
    column = pl.col(name)
    return Metric(name, column, column, MONEY_SCALE, "万元", column / MONEY_SCALE, (name,))


def money_sum(name: str, parts: tuple[str, ...]) -> Metric:
    total = add_all([pl.col(p) for p in parts])  # null when any part is unknown
    return Metric(name, total, total, MONEY_SCALE, "万元", total / MONEY_SCALE, parts)


def ratio(
    name: str, numerator: pl.Expr, denominator: pl.Expr, inputs: tuple[str, ...], checked_nonnegative: bool = False
) -> Metric:
    """numerator / denominator in percent; null when the denominator is not positive.

    ``checked_nonnegative``: the denominator is an input the checks keep ≥ 0 (money other than net
    profit, counts), so "not positive" is "zero", where Polars' integer division already gives null:
    the guard, two operations per row, is left out."""
    valid = denominator > 0
    scaled = numerator * RATIO_SCALE
    floor = scaled // denominator
    # The ceiling from the floor (shared with the floor's column): one more when the division has a
    # remainder — cheaper than a second integer division.
    ceil = floor + (scaled != floor * denominator).cast(pl.Int64)
    if not checked_nonnegative:
        floor, ceil = pl.when(valid).then(floor), pl.when(valid).then(ceil)
    display = pl.when(valid).then(numerator.cast(pl.Float64) * 100 / denominator)
    return Metric(name, floor, ceil, PERCENT, "%", display, inputs, inputs[1:])


def growth(name: str, current: str, previous: str) -> Metric:
    """(current − previous) / previous in percent (both checked inputs ≥ 0)."""
    return ratio(name, pl.col(current) - pl.col(previous), pl.col(previous), (current, previous), True)


def average_growth(name: str, y0: str, y1: str, y2: str) -> Metric:
    """Mean of the last two yearly growth rates, in percent, exactly.

    ((c−p)/p + (p−q)/q)/2 = ((c−p)·q + (p−q)·p) / (2·p·q); the products exceed 64 bits for large
    firms, so the ceiling is computed in 128-bit integers; the floor avoids the 128-bit division
    (``_average_growth_floor``).
    """
    c, p, q = (pl.col(n).cast(pl.Int128) for n in (y0, y1, y2))
    numerator = (c - p) * q + (p - q) * p
    denominator = 2 * p * q
    valid = (p > 0) & (q > 0)
    scaled = numerator * RATIO_SCALE
    floor: pl.Expr = pl.when(valid).then((scaled // denominator).cast(pl.Int64))
    ceil: pl.Expr = pl.when(valid).then((-((-scaled) // denominator)).cast(pl.Int64))
    if MONEY_LIMIT * RATIO_SCALE * 2 < 2**63:  # the floor (all the rules read) without 128-bit division
        floor = _average_growth_floor(pl.col(y0), pl.col(y1), pl.col(y2))
    display = pl.when(valid).then(
        ((pl.col(y0) - pl.col(y1)) / pl.col(y1) + (pl.col(y1) - pl.col(y2)) / pl.col(y2)) * 50
    )
    return Metric(name, floor, ceil, PERCENT, "%", display, (y0, y1, y2), (y1, y2))


def _average_growth_floor(c: pl.Expr, p: pl.Expr, q: pl.Expr) -> pl.Expr:
    """floor(S·((c−p)/p + (p−q)/q)/2) with one 128-bit product pair instead of a 128-bit division.

    With (c−p)·S = a₁·p + r₁ and (p−q)·S = a₂·q + r₂ (floor division, 0 ≤ r < divisor) the value
    is (A + t)/2 with A = a₁ + a₂ and t = r₁/p + r₂/q in [0, 2), so its floor is A // 2, plus 1
    when A is odd and t ≥ 1, i.e. r₁·q ≥ (q − r₂)·p: that is (A + [t ≥ 1]) // 2, since adding 1 to
    an even A does not change A // 2.  Money inputs are checked to be at most ``MONEY_LIMIT`` 分,
    so (c−p)·S and a₁ + a₂ stay well inside 64 bits (see the caller)."""
    x1, x2 = (c - p) * RATIO_SCALE, (p - q) * RATIO_SCALE
    a1, a2 = x1 // p, x2 // q
    r1, r2 = x1 - a1 * p, x2 - a2 * q
    carry = (r1.cast(pl.Int128) * q.cast(pl.Int128)) >= ((q - r2).cast(pl.Int128) * p.cast(pl.Int128))
    return pl.when((p > 0) & (q > 0)).then((a1 + a2 + carry.cast(pl.Int64)) // 2)


def band_points(
    metric: Metric,
    table: dict[str, Any],
    upper_inclusive: bool,
    points: list[pl.Expr] | None = None,
    dtype: pl.DataType = INT64,
) -> pl.Expr:
    """Points from a band table ``{cuts: [...], points: [...]}`` (cuts ascending).

    The lowest and highest cuts follow the text ("< lowest", "≥ highest"); the interior cuts
    follow the band-edge parameter (lower- or upper-inclusive).  ``points`` are the table's points
    as literals of the wanted dtype (default Int64).
    """
    cuts = list(table["cuts"])
    if points is None:
        points = [pl.lit(int(p), dtype=pl.Int64) for p in table["points"]]
    expr: Any = pl.when(metric.floor.is_null()).then(pl.lit(None, dtype=dtype))
    last = len(cuts) - 1
    for index in range(last, -1, -1):
        interior = 0 < index < last
        passed = metric.gt(cuts[index]) if interior and upper_inclusive else metric.ge(cuts[index])
        expr = expr.when(passed).then(points[index + 1])
    result: pl.Expr = expr.otherwise(points[0])
    return result


def rank_within(column: str, max_rank: Number) -> pl.Expr:
    """A rank column where 0 means "none": true when 1 ≤ rank ≤ max, null when unknown."""
    rank = pl.col(column)
    return (rank >= 1) & (rank <= int(max_rank))


def add_all(exprs: list[pl.Expr]) -> pl.Expr:
    """Plain ``+`` chain: much faster than ``sum_horizontal`` here, and null if any term is null."""
    total = exprs[0]
    for expr in exprs[1:]:
        total = total + expr
    return total


def score_bounds(lows: list[pl.Expr], highs: list[pl.Expr]) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(known points, highest possible points, all known) of score items, given each item's points
    with unknown as 0 (``lows``) and as its maximum (``highs``); every maximum is above 0, so the
    two sums are equal exactly when every item is known."""
    low, high = add_all(lows), add_all(highs)
    return low, high, low == high


def equals(column: str, value: str) -> pl.Expr:
    """``pl.col(column) == value``; for a coded input (``schema.CODED``), on its integer code: the
    same result and nulls, since the input check lets only allowed values through, so a value not
    allowed never matches."""
    if column not in CODED:
        return pl.col(column) == value
    code = pl.col(coded(column))
    if value not in CODED[column]:
        return pl.when(code.is_not_null()).then(False)
    return code == CODED[column].index(value)


def kleene_all(exprs: list[pl.Expr]) -> pl.Expr:
    result = exprs[0]
    for expr in exprs[1:]:
        result = result & expr
    return result


def kleene_any(exprs: list[pl.Expr]) -> pl.Expr:
    result = exprs[0]
    for expr in exprs[1:]:
        result = result | expr
    return result


def implies(condition: pl.Expr, requirement: pl.Expr) -> pl.Expr:
    """ "If ``condition`` then ``requirement``" with Kleene logic: vacuously true when it does not apply."""
    return (~condition) | requirement
