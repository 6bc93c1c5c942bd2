"""Every YAML case in zjtx/policy/cases, on the vectorised engine and on the reference implementation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zjtx.policy.engine import ParameterError, evaluate
from zjtx.policy.tests.caserunner import case_inputs, case_params, load_cases, run_case

CASES = load_cases()


def test_there_is_a_case_for_every_tier_and_award() -> None:
    text = str([case for _, case in CASES])
    for tier in ("innovative", "srdi", "provincial_champion", "little_giant", "single_champion"):
        assert f"'tier': '{tier}'" in text
    for award in (
        "provincial_champion",
        "little_giant",
        "single_champion",
        "little_giant_relocated",
        "single_champion_relocated",
        "industrial_internet_platform",
        "cloud_service_provider",
        "digital_assessment.5A",
        "network_security",
        "four_transformations",
        "srdi_board_listing",
        "publicity.province",
        "publicity.city",
        "public_service_platform_national",
    ):
        assert f"'award': '{award}'" in text, award


@pytest.mark.parametrize(("name", "case"), CASES, ids=[name for name, _ in CASES])
def test_case(name: str, case: dict[str, Any]) -> None:
    failures = run_case(case)
    assert not failures, "\n".join(failures)


def _city_award(city: str, award: str, key: str) -> dict[str, Any]:
    return {
        "clause": "二(一)2",
        "label": "市级配套奖补",
        "unit": "万元",
        "scope": city,
        "funding_level": "市级",
        "meta": {"award": award, "event": "recognized_little_giant", "once_key": key},
        "values": {"2023-01-01": 50},
    }


@pytest.mark.parametrize(
    ("awards", "clash"),
    [
        # a city's award keyed like the province's: both would be paid on one recognition
        ({"awards.city.340100.a.amount": ("340100", "city.340100.a", "little_giant")}, True),
        # two awards of one city with one key
        (
            {
                "awards.city.340100.a.amount": ("340100", "city.340100.a", "city.x"),
                "awards.city.340100.b.amount": ("340100", "city.340100.b", "city.x"),
            },
            True,
        ),
        # two cities may use one key: an enterprise is in one city
        (
            {
                "awards.city.340100.a.amount": ("340100", "city.340100.a", "city.x"),
                "awards.city.340200.a.amount": ("340200", "city.340200.a", "city.x"),
            },
            False,
        ),
    ],
)
def test_awards_of_one_event_sharing_a_once_key_are_a_parameter_error(awards, clash) -> None:
    case = {
        "as_of": "2024-12-31",
        "parameters": {pid: _city_award(*spec) for pid, spec in awards.items()},
        "enterprises": [{"credit_code": "M1", "city_code": "340100"}],
        "events": [{"credit_code": "M1", "kind": "recognized_little_giant", "date": "2023-07-01"}],
    }
    params = case_params(case)
    inputs = case_inputs(case)
    if clash:
        with pytest.raises(ParameterError, match="once_key 相同"):
            evaluate(*inputs[:3], dt.date(2024, 12, 31), params)
    else:
        granted = evaluate(*inputs[:3], dt.date(2024, 12, 31), params).entitlements
        assert sorted(granted["award"]) == ["city.340100.a", "little_giant"]
