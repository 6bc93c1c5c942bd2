"""From a batch to money paid, in the browser: the province opens a batch, an enterprise applies and sees its
self-assessment, the city approves, experts score, the province decides, the notice period ends (the test
moves the workflow's clock), the enterprise is recognised, its award is approved and paid once."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import login, logout
from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.tiers import services as tiers_services
from zjtx.tiers.models import Application
from zjtx.tiers.tests.conftest import qualifying_enterprise

pytestmark = pytest.mark.django_db(transaction=True)


def test_batch_to_payment(browser, live_server, settings, tmp_path):
    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    settings.MEDIA_ROOT = tmp_path / "media"
    make_user(Role.PROVINCE, "province", full_name="省经信厅 王处长")
    make_user(Role.CITY, "hefei", city_code="340100", full_name="合肥市经信局 李科长")
    experts = [make_user(Role.EXPERT, f"expert{i}", full_name=f"评审专家{i}", organisation="合肥工业大学")
               for i in range(3)]
    enterprise = qualifying_enterprise(name="庐州精工机械有限公司")
    make_user(Role.ENTERPRISE, "qiye", credit_code=enterprise.credit_code, full_name="企业填报员 刘洋")
    url = live_server.url
    page = browser

    # The province opens a batch and allocates this year's provincial award budget.
    login(page, live_server, "province")
    page.goto(f"{url}/tiers/")
    form = page.get_by_test_id("batch-form")
    form.locator("select[name=tier]").select_option("provincial_champion")
    form.locator("input[name=title]").fill("2026年省专精特新冠军企业认定")
    form.locator("input[name=opens_on]").fill("2026-05-01")
    form.locator("input[name=closes_on]").fill("2026-06-30")
    form.locator("button[type=submit]").click()
    assert "已开设申报批次" in page.content()
    batch_url = page.url
    page.goto(f"{url}/awards/budgets/")
    budget = page.get_by_test_id("budget-form")
    budget.locator("input[name=allocated]").fill("500")
    budget.locator("button[type=submit]").click()
    assert "预算已保存" in page.content()
    logout(page)

    # The enterprise sees its self-assessment before submitting, then applies with an attachment.
    login(page, live_server, "qiye")
    page.goto(f"{url}/tiers/")
    page.get_by_test_id("batch-table").get_by_text("申报", exact=True).click()
    assert page.get_by_test_id("assessment-status").inner_text() == "符合"
    assert "8,000.00" in page.get_by_test_id("declared").inner_text()
    apply = page.get_by_test_id("apply-form")
    assert apply.locator("input[name=contact_name]").input_value() == "张三"
    attachment = tmp_path / "审计报告.pdf"
    attachment.write_bytes(b"%PDF-1.4 audit")
    apply.locator("input[name=attachments]").set_input_files(str(attachment))
    apply.locator("button[type=submit]").click()
    assert page.get_by_test_id("application-status").inner_text() == "待市级审核"
    assert "审计报告.pdf" in page.content()
    application_url = page.url
    logout(page)

    # The city approves.
    login(page, live_server, "hefei")
    page.goto(application_url)
    page.get_by_test_id("city-review").get_by_text("审核通过，推荐至省级").click()
    assert page.get_by_test_id("application-status").inner_text() == "待分配专家"
    logout(page)

    # The province assigns three experts; one scores in the browser, the other two have scored already.
    login(page, live_server, "province")
    page.goto(application_url)
    for expert in experts:
        page.locator(f"input[name=experts][value='{expert.pk}']").check()
    page.get_by_test_id("assign-experts").locator("button[type=submit]").click()
    assert page.get_by_test_id("application-status").inner_text() == "专家评审中"
    logout(page)
    application = Application.objects.get()
    for expert, score in zip(experts[1:], (82, 90), strict=True):
        tiers_services.expert_score(user=expert, application=application, score=score)
    login(page, live_server, "expert0")
    page.goto(f"{url}/tiers/reviews/")
    page.get_by_test_id("review-table").get_by_text("庐州精工机械有限公司").click()
    page.get_by_test_id("score-form").locator("input[name=score]").fill("88")
    page.get_by_test_id("score-form").locator("button[type=submit]").click()
    assert "评分已保存" in page.content()
    logout(page)

    # The province decides; recognition is refused during the notice period, granted after it.
    login(page, live_server, "province")
    page.goto(application_url)
    page.get_by_test_id("decide").get_by_text("同意认定，进入公示").click()
    assert page.get_by_test_id("application-status").inner_text() == "公示中"
    assert page.get_by_test_id("expert-score").inner_text().startswith("86.67")
    notice_end = Application.objects.get().notice_end
    assert page.get_by_test_id("notice-period").inner_text() == f"2026-06-02 至 {notice_end:%Y-%m-%d}"
    page.get_by_test_id("recognize-form").locator("button[type=submit]").click()
    assert "公示期满后才能认定" in page.content()
    settings.ZJTX_TODAY = notice_end + dt.timedelta(days=1)
    page.get_by_test_id("recognize-form").locator("button[type=submit]").click()
    assert page.get_by_test_id("application-status").inner_text() == "已认定"
    assert "皖专精特新冠军〔2026〕00001号" in page.get_by_test_id("certificate").inner_text()

    # Its award entitlement appears at once (免申即享).
    page.goto(f"{url}/awards/")
    row = page.get_by_test_id("entitlement-table").locator("tbody tr").filter(has_text="庐州精工机械有限公司")
    assert "80" in row.inner_text() and "免申即享" in row.inner_text() and "待企业确认收款账户" in row.inner_text()
    logout(page)

    login(page, live_server, "qiye")
    page.goto(f"{url}/awards/")
    page.get_by_test_id("entitlement-table").get_by_text("庐州精工机械有限公司").click()
    entitlement_url = page.url
    account = page.get_by_test_id("account-form")
    assert account.locator("input[name=account_name]").input_value() == "庐州精工机械有限公司"
    account.locator("input[name=bank_name]").fill("徽商银行合肥分行")
    account.locator("input[name=account_no]").fill("62284800123")
    account.locator("button[type=submit]").click()
    assert page.get_by_test_id("entitlement-status").inner_text() == "待市级审核"
    logout(page)

    login(page, live_server, "hefei")
    page.goto(entitlement_url)
    page.get_by_test_id("city-check").get_by_text("审核通过").first.click()
    assert page.get_by_test_id("entitlement-status").inner_text() == "待省级审批"
    logout(page)

    # The province approves and pays; a second approval (from a page opened before) is refused.
    login(page, live_server, "province")
    page.goto(entitlement_url)
    stale = page.context.new_page()
    stale.goto(entitlement_url)
    page.get_by_test_id("approve-button").click()
    assert page.get_by_test_id("entitlement-status").inner_text() == "已审批待拨付"
    page.get_by_test_id("pay-button").click()
    assert page.get_by_test_id("entitlement-status").inner_text() == "已拨付"
    stale.get_by_test_id("approve-button").click()
    assert "当前状态为“已拨付”，不能省级审批" in stale.content()
    stale.close()

    page.goto(f"{url}/awards/ledger/")
    ledger_rows = page.get_by_test_id("ledger-table").locator("tbody tr")
    assert ledger_rows.count() == 1 and "80" in ledger_rows.first.inner_text()
    page.goto(f"{url}/awards/budgets/")
    cells = page.locator("tr[data-budget='2026-省级-']").locator("td").all_inner_texts()
    assert cells[4:] == ["500.00", "0.00", "80.00", "420.00"]
    page.goto(batch_url)
    counts = page.get_by_test_id("city-counts")
    assert counts.locator("tr[data-city='340100'] td").nth(1).inner_text() == "1"
    assert counts.locator("tr[data-city='all'] td").nth(1).inner_text() == "1"
    page.goto(f"{url}/tiers/enterprise/{enterprise.credit_code}/")
    assert "认定为省专精特新冠军企业" in page.get_by_test_id("ladder-history").inner_text()
