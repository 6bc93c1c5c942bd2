"""The arithmetic of 目标监测, free of the database: completion, verdict and the trend projection.

Every figure is a Decimal; percentages and projections are rounded half up to one decimal place, so
the page, the export and the API show the same number.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ONE_PLACE = Decimal("0.1")
HUNDRED = Decimal(100)

MET = "已完成"
MISSED = "未完成"
ONGOING = "进行中"
NOT_REPORTED = "未填报"
AFTER_DEADLINE = "期限后"

APPROX = "左右"  # the plan's word for a target met within a tolerance


def round1(value: Decimal | Fraction) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def completion(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """Actual as a percentage of the target (102.5 for 102.5%); None without both or with a zero target."""
    if actual is None or not target:
        return None
    return round1(Fraction(actual) * 100 / Fraction(target))


def is_met(actual: Decimal, target: Decimal, qualifier: str, tolerance: Decimal) -> bool:
    """以上、达、不少于: at least the target. 左右: at least the target less `tolerance` per cent of it."""
    floor = target * (HUNDRED - tolerance) / HUNDRED if qualifier == APPROX else target
    return actual >= floor


def verdict(actual: Decimal | None, target: Decimal | None, *, qualifier: str, tolerance: Decimal,
            year: int, current_year: int, deadline_year: int | None) -> str:
    """The verdict of one year's figure.

    A yearly target (no deadline) is judged each year: met or missed once the year is over, 进行中 while it
    runs. A stock or cumulative target is judged at its deadline: met whenever reached, missed only when the
    deadline year is over; a year after the deadline is 期限后 (the record goes on, the verdict stands)."""
    if actual is None:
        return NOT_REPORTED
    if target is None:
        return ""
    if deadline_year is not None and year > deadline_year:
        return AFTER_DEADLINE
    if is_met(actual, target, qualifier, tolerance):
        return MET
    closing_year = deadline_year if deadline_year is not None else year
    return MISSED if closing_year == year and year < current_year else ONGOING


def linear_projection(points: Sequence[tuple[int, Decimal]], years: Sequence[int]) -> list[tuple[int, Decimal]]:
    """The least-squares line through (year, value) `points`, read at each of `years`; none from fewer
    than two points. Exact arithmetic (fractions), rounded to one decimal at the end."""
    if len(points) < 2:
        return []
    n = len(points)
    xs = [Fraction(x) for x, _ in points]
    ys = [Fraction(y) for _, y in points]
    mean_x, mean_y = sum(xs, Fraction(0)) / n, sum(ys, Fraction(0)) / n
    spread = sum(((x - mean_x) ** 2 for x in xs), Fraction(0))
    slope = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)), Fraction(0)) / spread
    return [(year, round1(mean_y + slope * (year - mean_x))) for year in years]


def rank(keys: Sequence[tuple[Decimal, ...] | None]) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) of rows by `keys`, larger first; a row without a key gets no rank."""
    ranked = sorted((k for k in keys if k is not None), reverse=True)
    return [None if k is None else ranked.index(k) + 1 for k in keys]
