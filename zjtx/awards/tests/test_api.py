"""The awards API: ids in range, a city user's payment list is its own city's, entitlements paged."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import logged_in
from zjtx.awards import api as awards_api
from zjtx.awards.tests.conftest import national_entitlement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/awards/payments?batch=99999999999999999999",
                                 "/api/v1/tiers/applications?batch=99999999999999999999",
                                 "/api/v1/awards/entitlements?before=99999999999999999999"])
def test_ids_beyond_64_bits_are_refused_naming_the_field(people: dict[str, Any], url: str) -> None:
    response = logged_in(people["province"]).get(url)
    assert response.status_code == 400, response.content
    assert response.json()["field"] in ("batch", "before")
    assert "应不大于 9223372036854775807" in response.json()["message"]


def test_a_city_user_gets_its_own_citys_payment_list(people: dict[str, Any]) -> None:
    city = logged_in(people["city"])
    own = city.get("/api/v1/awards/payments").json()
    assert "合肥市" in own["title"]
    refused = city.get("/api/v1/awards/payments?city=340200")
    assert refused.status_code == 403 and refused.json()["field"] == "city"
    assert "只能查看本市（合肥市）" in refused.json()["message"]
    assert city.get("/api/v1/awards/payments?city=340100").status_code == 200


def test_entitlements_come_in_pages_by_id(people: dict[str, Any], enterprise: Any, monkeypatch) -> None:
    from tests.factories import make_enterprise

    national_entitlement(people, enterprise)
    national_entitlement(people, make_enterprise(), "single_champion")
    client = logged_in(people["province"])
    first = client.get("/api/v1/awards/entitlements?limit=1").json()
    assert len(first) == 1
    second = client.get(f"/api/v1/awards/entitlements?limit=1&before={first[0]['id']}").json()
    assert len(second) == 1 and second[0]["id"] < first[0]["id"]
    assert client.get(f"/api/v1/awards/entitlements?limit={awards_api.PAGE_LIMIT + 1}").status_code == 400


def test_an_unknown_status_is_refused_naming_the_field(people: dict[str, Any]) -> None:
    response = logged_in(people["province"]).get("/api/v1/awards/entitlements?status=bogus")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "status" and "没有“bogus”这个状态" in body["message"]
    assert logged_in(people["province"]).get("/api/v1/awards/entitlements?status=paid").status_code == 200


def test_money_reads_as_documented_on_every_awards_endpoint(people: dict[str, Any], ready: Any, enterprise: Any,
                                                             applicant: Any) -> None:
    """"500" or "12.50" (config/api.py), not the stored "500.000000" beside a sum's "0"."""
    from zjtx.awards import services
    from zjtx.awards.tests.conftest import paid_reversed_and_reissued

    paid_reversed_and_reissued(people, ready, enterprise, applicant)  # 500 allocated; 100 paid, reversed, reissued
    services.budget_set(user=people["province"], year=2026, funding_level="市级", city_code="340100",
                        allocated="12.5")
    client = logged_in(people["province"])
    budgets = {b["funding_level"]: b for b in client.get("/api/v1/awards/budgets").json()}
    assert {k: budgets["省级"][k] for k in ("allocated", "committed", "paid", "remaining")} == {
        "allocated": "500", "committed": "0", "paid": "100", "remaining": "400"}
    assert (budgets["市级"]["allocated"], budgets["市级"]["paid"], budgets["市级"]["remaining"]) == ("12.50", "0",
                                                                                                   "12.50")
    payments = client.get("/api/v1/awards/payments").json()
    assert payments["total"] == "100"
    assert [r["amount"] for r in payments["rows"]] == ["100", "-100", "100"]
    assert client.get("/api/v1/awards/entitlements").json()[0]["amount"] == "100"
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["BudgetOut"]
    assert schema["properties"]["allocated"]["type"] == "string"


def test_a_payment_list_of_a_batch_that_does_not_exist_is_refused_naming_the_field(people: dict[str, Any]) -> None:
    """It answered an empty list titled 全部, which reads as nothing paid at all."""
    response = logged_in(people["province"]).get("/api/v1/awards/payments?batch=424242")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "batch" and "没有 id 为 424242 的申报批次" in response.json()["message"]


@pytest.mark.parametrize("role", ["bank", "expert", "department", "officer"])
@pytest.mark.parametrize("query", ["", "?batch=99999", "?city=999", "?city=340200&batch=1"])
def test_a_role_without_payment_lists_gets_403_whatever_the_query(role: str, query: str) -> None:
    """A bank user asking for an unknown batch got 400 (没有 id 为 … 的申报批次), telling it which ids exist
    before telling it that it may not read payment lists at all."""
    from tests.factories import make_user

    response = logged_in(make_user(role)).get(f"/api/v1/awards/payments{query}")
    assert response.status_code == 403, response.content
    assert response.json()["message"] == "您的角色无权查看奖补兑现"


def test_the_payment_list_comes_in_pages_with_the_figures_of_the_whole_list(people: dict[str, Any], ready: Any) -> None:
    """The API gave every line the user may see in one answer: at a province's whole ledger, slow and huge."""
    from zjtx.awards.tests.test_pages import LONG_CITY, LONG_PROVINCE, LONG_TOTAL, _long_list

    lines = _long_list(people, ready)
    client = logged_in(people["province"])
    seen, offset, pages = [], 0, 0
    while offset is not None:
        page = client.get(f"/api/v1/awards/payments?limit=100&offset={offset}").json()
        assert page["offset"] == offset and len(page["rows"]) == (100 if pages < 2 else 50)
        assert (page["count"], page["enterprises"], page["total"]) == (250, 1, str(LONG_TOTAL))
        assert page["by_funding_level"] == {"省级": str(LONG_PROVINCE), "市级": str(LONG_CITY)}
        seen += [row["id"] for row in page["rows"]]
        offset, pages = page["next_offset"], pages + 1
    assert pages == 3 and seen == [line.pk for line in lines]  # each line once, in booking order
    assert client.get("/api/v1/awards/payments?offset=300").json()["rows"] == []
    for query, field in ((f"limit={awards_api.PAGE_LIMIT + 1}", "limit"), ("offset=-1", "offset")):
        refused = client.get(f"/api/v1/awards/payments?{query}")
        assert refused.status_code == 400 and refused.json()["field"] == field
