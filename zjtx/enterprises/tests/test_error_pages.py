"""Refusals and missing pages are explained in Chinese inside the site's frame, not Django's bare pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import city_user, make_enterprise, make_user
from zjtx.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_refusal_shows_its_reason_in_the_site_frame():
    client = Client()
    client.force_login(make_user(Role.BANK, "bank-user"))
    page = client.get("/policy/whatif/")
    text = page.content.decode()
    assert page.status_code == 403
    assert "无权访问" in text and "只有省级政策管理人员可以发起全省测算和政策模拟" in text
    assert "安徽省专精特新企业培育平台" in text  # the site's title, so the menu is there to go on


def test_a_missing_page_or_an_enterprise_out_of_scope_says_so_in_chinese():
    client = Client()
    client.force_login(city_user("340200"))
    unknown = client.get("/no/such/page/")
    assert unknown.status_code == 404 and "您要找的页面不存在" in unknown.content.decode()
    assert "Resolver404" not in unknown.content.decode()
    enterprise = make_enterprise(city_code="340100")
    other_city = client.get(f"/enterprises/{enterprise.credit_code}/")
    assert other_city.status_code == 404 and "企业不存在或不在您的管辖范围内" in other_city.content.decode()
