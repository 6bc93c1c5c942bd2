"""A refused action on the application and recognition pages: the message stands beside the field (or, when it
concerns no input, the button) of the form that was sent, the top of the page repeats it, what was typed stays,
and nothing is stored."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from zjtx.tiers import services
from zjtx.tiers.models import Application, Objection, Recognition
from zjtx.tiers.tests.conftest import through

pytestmark = pytest.mark.django_db

ERROR = 'class="errorlist" role="alert" data-testid="field-error">'


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def label_of(page: str, form_action: str, name: str) -> str:
    """The <label> around the input `name` in the form posting to `form_action`."""
    form = re.search(rf'<form method="post" action="{re.escape(form_action)}".*?</form>', page, re.S)
    assert form, form_action
    label = re.search(rf'<label>((?:(?!</label>).)*?<input name="{name}".*?)</label>', form.group(0), re.S)
    assert label, name
    return label.group(1)


def summary(page: str) -> str:
    block = re.search(r'<div class="messages">(.*?)</div>\s*</div>', page, re.S)
    return block.group(1) if block else ""


def act(user, application, action: str, data: dict) -> tuple[str, str]:
    url = reverse("tiers:application_act", args=[application.pk, action])
    response = client_for(user).post(url, data)
    assert response.status_code == 200  # the page again, not a redirect that loses the input
    return response.content.decode(), url


def test_a_city_return_without_reason_is_shown_beside_the_reason(people, applicant):
    application = through("submitted", people, applicant)
    page, url = act(people["city"], application, "city_return", {"reason": "  "})
    label = label_of(page, url, "reason")
    assert ERROR + "请填写退回原因" in label and 'aria-invalid="true"' in label
    assert "请填写退回原因" in summary(page)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_bad_score_stays_in_its_input_with_the_message_beside_it(people, applicant):
    application = through("experts", people, applicant)
    page, url = act(people["experts"][0], application, "expert_score", {"score": "85.555", "comment": "创新突出"})
    score = label_of(page, url, "score")
    assert 'value="85.555"' in score and ERROR + "评分最多保留两位小数" in score
    assert 'value="创新突出"' in label_of(page, url, "comment") and ERROR not in label_of(page, url, "comment")
    assert application.assignments.get(expert=people["experts"][0]).score is None


def test_a_refusal_about_no_input_stands_beside_the_button(people, applicant):
    application = through("scored", people, applicant)
    application.assignments.filter(expert=people["experts"][0]).update(score=None)
    page, url = act(people["province"], application, "decide_approve", {"reason": "同意"})
    form = re.search(rf'<form method="post" action="{re.escape(url)}".*?</form>', page, re.S).group(0)
    assert "进入公示</button><span " + ERROR + "还有 1 位专家未评分" in form
    assert 'value="同意"' in label_of(page, url, "reason")
    # The reject form beside it shows nothing.
    reject = reverse("tiers:application_act", args=[application.pk, "decide_reject"])
    assert ERROR not in label_of(page, reject, "reason")


def test_an_objection_resolved_without_resolution_shows_the_message_at_that_objection(people, applicant):
    application = through("decided", people, applicant)
    first = services.objection_file(user=people["city"], application=application, content="数据存疑",
                                    today=application.notice_start)
    second = services.objection_file(user=people["other_city"], application=application, content="另一条",
                                     today=application.notice_start)
    url = reverse("tiers:objection_resolve", args=[second.pk])
    response = client_for(people["province"]).post(url, {"resolution": "", "upheld": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    label = label_of(page, url, "resolution")
    assert ERROR + "请填写处理意见" in label
    assert '<option value="1" selected>' in re.search(rf'action="{re.escape(url)}".*?</form>', page, re.S).group(0)
    other = reverse("tiers:objection_resolve", args=[first.pk])
    assert ERROR not in label_of(page, other, "resolution")
    assert Objection.objects.filter(status=Objection.Status.OPEN).count() == 2


def test_a_revocation_without_reason_is_shown_beside_the_reason(people, applicant):
    through("recognized", people, applicant)
    recognition = Recognition.objects.get()
    url = reverse("tiers:recognition", args=[recognition.pk])
    response = client_for(people["province"]).post(url, {"action": "revoke", "reason": ""})
    page = response.content.decode()
    assert response.status_code == 200
    revoke = re.search(r'name="action" value="revoke">.*?</form>', page, re.S).group(0)
    assert ERROR + "请填写撤销原因" in revoke and "请填写撤销原因" in summary(page)
    re_review = re.search(r'name="action" value="re_review">.*?</form>', page, re.S)
    assert re_review is None or ERROR not in re_review.group(0)
    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.VALID


def test_a_re_review_too_early_is_shown_beside_its_button(people, applicant, settings):
    through("recognized", people, applicant)
    recognition = Recognition.objects.get()
    settings.ZJTX_TODAY = recognition.expires_on - dt.timedelta(days=10)
    url = reverse("tiers:recognition", args=[recognition.pk])
    response = client_for(people["province"]).post(url, {"action": "re_review", "passed": "0", "reason": ""})
    form = re.search(r'name="action" value="re_review">.*?</form>', response.content.decode(), re.S).group(0)
    assert ERROR + "请填写复核未通过的理由" in form and '<option value="0" selected>' in form
