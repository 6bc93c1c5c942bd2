"""Schemathesis against the JSON API (/api/v1/): every operation, as each kind of user, in-process.

The requests go through Django's WSGI handler with a real session cookie and CSRF token, so login,
CSRF, access rules and error handlers are the ones a client meets. Generation is derandomized and
small, so the run is the same every time and short. Besides schemathesis' own checks (no 5xx, status
codes and bodies as documented), every error must be the documented {code, message, field} in Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string  # type: ignore[attr-defined]
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from tests.factories import logged_in, make_enterprise, make_indicator, make_user
from zjtx.accounts.roles import Role
from zjtx.awards import services as awards_services
from zjtx.awards.tests.conftest import national_entitlement
from zjtx.tiers.tests.conftest import TODAY, _pinned_clock, open_batch, qualifying_enterprise, submit

__all__ = ["_pinned_clock"]

pytestmark = pytest.mark.django_db

APP = WSGIHandler()
ROLES = ("province", "city", "county", "department", "enterprise", "bank", "expert", "anonymous")
SESSIONS: dict[str, str] = {}  # role → session key, filled by the `world` fixture
CHINESE = re.compile(r"[\u4e00-\u9fff]")
FAST = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"], "ZJTX_TODAY": TODAY,
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}}


def _build_world() -> dict[str, Any]:
    """Demo-like data: enterprises in two cities, an open batch with an application, a budget, and a
    小巨人 award waiting for the province's approval."""
    province = make_user(Role.PROVINCE, username="province")
    city = make_user(Role.CITY, username="hefei", city_code="340100")
    own = qualifying_enterprise()
    others = [make_enterprise("340100" if n % 2 else "340200") for n in range(4)]
    for other in others:
        make_indicator(other, 2024)
    users = {
        "province": province, "city": city,
        "county": make_user(Role.CITY, username="shushan", city_code="340100", county_code="340104"),
        "department": make_user(Role.DEPARTMENT, username="keji", department="科技厅"),
        "enterprise": make_user(Role.ENTERPRISE, username="qiye", credit_code=own.credit_code),
        "bank": make_user(Role.BANK, username="bank"),
        "expert": make_user(Role.EXPERT, username="expert"),
    }
    batch = open_batch(province)
    submit(users["enterprise"], batch)
    awards_services.budget_set(user=province, year=TODAY.year, funding_level="省级", allocated="500")
    ready = national_entitlement({"province": province}, own)
    awards_services.entitlement_confirm_account(user=users["enterprise"], entitlement=ready, account_name=own.name,
                                                bank_name="徽商银行合肥分行", account_no="6228480012345678")
    awards_services.entitlement_city_check(user=city, entitlement=ready, approve=True)
    SESSIONS.clear()
    SESSIONS.update({role: logged_in(user).cookies["sessionid"].value for role, user in users.items()})
    return {"users": users, "enterprise": own, "outside": others[0], "batch": batch, "ready": ready}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Built once for the module inside a transaction rolled back at its end; each test runs in a
    savepoint inside it, so what one test changes the next does not see."""
    with django_db_blocker.unblock(), override_settings(**FAST), _one_connection(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@contextmanager
def _one_connection() -> Iterator[None]:
    """Django closes the database connection when a request ends (outside a test client, which avoids it
    the same way): that would end the test's transaction after the first request."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


# Where a value of the documented type can still be refused with 400 because it must name something that
# exists (a credit code with its check character, a region, an industry division of GB/T 4754, rows of one
# table referring to another), "schema-valid" data may get a documented 400 instead of a 2xx: there the
# check that valid data is accepted cannot apply. (Its expected statuses set for one operation in the
# config leak to every operation in schemathesis 4.32.5, so it is left out here instead.)
REFERENCE_CHECKED = {
    "POST /api/v1/policy/evaluate",  # credit codes, region codes, rows referring to the enterprise table
    "GET /api/v1/enterprises",  # industry: a GB/T 4754 division; county: one of Anhui's
    "GET /api/v1/awards/payments",  # batch: an existing application batch
    "PATCH /api/v1/enterprises/{code}",  # city, county within it, industry code
}


def _config(role: str) -> dict[str, Any]:
    """Examples and 15 generated cases per operation for each role; the coverage phase (boundary values,
    missing and wrong-typed parameters, methods an address does not take), which costs most of the time
    and does not depend on who asks, once, as province."""
    return {
        # The session cookie is set by the test, not generated or left out (that is the anonymous run's).
        "generation": {"max-examples": 15, "deterministic": True, "database": "none",
                       "with-security-parameters": False},
        "phases": {"coverage": {"enabled": role == "province"}},
        "operations": [
            # Its coverage phase alone is 700 requests through the engine (half the run); the tables it takes
            # are fuzzed here and checked cell by cell in zjtx/policy/tests (test_evaluate_api, test_property).
            {"include-path": "/api/v1/policy/evaluate", "phases": {"coverage": {"enabled": False}}},
        ],
    }


def _schema(role: str) -> Any:
    from config.api import api

    config = SchemathesisConfig.from_dict(_config(role))
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=config)
    loaded.app = APP

    @loaded.auth(refresh_interval=None)
    class SessionCookie:
        def get(self, case: Any, ctx: Any) -> str | None:
            return SESSIONS.get(role)

        def set(self, case: Any, data: str, ctx: Any) -> None:
            case.cookies = {**(case.cookies or {}), "sessionid": data}

    return loaded


