"""The list's filters: county choices follow the city and the user's scope, industry codes as prefixes,
and cursors beyond the data."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import city_user, make_enterprise, make_user, province_user
from zjtx.accounts.roles import Role
from zjtx.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*id="id_{name}".*?</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def codes_in(content: bytes) -> set[str]:
    return {e.credit_code for e in Enterprise.objects.all() if e.credit_code.encode() in content}


def test_choosing_a_city_by_htmx_refreshes_the_county_choices_and_drops_a_county_of_another_city():
    jinghu = make_enterprise(city_code="340200", county_code="340202")
    shushan = make_enterprise(county_code="340104")
    client = client_for(province_user())
    response = client.get("/enterprises/", {"city": "340100", "county": "340202"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert '<select name="county" id="id_county" hx-swap-oob="true">' in html
    assert "340104" in options(html, "county") and "340202" not in options(html, "county")
    assert codes_in(response.content) == {shushan.credit_code}
    assert jinghu.credit_code not in html
    assert response["HX-Push-Url"] == "/enterprises/?city=340100"


@pytest.mark.parametrize(("user_kind", "cities", "counties"), [
    ("county", ["340100"], ["340104"]),
    ("city", ["340100"], None),
    ("officer", ["", "340100"], ["", "340104"]),
    ("enterprise", ["", "340200"], ["", "340202"]),
])
def test_filter_choices_stay_within_what_the_user_can_see(user_kind, cities, counties):
    officer = make_user(Role.OFFICER)
    make_enterprise(county_code="340104", service_officer=officer)
    own = make_enterprise(city_code="340200", county_code="340202")
    user = {
        "county": lambda: city_user(county_code="340104"),
        "city": lambda: city_user(),
        "officer": lambda: officer,
        "enterprise": lambda: make_user(Role.ENTERPRISE, credit_code=own.credit_code),
    }[user_kind]()
    html = client_for(user).get("/enterprises/").content.decode()
    assert options(html, "city") == cities
    if counties is None:
        assert options(html, "county")[:2] == ["", "340102"] and len(options(html, "county")) > 5
    else:
        assert options(html, "county") == counties


@pytest.mark.parametrize(("typed", "expected"), [("35", {"3562", "3590"}), ("356", {"3562"}), ("C356", {"3562"}),
                                                 ("3562", {"3562"}), ("３５", {"3562", "3590"})])
def test_industry_codes_of_two_to_four_digits_match_as_prefixes(typed, expected):
    for code in ("3562", "3590", "3866"):
        make_enterprise(industry_code=code)
    response = client_for(province_user()).get("/enterprises/", {"industry": typed})
    found = {e.industry_code for e in Enterprise.objects.all() if e.credit_code.encode() in response.content}
    assert found == expected
    assert b'data-testid="industry-error"' not in response.content


@pytest.mark.parametrize("typed", ["ab", "99", "5", "35621"])
def test_a_code_that_is_not_an_industry_code_is_said_so(typed):
    make_enterprise(industry_code="3562")
    response = client_for(province_user()).get("/enterprises/", {"industry": typed})
    html = response.content.decode()
    assert f"行业代码“{typed}”不是有效的国民经济行业代码" in html
    assert len(codes_in(response.content)) == 1  # the condition is not applied


def test_a_cursor_beyond_the_data_shows_the_first_page_with_a_note():
    make_enterprise()
    response = client_for(province_user()).get("/enterprises/", {"after": "99999999"})
    html = response.content.decode()
    assert len(codes_in(response.content)) == 1
    assert "翻页位置已失效" in html and "没有符合条件的企业" not in html


def test_the_api_matches_industry_prefixes_and_refuses_a_bad_code_by_field():
    make_enterprise(industry_code="3866")
    client = client_for(province_user())
    assert client.get("/api/v1/enterprises", {"industry": "C386"}).json()["count"] == 1
    response = client.get("/api/v1/enterprises", {"industry": "ab"})
    assert response.status_code == 400 and response.json()["field"] == "industry"


def test_a_filter_value_the_page_does_not_offer_is_named_and_not_applied():
    # An old bookmark or an edited address: 芜湖 is not among a 合肥 user's cities, "bogus" is no tier. Each
    # emptied the list without a word; now each is named and the rest of the list shows.
    own, other = make_enterprise(tier="provincial"), make_enterprise(city_code="340200")
    client = client_for(city_user())
    html = client.get("/enterprises/", {"city": "340200", "tier": "bogus", "size": "huge"}).content.decode()
    assert "所在市“340200”不是可选项（此条件未使用）" in html
    assert "梯度层级“bogus”不是可选项（此条件未使用）" in html and "企业规模“huge”不是可选项" in html
    assert codes_in(html.encode()) == {own.credit_code}
    export = client.get("/enterprises/export.xlsx", {"tier": "bogus"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert codes_in(client.get("/enterprises/", {"tier": "provincial"}).content) == {own.credit_code}
    assert codes_in(client_for(province_user()).get("/enterprises/", {"tier": "x"}).content) == {
        own.credit_code, other.credit_code}
