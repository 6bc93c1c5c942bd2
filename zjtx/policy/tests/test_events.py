"""Recording the programme events that trigger awards (recognitions, assessments, projects …)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.factories import city_user, logged_in, make_enterprise, make_user, province_user
from zjtx.accounts.roles import Role
from zjtx.core.models import AuditEvent
from zjtx.policy.models import ProgrammeEvent

pytestmark = pytest.mark.django_db


def _post(client: Client, code: str, **values: str):  # the page after the redirect
    return client.post(f"/policy/events/{code}/", values, follow=True)


def test_an_official_records_an_assessment_and_the_explanation_grants_its_award():
    enterprise = make_enterprise(city_code="340100")
    client = logged_in(city_user("340100"))
    page = _post(client, enterprise.credit_code, kind="digital_assessment", date="2025-03-01", grade="4A")
    text = page.content.decode()
    assert "已录入：数字化转型能力评估（2025-03-01）" in text
    assert "2025-03-01" in text and "4A" in text  # the list of the enterprise's events
    event = ProgrammeEvent.objects.get(enterprise=enterprise)
    assert (event.kind, event.grade, event.amount, event.rank) == ("digital_assessment", "4A", None, None)
    audit = AuditEvent.objects.get(action="programme_event_add")
    assert audit.enterprise_code == enterprise.credit_code and audit.after["grade"] == "4A"
    explanation = client.get(f"/policy/explain/{enterprise.credit_code}/?as_of=2025-06-30").content.decode()
    assert "（digital_assessment.4A，2025-03-01）：应享 100万元，省级" in explanation


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"kind": "digital_assessment", "date": "2025-03-01"}, "评估等级", "“数字化转型能力评估”需要填写评估等级"),
        ({"kind": "cloud_service_provider", "date": "2025-03-01"}, "择优名次", "需要填写择优名次"),
        ({"kind": "four_transformations_project", "date": "2025-03-01"}, "金额（万元）", "需要填写金额（万元）"),
        ({"kind": "four_transformations_project", "date": "2025-03-01", "amount": "-5"}, "金额（万元）", "应大于0"),
        (
            {"kind": "four_transformations_project", "date": "2025-03-01", "amount": "100000000.01"},
            "金额（万元）",
            "确保该值小于或等于100000000",
        ),
        ({"kind": "recognized_little_giant", "date": "2025-03-01", "grade": "5A"}, "评估等级", "不用填写评估等级"),
        ({"kind": "recognized_little_giant", "date": "2999-01-01"}, "日期", "事件日期不能晚于今天"),
        ({"kind": "no_such_kind", "date": "2025-03-01"}, "事件类型", "选择一个有效的选项"),
    ],
)
def test_an_event_missing_what_its_award_reads_is_refused_by_field(values, field, message):
    enterprise = make_enterprise(city_code="340100")
    text = _post(logged_in(province_user()), enterprise.credit_code, **values).content.decode()
    assert f"{field}：" in text and message in text
    assert "未保存任何数据" in text
    assert not ProgrammeEvent.objects.exists() and not AuditEvent.objects.filter(action="programme_event_add").exists()


def test_the_same_event_twice_on_one_day_is_refused():
    enterprise = make_enterprise(city_code="340100")
    client = logged_in(province_user())
    _post(client, enterprise.credit_code, kind="recognized_little_giant", date="2025-03-01")
    text = _post(client, enterprise.credit_code, kind="recognized_little_giant", date="2025-03-01").content.decode()
    assert "该企业这一天已录入同类事件，不能重复录入" in text
    assert ProgrammeEvent.objects.count() == 1
    assert ProgrammeEvent.objects.get().date == dt.date(2025, 3, 1)


def test_only_province_and_the_enterprises_city_may_record_events():
    enterprise = make_enterprise(city_code="340100")
    other_city = logged_in(city_user("340200", username="wuhu-events"))
    assert other_city.get(f"/policy/events/{enterprise.credit_code}/").status_code == 404
    owner = logged_in(make_user(Role.ENTERPRISE, "owner-events", credit_code=enterprise.credit_code))
    response = owner.post(f"/policy/events/{enterprise.credit_code}/",
                          {"kind": "recognized_little_giant", "date": "2025-03-01"})
    assert response.status_code == 403 and "专项事件" in response.content.decode()
    assert not ProgrammeEvent.objects.exists()
