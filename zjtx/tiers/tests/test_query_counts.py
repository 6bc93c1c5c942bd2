"""The 梯度培育 pages read a fixed number of queries whatever the number of rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import logged_in, make_user
from zjtx.accounts.roles import Role
from zjtx.tiers import services
from zjtx.tiers.tests.conftest import through

pytestmark = pytest.mark.django_db


def page(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_expert_choice_takes_the_same_queries_for_three_experts_and_for_fifteen(people, applicant, enterprise):
    application = through("city", people, applicant)
    client = logged_in(people["province"])
    url = f"/tiers/applications/{application.pk}/"
    few, _ = page(client, url)
    more = [make_user(Role.EXPERT, full_name=f"候选专家{i}") for i in range(12)]
    services.expert_conflict_declare(user=more[0], enterprise=enterprise, reason="曾任该企业顾问")
    many, shown = page(client, url)
    assert many == few
    assert "候选专家11" in shown and "须回避：专家已申报与该企业存在关联：曾任该企业顾问" in shown
