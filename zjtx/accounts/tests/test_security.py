"""Login throttling, session/CSRF settings and security headers (Django's deployment checklist)."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import make_user
from zjtx.accounts.roles import Role

pytestmark = pytest.mark.django_db


def login(client: Client, password: str):
    return client.post("/accounts/login/", {"username": "hefei", "password": password}, REMOTE_ADDR="10.0.0.7")


def test_login_works_and_shows_the_city_badge():
    make_user(Role.CITY, "hefei", city_code="340100", county_code="340104")
    client = Client()
    assert login(client, "pw-Test-12345").status_code == 302
    page = client.get("/").content.decode()
    assert "合肥市 · 蜀山区" in page and "市级管理员" in page


def test_wrong_password_message_is_chinese():
    make_user(Role.CITY, "hefei", city_code="340100")
    response = login(Client(), "wrong")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password():
    make_user(Role.CITY, "hefei", city_code="340100")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong")
    locked = login(client, "pw-Test-12345")
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_security_headers_and_cookies():
    client = Client()
    client.force_login(make_user(Role.PROVINCE, "p"))
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def test_csrf_is_enforced_on_forms():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.PROVINCE, "p"))
    assert client.post("/enterprises/import/", {}).status_code == 403


def test_an_opened_logout_link_asks_and_the_form_logs_out():
    make_user(Role.CITY, "hefei", city_code="340100")
    client = Client()
    login(client, "pw-Test-12345")
    page = client.get("/accounts/logout/")
    assert page.status_code == 200 and "确认退出" in page.content.decode()
    assert client.get("/").status_code == 200  # still logged in after the GET
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302
    assert client.get("/accounts/logout/").url == "/accounts/login/"
