"""金融服务 pages: lists pushed to partner banks, loans and the 专项信贷 totals, 应收账款确权, 上市后备资源库."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zjtx.accounts.models import User, current_user
from zjtx.accounts.roles import Role
from zjtx.core import clock, reference, regions
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.http import offered_choice, page_errors, query_without_page, search_text, xlsx_response
from zjtx.core.models import AuditEvent
from zjtx.core.templatetags.money import wan
from zjtx.enterprises.models import Enterprise, Tier
from zjtx.finance import access, exports, params, selectors, services, workflow
from zjtx.finance.forms import CandidateForm, LoanForm, PushForm, ReceivableForm
from zjtx.finance.models import ListingCandidate, Receivable
from zjtx.tiers.models import LADDER

STATUS_FILTERS = [*Receivable.Status.choices, (selectors.OVERDUE, "逾期未确认")]
ACT_FIELDS = {"answer", "answered_on"}  # of the receivable page's forms
STEP_FIELDS = {"stage", "on", "board", "stock_code"}  # of the candidate page's form




def _nav(user: User, tab: str) -> dict[str, Any]:
    tabs = [("lists", "名单推送", access.may_see_lists(user)), ("loans", "贷款", access.may_see_lists(user)),
            ("credit", "专项信贷", access.may_see_credit(user)),
            ("receivables", "应收账款确权", user.role != Role.BANK),
            ("reserve", "上市后备资源库", user.role != Role.BANK)]
    return {"tabs": [(f"finance:{slug}", label, slug == tab) for slug, label, shown in tabs if shown]}


def _field_error(form: Any, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
@page_errors
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The module's first page for each role: a bank its lists, an enterprise its receivables, the others the
    year's 专项信贷."""
    user = current_user(request)
    if not access.may_open(user):
        raise PermissionDeniedError("您的角色无权使用金融服务")
    if user.role == Role.BANK:
        return redirect("finance:lists")
    if user.role == Role.ENTERPRISE:
        return redirect("finance:receivables")
    return redirect("finance:credit")


# ---------------------------------------------------------------- 名单推送

