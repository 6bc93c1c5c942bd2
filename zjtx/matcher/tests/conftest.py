from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.factories import make_enterprise, make_indicator, make_user
from zjtx.accounts.roles import Role
from zjtx.policy.models import ProgrammeEvent
from zjtx.tiers.tests.conftest import TODAY, _pinned_clock, people, qualifying_enterprise

__all__ = ["TODAY", "_pinned_clock", "people"]


@pytest.fixture
def champion() -> Any:
    """省专精特新, meets every (placeholder) 省冠军 condition on 2025 data; a 4A assessment (100万, 免申即享) and a
    “四化” project of 8,000万元 (10% = 800万, capped at 500万; needs an application)."""
    enterprise = qualifying_enterprise(name="合肥精工科技有限公司")
    ProgrammeEvent.objects.create(enterprise=enterprise, kind="digital_assessment", date=dt.date(2026, 4, 1),
                                  grade="4A")
    ProgrammeEvent.objects.create(enterprise=enterprise, kind="four_transformations_project",
                                  date=dt.date(2026, 3, 1), amount=Decimal("8000"))
    return enterprise


@pytest.fixture
def one_short() -> Any:
    """省专精特新 in 芜湖, short of 省冠军 by its R&D share alone: 200 / 8,000 = 2.5% against ≥ 3%."""
    enterprise = qualifying_enterprise(city_code="340200", name="芜湖锐达装备有限公司")
    enterprise.indicators.filter(year=2025).update(rd_expense=Decimal("200"))
    return enterprise


@pytest.fixture
def innovative() -> Any:
    """创新型, its next step 省专精特新 (2026 criteria): R&D 100 / 5,000 = 2% against ≥ 3%, much data missing."""
    enterprise = make_enterprise(tier="innovative", name="合肥新芽电子有限公司")
    make_indicator(enterprise, 2025, revenue=Decimal("5000"), main_revenue=Decimal("4500"),
                   rd_expense=Decimal("100"), employees=100, rd_staff=10)
    return enterprise


def enterprise_user(enterprise: Any) -> Any:
    return make_user(Role.ENTERPRISE, credit_code=enterprise.credit_code)
