"""服务专员与诉求 pages: requests and their steps, visits (千企行), officers' coverage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zjtx.accounts.models import User, current_user
from zjtx.accounts.roles import Role
from zjtx.core import clock, reference
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.http import offered_choice, page_errors, query_without_page, search_text, xlsx_response
from zjtx.core.models import AuditEvent
from zjtx.enterprises import access as registry_access
from zjtx.enterprises import services as registry_services
from zjtx.services import access, exports, params, selectors, services, workflow
from zjtx.services.forms import RequestForm, VisitForm
from zjtx.services.models import ServiceRequest, Visit

FORM_FIELDS = {"department", "answer", "reason", "rating", "rating_comment"}  # of the request page's forms
STATUS_FILTERS = [*ServiceRequest.Status.choices, (selectors.OVERDUE, "逾期未答复")]




def _nav(user: User) -> dict[str, Any]:
    return {"sees_visits": access.may_see_visits(user), "sees_coverage": access.may_see_coverage(user),
            "files": user.role in access.FILE_ROLES, "visits_new": user.role == Role.OFFICER}


@login_required
@page_errors
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_open(user)
    cities = access.filter_cities(user)
    departments = reference.DEPARTMENTS if user.role in (Role.PROVINCE, Role.CITY) else []
    filters = {"status": offered_choice(request, "status", STATUS_FILTERS),
               "category": offered_choice(request, "category", ServiceRequest.Category.choices),
               "city": offered_choice(request, "city", cities),
               "department": offered_choice(request, "department", departments), "q": search_text(request)}
    page = selectors.request_page(user, page=request.GET.get("page", 1), **filters)
    return render(request, "services/requests.html", {
        **_nav(user), "page": page, "f": filters, "statuses": STATUS_FILTERS,
        "categories": ServiceRequest.Category.choices, "cities": cities, "departments": departments,
        "query": query_without_page(request), "show_department": user.role != Role.DEPARTMENT})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    enterprises = access.fileable_enterprises(user)
    choose = user.role == Role.OFFICER
    form = RequestForm(request.POST or None, enterprises=enterprises, choose=choose)
    own = None if choose else enterprises.first()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        enterprise = data.pop("enterprise", own)
        try:
            if enterprise is None:
                raise ApplicationError("您的账号没有对应的企业，请联系管理员", field="enterprise")
            filed = services.request_file(user=user, enterprise=enterprise, **data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "诉求已提交，等待市级分派至承办部门。")
            return redirect("services:request", pk=filed.pk)
    return render(request, "services/request_new.html", {**_nav(user), "form": form, "own": own})


@login_required
@page_errors
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    return render(request, "services/request.html", _detail_context(user, access.access_request(user, pk)))


def _detail_context(user: User, found: ServiceRequest, error: ApplicationError | None = None,
                    posted: Any = None) -> dict[str, Any]:
    """The request page; after a refused step, its message beside the field and what was typed, kept."""
    today = clock.today()
    history = AuditEvent.objects.filter(target_type="servicerequest", target_id=str(found.pk)).order_by("at", "id")
    return {
        **_nav(user), "x": found, "history": history, "overdue": selectors.is_overdue(found, today),
        "actions": workflow.available(workflow.REQUEST, user=user, state=found.status),
        "departments": reference.DEPARTMENTS, "answer_days": params.answer_working_days(today),
        "scores": [str(n) for n in range(params.satisfaction_max(today), 0, -1)],
        "show_registry_link": user.role != Role.DEPARTMENT,
        # a refusal of a field of the forms below shows beside it, any other (a step out of turn) on top
        "error": error and {"field": error.field if error.field in FORM_FIELDS else "", "message": error.message},
        "posted": posted or {}}


def _act(request: HttpRequest, user: User, x: ServiceRequest, action: str) -> str:
    post = request.POST
    if action == "route":
        routed = services.request_route(user=user, request=x, department=post.get("department", ""))
        return f"已分派至{routed.department_name}，答复期限 {routed.deadline}。"
    if action == "answer":
        services.request_answer(user=user, request=x, answer=post.get("answer", ""))
        return "已答复，等待企业评价。"
    if action == "hand_back":
        services.request_hand_back(user=user, request=x, reason=post.get("reason", ""))
        return "已退回，由市级（省级）重新分派。"
    if action == "rate":
        services.request_rate(user=user, request=x, rating=post.get("rating", ""),
                              comment=post.get("rating_comment", ""))
        return "感谢评价，本诉求已办结。"
    raise ApplicationError("没有这个操作", field="action")


@login_required
@page_errors
@require_POST
def request_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = current_user(request)
    found = access.access_request(user, pk)
    try:
        messages.success(request, _act(request, user, found, action))
    except ApplicationError as exc:
        found.refresh_from_db()  # the page shows the request as stored: the refused step changed nothing
        return render(request, "services/request.html", _detail_context(user, found, exc, request.POST))
    return redirect("services:request", pk=pk)


def _date(request: HttpRequest, name: str, label: str, problems: list[str]) -> dt.date | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{label}“{value[:20]}”不是有效日期（应为 2026-11-30 的格式），未按其筛选")
        return None


@login_required
@page_errors
@require_GET
def visits(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.visible_visits(user)
    cities = access.filter_cities(user)
    problems: list[str] = []
    since = _date(request, "since", "走访日期（起）", problems)
    until = _date(request, "until", "走访日期（止）", problems)
    filters = {"way": offered_choice(request, "way", Visit.Way.choices),
               "city": offered_choice(request, "city", cities), "q": search_text(request)}
    page = selectors.visit_page(user, since=since, until=until, page=request.GET.get("page", 1), **filters)
    return render(request, "services/visits.html", {
        **_nav(user), "page": page, "f": filters, "since": since, "until": until, "problems": problems,
        "ways": Visit.Way.choices, "cities": cities, "query": query_without_page(request),
        "searchable": user.role != Role.ENTERPRISE})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    enterprises = access.visitable_enterprises(user)
    initial = {"visited_on": clock.today(), "enterprise": request.GET.get("enterprise")}
    form = VisitForm(request.POST or None, enterprises=enterprises, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(user=user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "走访记录已保存。")
            return redirect("services:visits")
    return render(request, "services/visit_new.html", {**_nav(user), "form": form})


@login_required
@page_errors
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    data = selectors.coverage(user)
    cities = access.filter_cities(user)
    city = offered_choice(request, "city", cities)
    page = Paginator(selectors.uncovered(user, city), selectors.PAGE_SIZE).get_page(request.GET.get("page", 1))
    return render(request, "services/coverage.html", {
        **_nav(user), "data": data, "page": page, "city": city, "cities": cities, "query": query_without_page(request),
        "loads": selectors.officer_loads(user), "parameter": params.OFFICERS_PER_ENTERPRISE})


@login_required
@page_errors
@require_GET
def coverage_xlsx(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    data = exports.coverage_workbook(user)
    return xlsx_response(data, f"{user.scope_label}服务专员配备情况_{clock.today():%Y%m%d}.xlsx")


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, code: str) -> HttpResponse:
    """Give an enterprise its officer through the registry's own assignment (checked and audited there)."""
    user = current_user(request)
    if not registry_access.can_assign_officer(user):
        raise PermissionDeniedError("只有省级、市级管理员可以配备服务专员")
    enterprise = registry_access.access_enterprise_for_view(user, code)
    officers = selectors.officer_choices(enterprise)
    error = ""
    if request.method == "POST":
        picked = request.POST.get("officer", "")
        chosen = officers.filter(pk=int(picked)).first() if picked.isdigit() else None
        if chosen is None:
            error = "服务专员：请从列表中选择本市的服务专员"
        else:
            registry_services.officer_assign(user=user, enterprise=enterprise, officer=chosen)
            messages.success(request, f"已为{enterprise.name}配备服务专员{chosen.display_name}。")
            return redirect("services:coverage")
    return render(request, "services/assign.html", {**_nav(user), "e": enterprise, "officers": officers,
                                                    "error": error})
