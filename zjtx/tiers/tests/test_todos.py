"""The 工作台's to-dos of 梯度培育: each role finds what it can act on today, and nothing it cannot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import logged_in, make_user
from zjtx.accounts.roles import Role
from zjtx.core.models import AuditEvent
from zjtx.tiers import services, todos
from zjtx.tiers.models import ExpertAssignment
from zjtx.tiers.tests.conftest import open_batch, through

pytestmark = pytest.mark.django_db


def counts(user) -> dict[str, int]:
    return {t.label: t.count for t in todos.todos(user) if t.count}


def test_the_province_is_asked_to_decide_only_once_every_expert_has_scored(people, applicant):
    application = through("experts", people, applicant)
    assert "专家评分齐全，待省级决定" not in counts(people["province"])  # the experts' turn
    for i, expert in enumerate(people["experts"]):
        services.expert_score(user=expert, application=application, score=80 + i)
    assert counts(people["province"])["专家评分齐全，待省级决定"] == 1
    # An expert withdraws (a link declared): the province must assign another before anything else.
    services.expert_conflict_declare(user=people["experts"][0], enterprise=application.enterprise, reason="持股")
    found = counts(people["province"])
    assert found["申报待分配评审专家"] == 1 and "专家评分齐全，待省级决定" not in found
    assert ExpertAssignment.objects.filter(application=application).count() == 2


def test_past_the_city_deadline_the_waiting_application_is_the_provinces_to_extend(people, applicant, settings):
    application = through("submitted", people, applicant)
    assert counts(people["city"]) == {"申报待市级审核": 1}
    settings.ZJTX_TODAY = application.batch.city_review_deadline + dt.timedelta(days=1)
    assert counts(people["city"]) == {"申报已过市级审核截止日期，请联系省级调整": 1}
    assert counts(people["province"])["市级审核已过截止日期的申报（可在批次页调整截止日期）"] == 1
    # The province moves the deadline on the batch page; the city's to-do is back.
    url = reverse("tiers:batch", args=[application.batch_id])
    client = logged_in(people["province"])
    assert 'data-testid="deadline-form"' in client.get(url).content.decode()
    later = settings.ZJTX_TODAY + dt.timedelta(days=10)
    response = client.post(reverse("tiers:batch_deadline", args=[application.batch_id]),
                           {"city_review_deadline": later.isoformat()})
    assert response.status_code == 302
    assert counts(people["city"]) == {"申报待市级审核": 1}
    assert AuditEvent.objects.filter(action="tiers.batch_deadline").exists()


def test_a_deadline_before_the_batch_closes_is_refused_beside_the_field(people, applicant):
    batch = open_batch(people["province"])
    client = logged_in(people["province"])
    response = client.post(reverse("tiers:batch_deadline", args=[batch.pk]), {"city_review_deadline": "2026-06-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<li>市级审核截止日期：市级审核截止日期不能早于申报截止日期</li>" in page
    batch.refresh_from_db()
    assert batch.city_review_deadline == dt.date(2026, 7, 15)
    # Nobody else moves it, nor sees the form.
    assert logged_in(people["city"]).post(reverse("tiers:batch_deadline", args=[batch.pk]),
                                          {"city_review_deadline": "2026-08-01"}).status_code == 403
    page = logged_in(people["city"]).get(reverse("tiers:batch", args=[batch.pk])).content.decode()
    assert "deadline-form" not in page


def test_a_returned_application_past_the_deadline_is_no_longer_the_enterprises_to_do(people, applicant, settings):
    application = through("submitted", people, applicant)
    services.application_city_review(user=people["city"], application=application, approve=False, reason="补材料")
    assert counts(applicant) == {"申报已退回，待修改后重新提交": 1}
    settings.ZJTX_TODAY = application.batch.city_review_deadline + dt.timedelta(days=1)
    assert counts(applicant) == {}


def test_an_ended_notice_with_an_open_objection_waits_for_the_objection_not_the_recognition(people, applicant,
                                                                                           settings):
    application = through("decided", people, applicant)
    services.objection_file(user=make_user(Role.DEPARTMENT, department="sci_tech"), application=application,
                            content="数据存疑", today=application.notice_start)
    settings.ZJTX_TODAY = application.notice_end + dt.timedelta(days=1)
    found = counts(people["province"])
    assert found["公示异议待处理"] == 1 and "公示期满待认定" not in found
