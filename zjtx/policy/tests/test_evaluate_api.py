"""POST /api/v1/policy/evaluate: every refusal is {code, message, field} in Chinese naming table, row and column."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.factories import city_user, credit_code
from zjtx.policy.schemas import MAX_ENTERPRISES

pytestmark = pytest.mark.django_db
CODE = credit_code("340100", 1)


def _payload(**change: Any) -> dict[str, Any]:
    enterprise = {"credit_code": CODE, "city_code": "340100", "county_code": "340104", "industry_code": "35",
                  "founded_on": "2015-01-01", "current_tier": "srdi"}
    payload: dict[str, Any] = {"as_of": "2024-06-01", "enterprises": [enterprise],
                               "indicators": [{"credit_code": CODE, "year": 2023, "revenue": 5000}],
                               "events": [{"credit_code": CODE, "kind": "four_transformations_project",
                                           "date": "2024-02-01", "amount": "8000"}]}
    for path, value in change.items():
        table, index, column = path.split("__")
        payload[table][int(index)][column] = value
    return payload


def _post(payload: Any, client: Client | None = None) -> Any:
    client = client or _client()
    return client.post("/api/v1/policy/evaluate", json.dumps(payload), content_type="application/json")


def _client() -> Client:
    client = Client()
    client.force_login(city_user())
    return client


def test_a_valid_request_without_emerging_industry_evaluates_and_money_reads_as_decimal_text():
    response = _post(_payload())
    assert response.status_code == 200, response.content
    four = [e for e in response.json()["entitlements"] if e["award"].startswith("four_transformations")]
    assert four[0]["amount"] == "500"
    assert response.json()["unmet"]
    assert _post({**_payload(), "unmet": False}).json()["unmet"] == []


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"indicators__0__revenue": "abc"}, "indicators[0].revenue",
     "年度指标表第 1 行：revenue（营业收入（万元））：应为数字，收到 'abc'"),
    ({"events__0__amount": "lots"}, "events[0].amount", "事件表第 1 行：amount"),
    ({"enterprises__0__founded_on": "2015-02-30"}, "enterprises[0].founded_on", "成立日期）：应为有效日期"),
    ({"enterprises__0__founded_on": 1700000000}, "enterprises[0].founded_on", "应为有效日期"),
    ({"enterprises__0__niche_years": "many"}, "enterprises[0].niche_years", "应为整数，收到 'many'"),
    ({"enterprises__0__niche_years": {"a": 1}}, "enterprises[0].niche_years", "应为整数"),
    ({"indicators__0__year": 2023.5}, "indicators[0].year", "年度指标表第 1 行：year（年度）：应为整数"),
    ({"enterprises__0__dev_eval_score": 500}, "enterprises[0].dev_eval_score", "应不大于 100"),
    ({"enterprises__0__current_tier": "gold"}, "enterprises[0].current_tier", "取值应为"),
    ({"enterprises__0__revenu": 1}, "enterprises[0].revenu", "不是可用的字段"),
    ({"enterprises__0__credit_code": "abc"}, "enterprises[0].credit_code", "企业表第 1 行：credit_code"),
    ({"enterprises__0__city_code": "999999"}, "enterprises[0].city_code", "应为16个设区市的6位代码之一"),
    ({"enterprises__0__county_code": "340202"}, "enterprises[0].county_code", "不属于所在市"),
    ({"indicators__0__credit_code": credit_code("340100", 2)}, "indicators[0].credit_code",
     "不在本次请求的企业表中"),
    ({"events__0__date": "2024-02-30"}, "events[0].date", "事件表第 1 行：date（事件日期）：应为有效日期"),
    ({"enterprises__0__industry_code": "4"}, "enterprises[0].industry_code", "应为2或4位数字"),
])
def test_a_wrong_value_is_refused_naming_table_row_and_column(change, field, message):
    response = _post(_payload(**change))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["field"] == field
    assert message in body["message"], body["message"]


@pytest.mark.parametrize(("payload", "field", "message"), [
    ({**_payload(), "as_of": "2024-13-45"}, "as_of", "as_of（测算日期）：应为有效日期"),
    ({"enterprises": _payload()["enterprises"]}, "as_of", "as_of（测算日期）：必须填写"),
    ({**_payload(), "enterprises": "x"}, "enterprises", "应为数组"),
    ({**_payload(), "enterprises": []}, "enterprises", "enterprises（企业表）"),
    ({**_payload(), "as_of": "2020-01-01"}, "as_of", "criteria"),
])
def test_request_errors_are_chinese_json_with_the_field(payload, field, message):
    response = _post(payload)
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"code", "message", "field"} and body["field"] == field
    assert message in body["message"], body["message"]


def test_too_many_enterprises_are_refused_before_any_work():
    rows = _payload()["enterprises"] * (MAX_ENTERPRISES + 1)
    response = _post({**_payload(), "enterprises": rows})
    assert response.status_code == 400
    assert response.json()["field"] == "enterprises"
    assert f"最多 {MAX_ENTERPRISES} 项" in response.json()["message"]


def test_engine_errors_name_their_table_and_column():
    payload = _payload()
    payload["enterprises"].append(dict(payload["enterprises"][0]))
    body = _post(payload).json()
    assert "credit_code（统一社会信用代码）重复" in body["message"]
    assert body["field"].startswith("enterprises")


def test_auth_csrf_and_bad_json_errors_are_chinese_json():
    anonymous = Client()
    body = anonymous.get("/api/v1/enterprises").json()
    assert body == {"code": "unauthenticated", "message": "请先登录（本接口使用登录后的会话）", "field": None}
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(city_user())
    response = _post(_payload(), strict)
    assert response.status_code == 403 and response.json()["code"] == "csrf"
    assert "X-CSRFToken" in response.json()["message"]
    response = _client().post("/api/v1/policy/evaluate", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["message"] == "请求体不是有效的 JSON"
    assert _client().get("/api/v1/enterprises?limit=abc").json()["message"] == "limit（每页条数）：应为整数，收到 'abc'"


def test_the_reference_lists_the_input_columns_and_the_error_response():
    schema = _client().get("/api/v1/openapi.json").json()
    row = schema["components"]["schemas"]["EnterprisesRow"]
    assert {"credit_code", "city_code", "founded_on", "current_tier"} <= set(row["required"])
    assert "emerging_industry" not in row["required"] and "niche_years" in row["properties"]
    assert row["additionalProperties"] is False
    responses = schema["paths"]["/api/v1/policy/evaluate"]["post"]["responses"]
    assert {"200", "400", "403"} <= set(responses)
    assert "字符串" in schema["info"]["description"]  # money as decimal text, documented
