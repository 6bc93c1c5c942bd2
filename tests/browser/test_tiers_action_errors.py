"""In the browser: a city official returns an application without a reason, an expert types a score with three
decimals; each reads the refusal beside the field concerned (the top of the page repeats it), the input kept."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import login, logout
from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.tiers import services
from zjtx.tiers.models import Application
from zjtx.tiers.tests.conftest import open_batch, qualifying_enterprise, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_refusals_stand_beside_their_fields(browser, live_server, settings):
    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    province = make_user(Role.PROVINCE, "province")
    make_user(Role.CITY, "hefei", city_code="340100")
    experts = [make_user(Role.EXPERT, f"expert{i}") for i in range(3)]
    enterprise = qualifying_enterprise(name="庐州精工机械有限公司")
    application = submit(make_user(Role.ENTERPRISE, "qiye", credit_code=enterprise.credit_code), open_batch(province))
    page, url = browser, f"{live_server.url}/tiers/applications/{application.pk}/"

    login(page, live_server, "hefei")
    page.goto(url)
    review = page.get_by_test_id("city-review")
    review.get_by_role("button", name="退回修改").click()
    reason = page.get_by_test_id("city-review").locator("label", has=page.locator("input[name=reason]"))
    assert reason.get_by_test_id("field-error").inner_text() == "请填写退回原因"
    assert "请填写退回原因" in page.locator(".messages").inner_text()
    assert page.locator("input[name=reason]").evaluate("e => e === document.activeElement")
    assert page.get_by_test_id("application-status").inner_text() == "待市级审核"
    logout(page)

    services.application_city_review(user=make_user(Role.CITY, city_code="340100"), application=application,
                                     approve=True)
    services.experts_assign(user=province, application=Application.objects.get(), experts=experts)
    login(page, live_server, "expert0")
    page.goto(url)
    form = page.get_by_test_id("score-form")
    form.locator("input[name=score]").fill("85.555")
    form.locator("input[name=comment]").fill("技术领先")
    form.get_by_role("button", name="提交评分").click()
    score = page.get_by_test_id("score-form").locator("label", has=page.locator("input[name=score]"))
    assert score.get_by_test_id("field-error").inner_text() == "评分最多保留两位小数"
    assert score.locator("input").input_value() == "85.555"
    assert page.get_by_test_id("score-form").locator("input[name=comment]").input_value() == "技术领先"
    comment = page.get_by_test_id("score-form").locator("label", has=page.locator("input[name=comment]"))
    assert comment.get_by_test_id("field-error").count() == 0


def test_the_recognition_list_fits_a_1280_pixel_screen(browser, live_server, settings):
    """Every column, the status last, is in view beside a long name, tier and source."""
    settings.ZJTX_TODAY = dt.date(2026, 6, 1)
    province = make_user(Role.PROVINCE, "province")
    enterprise = qualifying_enterprise(name="安徽省合肥市高新技术产业开发区精密智能装备制造股份有限公司")
    services.recognition_record_national(user=province, enterprise=enterprise, tier="little_giant",
                                         certificate_no="工信部企业函〔2026〕00088号", start_date=dt.date(2026, 5, 1))
    page = browser
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "province")
    page.goto(f"{live_server.url}/tiers/recognitions/")
    table = page.get_by_test_id("recognition-table")
    status = table.get_by_role("cell", name="有效", exact=True)
    box = status.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
