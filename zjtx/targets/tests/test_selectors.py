"""Actuals, verdicts, the trend and the city ranking from small fixtures, with exact expected values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from tests.factories import make_enterprise
from zjtx.policy.models import ParameterValue
from zjtx.targets.models import ReportedFigure
from zjtx.targets.selectors import Figures
from zjtx.targets.tests.conftest import TODAY, recognise
from zjtx.tiers.models import Recognition, ReReview

pytestmark = pytest.mark.django_db

HEFEI, WUHU, BENGBU = "340100", "340200", "340300"


def report(target: str, year: int, value: int | str, city: str = "", kind: str = "actual") -> None:
    ReportedFigure.objects.create(target=target, year=year, city_code=city, kind=kind, value=D(str(value)))


def ended_by_failed_re_review(recognition: Recognition, on: dt.date) -> None:
    when = timezone.make_aware(dt.datetime.combine(on, dt.time(10)))
    Recognition.objects.filter(pk=recognition.pk).update(status=Recognition.Status.REVOKED, revoked_at=when)
    ReReview.objects.create(recognition=recognition, reviewed_on=on, passed=False,
                            previous_expires_on=recognition.expires_on)


def revoked_for_cause(recognition: Recognition) -> None:
    Recognition.objects.filter(pk=recognition.pk).update(status=Recognition.Status.REVOKED, revoked_at=timezone.now())


@pytest.fixture
def ladder() -> None:
    recognise("provincial", dt.date(2024, 3, 1))                              # A: in force 2024, 2025, 2026
    both = make_enterprise(city_code=WUHU, tier="little_giant")
    recognise("provincial", dt.date(2024, 5, 1), enterprise=both)             # B: provincial, then also 小巨人
    recognise("little_giant", dt.date(2025, 6, 1), enterprise=both)
    recognise("innovative", dt.date(2024, 4, 1))                              # below the 专精特新 rung
    ended_by_failed_re_review(recognise("provincial", dt.date(2023, 2, 1)), dt.date(2025, 3, 1))  # D
    revoked_for_cause(recognise("provincial", dt.date(2024, 7, 1)))            # void: never counts


def test_yearly_ladder_target_counts_recognitions_of_that_rung_begun_in_the_year(ladder):
    f = Figures(today=TODAY)
    t = next(t for t in f.targets() if t.id == "targets.provincial_srdi.yearly")
    # 2024: A and B (the one revoked by 撤销认定 is void); 2023: D, later ended by a failed 复核, still counts.
    assert [f.cell(t, y, "").actual for y in (2023, 2024, 2025)] == [D(1), D(2), D(0)]
    assert f.cell(t, 2024, HEFEI).actual == D(1) and f.cell(t, 2024, WUHU).actual == D(1)
    assert f.cell(t, 2024, "").source == "系统统计"


def test_stock_counts_each_enterprise_once_at_the_rung_or_above_in_force_at_the_year_end(ladder):
    f = Figures(today=TODAY)
    t = next(t for t in f.targets() if t.id == "targets.provincial_srdi.stock")
    # end-2023: D; end-2024: A, B, D; end-2025: A, B (D ended 2025-03-01; B counted once for two titles).
    assert [f.cell(t, y, "").actual for y in (2023, 2024, 2025)] == [D(1), D(3), D(2)]
    giants = next(t for t in f.targets() if t.id == "targets.little_giant.stock")
    assert [f.cell(giants, y, "").actual for y in (2024, 2025)] == [D(0), D(1)]
    assert f.cell(giants, 2025, WUHU).actual == D(1) and f.cell(giants, 2025, HEFEI).actual == D(0)


def test_years_before_the_first_recognition_held_have_no_system_figure_not_zero(ladder):
    f = Figures(today=TODAY)
    t = next(t for t in f.targets() if t.id == "targets.provincial_srdi.stock")
    cell = f.cell(t, 2022, "")
    assert cell.actual is None and cell.completion is None and cell.verdict == "系统尚无记录"


def test_stock_verdict_is_final_at_the_deadline(ladder):
    f = Figures(today=TODAY)
    row = f.row(next(t for t in f.targets() if t.id == "targets.provincial_srdi.stock"))
    cell = row.cell(2025)
    assert (cell.target, cell.actual, cell.completion, cell.verdict) == (D(5000), D(2), D("0.0"), "未完成")
    assert (row.final, row.final_text) == ("未完成", "2025年末")
    assert row.cell(2026).verdict == "期限后"


def test_an_unreported_figure_reads_未填报_never_zero():
    f = Figures(today=TODAY)
    row = f.row(next(t for t in f.targets() if t.id == "targets.demo_lines.yearly"))
    assert all(c.actual is None and c.verdict == "未填报" for c in row.cells)
    assert row.final == "未填报"


def test_cumulative_target_sums_the_years_reported_and_names_a_missing_one():
    report("targets.green_factories_national.cumulative", 2022, 18)
    report("targets.green_factories_national.cumulative", 2024, 16)
    f = Figures(today=TODAY)
    t = next(t for t in f.targets() if t.id == "targets.green_factories_national.cumulative")
    assert f.cell(t, 2023, "").verdict == "未填报"
    cell = f.cell(t, 2024, "")
    assert (cell.actual, cell.completion, cell.verdict, cell.source) == (D(34), D("68.0"), "进行中", "填报")
    assert cell.note == "累计缺2023年填报数"


def test_approx_target_is_met_within_the_tolerance_parameter():
    for year, value in ((2022, 214), (2023, 196), (2024, 188)):
        report("targets.first_set_equipment.yearly", year, value)
    f = Figures(today=TODAY)
    row = f.row(next(t for t in f.targets() if t.id == "targets.first_set_equipment.yearly"))
    assert [c.verdict for c in row.cells] == ["已完成", "已完成", "未完成", "未填报", "未填报"]
    assert (row.final, row.final_text) == ("未完成", "2022—2025年 2/4 年完成，1 年未填报")

    ParameterValue.objects.create(parameter_id="targets.assessment.approx_tolerance", start=dt.date(2026, 1, 1),
                                  value=10, reference="考核口径调整")
    f = Figures(today=TODAY)
    assert f.tolerance == D(10)
    row = f.row(next(t for t in f.targets() if t.id == "targets.first_set_equipment.yearly"))
    assert row.cell(2024).verdict == "已完成"  # 188 ≥ 200 less 10%


def test_a_yearly_target_met_every_year_reported_stays_open_while_a_year_is_unreported():
    for year in (2022, 2023, 2025):
        report("targets.demo_lines.yearly", year, 100)
    f = Figures(today=TODAY)
    row = f.row(next(t for t in f.targets() if t.id == "targets.demo_lines.yearly"))
    assert (row.final, row.final_text) == ("未填报", "2022—2025年 3/4 年完成，1 年未填报")
    report("targets.demo_lines.yearly", 2024, 100)
    row = Figures(today=TODAY).row(row.target)
    assert (row.final, row.final_text) == ("已完成", "2022—2025年 4/4 年完成")


def test_projection_runs_to_the_deadline_from_the_last_complete_years():
    for year, value in ((2022, 14), (2023, 9), (2024, 6), (2025, 5)):
        report("targets.listed_companies.new", year, value)
    f = Figures(today=TODAY)
    t = next(t for t in f.targets() if t.id == "targets.listed_companies.new")
    assert t.deadline_year == 2026  # 5 years counted from 2022
    row = f.row(t)
    assert [c.actual for c in row.cells[:4]] == [D(14), D(23), D(29), D(34)]
    # The last three complete years 23, 29, 34: slope 5.5 → 2026: 39.67.
    assert row.projection == [(2026, D("39.7"))]
    assert (row.final, row.final_text) == ("进行中", "按趋势预计2026年末39.7（79.4%）")


def test_city_ranking_by_completion_where_the_province_set_shares():
    robots = "targets.industrial_robots.yearly"
    for city, value, share in ((HEFEI, 3000, 2500), (WUHU, 1200, 800)):
        report(robots, 2025, value, city)
        report(robots, 2025, share, city, kind="allocation")
    report(robots, 2025, 500, BENGBU)
    f = Figures(today=TODAY)
    lines = f.city_table(next(t for t in f.targets() if t.id == robots), 2025)
    ranked = [(line.city_code, line.rank, line.cell.completion) for line in lines[:3]]
    assert ranked == [(WUHU, 1, D("150.0")), (HEFEI, 2, D("120.0")), (BENGBU, None, None)]
    assert all(line.rank is None for line in lines[2:])


def test_city_ranking_by_actual_then_growth_without_shares():
    lines_target = "targets.demo_lines.yearly"
    for city, before, now in ((HEFEI, 20, 30), (WUHU, 25, 30), (BENGBU, 10, 12)):
        report(lines_target, 2024, before, city)
        report(lines_target, 2025, now, city)
    f = Figures(today=TODAY)
    lines = f.city_table(next(t for t in f.targets() if t.id == lines_target), 2025)
    assert [(line.city_code, line.rank, line.growth) for line in lines[:3]] == [
        (HEFEI, 1, D(10)), (WUHU, 2, D(5)), (BENGBU, 3, D(2))]
    assert lines[3].rank is None and lines[3].cell.verdict == "未填报"


def test_a_city_reads_its_share_as_its_target_and_none_without_one():
    report("targets.industrial_robots.yearly", 2025, 900, HEFEI)
    report("targets.industrial_robots.yearly", 2025, 1000, HEFEI, kind="allocation")
    f = Figures(today=TODAY)
    row = f.row(next(t for t in f.targets() if t.id == "targets.industrial_robots.yearly"), HEFEI)
    cell = row.cell(2025)
    assert (cell.target, cell.actual, cell.completion, cell.verdict) == (D(1000), D(900), D("90.0"), "未完成")
    assert row.cell(2024).target is None


def test_every_target_of_the_parameters_is_listed_in_the_plans_order():
    f = Figures(today=TODAY)
    ids = [t.id for t in f.targets()]
    assert len(ids) == 23 and "targets.horizon_year" not in ids
    assert ids[:3] == ["targets.provincial_srdi.stock", "targets.little_giant.stock", "targets.single_champion.stock"]


def test_a_city_without_a_share_gets_no_verdict_and_one_with_shares_is_judged_on_them():
    robots = "targets.industrial_robots.yearly"
    report(robots, 2024, 900, HEFEI)
    report(robots, 2025, 1200, HEFEI)
    f = Figures(today=TODAY)
    t = next(t for t in f.targets() if t.id == robots)
    assert (f.row(t, HEFEI).final, f.row(t, HEFEI).final_text) == ("", "未分解目标，不作结论")
    green = next(t for t in f.targets() if t.id == "targets.green_factories_provincial.cumulative")
    assert f.row(green, HEFEI).final == ""

    report(robots, 2025, 1000, HEFEI, kind="allocation")
    row = Figures(today=TODAY).row(t, HEFEI)
    assert (row.final, row.final_text) == ("已完成", "2025年 1/1 年完成")  # judged on the year with a share
