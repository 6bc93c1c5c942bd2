"""Every write of 服务专员与诉求: visits and the request's steps. Each in one transaction with one audit record;
a request's row is locked before its state is checked, so two people acting at once cannot both succeed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from zjtx.accounts.models import User
from zjtx.core import clock, reference
from zjtx.core.audit import audit_record
from zjtx.core.errors import ApplicationError
from zjtx.core.text import clean_text
from zjtx.enterprises.models import Enterprise
from zjtx.services import access, params, workflow
from zjtx.services.models import ServiceRequest, Visit
from zjtx.tiers.selectors import notice_period

S = ServiceRequest.Status


def _audit(user: User, action: str, obj: ServiceRequest | Visit, summary: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    audit_record(actor=user, action=f"services.{action}", target_type=type(obj).__name__.lower(),
                 target_id=str(obj.pk), enterprise_code=obj.enterprise.credit_code, summary=summary,
                 before=before, after=after)


def _choice(value: str, choices: Any, field: str, label: str) -> str:
    if value not in dict(choices):
        raise ApplicationError(f"请选择{label}", field=field)
    return value


# ---------------------------------------------------------------- visits

def visit_record(*, user: User, enterprise: Enterprise, visited_on: dt.date | None, way: str, topics: str,
                 problems: str = "", follow_up: str = "") -> Visit:
    """An officer's visit to one of the enterprises assigned to it (千企行)."""
    if not access.visitable_enterprises(user).filter(pk=enterprise.pk).exists():
        raise ApplicationError("只能记录对本人服务企业的走访", field="enterprise")
    if visited_on is None:
        raise ApplicationError("请填写走访日期", field="visited_on")
    if visited_on > clock.today():
        raise ApplicationError(f"走访日期不能晚于今天（{clock.today()}）", field="visited_on")
    visit = Visit(enterprise=enterprise, officer=user, visited_on=visited_on,
                  way=_choice(way, Visit.Way.choices, "way", "走访方式"),
                  topics=clean_text(topics, "topics", "走访内容", max_length=1000),
                  problems=clean_text(problems, "problems", "发现的问题", required=False, max_length=1000),
                  follow_up=clean_text(follow_up, "follow_up", "后续跟进", required=False, max_length=1000))
    with transaction.atomic():
        visit.save()
        _audit(user, "visit_record", visit, f"记录{visit.get_way_display()}（{visited_on}）",
               after={"visited_on": visited_on, "way": visit.way, "topics": visit.topics,
                      "problems": visit.problems, "follow_up": visit.follow_up})
    return visit


# ---------------------------------------------------------------- requests

def request_file(*, user: User, enterprise: Enterprise, category: str, title: str, content: str) -> ServiceRequest:
    """An enterprise's request, filed by itself or by its officer on its behalf: 待分派."""
    if not access.fileable_enterprises(user).filter(pk=enterprise.pk).exists():
        raise ApplicationError("只能为本企业（或本人服务的企业）提交诉求", field="enterprise")
    request = ServiceRequest(enterprise=enterprise, filed_by=user,
                             category=_choice(category, ServiceRequest.Category.choices, "category", "诉求类别"),
                             title=clean_text(title, "title", "诉求标题", max_length=60),
                             content=clean_text(content, "content", "诉求内容", max_length=2000))
    with transaction.atomic():
        request.save()
        _audit(user, "request_file", request, f"提交诉求（{request.get_category_display()}）：{request.title}",
               after={"status": request.status, "category": request.category, "title": request.title})
    return request


def _locked(request: ServiceRequest) -> ServiceRequest:
    # of=self: the request's row only, not the enterprise joined to it
    return (ServiceRequest.objects.select_for_update(of=("self",)).select_related("enterprise")
            .get(pk=request.pk))


def deadline_for(routed_on: dt.date) -> dt.date:
    """The last day to answer: the parameter's working days, counted from the working day after routing."""
    return notice_period(routed_on, params.answer_working_days(routed_on))[1]


def request_route(*, user: User, request: ServiceRequest, department: str) -> ServiceRequest:
    """The city or province sends the request to the department it belongs to; the answer's deadline starts."""
    with transaction.atomic():
        request = _locked(request)
        access.require_in_scope(user, request)
        t = workflow.request_check("route", user=user, request=request)
        if not reference.is_department(department):
            raise ApplicationError("请选择方案中列明的承办部门", field="department")
        today = clock.today()
        before = {"status": request.status, "department": request.department}
        request.status, request.department = t.target or request.status, department
        request.routed_on, request.deadline = today, deadline_for(today)
        request.return_reason = ""
        request.save(update_fields=["status", "department", "routed_on", "deadline", "return_reason", "updated_at"])
        _audit(user, "request_route", request,
               f"分派至{request.department_name}，答复期限 {request.deadline}", before,
               {"status": request.status, "department": department, "deadline": request.deadline})
    return request


def request_answer(*, user: User, request: ServiceRequest, answer: str) -> ServiceRequest:
    with transaction.atomic():
        request = _locked(request)
        access.require_in_scope(user, request)
        t = workflow.request_check("answer", user=user, request=request)
        request.answer = clean_text(answer, "answer", "答复内容", max_length=2000)
        request.status, request.answered_on = t.target or request.status, clock.today()
        request.save(update_fields=["status", "answer", "answered_on", "updated_at"])
        late = "（逾期答复）" if request.answered_late else ""
        _audit(user, "request_answer", request, f"{request.department_name}答复{late}", {"status": S.IN_PROGRESS},
               {"status": request.status, "answer": request.answer})
    return request


def request_hand_back(*, user: User, request: ServiceRequest, reason: str) -> ServiceRequest:
    """The department hands back a request that is not its to answer; the city or province routes it again."""
    with transaction.atomic():
        request = _locked(request)
        access.require_in_scope(user, request)
        t = workflow.request_check("hand_back", user=user, request=request)
        request.return_reason = clean_text(reason, "reason", "退回原因", max_length=200)
        request.status = t.target or request.status
        request.save(update_fields=["status", "return_reason", "updated_at"])
        _audit(user, "request_hand_back", request, f"{request.department_name}退回：{request.return_reason}",
               {"status": S.IN_PROGRESS}, {"status": request.status, "reason": request.return_reason})
    return request


def request_rate(*, user: User, request: ServiceRequest, rating: Any, comment: str = "") -> ServiceRequest:
    """The enterprise rates how its answered request was handled (1 to the parameter's highest score)."""
    with transaction.atomic():
        request = _locked(request)
        access.require_in_scope(user, request)
        t = workflow.request_check("rate", user=user, request=request)
        top = params.satisfaction_max(clock.today())
        try:
            score = int(str(rating).strip())
        except ValueError:
            score = 0
        if not 1 <= score <= top:
            raise ApplicationError(f"满意度请选择 1 至 {top} 分", field="rating")
        request.rating, request.status = score, t.target or request.status
        request.rating_comment = clean_text(comment, "rating_comment", "评价意见", required=False, max_length=200)
        request.save(update_fields=["status", "rating", "rating_comment", "updated_at"])
        _audit(user, "request_rate", request, f"评价满意度 {score}/{top} 分", {"status": S.ANSWERED},
               {"status": request.status, "rating": score, "rating_comment": request.rating_comment})
    return request
