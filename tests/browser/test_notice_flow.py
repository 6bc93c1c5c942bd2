"""In the browser: a returned application is revised and resubmitted from its page; once in 公示, a provincial
department (which cannot open applications) finds it in the 公示 list and files an objection."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import login, logout
from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.tiers import services
from zjtx.tiers.models import Application, Objection
from zjtx.tiers.tests.conftest import open_batch, qualifying_enterprise, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_resubmit_then_object_during_the_notice(browser, live_server, settings):
    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    province = make_user(Role.PROVINCE, "province")
    city = make_user(Role.CITY, "hefei", city_code="340100")
    experts = [make_user(Role.EXPERT, f"expert{i}") for i in range(3)]
    make_user(Role.DEPARTMENT, "keji", department="sci_tech", full_name="省科技厅 赵处长")
    enterprise = qualifying_enterprise(name="庐州精工机械有限公司")
    applicant = make_user(Role.ENTERPRISE, "qiye", credit_code=enterprise.credit_code)
    application = submit(applicant, open_batch(province))
    services.application_city_review(user=city, application=application, approve=False, reason="请补充审计报告")
    page, url = browser, live_server.url

    login(page, live_server, "qiye")
    page.goto(f"{url}/tiers/applications/{application.pk}/")
    assert page.get_by_test_id("return-reason").inner_text() == "请补充审计报告"
    page.get_by_test_id("resubmit").click()
    page.get_by_test_id("apply-form").locator("button[type=submit]").click()
    assert page.get_by_test_id("application-status").inner_text() == "待市级审核"
    assert page.get_by_test_id("return-reason").count() == 0
    logout(page)

    application = services.application_city_review(user=city, application=application, approve=True)
    services.experts_assign(user=province, application=application, experts=experts)
    for expert in experts:
        services.expert_score(user=expert, application=application, score=88)
    application = services.application_decide(user=province, application=application, approve=True)
    settings.ZJTX_TODAY = application.notice_start

    login(page, live_server, "keji")
    page.goto(f"{url}/tiers/")
    page.get_by_role("link", name="公示", exact=True).click()
    page.get_by_test_id("notice-table").get_by_text("庐州精工机械有限公司").click()
    assert "省专精特新冠军企业" in page.get_by_test_id("notice").inner_text()
    form = page.get_by_test_id("objection-form")
    form.locator("textarea[name=content]").fill("该企业主导产品市场占有率数据存疑")
    form.locator("button[type=submit]").click()
    assert "异议已提交" in page.content() and "该企业主导产品市场占有率数据存疑" in page.content()
    assert Objection.objects.get().filed_by.username == "keji"
    assert Application.objects.get().status == Application.Status.IN_NOTICE
