"""Reads of 目标监测: every target's actual per year and place, its verdict, the trend, the city ranking.

Actuals the system holds are counted, never typed (docs/targets.md §一): the ladder targets from the
recognitions, the others from the reported figures. A figure nobody has reported reads 未填报, never 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from zjtx.accounts.models import User
from zjtx.core import clock, regions
from zjtx.core.models import AuditEvent
from zjtx.policy.engine import ParameterSet
from zjtx.policy.services import parameter_set
from zjtx.targets import access, arithmetic, plan
from zjtx.targets.models import ReportedFigure
from zjtx.tiers.models import LADDER, Recognition, ReReview

SYSTEM = "系统统计"
REPORTED = "填报"
NO_RECORDS = "系统尚无记录"
UNALLOCATED = "未分解目标，不作结论"


@dataclass(frozen=True)
class Held:
    """One recognition as the counts read it: whose, where, which rung, in force from when until when."""

    enterprise_id: int
    city_code: str
    tier: str
    start: dt.date
    expires: dt.date
    ended: dt.date | None  # the day a failed 复核 ended it

    def in_force(self, at: dt.date) -> bool:
        return self.start <= at <= self.expires and (self.ended is None or at < self.ended)


@dataclass
class Cell:
    year: int
    target: Decimal | None
    actual: Decimal | None
    source: str = ""
    completion: Decimal | None = None
    verdict: str = ""
    note: str = ""
    reporter: str = ""
    reported_at: dt.datetime | None = None


@dataclass
class Row:
    target: plan.Target
    place: str
    cells: list[Cell]
    final: str = ""
    final_text: str = ""
    projection: list[tuple[int, Decimal]] = field(default_factory=list)

    def cell(self, year: int) -> Cell | None:
        return next((c for c in self.cells if c.year == year), None)


class Figures:
    """What the pages of one request read: the parameters, today, the recognitions and the reported figures,
    each loaded once."""

    def __init__(self, params: ParameterSet | None = None, today: dt.date | None = None) -> None:
        self.params = params or parameter_set()
        self.today = today or clock.today()
        self.current_year = self.today.year
        self.tolerance = plan.tolerance(self.params, self.today)
        self.trend_years = plan.trend_years(self.params, self.today)

    def targets(self) -> list[plan.Target]:
        return plan.targets(self.params)

    def years(self, t: plan.Target) -> list[int]:
        return list(range(t.start_year, self.current_year + 1))

    # ------------------------------------------------------------ the system's counts

    @cached_property
    def held(self) -> list[Held]:
        """Every recognition that counts: all but those revoked by the province's 撤销认定 (void from the
        start, as their awards are); one ended by a failed 复核 counts until that day."""
        failed = ReReview.objects.filter(recognition=OuterRef("pk"), passed=False)
        rows = (Recognition.objects.annotate(failed=Exists(failed))
                .exclude(status=Recognition.Status.REVOKED, failed=False)
                .values_list("enterprise_id", "enterprise__city_code", "tier", "start_date", "expires_on",
                             "status", "revoked_at"))
        return [Held(eid, city, tier, start, expires,
                     timezone.localdate(revoked) if status == Recognition.Status.REVOKED and revoked else None)
                for eid, city, tier, start, expires, status, revoked in rows]

    @cached_property
    def first_year(self) -> int | None:
        """The year of the earliest recognition the system holds: before it, the system has no record."""
        return min((h.start.year for h in self.held), default=None)

    def counted(self, t: plan.Target, year: int, city_code: str) -> Decimal | None:
        if self.first_year is None or year < self.first_year:
            return None
        held = [h for h in self.held if not city_code or h.city_code == city_code]
        if t.kind == "yearly":
            return Decimal(sum(1 for h in held if h.tier == t.tier and h.start.year == year))
        # A stock counts each enterprise once at the rung or above (a 小巨人 is still a 专精特新 enterprise),
        # at the year's end, or today in the current year.
        at = min(dt.date(year, 12, 31), self.today)
        rungs = set(LADDER[LADDER.index(t.tier):])
        return Decimal(len({h.enterprise_id for h in held if h.tier in rungs and h.in_force(at)}))

    # ------------------------------------------------------------ reported figures

    @cached_property
    def reported(self) -> dict[tuple[str, int, str, str], ReportedFigure]:
        return {(f.target, f.year, f.city_code, f.kind): f
                for f in ReportedFigure.objects.select_related("reported_by")}

    def figure(self, t: plan.Target, year: int, city_code: str,
               kind: str = ReportedFigure.Kind.ACTUAL) -> ReportedFigure | None:
        return self.reported.get((t.id, year, city_code, kind))

    def allocation(self, t: plan.Target, year: int, city_code: str) -> Decimal | None:
        """A city's share of the target: of the year for a yearly target, of the deadline otherwise."""
        found = self.figure(t, year if t.deadline_year is None else t.deadline_year, city_code,
                            ReportedFigure.Kind.ALLOCATION)
        return found.value if found else None

    # ------------------------------------------------------------ one cell, one row

    def cell(self, t: plan.Target, year: int, city_code: str) -> Cell:
        goal = plan.value(self.params, t, year) if not city_code else self.allocation(t, year, city_code)
        c = Cell(year=year, target=goal, actual=None)
        if t.computed:
            c.actual = self.counted(t, year, city_code)
            c.source, c.note = (SYSTEM, "") if c.actual is not None else ("", NO_RECORDS)
        else:
            self._reported_cell(c, t, year, city_code)
        c.completion = arithmetic.completion(c.actual, goal)
        c.verdict = arithmetic.verdict(c.actual, goal, qualifier=t.qualifier, tolerance=self.tolerance, year=year,
                                       current_year=self.current_year, deadline_year=t.deadline_year)
        if c.actual is None and t.computed:
            c.verdict = NO_RECORDS
        return c

    def _reported_cell(self, c: Cell, t: plan.Target, year: int, city_code: str) -> None:
        found = self.figure(t, year, city_code)
        if found is None:
            return
        c.source, c.reporter, c.reported_at = REPORTED, _who(found), found.reported_at
        c.note = found.note
        if t.kind != "cumulative":
            c.actual = found.value
            return
        # 期内累计新增: each year's new figure, summed from the year the plan set the target.
        earlier = [self.figure(t, y, city_code) for y in range(t.start_year, year)]
        c.actual = found.value + sum((f.value for f in earlier if f), Decimal(0))
        missing = [str(y) for y, f in zip(range(t.start_year, year), earlier, strict=True) if f is None]
        if missing:
            c.note = f"累计缺{'、'.join(missing)}年填报数" + (f"；{found.note}" if found.note else "")

    def row(self, t: plan.Target, city_code: str = access.PROVINCE) -> Row:
        r = Row(target=t, place=city_code, cells=[self.cell(t, y, city_code) for y in self.years(t)])
        r.projection = self.projection(t, r.cells)
        r.final, r.final_text = self._final(t, r)
        return r

    def projection(self, t: plan.Target, cells: list[Cell]) -> list[tuple[int, Decimal]]:
        """A straight line through the last complete years' actuals, read from the current year to the
        deadline (the current year only for a yearly target): a projection, not a figure."""
        done = [c for c in cells if c.year < self.current_year and c.actual is not None]
        points = [(c.year, c.actual) for c in done[-self.trend_years:] if c.actual is not None]
        end = max(t.deadline_year or self.current_year, self.current_year)
        return arithmetic.linear_projection(points, range(self.current_year, end + 1))

    def _final(self, t: plan.Target, r: Row) -> tuple[str, str]:
        if t.deadline_year is None:
            return self._final_yearly(r)
        goal = plan.value(self.params, t, t.deadline_year) if not r.place else self.allocation(
            t, t.deadline_year, r.place)
        if goal is None:
            return "", UNALLOCATED
        at_deadline = r.cell(t.deadline_year)
        if t.deadline_year < self.current_year and at_deadline is not None:
            return at_deadline.verdict, f"{t.deadline_year}年末"
        projected = dict(r.projection).get(t.deadline_year)
        if projected is None:
            return arithmetic.ONGOING, f"期限{t.deadline_year}年"
        share = arithmetic.completion(projected, goal)
        return arithmetic.ONGOING, f"按趋势预计{t.deadline_year}年末{projected:f}" + (f"（{share}%）" if share else "")

    def _final_yearly(self, r: Row) -> tuple[str, str]:
        """The complete years with a target: 未完成 if one was missed; else 未填报 while one is unreported."""
        done = [c for c in r.cells if c.year < self.current_year and c.target is not None]
        if not done:
            return ("", UNALLOCATED) if r.place else (arithmetic.ONGOING, "")
        judged = [c for c in done if c.verdict in (arithmetic.MET, arithmetic.MISSED)]
        if not judged:
            return arithmetic.NOT_REPORTED, ""
        met = sum(1 for c in judged if c.verdict == arithmetic.MET)
        span = f"{done[0].year}—{done[-1].year}" if len(done) > 1 else str(done[0].year)
        text = f"{span}年 {met}/{len(done)} 年完成"
        unreported = len(done) - len(judged)
        if unreported:
            text += f"，{unreported} 年{NO_RECORDS if r.target.computed else arithmetic.NOT_REPORTED}"
        if met < len(judged):
            return arithmetic.MISSED, text
        return (arithmetic.NOT_REPORTED if unreported else arithmetic.MET), text

    # ------------------------------------------------------------ by city

    def city_table(self, t: plan.Target, year: int) -> list[CityLine]:
        """Each city's actual, share (分解目标) and completion in `year`, ranked for 绩效考核: by completion
        where the province has set shares, else by actual and then growth over the year before."""
        lines = []
        for code, name in regions.CITIES:
            c = self.cell(t, year, code)
            before = self.cell(t, year - 1, code).actual if year > t.start_year else None
            growth = c.actual - before if c.actual is not None and before is not None else None
            lines.append(CityLine(code, name, c, growth))
        by_share = any(line.cell.target is not None for line in lines)
        keys = [_rank_key(line, by_share) for line in lines]
        for line, place in zip(lines, arithmetic.rank(keys), strict=True):
            line.rank = place
        lines.sort(key=lambda line: (line.rank is None, line.rank or 0))
        return lines


