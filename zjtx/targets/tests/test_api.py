"""GET /api/v1/targets: the overview's figures as JSON, with the pages' access."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tests.factories import city_user, logged_in, make_user
from zjtx.accounts.roles import Role
from zjtx.targets.models import ReportedFigure

pytestmark = pytest.mark.django_db

ROBOTS = "targets.industrial_robots.yearly"


def test_province_reads_every_target_with_its_years_and_verdicts():
    ReportedFigure.objects.create(target=ROBOTS, year=2025, value=D("12100.00"))
    body = logged_in(make_user(Role.PROVINCE)).get("/api/v1/targets").json()
    assert (body["city_code"], body["place"], body["as_of"], body["approx_tolerance"]) == ("", "全省", "2026-11-30",
                                                                                          "5")
    assert len(body["targets"]) == 23
    robots = next(t for t in body["targets"] if t["id"] == ROBOTS)
    assert (robots["qualifier"], robots["kind"], robots["computed"]) == ("左右", "yearly", False)
    year = {y["year"]: y for y in robots["years"]}
    assert year[2025] == {"year": 2025, "target": "8000", "actual": "12100", "source": "填报", "completion": "151.3",
                          "verdict": "已完成", "note": ""}
    assert year[2024]["actual"] is None and year[2024]["verdict"] == "未填报"


def test_a_city_reads_its_city_and_is_refused_another():
    ReportedFigure.objects.create(target=ROBOTS, year=2025, city_code="340100", value=D(3262))
    client = logged_in(city_user("340100"))
    body = client.get("/api/v1/targets?city=340100").json()
    robots = next(t for t in body["targets"] if t["id"] == ROBOTS)
    assert body["place"] == "合肥市" and robots["years"][3]["actual"] == "3262"
    refused = client.get("/api/v1/targets?city=340200")
    assert refused.status_code == 403 and refused.json()["field"] == "city"
    unknown = client.get("/api/v1/targets?city=999999")
    assert unknown.status_code == 400 and "city（所在市）" in unknown.json()["message"]


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.BANK, Role.OFFICER, Role.EXPERT])
def test_other_roles_are_refused(role):
    response = logged_in(make_user(role)).get("/api/v1/targets")
    assert response.status_code == 403 and response.json()["message"] == "您的角色无权查看目标监测"
