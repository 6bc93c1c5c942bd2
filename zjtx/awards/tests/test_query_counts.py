"""The awards pages and API lists read a fixed number of queries whatever the number of rows they show."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import logged_in
from zjtx.awards import services
from zjtx.core import regions

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