@dataclass
class CityLine:
    city_code: str
    city_name: str
    cell: Cell
    growth: Decimal | None
    rank: int | None = None


def _rank_key(line: CityLine, by_share: bool) -> tuple[Decimal, ...] | None:
    c = line.cell
    if c.actual is None:
        return None
    if by_share:
        return None if c.completion is None else (c.completion, c.actual)
    return (c.actual, line.growth if line.growth is not None else Decimal(-10**15))


def ranking_rule(lines: list[CityLine]) -> str:
    if any(line.cell.target is not None for line in lines):
        return "按完成率排名（省级已分解目标）；未分解目标的市不参与排名"
    return "省级尚未分解目标：按完成数排名，相同时按较上年增量排名"


def _who(figure: ReportedFigure) -> str:
    user = figure.reported_by
    return getattr(user, "display_name", "") or getattr(user, "username", "") if user else ""


def overview(user: User, city_code: str, figures: Figures | None = None) -> list[Row]:
    access.require_view(user)
    figures = figures or Figures()
    return [figures.row(t, city_code) for t in figures.targets()]


def place_of(user: User, requested: str) -> str:
    """The place asked for if the user may read it, else the province."""
    return requested if requested in dict(access.places(user)) else access.PROVINCE


def figure_history(user: User, t: plan.Target) -> QuerySet[AuditEvent]:
    """The audit records of the figures reported for `t` in the places the user may read (a city: the
    province's and its own, as on the page), newest first."""
    figures = ReportedFigure.objects.filter(target=t.id, city_code__in=dict(access.places(user)))
    ids = [str(pk) for pk in figures.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(target_type="reportedfigure", target_id__in=ids).order_by("-at", "-id")
