"""Every role × every registry endpoint × own/other scope, with the exact status expected.

"own" is enterprise A (合肥, assigned to the officer, the enterprise user's own); "other" is B (芜湖).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.factories import make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.core.errors import ApplicationError
from zjtx.core.models import AuditEvent
from zjtx.enterprises import services

pytestmark = pytest.mark.django_db

ROLES = ["province", "city", "county", "department", "enterprise", "officer", "bank", "expert"]

# endpoint → expected status per role, for A (own) and B (other); None = same for both.
MATRIX: dict[str, dict[str, tuple[int, int]]] = {
    "page_detail": {"province": (200, 200), "city": (200, 404), "county": (200, 404), "department": (200, 200),
                    "enterprise": (200, 404), "officer": (200, 404), "bank": (403, 403), "expert": (403, 403)},
    "page_edit": {"province": (200, 200), "city": (200, 404), "county": (200, 404), "department": (403, 403),
                  "enterprise": (200, 404), "officer": (403, 403), "bank": (403, 403), "expert": (403, 403)},
    "api_detail": {"province": (200, 200), "city": (200, 404), "county": (200, 404), "department": (200, 200),
                   "enterprise": (200, 404), "officer": (200, 404), "bank": (403, 403), "expert": (403, 403)},
    "api_patch": {"province": (200, 200), "city": (200, 404), "county": (200, 404), "department": (403, 403),
                  "enterprise": (200, 404), "officer": (403, 403), "bank": (403, 403), "expert": (403, 403)},
}
# endpoint → (status, codes visible in the answer) per role, for the lists.
LISTS = {
    "province": (200, {"A", "B"}), "city": (200, {"A"}), "county": (200, {"A"}), "department": (200, {"A", "B"}),
    "enterprise": (200, {"A"}), "officer": (200, {"A"}), "bank": (403, set()), "expert": (403, set()),
}
IMPORT = {"province": 200, "city": 200, "county": 200, "department": 403, "enterprise": 403, "officer": 403,
          "bank": 403, "expert": 403}


@pytest.fixture
def world():
    officer = make_user(Role.OFFICER, "officer")
    a = make_enterprise(city_code="340100", county_code="340104", name="甲企业有限公司", service_officer=officer)
    b = make_enterprise(city_code="340200", name="乙企业有限公司")
    users = {
        "province": make_user(Role.PROVINCE, "province"),
        "city": make_user(Role.CITY, "city", city_code="340100"),
        "county": make_user(Role.CITY, "county", city_code="340100", county_code="340104"),
        "department": make_user(Role.DEPARTMENT, "department", department="sci_tech"),
        "enterprise": make_user(Role.ENTERPRISE, "enterprise", credit_code=a.credit_code),
        "officer": officer,
        "bank": make_user(Role.BANK, "bank"),
        "expert": make_user(Role.EXPERT, "expert"),
    }
    return {"A": a, "B": b, "users": users}


def client_for(world, role: str) -> Client:
    client = Client()
    client.force_login(world["users"][role])
    return client


def call(client: Client, endpoint: str, code: str) -> int:
    if endpoint == "page_detail":
        return client.get(f"/enterprises/{code}/").status_code
    if endpoint == "page_edit":
        return client.get(f"/enterprises/{code}/edit/").status_code
    if endpoint == "api_detail":
        return client.get(f"/api/v1/enterprises/{code}").status_code
    body = json.dumps({"contact_name": "王五"})
    return client.patch(f"/api/v1/enterprises/{code}", body, content_type="application/json").status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_object_endpoints(world, role, endpoint):
    client = client_for(world, role)
    own, other = MATRIX[endpoint][role]
    assert call(client, endpoint, world["A"].credit_code) == own
    assert call(client, endpoint, world["B"].credit_code) == other


@pytest.mark.parametrize("role", ROLES)
def test_lists_and_exports_show_only_the_scope(world, role):
    client = client_for(world, role)
    status, visible = LISTS[role]
    expected = {world[k].credit_code for k in visible}
    page = client.get("/enterprises/")
    api = client.get("/api/v1/enterprises")
    export = client.get("/enterprises/export.xlsx")
    assert (page.status_code, api.status_code, export.status_code) == (status, status, status)
    if status != 200:
        return
    assert {r["credit_code"] for r in api.json()["results"]} == expected
    for key in ("A", "B"):
        code = world[key].credit_code
        assert (code in page.content.decode()) == (code in expected)
        assert (code.encode() in _xlsx_text(export.content)) == (code in expected)


@pytest.mark.parametrize("role", ROLES)
def test_import_pages(world, role):
    client = client_for(world, role)
    assert client.get("/enterprises/import/").status_code == IMPORT[role]
    assert client.get("/enterprises/import/template/enterprises.xlsx").status_code == IMPORT[role]


def test_anonymous_is_sent_to_login_or_refused():
    client = Client()
    assert client.get("/enterprises/").status_code == 302
    assert client.get("/api/v1/enterprises").status_code == 401


def test_enterprise_user_cannot_change_its_city(world):
    # The page shows 所在市 disabled, so the browser does not send it: a posted other city is a tampered
    # form. It was dropped in silence and the rest saved; now it is named and nothing is saved.
    client = client_for(world, "enterprise")
    a = world["A"]
    response = client.post(f"/enterprises/{a.credit_code}/edit/", {
        "credit_code": a.credit_code, "name": "甲企业改名有限公司", "city_code": "340200", "county_code": "",
        "industry_code": "3562"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "所在市：企业用户不能修改，请联系所在市经信部门" in page
    assert "所在县（区）：企业用户不能修改" in page
    a.refresh_from_db()
    assert (a.name, a.city_code, a.county_code) == ("甲企业有限公司", "340100", "340104")
    assert not AuditEvent.objects.filter(action="update").exists()
    response = client.post(f"/enterprises/{a.credit_code}/edit/", {  # what the browser sends
        "name": "甲企业改名有限公司", "industry_code": "3562"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.name, a.city_code, a.county_code) == ("甲企业改名有限公司", "340100", "340104")


def _xlsx_text(content: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/"))


def test_city_user_cannot_move_an_enterprise_to_another_city(world):
    a = world["A"]
    client = client_for(world, "city")
    page = client.get(f"/enterprises/{a.credit_code}/edit/").content.decode()
    assert 'value="340200"' not in page and 'value="340202"' not in page  # 芜湖市, 镜湖区 not offered
    response = client.post(f"/enterprises/{a.credit_code}/edit/", {
        "name": a.name, "city_code": "340200", "county_code": "", "industry_code": "3562"})
    assert response.status_code == 200 and "只能选择本市（合肥市）" in response.content.decode()
    a.refresh_from_db()
    assert a.city_code == "340100" and not AuditEvent.objects.filter(action="update").exists()


def test_county_user_cannot_move_an_enterprise_to_another_county(world):
    a = world["A"]
    client = client_for(world, "county")
    page = client.get(f"/enterprises/{a.credit_code}/edit/").content.decode()
    assert 'value="340111"' not in page  # 包河区
    response = client.post(f"/enterprises/{a.credit_code}/edit/", {
        "name": a.name, "city_code": "340100", "county_code": "340111", "industry_code": "3562"})
    assert response.status_code == 200 and "只能选择本县（区）（蜀山区）" in response.content.decode()
    a.refresh_from_db()
    assert a.county_code == "340104"


def test_the_service_refuses_a_move_out_of_scope_with_a_field_error(world):
    a = world["A"]
    with pytest.raises(ApplicationError) as error:
        services.enterprise_update(user=world["users"]["county"], enterprise=a, data={"county_code": "340111"})
    assert (error.value.field, error.value.message) == ("county_code", "所在县（区）：只能选择本县（区）（蜀山区）")
    with pytest.raises(ApplicationError) as error:
        services.enterprise_update(user=world["users"]["city"], enterprise=a,
                                   data={"city_code": "340200", "county_code": ""})
    assert (error.value.field, error.value.message) == ("city_code", "所在市：只能选择本市（合肥市）")
    a.refresh_from_db()
    assert (a.city_code, a.county_code) == ("340100", "340104")


def test_province_may_move_an_enterprise_anywhere(world):
    a = world["A"]
    services.enterprise_update(user=world["users"]["province"], enterprise=a,
                               data={"city_code": "340200", "county_code": "340202"})
    a.refresh_from_db()
    assert (a.city_code, a.county_code) == ("340200", "340202")
