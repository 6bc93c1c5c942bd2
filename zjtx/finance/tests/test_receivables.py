"""应收账款确权: filed by the enterprise with the deadline of the parameter's days (calendar days from the day
after the request), sent and answered by the city or province; each step guarded and audited; overdue flags."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import logged_in
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.models import AuditEvent
from zjtx.core.navigation import todos_for
from zjtx.finance import selectors, services
from zjtx.finance.models import Receivable
from zjtx.finance.tests.conftest import TODAY, filed
from zjtx.tiers.workflow import IllegalTransitionError

pytestmark = pytest.mark.django_db
S = Receivable.Status


@pytest.mark.parametrize(("filed_on", "deadline"), [
    (dt.date(2026, 6, 1), dt.date(2026, 7, 1)),
    (dt.date(2026, 1, 31), dt.date(2026, 3, 2)),  # across a short February
    (dt.date(2028, 1, 31), dt.date(2028, 3, 1)),  # a leap year
    (dt.date(2026, 9, 20), dt.date(2026, 10, 20)),  # 国庆 counts: the plan says 日, not 工作日
])
def test_the_deadline_is_30_calendar_days_after_the_request(filed_on, deadline, db):
    assert services.deadline_for(filed_on) == deadline


def test_the_deadline_follows_a_new_dated_value_of_its_parameter(world, settings):
    from zjtx.policy.models import ParameterValue

    ParameterValue.objects.create(parameter_id="finance.receivable_confirmation.days", start=dt.date(2026, 7, 1),
                                  value=20, reference="测试", confirmed=True)
    assert services.deadline_for(dt.date(2026, 6, 30)) == dt.date(2026, 7, 30)
    assert services.deadline_for(dt.date(2026, 7, 1)) == dt.date(2026, 7, 21)


def test_a_request_is_filed_sent_and_confirmed_with_a_record_of_each_step(world):
    receivable = filed(world)
    assert (receivable.status, receivable.filed_on, receivable.deadline) == (S.FILED, TODAY, dt.date(2026, 7, 1))
    assert receivable.amount == Decimal("120.50") and receivable.enterprise == world["A"]
    services.receivable_act(user=world["city"], receivable=receivable, action="send")
    done = services.receivable_act(user=world["province"], receivable=receivable, action="confirm",
                                   answered_on=TODAY, answer="无异议")
    assert (done.status, done.sent_on, done.answered_on, done.answer) == (S.CONFIRMED, TODAY, TODAY, "无异议")
    summaries = list(AuditEvent.objects.filter(target_type="receivable").order_by("id")
                     .values_list("action", "summary"))
    assert summaries == [
        ("finance.receivable_file", "请求合肥市轨道交通集团有限公司确认应收账款 120.50 万元，确权期限 2026-07-01"),
        ("finance.receivable_send", "转送合肥市轨道交通集团有限公司确认"),
        ("finance.receivable_confirm", "合肥市轨道交通集团有限公司确权（2026-06-01）")]
    assert all(e.enterprise_code == world["A"].credit_code for e in AuditEvent.objects.all())


def test_a_refusal_needs_its_reason_and_a_late_answer_is_marked(world, settings):
    receivable = filed(world)
    services.receivable_act(user=world["city"], receivable=receivable, action="send")
    settings.ZJTX_TODAY = dt.date(2026, 7, 10)
    with pytest.raises(ApplicationError) as refused:
        services.receivable_act(user=world["city"], receivable=receivable, action="refuse",
                                answered_on=dt.date(2026, 7, 9))
    assert (refused.value.field, refused.value.message) == ("answer", "请填写不予确认的理由")
    receivable.refresh_from_db()
    assert receivable.status == S.SENT and receivable.answered_on is None
    done = services.receivable_act(user=world["city"], receivable=receivable, action="refuse",
                                   answered_on=dt.date(2026, 7, 9), answer="验收未完成")
    assert done.status == S.REFUSED and done.answered_late
    assert AuditEvent.objects.get(action="finance.receivable_refuse").summary == (
        "合肥市轨道交通集团有限公司不予确认（逾期）（2026-07-09）")


@pytest.mark.parametrize(("who", "action", "error"), [
    ("qiye", "send", PermissionDeniedError), ("jinrong", "send", PermissionDeniedError),
    ("city", "confirm", IllegalTransitionError), ("province", "refuse", IllegalTransitionError),
])
def test_a_step_out_of_turn_or_role_changes_nothing(world, who, action, error):
    receivable = filed(world)
    with pytest.raises(error):
        services.receivable_act(user=world[who], receivable=receivable, action=action, answered_on=TODAY,
                                answer="x")
    receivable.refresh_from_db()
    assert receivable.status == S.FILED and receivable.sent_on is None
    assert AuditEvent.objects.filter(target_type="receivable").count() == 1


def test_another_citys_official_cannot_act(world):
    from zjtx.core.errors import NotFoundError

    receivable = filed(world)
    with pytest.raises(NotFoundError):
        services.receivable_act(user=world["other_city"], receivable=receivable, action="send")


@pytest.mark.parametrize(("answered_on", "field", "message"), [
    (None, "answered_on", "请填写债务人答复日期"),
    (dt.date(2026, 6, 2), "answered_on", "债务人答复日期不能晚于今天（2026-06-01）"),
    (dt.date(2026, 5, 30), "answered_on", "债务人答复日期不能早于转送日期（2026-06-01）"),
])
def test_the_answers_date_is_checked(world, answered_on, field, message):
    receivable = filed(world)
    services.receivable_act(user=world["city"], receivable=receivable, action="send")
    with pytest.raises(ApplicationError) as refused:
        services.receivable_act(user=world["city"], receivable=receivable, action="confirm", answered_on=answered_on)
    assert (refused.value.field, refused.value.message) == (field, message)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("debtor", " ", "请填写债务人名称"),
    ("debtor_kind", "bank", "请选择债务人类型"),
    ("amount", "0", "应收账款金额应大于 0"),
    ("amount", "abc", "应收账款金额“abc”不是数字，请以万元为单位填写，如 500 或 12.5"),
    ("document_no", "", "请填写发票或合同编号"),
    ("arose_on", dt.date(2026, 6, 5), "应收账款形成日期不能晚于今天（2026-06-01）"),
])
def test_a_bad_request_is_refused_by_field(world, field, value, message):
    values = {"debtor": "安徽大学", "debtor_kind": "institution", "amount": "10", "document_no": "FP001",
              "arose_on": dt.date(2026, 1, 5)} | {field: value}
    with pytest.raises(ApplicationError) as refused:
        services.receivable_file(user=world["qiye"], **values)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Receivable.objects.exists()


def test_only_an_enterprise_files_for_itself(world):
    with pytest.raises(PermissionDeniedError):
        services.receivable_file(user=world["city"], debtor="安徽大学", debtor_kind="institution", amount="10",
                                 document_no="FP001", arose_on=TODAY)


def test_overdue_requests_are_flagged_in_the_list_and_the_todos(world, settings):
    waiting, answered = filed(world), filed(world, "qiye_b")
    services.receivable_act(user=world["province"], receivable=answered, action="send")
    services.receivable_act(user=world["province"], receivable=answered, action="confirm", answered_on=TODAY)
    settings.ZJTX_TODAY = dt.date(2026, 7, 1)  # the last day: not yet overdue
    assert not selectors.overdue(Receivable.objects.all()).exists()
    settings.ZJTX_TODAY = dt.date(2026, 7, 2)
    assert list(selectors.overdue(Receivable.objects.all())) == [waiting]
    page = logged_in(world["city"]).get("/finance/receivables/?status=overdue").content.decode()
    assert "甲精工有限公司" in page and 'data-testid="overdue-mark"' in page and "乙科技有限公司" not in page
    todos = {t.label: t.count for t in todos_for(world["city"])}
    assert todos["应收账款确权逾期未确认"] == 1 and todos["应收账款确权请求待转送债务人"] == 1
    assert "应收账款确权逾期未确认" not in {t.label for t in todos_for(world["other_city"])}


def test_the_request_page_shows_a_refused_step_beside_its_field(world):
    receivable = filed(world)
    client = logged_in(world["city"])
    client.post(f"/finance/receivables/{receivable.pk}/send/")
    page = client.post(f"/finance/receivables/{receivable.pk}/refuse/",
                       {"answered_on": "2026-06-01", "answer": ""}).content.decode()
    assert 'data-testid="answer-error"' in page and "请填写不予确认的理由" in page
    page = client.post(f"/finance/receivables/{receivable.pk}/confirm/",
                       {"answered_on": "2026-13-01", "answer": ""}).content.decode()
    assert 'data-testid="answered_on-error"' in page and "债务人答复日期“2026-13-01”不是有效日期" in page
    receivable.refresh_from_db()
    assert receivable.status == S.SENT


def test_the_steps_read_in_chinese_in_the_enterprises_history(world):
    receivable = filed(world)
    services.receivable_act(user=world["city"], receivable=receivable, action="send")
    page = logged_in(world["qiye"]).get(f"/enterprises/{world['A'].credit_code}/").content.decode()
    assert "转送合肥市轨道交通集团有限公司确认" in page and "状态：待转送 → 待债务人确认" in page
    assert "应收账款金额（万元）：空 → 120.50" in page and "确权期限：空 → 2026-07-01" in page
