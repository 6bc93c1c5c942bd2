"""The request pages: filing by form, the list's filters, the detail page's steps and history; the demo."""

from __future__ import annotations

import pytest

from tests.factories import logged_in
from zjtx.services import services
from zjtx.services.demo import load_demo_services
from zjtx.services.models import ServiceRequest, Visit
from zjtx.services.tests.conftest import TODAY, routed

pytestmark = pytest.mark.django_db


def test_an_enterprise_files_for_itself_and_a_bad_form_names_the_field(world):
    client = logged_in(world["qiye"])
    form = client.get("/services/requests/new/").content.decode()
    assert "甲精工有限公司" in form and 'name="enterprise"' not in form  # its own, not a choice
    bad = client.post("/services/requests/new/", {"category": "", "title": "技术中心", "content": ""}).content.decode()
    assert "诉求类别：请选择诉求类别" in bad and "不能为空" in bad and "技术中心" in bad
    assert not ServiceRequest.objects.exists()
    done = client.post("/services/requests/new/", {"category": "technology", "title": "技术中心",
                                                    "content": "申报条件"}, follow=True)
    request = ServiceRequest.objects.get()
    assert (request.enterprise, request.filed_by, request.status) == (world["A"], world["qiye"], "pending")
    assert "诉求已提交，等待市级分派至承办部门。" in done.content.decode()


def test_an_officer_chooses_among_its_enterprises(world):
    client = logged_in(world["officer"])
    form = client.get("/services/requests/new/").content.decode()
    assert "甲精工有限公司" in form and "乙科技有限公司" not in form
    other = client.post("/services/requests/new/", {"enterprise": world["B"].pk, "category": "other", "title": "t",
                                                    "content": "c"}).content.decode()
    assert "企业：只能选择本人服务的企业" in other and not ServiceRequest.objects.exists()


def test_the_list_filters_by_status_category_and_department(world):
    routed(world, "A", "sci_tech")
    routed(world, "B", "finance")
    client = logged_in(world["province"])
    assert "共 2 件" in client.get("/services/").content.decode()
    by_department = client.get("/services/?department=finance").content.decode()
    assert "共 1 件" in by_department and "乙科技有限公司" in by_department
    assert "共 0 件" in client.get("/services/?status=answered").content.decode()
    assert "共 2 件" in client.get("/services/?status=bogus").content.decode()  # not offered, not applied
    assert "共 1 件" in client.get("/services/?q=甲精工").content.decode()


def test_the_detail_page_shows_the_deadline_the_steps_and_the_history(world, settings):
    import datetime as dt

    request = routed(world)
    settings.ZJTX_TODAY = dt.date(2026, 6, 16)
    page = logged_in(world["keji"]).get(f"/services/requests/{request.pk}/").content.decode()
    assert "2026-06-15（分派日 2026-06-01 次日起 10 个工作日内）" in page
    assert 'data-testid="overdue-mark">逾期' in page
    assert "企业填报员 刘洋：提交诉求（技术创新）：申报省级企业技术中心" in page
    assert "省经信厅 王处长：分派至省科技厅，答复期限 2026-06-15" in page
    assert 'data-testid="hand-back-form"' in page and 'data-testid="route-form"' not in page
    listed = logged_in(world["province"]).get("/services/").content.decode()
    assert 'data-testid="overdue-mark">逾期' in listed


def test_the_demo_gives_every_state_overdue_requests_and_visits(world):
    loaded = load_demo_services(2022, TODAY)
    assert loaded is not None and loaded.requests > 0 and loaded.visits == Visit.objects.count()
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == set(ServiceRequest.Status.values)
    from zjtx.services.selectors import overdue

    assert overdue(ServiceRequest.objects.all(), TODAY).exists()
    assert ServiceRequest.objects.filter(enterprise=world["A"], status="answered", department="sci_tech").exists()
    assert load_demo_services(2022, TODAY) is None  # once only


def test_a_refused_step_shows_its_reason_beside_the_field_and_keeps_what_was_typed(world):
    request = routed(world)
    keji = logged_in(world["keji"])
    long_answer = "详" * 2001
    page = keji.post(f"/services/requests/{request.pk}/answer/", {"answer": long_answer}).content.decode()
    assert 'data-testid="answer-error"><li>答复内容不能超过 2000 个字</li></ul>' in page
    assert f">{long_answer}</textarea>" in page
    request.refresh_from_db()
    assert (request.status, request.answer) == ("in_progress", "")
    services.request_answer(user=world["keji"], request=request, answer="已答复")
    qiye = logged_in(world["qiye"])
    rated = qiye.post(f"/services/requests/{request.pk}/rate/", {"rating": "", "rating_comment": "很满意"})
    page = rated.content.decode()
    assert 'data-testid="rating-error"><li>满意度请选择 1 至 5 分</li>' in page and 'value="很满意"' in page
    late = keji.post(f"/services/requests/{request.pk}/hand_back/", {"reason": "不属于本部门"}).content.decode()
    assert 'data-testid="request-error">当前状态为“已答复”，不能退回诉求' in late
    request.refresh_from_db()
    assert (request.status, request.rating, request.return_reason) == ("answered", None, "")
