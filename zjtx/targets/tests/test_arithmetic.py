"""Completion, verdict, projection and ranking: the arithmetic behind every figure of 目标监测."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from zjtx.targets import arithmetic as a


def test_completion_is_a_percentage_rounded_half_up_to_one_place():
    assert a.completion(D(487), D(500)) == D("97.4")
    assert a.completion(D("4210.5"), D(4000)) == D("105.3")  # 105.2625
    assert a.completion(D(1), D(8)) == D("12.5")
    assert a.completion(D(1), D(16)) == D("6.3")  # 6.25 rounds up, not to even
    assert a.completion(None, D(500)) is None  # 未填报 is no percentage, not 0%
    assert a.completion(D(5), None) is None


@pytest.mark.parametrize(("actual", "qualifier", "met"), [
    (D(200), "达", True), (D(199), "达", False), (D(5000), "以上", True), (D(4000), "不少于", True),
    (D(190), "左右", True),   # 200 less 5%: the floor is exactly 190
    (D("189.9"), "左右", False),
    (D(189), "达", False),
])
def test_met_at_least_the_target_and_approx_within_the_tolerance(actual, qualifier, met):
    target = D(4000) if qualifier == "不少于" else D(5000) if qualifier == "以上" else D(200)
    assert a.is_met(actual, target, qualifier, D(5)) is met


def test_the_tolerance_is_the_one_given_not_a_fixed_number():
    assert a.is_met(D(180), D(200), "左右", D(10))
    assert not a.is_met(D(180), D(200), "左右", D(5))


def _verdict(actual, year, deadline=None, target=D(100), qualifier="达"):
    return a.verdict(actual, target, qualifier=qualifier, tolerance=D(5), year=year, current_year=2026,
                     deadline_year=deadline)


def test_a_yearly_target_is_judged_when_its_year_is_over():
    assert _verdict(D(120), 2024) == "已完成"
    assert _verdict(D(80), 2025) == "未完成"
    assert _verdict(D(80), 2026) == "进行中"  # the current year is not over
    assert _verdict(D(100), 2026) == "已完成"  # reached already
    assert _verdict(None, 2024) == "未填报"


def test_a_stock_target_is_judged_at_its_deadline():
    assert _verdict(D(80), 2024, deadline=2025) == "进行中"  # not yet due
    assert _verdict(D(100), 2024, deadline=2025) == "已完成"  # reached early
    assert _verdict(D(80), 2025, deadline=2025) == "未完成"  # due and over
    assert _verdict(D(80), 2026, deadline=2026) == "进行中"  # due this year, still running
    assert _verdict(D(150), 2026, deadline=2025) == "期限后"  # the record goes on, the verdict stands


def test_without_a_target_there_is_no_verdict():
    assert _verdict(D(80), 2024, target=None) == ""


def test_projection_is_the_least_squares_line_read_at_the_years_asked():
    # 100, 130, 150: slope 25, mean 126.67 at 2024 → 2026: 176.666… → 176.7
    points = [(2023, D(100)), (2024, D(130)), (2025, D(150))]
    assert a.linear_projection(points, [2026, 2027]) == [(2026, D("176.7")), (2027, D("201.7"))]


def test_projection_through_two_points_continues_their_line():
    assert a.linear_projection([(2024, D(10)), (2025, D(13))], [2026]) == [(2026, D(16))]


def test_no_projection_from_a_single_year():
    assert a.linear_projection([(2025, D(10))], [2026]) == []


def test_ranks_share_a_place_on_a_tie_and_skip_the_next():
    keys = [(D(5),), None, (D(9),), (D(5),), (D(1),)]
    assert a.rank(keys) == [2, None, 1, 2, 4]
