"""The API reference renders from the site's own files (no CDN on a government intranet) for logged-in users."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.factories import make_user
from zjtx.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_logged_in_user_reads_the_api_reference(browser, live_server):
    browser.goto(f"{live_server.url}/api/v1/docs")
    browser.wait_for_url("**/accounts/login/**")  # not public, like every page
    make_user(Role.CITY, "hefei", city_code="340100")
    login(browser, live_server, "hefei")
    outside = []
    browser.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    browser.goto(f"{live_server.url}/api/v1/docs")
    browser.get_by_text("/api/v1/policy/evaluate").first.wait_for()
    assert browser.get_by_text("zjtx 专精特新培育平台 API").first.is_visible()
    assert outside == []
