"""The awards pages, API lists and the generation of entitlements read a fixed number of queries whatever the
number of rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import logged_in, make_enterprise
from zjtx.awards import services
from zjtx.awards.models import Entitlement
from zjtx.core import regions
from zjtx.core.models import AuditEvent
from zjtx.policy.models import ProgrammeEvent
from zjtx.tiers.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_city_budgets(province, cities: list[str]) -> None:
    for code in cities:
        services.budget_set(user=province, year=2026, funding_level="市级", allocated="300", city_code=code)


@pytest.mark.parametrize("url", ["/awards/budgets/", "/api/v1/awards/budgets"])
def test_budgets_take_the_same_queries_for_two_budgets_and_for_twelve(people, ready, url):
    province = people["province"]
    services.budget_set(user=province, year=2026, funding_level="省级", allocated="500")
    services.entitlement_approve_and_pay(user=province, entitlement=ready)
    cities = [code for code, _ in regions.CITIES]
    client = logged_in(province)
    add_city_budgets(province, cities[:1])
    few = queries(client, url)
    add_city_budgets(province, cities[1:11])
    assert queries(client, url) == few
    shown = client.get("/api/v1/awards/budgets").json()
    assert len(shown) == 12
    mine = next(b for b in shown if b["funding_level"] == "省级")
    assert (Decimal(mine["paid"]), Decimal(mine["committed"]), Decimal(mine["remaining"])) == (100, 0, 400)
    assert all(Decimal(b["remaining"]) == 300 for b in shown if b["funding_level"] == "市级")


def digital_assessments(n: int) -> list[str]:
    """n enterprises with a 3A 数字化评估 recorded but not yet evaluated (no entitlement generated)."""
    codes = []
    for _ in range(n):
        enterprise = make_enterprise()
        ProgrammeEvent.objects.create(enterprise=enterprise, kind="digital_assessment", date=TODAY, grade="3A")
        codes.append(enterprise.credit_code)
    return codes


def generation_queries(province, codes: list[str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        created = services.entitlements_generate(user=province, codes=codes, today=TODAY)
    assert sorted(x.enterprise.credit_code for x in created) == sorted(codes)
    return len(captured)


def test_generating_entitlements_takes_the_same_queries_for_two_enterprises_and_for_ten(people):
    province = people["province"]
    few = generation_queries(province, digital_assessments(2))
    codes = digital_assessments(10)
    assert generation_queries(province, codes) == few
    created = Entitlement.objects.filter(enterprise__credit_code__in=codes)
    assert [x.amount for x in created] == [Decimal("50")] * 10
    records = AuditEvent.objects.filter(action="awards.entitlement_create", enterprise_code__in=codes)
    assert sorted(r.target_id for r in records) == sorted(str(x.pk) for x in created)
    assert all(r.summary.startswith("生成奖补资格：") and "50.00 万元" in r.summary for r in records)
    assert services.entitlements_generate(user=province, codes=codes, today=TODAY) == []  # nothing twice
