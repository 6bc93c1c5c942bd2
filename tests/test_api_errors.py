"""The API's refusals that schemathesis found undocumented, English or not JSON, one plain test each."""

from __future__ import annotations

from typing import Any

import pytest
from django.middleware.csrf import _get_new_csrf_string  # type: ignore[attr-defined]
from django.test import Client

from tests.factories import logged_in, make_enterprise, province_user

pytestmark = pytest.mark.django_db

ERROR = "#/components/schemas/ErrorOut"


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "field"}
    return body


def test_a_method_an_address_does_not_take_is_refused_in_chinese_json() -> None:
    response = logged_in(province_user()).delete("/api/v1/policy/evaluate")
    body = _error(response, 405)
    assert body["code"] == "method_not_allowed"
    assert body["message"] == "不支持该请求方法：DELETE（本地址只接受 POST）"
    assert response["Allow"] == "POST"


@pytest.mark.parametrize("url", ["/api/v1/", "/api/v1/nope", "/api/v1/enterprises/x/y", "/api/v2/enterprises"])
def test_an_address_under_api_that_is_no_operation_is_refused_in_json(url: str) -> None:
    body = _error(logged_in(province_user()).get(url), 404)
    assert body["code"] == "not_found" and "/api/v1/docs" in body["message"]
    assert _error(Client(enforce_csrf_checks=True).post(url, {}), 404)["code"] == "not_found"


def test_a_form_body_without_boundary_is_refused_in_json() -> None:
    # The CSRF check reads the form (the test client skips it unless told to enforce it).
    client = Client(enforce_csrf_checks=True)
    client.force_login(province_user())
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    response = client.generic("POST", "/api/v1/policy/evaluate", b'{"as_of": "2026-01-01"}',
                              content_type="multipart/form-data", HTTP_X_CSRFTOKEN=token)
    assert "Content-Type: application/json" in _error(response, 400)["message"]


def test_a_body_over_the_upload_limit_is_refused_in_json(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = logged_in(province_user()).post("/api/v1/policy/evaluate", b"[" + b" " * 1024 * 1024 + b"]",
                                               content_type="application/json")
    body = _error(response, 413)
    assert body["code"] == "too_large" and body["message"] == "请求体过大：最多 1 MB"
    assert "413" in _openapi()["paths"]["/api/v1/policy/evaluate"]["post"]["responses"]


@pytest.mark.parametrize("value", ["0", "-6.8e-290", "1767225600"])
def test_a_number_is_not_taken_for_a_date(value: str) -> None:
    # pydantic would read a whole day of seconds as a Unix timestamp: 1767225600 is 2026-01-01.
    client = logged_in(province_user())
    body = _error(client.get(f"/api/v1/policy/parameters?as_of={value}"), 400)
    assert body["field"] == "as_of" and "YYYY-MM-DD" in body["message"]
    payload = {"as_of": float(value), "enterprises": [{"credit_code": "x"}]}
    assert _error(client.post("/api/v1/policy/evaluate", payload, content_type="application/json"),
                  400)["field"] == "as_of"


def test_a_number_is_not_stored_as_a_founding_date() -> None:
    enterprise = make_enterprise()
    response = logged_in(province_user()).patch(f"/api/v1/enterprises/{enterprise.credit_code}",
                                                {"founded_on": 1577836800}, content_type="application/json")
    assert _error(response, 400)["field"] == "founded_on"
    enterprise.refresh_from_db()
    assert enterprise.founded_on is None


def _openapi() -> dict[str, Any]:
    return logged_in(province_user()).get("/api/v1/openapi.json").json()


def test_every_operation_documents_its_refusals() -> None:
    paths = _openapi()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            responses = operation["responses"]
            refusals = {status for status in responses if status.startswith("4")}
            assert {"401", "403"} <= refusals, (method, path)
            if "{" in path:
                assert "404" in refusals, (method, path)
            for status in refusals:
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": ERROR}, (method, path, status)
    for action in ("approve", "pay"):
        assert "409" in paths[f"/api/v1/awards/entitlements/{{pk}}/{action}"]["post"]["responses"]


def test_choice_parameters_list_their_values() -> None:
    paths = _openapi()["paths"]

    def enum(path: str, name: str) -> list[str]:
        parameters = paths[path]["get"]["parameters"]
        return next(p["schema"]["enum"] for p in parameters if p["name"] == name)

    assert enum("/api/v1/awards/entitlements", "status")[:2] == ["", "awaiting_account"]
    assert "340100" in enum("/api/v1/awards/payments", "city")
    assert enum("/api/v1/enterprises", "tier")[:3] == ["", "none", "innovative"]
    assert enum("/api/v1/enterprises", "size") == ["", "none", "large", "medium", "small", "micro"]
    assert "340100" in enum("/api/v1/enterprises", "city") and enum("/api/v1/enterprises", "emerging")[0] == ""


def test_patch_text_fields_are_documented_as_text_never_null() -> None:
    properties = _openapi()["components"]["schemas"]["EnterprisePatch"]["properties"]
    assert properties["name"] == {"title": "Name", "type": "string"}
    assert {"type": "null"} in properties["founded_on"]["anyOf"]  # a date may be cleared with null
