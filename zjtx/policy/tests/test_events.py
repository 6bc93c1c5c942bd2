"""Recording the programme events that trigger awards (recognitions, assessments, projects …)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
    # a city official reads the clauses; award and parameter ids are for the province's policy staff
    assert "数字化转型评估4A级一次性奖补（2025-03-01）：应享 100万元，省级" in explanation
    assert "digital_assessment" not in explanation and "参数指纹" not in explanation
    province = logged_in(province_user()).get(f"/policy/explain/{enterprise.credit_code}/?as_of=2025-06-30")
    assert "（digital_assessment.4A，2025-03-01）：应享 100万元，省级" in province.content.decode()


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
            "金额不能超过1万亿元（100000000万元）",
        ),
        ({"kind": "recognized_little_giant", "date": "2025-03-01", "grade": "5A"}, "评估等级", "不用填写评估等级"),
        ({"kind": "cloud_service_provider", "date": "2025-03-01", "rank": "99999999999"}, "择优名次",
         "择优名次不能超过 100000"),
        ({"kind": "cloud_service_provider", "date": "2025-03-01", "rank": "-3"}, "择优名次", "择优名次：应大于0</"),
        ({"kind": "publicity", "date": "2025-03-01", "amount": "12.345"}, "金额（万元）",
         "金额最多保留两位小数（到分）"),
        ({"kind": "publicity", "date": "2025-03-01", "amount": "12", "grade": "4A"}, "评估等级",
         "：“精品安徽 皖美智造”宣传推广不用填写评估等级"),
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


def _record(client: Client, code: str, **values: str) -> ProgrammeEvent:
    _post(client, code, **values)
    return ProgrammeEvent.objects.filter(enterprise__credit_code=code).latest("pk")


def test_an_event_recorded_in_error_is_corrected_and_audited():
    enterprise = make_enterprise(city_code="340100")
    client = logged_in(city_user("340100", username="hefei-correct"))
    event = _record(client, enterprise.credit_code, kind="four_transformations_project", date="2025-03-01",
                    amount="5000")
    url = f"/policy/events/{enterprise.credit_code}/{event.pk}/edit/"
    assert 'name="amount" value="5,000.00"' in client.get(url).content.decode()  # as recorded, as money reads
    assert ">5,000.00</td>" in client.get(f"/policy/events/{enterprise.credit_code}/").content.decode()
    unchanged = client.post(url, {"kind": "four_transformations_project", "date": "2025-03-01",
                                  "amount": "5,000.00"}, follow=True).content.decode()  # sent back as shown
    assert "事件没有变化" in unchanged and not AuditEvent.objects.filter(action="programme_event_update").exists()
    page = client.post(url, {"kind": "four_transformations_project", "date": "2025-03-01", "amount": "500"},
                       follow=True).content.decode()
    assert "已更正：“四化”改造项目（2025-03-01），测算时按更正后的数据计算奖补。" in page
    event.refresh_from_db()
    assert event.amount == Decimal("500")
    audit = AuditEvent.objects.get(action="programme_event_update")
    assert audit.target_id == str(event.pk) and audit.enterprise_code == enterprise.credit_code
    assert set(audit.before) == {"amount"} and Decimal(str(audit.before["amount"])) == Decimal("5000")
    assert Decimal(str(audit.after["amount"])) == Decimal("500")
    history = client.get(f"/enterprises/{enterprise.credit_code}/").content.decode()
    assert "金额（万元）：5,000.00 → 500.00" in history  # amounts read as on every page (wan), whatever their scale
    # Saving the same values again changes and audits nothing.
    client.post(url, {"kind": "four_transformations_project", "date": "2025-03-01", "amount": "500"})
    assert AuditEvent.objects.filter(action="programme_event_update").count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kind": "four_transformations_project", "date": "2025-03-01", "amount": "-5"}, "金额（万元）：应大于0"),
        ({"kind": "four_transformations_project", "date": "2025-03-01"}, "需要填写金额（万元）"),
        ({"kind": "four_transformations_project", "date": "2025-04-01", "amount": "10"}, "不能重复录入"),
        ({"kind": "four_transformations_project", "date": "2999-01-01", "amount": "10"}, "事件日期不能晚于今天"),
    ],
)
def test_a_bad_correction_names_the_field_and_changes_nothing(values, message):
    enterprise = make_enterprise(city_code="340100")
    client = logged_in(province_user())
    _record(client, enterprise.credit_code, kind="four_transformations_project", date="2025-04-01", amount="20")
    event = _record(client, enterprise.credit_code, kind="four_transformations_project", date="2025-03-01",
                    amount="5000")
    text = client.post(f"/policy/events/{enterprise.credit_code}/{event.pk}/edit/", values).content.decode()
    assert message in text and "未保存任何数据" in text
    assert "更正：“四化”改造项目（2025-03-01）。" in text  # the event as recorded, not as submitted
    event.refresh_from_db()
    assert (event.date, event.amount) == (dt.date(2025, 3, 1), Decimal("5000"))
    assert not AuditEvent.objects.filter(action="programme_event_update").exists()


def test_an_event_is_withdrawn_only_with_a_reason_and_the_audit_keeps_it():
    enterprise = make_enterprise(city_code="340100")
    client = logged_in(province_user())
    event = _record(client, enterprise.credit_code, kind="publicity", date="2025-03-01", amount="80")
    url = f"/policy/events/{enterprise.credit_code}/{event.pk}/withdraw/"
    text = client.post(url, {"reason": "  "}, follow=True).content.decode()
    assert "请填写撤销原因" in text and ProgrammeEvent.objects.filter(pk=event.pk).exists()
    text = client.post(url, {"reason": "重复录入：已由市局统一报送"}, follow=True).content.decode()
    assert "已撤销：“精品安徽 皖美智造”宣传推广（2025-03-01）；撤销前的内容和原因记入审计。" in text
    assert not ProgrammeEvent.objects.filter(pk=event.pk).exists()
    audit = AuditEvent.objects.get(action="programme_event_withdraw")
    assert audit.target_id == str(event.pk) and "重复录入：已由市局统一报送" in audit.summary
    assert audit.before["kind"] == "publicity" and Decimal(str(audit.before["amount"])) == Decimal("80")
    assert client.post(url, {"reason": "再撤一次"}).status_code == 404  # gone
    other = _record(client, enterprise.credit_code, kind="publicity", date="2025-04-01", amount="20")
    opened = client.get(f"/policy/events/{enterprise.credit_code}/{other.pk}/withdraw/")  # a link, not the form
    assert opened.status_code == 302 and ProgrammeEvent.objects.filter(pk=other.pk).exists()
    history = client.get(f"/enterprises/{enterprise.credit_code}/").content.decode()
    # the enterprise's change history reads in Chinese: labels, the kind's name, what the withdrawal removed
    # each change alone: PostgreSQL's jsonb keeps the keys in its own order
    for change in ("事件类型：空 → “精品安徽 皖美智造”宣传推广", "日期：空 → 2025-03-01", "金额（万元）：空 → 80",
                   "原因：空 → 重复录入：已由市局统一报送", "事件类型：“精品安徽 皖美智造”宣传推广 → 空"):
        assert change in history
    assert "评估等级：空 → 空" not in history  # unchanged keys are left out
    assert "publicity" not in history and "kind：" not in history


def test_only_province_and_the_enterprises_city_may_correct_or_withdraw():
    enterprise = make_enterprise(city_code="340100")
    other = make_enterprise(city_code="340100")
    event = _record(logged_in(province_user()), enterprise.credit_code, kind="srdi_board_listing", date="2025-03-01")
    edit, withdraw = (f"/policy/events/{enterprise.credit_code}/{event.pk}/{a}/" for a in ("edit", "withdraw"))
    other_city = logged_in(city_user("340200", username="wuhu-correct"))
    assert other_city.get(edit).status_code == 404
    assert other_city.post(withdraw, {"reason": "x"}).status_code == 404
    owner = logged_in(make_user(Role.ENTERPRISE, "owner-correct", credit_code=enterprise.credit_code))
    assert owner.post(withdraw, {"reason": "x"}).status_code == 403
    # The event through another enterprise's address: not found.
    city = logged_in(city_user("340100", username="hefei-other"))
    assert city.post(f"/policy/events/{other.credit_code}/{event.pk}/withdraw/", {"reason": "x"}).status_code == 404
    assert city.get(f"/policy/events/{enterprise.credit_code}/{event.pk}/withdraw/").status_code == 302  # a link: back
    assert ProgrammeEvent.objects.filter(pk=event.pk).exists()
    assert not AuditEvent.objects.filter(action="programme_event_withdraw").exists()


def test_events_are_checked_against_the_sites_clock(settings):
    settings.ZJTX_TODAY = dt.date(2027, 1, 15)  # a pinned demo date, as the workflow uses
    enterprise = make_enterprise(city_code="340100")
    text = _post(logged_in(province_user()), enterprise.credit_code, kind="srdi_board_listing",
                 date="2027-01-10").content.decode()
    assert "事件日期不能晚于今天" not in text and ProgrammeEvent.objects.filter(enterprise=enterprise).exists()
