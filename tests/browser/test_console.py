"""Pages load without errors in the browser's console (missing files, blocked scripts)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.factories import make_user
from zjtx.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_main_pages_load_without_console_errors_or_missing_files(browser, live_server):
    make_user(Role.PROVINCE, "province")
    errors: list[str] = []
    browser.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browser.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    login(browser, live_server, "province")
    for path in ("/", "/enterprises/", "/tiers/", "/policy/", "/awards/"):
        browser.goto(f"{live_server.url}{path}")
        browser.wait_for_load_state("networkidle")
    assert errors == []
