"""The services lists read a fixed number of queries whatever the number of rows they show."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import logged_in, make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.services import services
from zjtx.services.tests.conftest import TODAY, filed, routed

pytestmark = pytest.mark.django_db


def queries(user: Any, url: str) -> int:
    client = logged_in(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def more_requests(world: dict[str, Any], n: int) -> None:
    for _ in range(n):
        routed(world)
        filed(world, "B")


def more_visits(world: dict[str, Any], n: int) -> None:
    for i in range(n):
        services.visit_record(user=world["officer"], enterprise=world["A"], visited_on=TODAY - dt.timedelta(days=i),
                              way="on_site", topics="了解生产经营情况")


def more_officers(world: dict[str, Any], n: int) -> None:
    for i in range(n):
        officer = make_user(Role.OFFICER, full_name=f"服务专员{i}", city_code="340100")
        make_enterprise("340100", tier="provincial", service_officer=officer)
        make_enterprise("340100", tier="little_giant")  # uncovered


@pytest.mark.parametrize(("role", "url", "grow"), [
    ("province", "/services/", more_requests), ("city", "/services/", more_requests),
    ("keji", "/services/", more_requests), ("officer", "/services/", more_requests),
    ("province", "/services/visits/", more_visits), ("officer", "/services/visits/", more_visits),
    ("province", "/services/coverage/", more_officers), ("city", "/services/coverage/", more_officers),
])
def test_a_list_takes_the_same_queries_for_two_rows_and_for_twelve(world, role, url, grow):
    grow(world, 1)
    few = queries(world[role], url)
    grow(world, 6)
    assert queries(world[role], url) == few
