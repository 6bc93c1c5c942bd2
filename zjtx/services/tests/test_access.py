"""Who may open what: role × page, own × other, with exact status codes; lists hold only the user's scope."""

from __future__ import annotations

import pytest

from tests.factories import logged_in
from zjtx.core.navigation import modules_for
from zjtx.services import services
from zjtx.services.tests.conftest import TODAY, filed, routed

pytestmark = pytest.mark.django_db

ROLES = ["province", "city", "county", "other_city", "keji", "caizheng", "officer", "other_officer", "qiye",
         "qiye_b", "bank", "expert"]
# page → status per role
PAGES = {
    "/services/": dict.fromkeys(ROLES, 200) | {"bank": 403, "expert": 403},
    "/services/visits/": dict.fromkeys(ROLES, 200) | {"keji": 403, "caizheng": 403, "bank": 403, "expert": 403},
    "/services/coverage/": dict.fromkeys(ROLES, 403) | {"province": 200, "city": 200, "county": 200,
                                                        "other_city": 200},
    "/services/coverage.xlsx": dict.fromkeys(ROLES, 403) | {"province": 200, "city": 200, "county": 200,
                                                            "other_city": 200},
    "/services/requests/new/": dict.fromkeys(ROLES, 403) | {"officer": 200, "other_officer": 200, "qiye": 200,
                                                            "qiye_b": 200},
    "/services/visits/new/": dict.fromkeys(ROLES, 403) | {"officer": 200, "other_officer": 200},
}


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(world, role):
    client = logged_in(world[role])
    assert {path: client.get(path).status_code for path in PAGES} == {path: s[role] for path, s in PAGES.items()}
    assert ("services" in {m.slug for m in modules_for(world[role])}) == (role not in ("bank", "expert"))


# who sees the request of enterprise A routed to 省科技厅 (B's is routed to 省财政厅)
SEES_A = {"province", "city", "county", "keji", "officer", "qiye"}


@pytest.mark.parametrize("role", ROLES)
def test_a_request_is_seen_by_its_scope_only(world, role):
    a, b = routed(world, "A", "sci_tech"), routed(world, "B", "finance")
    client = logged_in(world[role])
    expected = 200 if role in SEES_A else (403 if role in ("bank", "expert") else 404)
    assert client.get(f"/services/requests/{a.pk}/").status_code == expected
    if role in ("bank", "expert"):
        return
    listed = client.get("/services/").content.decode()
    assert (a.enterprise.name in listed) == (role in SEES_A)
    sees_b = role in {"province", "other_city", "caizheng", "other_officer", "qiye_b"}
    assert (b.enterprise.name in listed) == sees_b


def test_a_county_user_sees_its_county_only(world):
    request = filed(world)  # A lies in 蜀山区
    assert logged_in(world["county"]).get(f"/services/requests/{request.pk}/").status_code == 200
    assert logged_in(world["other_county"]).get(f"/services/requests/{request.pk}/").status_code == 404


def test_a_department_reads_the_request_but_not_the_enterprises_registry_link(world):
    request = routed(world)
    page = logged_in(world["keji"]).get(f"/services/requests/{request.pk}/").content.decode()
    assert "甲精工有限公司" in page and "希望了解申报条件和时间" in page
    assert f"/enterprises/{world['A'].credit_code}/" not in page
    assert "答复" in page and 'data-testid="answer-form"' in page


@pytest.mark.parametrize("role", ROLES)
def test_visits_are_seen_by_their_scope_only(world, role):
    services.visit_record(user=world["officer"], enterprise=world["A"], visited_on=TODAY, way="on_site",
                          topics="宣讲梯度培育政策")
    services.visit_record(user=world["other_officer"], enterprise=world["B"], visited_on=TODAY, way="phone",
                          topics="了解订单情况")
    response = logged_in(world[role]).get("/services/visits/")
    if role in ("keji", "caizheng", "bank", "expert"):
        assert response.status_code == 403
        return
    page = response.content.decode()
    assert ("宣讲梯度培育政策" in page) == (role in {"province", "city", "county", "officer", "qiye"})
    assert ("了解订单情况" in page) == (role in {"province", "other_city", "other_officer", "qiye_b"})


def test_an_action_by_a_role_that_may_not_take_it_is_refused_on_the_page(world):
    request = routed(world)
    client = logged_in(world["qiye"])
    response = client.post(f"/services/requests/{request.pk}/answer/", {"answer": "自己答复"}, follow=True)
    assert "只有省直部门可以答复诉求" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "in_progress" and request.answer == ""
    assert logged_in(world["bank"]).post(f"/services/requests/{request.pk}/answer/", {"answer": "x"}).status_code == 403
