"""Shared builders for the recognition workflow tests: a qualifying enterprise, the people around it, a batch
taken through any number of steps. The clock is pinned (settings.ZJTX_TODAY) so dates are reproducible."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.factories import make_enterprise, make_indicator, make_user
from zjtx.accounts.roles import Role
from zjtx.policy.models import EnterpriseFacts
from zjtx.tiers import services
from zjtx.tiers.models import Application, Batch

TODAY = dt.date(2026, 6, 1)  # a Monday


@pytest.fixture(autouse=True)
def _pinned_clock(settings: Any) -> None:
    settings.ZJTX_TODAY = TODAY  # (MEDIA_ROOT: a temporary folder for every test, see the root conftest)


def qualifying_enterprise(city_code: str = "340100", **fields: Any) -> Any:
    """A 省专精特新 enterprise meeting the (placeholder) 省冠军 conditions on 2025 data."""
    enterprise = make_enterprise(city_code=city_code, tier="provincial", contact_name="张三",
                                 contact_phone="0551-12345678", **fields)
    make_indicator(enterprise, 2025, revenue=Decimal("8000"), main_revenue=Decimal("7000"),
                   rd_expense=Decimal("400"), ip_i_count=3, employees=200, rd_staff=40)
    EnterpriseFacts.objects.create(enterprise=enterprise, data={"niche_years": 6})
    return enterprise


@pytest.fixture
def people() -> dict[str, Any]:
    return {
        "province": make_user(Role.PROVINCE, full_name="省经信厅 王处长"),
        "city": make_user(Role.CITY, city_code="340100", full_name="合肥市 李科长"),
        "other_city": make_user(Role.CITY, city_code="340200"),
        "experts": [make_user(Role.EXPERT, full_name=f"专家{i}") for i in range(3)],
    }


@pytest.fixture
def enterprise() -> Any:
    return qualifying_enterprise()


@pytest.fixture
def applicant(enterprise: Any) -> Any:
    return make_user(Role.ENTERPRISE, credit_code=enterprise.credit_code, full_name="企业填报员")


def open_batch(province: Any, tier: str = "provincial_champion", **fields: Any) -> Batch:
    values: dict[str, Any] = {"year": 2026, "title": "2026年省专精特新冠军企业认定", "opens_on": dt.date(2026, 5, 1),
                              "closes_on": dt.date(2026, 6, 30)}
    values.update(fields)
    return services.batch_open(user=province, tier=tier, **values)


def submit(applicant: Any, batch: Batch, **fields: Any) -> Application:
    values: dict[str, Any] = {"contact_name": "张三", "contact_phone": "0551-12345678", "statement": "主导产品国内领先"}
    values.update(fields)
    return services.application_submit(user=applicant, batch=batch, **values)


def through(step: str, people: dict[str, Any], applicant: Any, batch: Batch | None = None) -> Application:
    """An application taken up to (and including) `step`: submitted, city, experts, scored, decided, recognized."""
    batch = batch or open_batch(people["province"])
    application = submit(applicant, batch)
    order = ["submitted", "city", "experts", "scored", "decided", "recognized"]
    steps = order[: order.index(step) + 1]
    if "city" in steps:
        application = services.application_city_review(user=people["city"], application=application, approve=True)
    if "experts" in steps:
        application = services.experts_assign(user=people["province"], application=application,
                                              experts=people["experts"])
    if "scored" in steps:
        for i, expert in enumerate(people["experts"]):
            services.expert_score(user=expert, application=application, score=80 + i, comment="同意")
    if "decided" in steps:
        application = services.application_decide(user=people["province"], application=application, approve=True)
    if "recognized" in steps:
        assert application.notice_end is not None
        services.application_recognize(user=people["province"], application=application,
                                       today=application.notice_end + dt.timedelta(days=1))
        application.refresh_from_db()
    return application
