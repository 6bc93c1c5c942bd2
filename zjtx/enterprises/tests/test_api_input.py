"""The registry API refuses bad query and body values with a 400 naming the field, never a 500."""

from __future__ import annotations

import json

import pytest

from tests.factories import city_user, logged_in, make_enterprise, make_user, province_user
from zjtx.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("query", "field", "message"), [
    ("after=9223372036854775808", "after", "after（游标 after）：应不大于 9223372036854775807"),
    ("before=99999999999999999999", "before", "before（游标 before）：应不大于"),
    ("after=0", "after", "应不小于 1"),
    ("limit=abc", "limit", "limit（每页条数）：应为整数，收到 'abc'"),
    ("q=a%00b", "q", "q（关键词）：不能包含空字符"),
    ("tier=gold", "tier", "tier（梯度层级）：取值应为 innovative、"),
    # An unknown place or industry matched nothing: an empty list, as if none were registered there.
    ("city=999999", "city", "不是安徽省的设区市行政区划代码（如 340100）"),
    ("county=合肥", "county", "不是安徽省的县（市、区）行政区划代码（如 340104）"),
    ("emerging=新材料", "emerging", "取值应为 next_gen_it、ai、"),
])
def test_bad_list_queries_are_refused_naming_the_field(query, field, message):
    response = logged_in(city_user()).get(f"/api/v1/enterprises?{query}")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert message in response.json()["message"], response.json()["message"]


def test_an_empty_tier_means_no_filter_and_none_means_not_in_the_ladder():
    make_enterprise(tier="")
    make_enterprise(tier="innovative")
    client = logged_in(city_user())
    assert client.get("/api/v1/enterprises?tier=").json()["count"] == 2
    assert client.get("/api/v1/enterprises?tier=none").json()["count"] == 1
    assert client.get("/api/v1/enterprises?tier=innovative").json()["count"] == 1
    assert client.get("/api/v1/enterprises?size=").json()["count"] == 2


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"emerging_industry": None}, "emerging_industry", '十大新兴产业）：不能为 null；清空请传空字符串 ""'),
    ({"contact_name": "a\u0000b"}, "contact_name", "联系人）：不能包含空字符"),
    ({"registered_capital": "lots"}, "registered_capital", "注册资本（万元））：应为数字"),
    ({"founded_on": "2020-02-30"}, "founded_on", "成立日期）：应为有效日期"),
])
def test_bad_patch_values_are_refused_and_change_nothing(body, field, message):
    enterprise = make_enterprise(contact_name="张三", emerging_industry="新材料")
    response = logged_in(city_user()).patch(f"/api/v1/enterprises/{enterprise.credit_code}", json.dumps(body),
                                            content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert message in response.json()["message"], response.json()["message"]
    stored = Enterprise.objects.get(pk=enterprise.pk)
    assert (stored.contact_name, stored.emerging_industry) == ("张三", "新材料")


def test_an_empty_string_clears_a_text_field():
    enterprise = make_enterprise(emerging_industry="新材料")
    response = logged_in(city_user()).patch(f"/api/v1/enterprises/{enterprise.credit_code}",
                                            json.dumps({"emerging_industry": ""}), content_type="application/json")
    assert response.status_code == 200, response.content
    assert Enterprise.objects.get(pk=enterprise.pk).emerging_industry == ""


@pytest.mark.parametrize("body", [{"capital": "100"}, {"city": "340200"}, {"name": "新名称", "phone": "123"}])
def test_a_field_the_registry_does_not_have_is_refused_not_ignored(body):
    enterprise = make_enterprise(name="原名称")
    response = logged_in(city_user()).patch(f"/api/v1/enterprises/{enterprise.credit_code}", json.dumps(body),
                                            content_type="application/json")
    assert response.status_code == 400, response.content
    assert "不是可用的字段" in response.json()["message"]
    assert Enterprise.objects.get(pk=enterprise.pk).name == "原名称"


def test_the_province_moves_an_enterprise_to_another_city_through_the_api():
    enterprise = make_enterprise(county_code="340104")
    response = logged_in(province_user()).patch(f"/api/v1/enterprises/{enterprise.credit_code}",
                                                json.dumps({"city_code": "340200", "county_code": "340202"}),
                                                content_type="application/json")
    assert response.status_code == 200, response.content
    assert (response.json()["city_code"], response.json()["county_code"]) == ("340200", "340202")


def test_a_city_user_cannot_move_an_enterprise_out_of_its_city_through_the_api():
    enterprise = make_enterprise()
    response = logged_in(city_user()).patch(f"/api/v1/enterprises/{enterprise.credit_code}",
                                            json.dumps({"city_code": "340200"}), content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "city_code"
    assert Enterprise.objects.get(pk=enterprise.pk).city_code == "340100"


def test_an_enterprise_user_is_told_it_cannot_move_itself():
    enterprise = make_enterprise(county_code="340104")
    user = make_user("enterprise", credit_code=enterprise.credit_code)
    response = logged_in(user).patch(f"/api/v1/enterprises/{enterprise.credit_code}",
                                     json.dumps({"county_code": "340111", "contact_name": "李四"}),
                                     content_type="application/json")
    assert response.status_code == 403, response.content
    assert response.json()["field"] == "county_code"
    assert "企业用户不能修改" in response.json()["message"]
    stored = Enterprise.objects.get(pk=enterprise.pk)
    assert (stored.county_code, stored.contact_name) == ("340104", "")
    # Its own place sent back unchanged (a client echoing the record) is no change and passes.
    echo = logged_in(user).patch(f"/api/v1/enterprises/{enterprise.credit_code}",
                                 json.dumps({"county_code": "340104", "contact_name": "李四"}),
                                 content_type="application/json")
    assert echo.status_code == 200, echo.content
