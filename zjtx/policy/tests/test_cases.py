"""Every YAML case in zjtx/policy/cases, on the vectorised engine and on the reference implementation."""

from __future__ import annotations

from typing import Any

import pytest

from zjtx.policy.tests.caserunner import load_cases, run_case

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
