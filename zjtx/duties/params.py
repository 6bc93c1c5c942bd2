"""The dated parameters of 任务调度 (operations.yaml ``duties.report.*``), read through the policy app's
parameter set, and the period arithmetic they drive: which 调度 periods exist and when each report is due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zjtx.policy.services import parameter_set
from zjtx.tiers import params
from zjtx.tiers.selectors import notice_period

CYCLE = "duties.report.cycle"
DUE_DAYS = "duties.report.due_days"
DAY_BASIS = "duties.report.day_basis"
WORKING, CALENDAR = "working", "calendar"
BASIS_LABELS = {WORKING: "工作日", CALENDAR: "自然日"}
MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
QUARTERS = "一二三四"


def cycle(at: dt.date) -> str:
    return str(params.value(parameter_set(), CYCLE, at))


def cycle_label(code: str) -> str:
    """每季度 …: the name the parameter gives its option."""
    return str(parameter_set()[CYCLE].meta.get("option_labels", {}).get(code, code))


def due_days(at: dt.date) -> int:
    return int(params.number(parameter_set(), DUE_DAYS, at))


def day_basis(at: dt.date) -> str:
    return str(params.value(parameter_set(), DAY_BASIS, at))


@dataclass(frozen=True)
class Span:
    """One 调度 period of a cycle: its months, the report's due date and how that date is counted."""

    cycle: str
    year: int
    seq: int  # 1-based within the year
    starts: dt.date
    ends: dt.date

    @property
    def label(self) -> str:
        if self.cycle == "quarterly":
            return f"{self.year}年第{QUARTERS[self.seq - 1]}季度"
        if self.cycle == "half_yearly":
            return f"{self.year}年{'上' if self.seq == 1 else '下'}半年"
        if self.cycle == "monthly":
            return f"{self.year}年{self.seq}月"
        return f"{self.year}年度"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.seq}"


def span(cycle_code: str, year: int, seq: int) -> Span:
    months = MONTHS[cycle_code]
    first_month = (seq - 1) * months + 1
    last_month = first_month + months - 1
    following = dt.date(year + 1, 1, 1) if last_month == 12 else dt.date(year, last_month + 1, 1)
    return Span(cycle_code, year, seq, dt.date(year, first_month, 1), following - dt.timedelta(days=1))


def span_of(day: dt.date, cycle_code: str) -> Span:
    """The period of the cycle that contains `day`."""
    return span(cycle_code, day.year, (day.month - 1) // MONTHS[cycle_code] + 1)


def previous(current: Span) -> Span:
    return span_of(current.starts - dt.timedelta(days=1), current.cycle)


def due_date(period_end: dt.date) -> tuple[dt.date, int, str]:
    """The last day to file a period's report, with the days and their basis in force at the period's end:
    N working days counted from the working day after the end (holidays from the province's table and
    chinese-calendar, as 公示 periods), or N calendar days after it."""
    days, basis = due_days(period_end), day_basis(period_end)
    if basis == WORKING:
        return notice_period(period_end, days)[1], days, basis
    return period_end + dt.timedelta(days=days), days, basis


def openable(today: dt.date, count: int = 4) -> list[Span]:
    """The periods the province may open today: the current one of the cycle in force and those before it."""
    current = span_of(today, cycle(today))
    found = [current]
    while len(found) < count:
        found.append(previous(found[-1]))
    return found