def check_error_shape(case: Any, response: Any) -> None:
    """Every refusal is the documented JSON shape with a Chinese message."""
    if response.status_code < 400:
        return
    request = f"{case.as_curl_command()}\n→ {response.status_code}"
    assert response.headers["content-type"][0].startswith("application/json"), f"{request} {response.text}"
    body = response.json()
    assert set(body) == {"code", "message", "field"}, f"{request} {body}"
    assert CHINESE.search(body["message"]), f"{request} {body}"


SCHEMAS = {role: _schema(role) for role in ROLES}


def _as(role: str) -> Any:
    schema = SCHEMAS[role]
    if role not in ("province", "anonymous"):
        # The policy engine's API answers every logged-in user alike: fuzzing it once (as province) is enough.
        schema = schema.exclude(path_regex="^/api/v1/policy/")

    # The test database's savepoint is per operation, not per generated case (pytest-django's function
    # fixture): the cases of one operation see what the earlier ones changed, as a client's requests would.
    @schema.parametrize()
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    def test(case: Any, world: dict[str, Any]) -> None:
        token = _get_new_csrf_string()
        skipped = [positive_data_acceptance] if case.operation.label in REFERENCE_CHECKED else []
        response = case.call_and_validate(cookies={"csrftoken": token}, headers={"X-CSRFToken": token},
                                          excluded_checks=skipped)
        check_error_shape(case, response)

    return test


test_as_province = _as("province")
test_as_city = _as("city")
test_as_county = _as("county")
test_as_department = _as("department")
test_as_enterprise = _as("enterprise")
test_as_bank = _as("bank")
test_as_expert = _as("expert")
test_as_anonymous = _as("anonymous")


# State-changing operations on the world's real records: generated ids almost never name one, so they are
# walked through here, each response still checked against the schema by schemathesis.
def _call(role: str, method: str, path: str, **parts: Any) -> Any:
    """One request as `role`, validated like the generated ones (auth enforcement is the anonymous run's)."""
    case = SCHEMAS[role][path][method].Case(**parts)
    case.cookies = {"sessionid": SESSIONS[role]} if role in SESSIONS else {}
    token = _get_new_csrf_string()
    response = case.call_and_validate(cookies={"csrftoken": token}, headers={"X-CSRFToken": token},
                                      excluded_checks=[ignored_auth])
    check_error_shape(case, response)
    return response


def test_province_approves_and_pays_once_through_the_api(world: dict[str, Any]) -> None:
    from zjtx.awards.models import Entitlement, LedgerEntry
    from zjtx.core.models import AuditEvent

    pk = {"pk": world["ready"].pk}
    approve, pay = "/api/v1/awards/entitlements/{pk}/approve", "/api/v1/awards/entitlements/{pk}/pay"
    assert _call("city", "POST", approve, path_parameters=pk).json()["code"] == "forbidden"
    assert _call("enterprise", "POST", approve, path_parameters=pk).status_code == 403
    assert _call("bank", "POST", approve, path_parameters=pk).status_code == 403
    assert _call("province", "POST", pay, path_parameters=pk).status_code == 409  # not approved yet

    approved = _call("province", "POST", approve, path_parameters=pk)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert _call("province", "POST", approve, path_parameters=pk).json()["code"] == "illegal_transition"
    paid = _call("province", "POST", pay, path_parameters=pk)
    assert paid.status_code == 200 and paid.json()["kind"] == "payment"
    assert _call("province", "POST", pay, path_parameters=pk).status_code == 409

    assert Entitlement.objects.get(pk=world["ready"].pk).status == "paid"
    assert LedgerEntry.objects.filter(entitlement=world["ready"]).count() == 1
    actions = AuditEvent.objects.filter(target_id=str(world["ready"].pk)).values_list("action", flat=True)
    assert {"awards.approve", "awards.pay"} <= set(actions)


def test_enterprise_changes_through_the_api_are_stored_or_refused_by_field(world: dict[str, Any]) -> None:
    from zjtx.core.models import AuditEvent
    from zjtx.enterprises.models import Enterprise

    path, code = "/api/v1/enterprises/{code}", world["enterprise"].credit_code
    changed = _call("city", "PATCH", path, path_parameters={"code": code}, body={"contact_name": "李四"})
    assert changed.status_code == 200 and changed.json()["contact_name"] == "李四"
    assert AuditEvent.objects.filter(action="update", target_id=code).exists()

    moved = _call("enterprise", "PATCH", path, path_parameters={"code": code}, body={"city_code": "340200"})
    assert moved.status_code == 403 and moved.json()["field"] == "city_code"
    dated = _call("city", "PATCH", path, path_parameters={"code": code}, body={"founded_on": 1577836800})
    assert dated.status_code == 400 and dated.json()["field"] == "founded_on"
    assert _call("bank", "PATCH", path, path_parameters={"code": code}, body={"name": "改名"}).status_code == 403
    outside = {"code": world["outside"].credit_code}  # 芜湖: outside 合肥's and 蜀山区's scope
    assert _call("county", "GET", path, path_parameters=outside).status_code == 404
    assert _call("city", "PATCH", path, path_parameters=outside, body={"name": "改名"}).status_code == 404

    stored = Enterprise.objects.get(credit_code=code)
    assert (stored.contact_name, stored.city_code, stored.founded_on) == ("李四", "340100", None)
