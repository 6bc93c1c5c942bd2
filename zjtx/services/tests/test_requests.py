"""A request's steps: who may take each, from which state, what is stored and audited; the working-day
deadline and the 逾期 flag."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zjtx.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from zjtx.core.models import AuditEvent
from zjtx.core.navigation import todos_for
from zjtx.services import selectors, services
from zjtx.services.models import ServiceRequest
from zjtx.services.tests.conftest import filed, routed
from zjtx.tiers.models import Holiday

S = ServiceRequest.Status
pytestmark = pytest.mark.django_db


def _state(request: ServiceRequest) -> tuple[str, str]:
    request.refresh_from_db()
    return request.status, request.department


def test_a_request_goes_from_filing_to_rating_and_each_step_is_audited(world):
    request = filed(world)
    assert request.status == S.PENDING
    services.request_route(user=world["city"], request=request, department="sci_tech")
    assert _state(request) == (S.IN_PROGRESS, "sci_tech")
    assert (request.routed_on, request.deadline) == (dt.date(2026, 6, 1), dt.date(2026, 6, 15))
    services.request_answer(user=world["keji"], request=request, answer="已安排专人对接，申报指南已发送")
    services.request_rate(user=world["qiye"], request=request, rating="4", comment="答复及时")
    request.refresh_from_db()
    assert (request.status, request.rating, request.rating_comment) == (S.RATED, 4, "答复及时")
    records = list(AuditEvent.objects.filter(target_type="servicerequest", target_id=str(request.pk))
                   .order_by("id").values_list("action", "actor__username", "enterprise_code"))
    code = world["A"].credit_code
    assert records == [("services.request_file", "qiye", code), ("services.request_route", "hefei", code),
                       ("services.request_answer", "keji", code), ("services.request_rate", "qiye", code)]
    route = AuditEvent.objects.get(action="services.request_route")
    assert route.summary == "分派至省科技厅，答复期限 2026-06-15"
    assert route.before == {"status": "pending", "department": ""}


def test_the_officer_files_for_its_enterprise_only(world):
    request = services.request_file(user=world["officer"], enterprise=world["A"], category="financing",
                                    title="流动资金贷款", content="缺口约800万元")
    assert (request.filed_by, request.enterprise) == (world["officer"], world["A"])
    with pytest.raises(ApplicationError) as refused:
        services.request_file(user=world["officer"], enterprise=world["B"], category="financing", title="贷款",
                              content="缺口")
    assert (refused.value.field, refused.value.message) == ("enterprise", "只能为本企业（或本人服务的企业）提交诉求")
    with pytest.raises(PermissionDeniedError):
        services.request_file(user=world["city"], enterprise=world["A"], category="financing", title="贷款",
                              content="缺口")


@pytest.mark.parametrize(("field", "values", "message"), [
    ("category", {"category": "bogus"}, "请选择诉求类别"),
    ("title", {"title": "  "}, "请填写诉求标题"),
    ("content", {"content": "长" * 2001}, "诉求内容不能超过 2000 个字"),
])
def test_a_bad_request_is_refused_by_field_and_nothing_is_stored(world, field, values, message):
    data: dict[str, Any] = {"category": "technology", "title": "技术中心", "content": "申报条件", **values}
    with pytest.raises(ApplicationError) as refused:
        services.request_file(user=world["qiye"], enterprise=world["A"], **data)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not ServiceRequest.objects.exists() and not AuditEvent.objects.exists()


def test_steps_out_of_turn_or_role_are_refused_in_chinese_and_change_nothing(world):
    request = filed(world)
    with pytest.raises(PermissionDeniedError, match="只有市级管理员、省级管理员可以分派诉求"):
        services.request_route(user=world["qiye"], request=request, department="sci_tech")
    with pytest.raises(NotFoundError):  # not routed to it yet: the department does not see it
        services.request_answer(user=world["keji"], request=request, answer="答复")
    with pytest.raises(ApplicationError) as unknown:
        services.request_route(user=world["province"], request=request, department="nowhere")
    assert (unknown.value.field, unknown.value.message) == ("department", "请选择方案中列明的承办部门")
    services.request_route(user=world["province"], request=request, department="sci_tech")
    with pytest.raises(ApplicationError, match="当前状态为“办理中”，不能分派诉求"):
        services.request_route(user=world["province"], request=request, department="finance")
    with pytest.raises(ApplicationError, match="不能评价办理满意度"):
        services.request_rate(user=world["qiye"], request=request, rating=5)
    with pytest.raises(ApplicationError) as empty:
        services.request_answer(user=world["keji"], request=request, answer=" ")
    assert (empty.value.field, empty.value.message) == ("answer", "请填写答复内容")
    assert _state(request) == (S.IN_PROGRESS, "sci_tech")
    assert AuditEvent.objects.filter(target_type="servicerequest").count() == 2  # filed and routed only
    services.request_answer(user=world["keji"], request=request, answer="已答复")
    twice = "当前状态为“已答复”，不能答复诉求；只有处于“办理中”状态时才可以答复诉求"
    with pytest.raises(ApplicationError, match=twice):
        services.request_answer(user=world["keji"], request=request, answer="再答复")
    with pytest.raises(PermissionDeniedError, match="只有企业用户可以评价办理满意度"):
        services.request_rate(user=world["officer"], request=request, rating=5)
    request.refresh_from_db()
    assert (request.status, request.answer) == (S.ANSWERED, "已答复")


def test_only_the_department_routed_to_and_the_right_city_may_act(world):
    request = routed(world)
    with pytest.raises(NotFoundError):
        services.request_answer(user=world["caizheng"], request=request, answer="答复")
    with pytest.raises(NotFoundError):
        services.request_route(user=world["other_city"], request=filed(world), department="finance")
    with pytest.raises(NotFoundError):
        services.request_rate(user=world["qiye_b"], request=request, rating=5)
    assert _state(request) == (S.IN_PROGRESS, "sci_tech")


@pytest.mark.parametrize("rating", ["0", "6", "很好", ""])
def test_a_rating_outside_the_parameters_scale_is_refused(world, rating):
    request = routed(world)
    services.request_answer(user=world["keji"], request=request, answer="已答复")
    with pytest.raises(ApplicationError) as refused:
        services.request_rate(user=world["qiye"], request=request, rating=rating)
    assert (refused.value.field, refused.value.message) == ("rating", "满意度请选择 1 至 5 分")
    assert _state(request)[0] == S.ANSWERED


def test_the_scale_follows_a_new_dated_value_of_its_parameter(world):
    from zjtx.policy.models import ParameterValue

    ParameterValue.objects.create(parameter_id="services.request.satisfaction_max", start=dt.date(2026, 1, 1),
                                  value=10, reference="测试", confirmed=True)
    request = routed(world)
    services.request_answer(user=world["keji"], request=request, answer="已答复")
    services.request_rate(user=world["qiye"], request=request, rating=9)
    request.refresh_from_db()
    assert request.rating == 9


def test_a_department_hands_back_and_the_city_routes_again(world):
    request = routed(world, department="finance")
    with pytest.raises(ApplicationError) as no_reason:
        services.request_hand_back(user=world["caizheng"], request=request, reason="")
    assert no_reason.value.field == "reason"
    services.request_hand_back(user=world["caizheng"], request=request, reason="不属于本部门职责")
    request.refresh_from_db()
    assert (request.status, request.return_reason) == (S.RETURNED, "不属于本部门职责")
    assert todos_of(world["city"]) == {"企业诉求被部门退回，待重新分派": 1}
    services.request_route(user=world["city"], request=request, department="sci_tech")
    assert _state(request) == (S.IN_PROGRESS, "sci_tech")
    assert request.return_reason == ""
    hand_back = AuditEvent.objects.get(action="services.request_hand_back")
    assert hand_back.summary == "省财政厅退回：不属于本部门职责"


def todos_of(user: Any) -> dict[str, int]:
    """The to-dos the home page shows (those with a count) of this module."""
    return {t.label: t.count for t in todos_for(user) if t.url.startswith("/services/")}


def test_the_deadline_counts_working_days_across_the_national_day_holiday(world, settings):
    settings.ZJTX_TODAY = dt.date(2026, 9, 30)  # the eve of 国庆节: 1–7 October off, Saturday 10 October worked
    request = routed(world)
    # from the next working day (8 October), ten working days: 8, 9, 10 (调休), 12–16, 19, 20 October
    assert (request.routed_on, request.deadline) == (dt.date(2026, 9, 30), dt.date(2026, 10, 20))


def test_the_provinces_holiday_table_moves_the_deadline(world):
    Holiday.objects.create(date=dt.date(2026, 6, 10), is_workday=False, name="防汛停工")
    assert routed(world).deadline == dt.date(2026, 6, 16)  # one more day than the 15 June without it


def test_a_request_is_overdue_only_after_its_deadline_and_shows_as_a_to_do(world, settings):
    request = routed(world)  # deadline 2026-06-15
    settings.ZJTX_TODAY = dt.date(2026, 6, 15)
    assert not selectors.is_overdue(request)
    assert todos_of(world["keji"]) == {"企业诉求待答复": 1}
    settings.ZJTX_TODAY = dt.date(2026, 6, 16)
    request.refresh_from_db()
    assert selectors.is_overdue(request)
    assert todos_of(world["keji"]) == {"企业诉求待答复": 1, "企业诉求逾期未答复": 1}
    assert todos_of(world["province"])["企业诉求逾期未答复"] == 1
    assert todos_of(world["other_city"]) == {}
    assert [r.pk for r in selectors.request_page(world["province"], status=selectors.OVERDUE)] == [request.pk]
    services.request_answer(user=world["keji"], request=request, answer="迟到的答复")
    request.refresh_from_db()
    assert request.answered_late and not selectors.is_overdue(request)
    assert AuditEvent.objects.get(action="services.request_answer").summary == "省科技厅答复（逾期答复）"
    assert todos_of(world["qiye"]) == {"诉求已答复，待评价满意度": 1}
