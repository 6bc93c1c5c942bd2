"""A city official reads a long 变更记录 page by page, newest first, down to the oldest record."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.factories import make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.core.audit import audit_record

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_long_history_reads_page_by_page_to_its_oldest_record(browser, live_server):
    official = make_user(Role.CITY, "hefei", city_code="340100", full_name="合肥市经信局 李科长")
    enterprise = make_enterprise(city_code="340100", name="庐州长历史有限公司")
    for n in range(1, 46):
        audit_record(actor=official, action="update", target_type="enterprise", target_id=enterprise.credit_code,
                     enterprise_code=enterprise.credit_code, summary=f"修改企业信息：联系人（第{n}次）",
                     before={"contact_name": f"王{n - 1}"}, after={"contact_name": f"王{n}"})
    page = browser
    login(page, live_server, "hefei")
    page.goto(f"{live_server.url}/enterprises/")
    page.get_by_text("庐州长历史有限公司").click()

    history = page.get_by_test_id("history").locator("li")
    assert page.get_by_test_id("history-count").inner_text() == "共 45 条，按时间从新到旧，本页第 1–20 条"
    assert history.count() == 20 and "（第45次）" in history.first.inner_text()
    pager = page.get_by_test_id("history-pager")
    assert "第 1 / 3 页" in pager.inner_text()

    pager.get_by_text("更早的记录").click()
    assert "（第25次）" in history.first.inner_text() and "（第6次）" in history.last.inner_text()
    page.get_by_test_id("history-pager").get_by_text("最早").click()
    assert page.get_by_test_id("history-count").inner_text() == "共 45 条，按时间从新到旧，本页第 41–45 条"
    assert "（第1次）" in history.last.inner_text() and "联系人：王0 → 王1" in history.last.inner_text()
    assert page.url.endswith("?history=3#history")
    page.get_by_test_id("history-pager").get_by_text("最新").click()
    assert "（第45次）" in history.first.inner_text()
