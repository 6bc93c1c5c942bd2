from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import make_enterprise
from zjtx.tiers.models import Recognition

TODAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _pinned_clock(settings: Any) -> None:
    settings.ZJTX_TODAY = TODAY


_numbers = iter(range(1, 10**6))


def recognise(tier: str, start: dt.date, *, city_code: str = "340100", enterprise: Any = None,
              years: int = 3, **fields: Any) -> Recognition:
    """A recognition as the tiers workflow stores it, without walking the workflow."""
    enterprise = enterprise or make_enterprise(city_code=city_code, tier=tier)
    return Recognition.objects.create(
        enterprise=enterprise, tier=tier, certificate_no=f"测〔{start.year}〕{next(_numbers):05d}号", start_date=start,
        validity_years=years, validity_parameter="test", expires_on=start.replace(year=start.year + years)
        - dt.timedelta(days=1), **fields)
