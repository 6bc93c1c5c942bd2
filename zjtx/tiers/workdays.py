"""Working days for notice periods and deadlines.

Order of authority for a date: the province's own table (Holiday rows: a holiday, or a 调休 make-up
working day), then chinese-calendar for the years it knows (2004–2026 in the pinned version), then the
plain rule Monday–Friday. A date beyond chinese-calendar's range never raises: the province adds the
new year's holidays to its table when the State Council publishes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import chinese_calendar

MAX_SPAN_DAYS = 3660  # a period longer than ten years is an input error, not a loop to run


def is_workday(day: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def knows_year(year: int) -> bool:
    """Whether chinese-calendar has the State Council's holiday data for `year`."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def next_workday(day: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> dt.date:
    """The first working day after `day`."""
    return add_workdays(day + dt.timedelta(days=1), 1, overrides)


def add_workdays(start: dt.date, count: int, overrides: Mapping[dt.date, bool] | None = None) -> dt.date:
    """The last day of a period of `count` working days that begins on `start` (counted if a working day)."""
    if count < 1:
        raise ValueError("工作日天数应为正整数")
    day, seen = start, 0
    for _ in range(MAX_SPAN_DAYS):
        if is_workday(day, overrides):
            seen += 1
            if seen == count:
                return day
        day += dt.timedelta(days=1)
    raise ValueError("期间过长")


def workdays_between(start: dt.date, end: dt.date, overrides: Mapping[dt.date, bool] | None = None) -> int:
    """Working days from `start` to `end`, both included."""
    days = (end - start).days + 1
    return sum(1 for i in range(max(days, 0)) if is_workday(start + dt.timedelta(days=i), overrides))