@login_required
@page_errors
@require_GET
def lists(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    page = selectors.list_page(user, request.GET.get("page", 1))
    return render(request, "finance/lists.html", {
        **_nav(user, "lists"), "page": page, "query": query_without_page(request), "may_push": access.may_push(user),
        "bank": access.bank_of(user), "is_bank": user.role == Role.BANK})


def _selection(user: User, data: dict[str, Any]) -> tuple[QuerySet[Enterprise], str]:
    """The enterprises the push form chose, and the criteria in words for the list's record."""
    if data["codes"].strip():
        chosen = services.codes_selection(user, data["codes"])
        return chosen, f"按统一社会信用代码选定 {chosen.count()} 家"
    qs = access.pushable_enterprises(user).filter(tier__in=LADDER[LADDER.index(data["tier"]):])
    place = user.scope_label if user.role == Role.CITY else "全省"
    if data.get("city"):
        qs, place = qs.filter(city_code=data["city"]), regions.city_name(data["city"])
    words = [place, f"{Tier(data['tier']).label}及以上"]
    if data["emerging"]:
        qs = qs.filter(emerging_industry=data["emerging"])
        words.append(reference.emerging_industry_name(data["emerging"]))
    return qs, "，".join(words)


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def list_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.pushable_enterprises(user)
    form = PushForm(request.POST or None, banks=selectors.partner_banks(), cities=access.filter_cities(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            chosen, criteria = _selection(user, data)
            pushed = services.list_push(user=user, title=data["title"], banks=data["banks"], enterprises=chosen,
                                        criteria=criteria, note=data["note"])
        except ApplicationError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, f"名单已推送，共 {pushed.entries.count()} 家企业。")
            return redirect("finance:list", pk=pushed.pk)
    return render(request, "finance/list_new.html", {**_nav(user, "lists"), "form": form})


@login_required
@page_errors
@require_GET
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    pushed = access.access_list(user, pk)
    cities = list(regions.CITIES) if user.role in (Role.BANK, Role.PROVINCE) or access.is_reader(user) else []
    city, q = offered_choice(request, "city", cities), search_text(request)
    page = selectors.list_enterprise_page(user, pushed, city=city, q=q, page=request.GET.get("page", 1))
    return render(request, "finance/list.html", {
        **_nav(user, "lists"), "x": pushed, "page": page, "cities": cities, "city": city, "q": q,
        "query": query_without_page(request), "banks": access.recipients_shown(user, pushed),
        "is_bank": user.role == Role.BANK, "registry_link": user.role in access.OFFICIALS})


@login_required
@page_errors
@require_GET
def list_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    pushed = access.access_list(user, pk)
    return xlsx_response(exports.list_workbook(user, pushed), f"{pushed.title}_{pushed.pushed_on:%Y%m%d}.xlsx")


# ---------------------------------------------------------------- 贷款

def _year(request: HttpRequest, years: list[int]) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and int(raw) in years else None


@login_required
@page_errors
@require_GET
def loans(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    years = selectors.loan_years(user)
    cities = access.filter_cities(user)
    filters: dict[str, Any] = {
        "year": _year(request, years), "special": offered_choice(request, "special", [("1", ""), ("0", "")]),
        "city": offered_choice(request, "city", cities), "q": search_text(request)}
    page = selectors.loan_page(user, page=request.GET.get("page", 1), **filters)
    return render(request, "finance/loans.html", {
        **_nav(user, "loans"), "page": page, "f": filters, "years": years, "cities": cities,
        "query": query_without_page(request), "is_bank": user.role == Role.BANK})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def loan_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.bank_enterprises(user)
    initial = {"granted_on": clock.today(), "enterprise": request.GET.get("enterprise", "")[:18]}
    form = LoanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("enterprise").strip().upper()
        try:
            loan = services.loan_record(user=user, enterprise=Enterprise.objects.filter(credit_code=code).first(),
                                        **data)
        except ApplicationError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, f"已记录对{loan.enterprise.name}的贷款 {wan(loan.amount)} 万元。")
            return redirect("finance:loans")
    return render(request, "finance/loan_new.html", {**_nav(user, "loans"), "form": form,
                                                      "bank": access.bank_of(user)})


@login_required
@page_errors
@require_GET
def credit(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    years = selectors.loan_years(user)
    year = _year(request, years) or clock.today().year
    data = selectors.credit(user, year)
    return render(request, "finance/credit.html", {
        **_nav(user, "credit"), "data": data, "years": years, "province": access.sees_all(user),
        "chart": {"cities": [x.name for x in data.by_city], "city_special": [float(x.special) for x in data.by_city],
                  "banks": [x.name for x in data.by_bank], "bank_special": [float(x.special) for x in data.by_bank]}})


# ---------------------------------------------------------------- 应收账款确权

@login_required
@page_errors
@require_GET
def receivables(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.visible_receivables(user)
    cities = access.filter_cities(user)
    filters = {"status": offered_choice(request, "status", STATUS_FILTERS),
               "city": offered_choice(request, "city", cities), "q": search_text(request)}
    page = selectors.receivable_page(user, page=request.GET.get("page", 1), **filters)
    return render(request, "finance/receivables.html", {
        **_nav(user, "receivables"), "page": page, "f": filters, "statuses": STATUS_FILTERS, "cities": cities,
        "query": query_without_page(request), "files": user.role == Role.ENTERPRISE,
        "days": params.receivable_days(clock.today())})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def receivable_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    enterprise = access.fileable_enterprise(user)
    form = ReceivableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.receivable_file(user=user, **form.cleaned_data)
        except ApplicationError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, f"确权请求已提交，债务人应在 {filed.deadline} 前确认。")
            return redirect("finance:receivable", pk=filed.pk)
    return render(request, "finance/receivable_new.html", {
        **_nav(user, "receivables"), "form": form, "own": enterprise,
        "days": params.receivable_days(clock.today())})


def _receivable_context(user: User, found: Receivable, error: ApplicationError | None = None,
                        posted: Any = None) -> dict[str, Any]:
    history = AuditEvent.objects.filter(target_type="receivable", target_id=str(found.pk)).order_by("at", "id")
    return {**_nav(user, "receivables"), "x": found, "history": history, "overdue": selectors.is_overdue(found),
            "actions": workflow.available(workflow.RECEIVABLE, user=user, state=found.status),
            "days": params.receivable_days(found.filed_on), "today": clock.today(),
            "registry_link": user.role in access.OFFICIALS or access.is_reader(user),
            "error": error and {"field": error.field if error.field in ACT_FIELDS else "", "message": error.message},
            "posted": posted or {}}


@login_required
@page_errors
@require_GET
def receivable_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    return render(request, "finance/receivable.html", _receivable_context(user, access.access_receivable(user, pk)))


@login_required
@page_errors
@require_POST
def receivable_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = current_user(request)
    found = access.access_receivable(user, pk)
    if action not in workflow.RECEIVABLE:
        raise PermissionDeniedError("没有这个操作")
    post = request.POST
    try:
        done = services.receivable_act(user=user, receivable=found, action=action, answer=post.get("answer", ""),
                                       answered_on=_posted_date(post.get("answered_on", ""), "answered_on",
                                                                "债务人答复日期"))
    except ApplicationError as exc:
        found.refresh_from_db()  # the page shows the request as stored: the refused step changed nothing
        return render(request, "finance/receivable.html", _receivable_context(user, found, exc, post))
    messages.success(request, f"已{workflow.RECEIVABLE[action].label}，当前状态：{done.get_status_display()}。")
    return redirect("finance:receivable", pk=pk)


def _posted_date(value: str, field: str, label: str) -> dt.date | None:
    """A posted date, or None when blank; a malformed one is refused by field."""
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(f"{label}“{value[:20]}”不是有效日期（应为 2026-11-30 的格式）", field=field) from None


# ---------------------------------------------------------------- 上市后备资源库

@login_required
@page_errors
@require_GET
def reserve(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.visible_candidates(user)
    cities = access.filter_cities(user)
    filters = {"stage": offered_choice(request, "stage", ListingCandidate.Stage.choices),
               "city": offered_choice(request, "city", cities), "q": search_text(request)}
    page = selectors.candidate_page(user, page=request.GET.get("page", 1), **filters)
    return render(request, "finance/reserve.html", {
        **_nav(user, "reserve"), "page": page, "f": filters, "stages": ListingCandidate.Stage.choices,
        "cities": cities, "query": query_without_page(request), "keeps": access.may_keep_reserve(user),
        "is_enterprise": user.role == Role.ENTERPRISE,
        "listings": None if user.role == Role.ENTERPRISE else selectors.listings(user)})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def candidate_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not access.may_keep_reserve(user):
        raise PermissionDeniedError("只有省级、市级管理员可以维护上市后备资源库")
    form = CandidateForm(request.POST or None, initial={"added_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("enterprise").strip().upper()
        try:
            candidate = services.candidate_add(user=user, enterprise=Enterprise.objects.filter(
                credit_code=code).first(), **data)
        except ApplicationError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, f"{candidate.enterprise.name}已纳入上市后备资源库。")
            return redirect("finance:candidate", pk=candidate.pk)
    return render(request, "finance/candidate_new.html", {**_nav(user, "reserve"), "form": form})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    found = access.access_candidate(user, pk)
    error: dict[str, str] | None = None
    posted: Any = {}
    if request.method == "POST":
        posted = request.POST
        try:
            on = _posted_date(posted.get("on", ""), "on", "日期")
            services.candidate_advance(user=user, candidate=found, stage=posted.get("stage", ""), on=on,
                                       board=posted.get("board", ""), stock_code=posted.get("stock_code", ""))
        except ApplicationError as exc:
            error = {"field": exc.field if exc.field in STEP_FIELDS else "", "message": exc.message}
        else:
            messages.success(request, "上市进展已记录。")
            return redirect("finance:candidate", pk=pk)
    found.refresh_from_db()
    later = list(ListingCandidate.Stage.values)[list(ListingCandidate.Stage.values).index(found.stage) + 1:]
    history = AuditEvent.objects.filter(target_type="listingcandidate", target_id=str(found.pk)).order_by("at", "id")
    return render(request, "finance/candidate.html", {
        **_nav(user, "reserve"), "x": found, "history": history, "keeps": access.may_keep_reserve(user),
        "later": [(s, ListingCandidate.Stage(s).label) for s in later], "boards": ListingCandidate.Board.choices,
        "error": error, "posted": posted, "today": clock.today()})
