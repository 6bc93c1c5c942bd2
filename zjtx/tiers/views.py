"""梯度培育 pages. Each view parses input, asks access/selectors/services, and renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zjtx.accounts.models import User, current_user
from zjtx.accounts.roles import Role
from zjtx.core import regions
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.http import page_errors, query_without_page, xlsx_response
from zjtx.enterprises.models import Enterprise
from zjtx.tiers import access, assessment, clock, exports, selectors, services, workdays, workflow
from zjtx.tiers.forms import (
    ApplyForm,
    BatchForm,
    ConflictForm,
    DeadlineForm,
    HolidayForm,
    NationalForm,
    ObjectionForm,
)
from zjtx.tiers.models import (
    BATCH_TIERS,
    Application,
    Attachment,
    Batch,
    ExpertConflict,
    Holiday,
    Objection,
    Recognition,
)


def _fail(request: HttpRequest, exc: ApplicationError) -> None:
    messages.error(request, exc.message)


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def batches(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = BatchForm(request.POST or None, initial={"year": clock.today().year})
    if request.method == "POST":
        access.require_province(user, "开设申报批次")
        if form.is_valid():
            try:
                batch = services.batch_open(user=user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已开设申报批次《{batch.title}》。")
                return redirect("tiers:batch", pk=batch.pk)
    today = clock.today()
    rows = list(access.visible_batches(user))
    context = {"batches": rows, "form": form, "today": today, "is_province": user.role == Role.PROVINCE,
               "is_enterprise": user.role == Role.ENTERPRISE,
               "open_ids": {b.pk for b in rows if b.accepting(today)}, "mine": _my_applications(user)}
    return render(request, "tiers/batches.html", context)


def _my_applications(user: User) -> dict[int, int]:
    """batch → the enterprise user's own application in it (its page, instead of a second 申报 button)."""
    if user.role != Role.ENTERPRISE:
        return {}
    return dict(access.visible_applications(user).values_list("batch_id", "pk"))


@login_required
@page_errors
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    return _batch_page(request, user, access.access_batch(user, pk))


@login_required
@page_errors
@require_POST
def batch_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    """The province moves the city's review deadline (cities late, a holiday): the form stands on the batch page."""
    user = current_user(request)
    batch = access.access_batch(user, pk)
    access.require_province(user, "调整市级审核截止日期")
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.batch_set_deadline(user=user, batch=batch, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            day = form.cleaned_data["city_review_deadline"]
            messages.success(request, f"市级审核截止日期已调整为 {day:%Y-%m-%d}。")
            return redirect("tiers:batch", pk=pk)
    return _batch_page(request, user, batch, deadline_form=form)


def _batch_page(request: HttpRequest, user: User, batch: Batch, deadline_form: DeadlineForm | None = None
                ) -> HttpResponse:
    today = clock.today()
    if deadline_form is None and user.role == Role.PROVINCE:
        deadline_form = DeadlineForm(initial={"city_review_deadline": batch.city_review_deadline})
    context = {"deadline_form": deadline_form, "batch": batch, "counts": selectors.batch_counts(batch, today),
               "applications": selectors.batch_applications(user=user, batch=batch), "today": today,
               "can_close": "close" in workflow.available(workflow.BATCH, user=user, state=batch.status),
               "can_apply": user.role == Role.ENTERPRISE and batch.accepting(today),
               "my_application": _my_applications(user).get(batch.pk),
               "is_province": user.role == Role.PROVINCE, "panel_score": access.sees_panel_score(user),
               "quota_label": selectors.parameter_label(batch.quota_parameter) if batch.quota_parameter else ""}
    return render(request, "tiers/batch.html", context)


@login_required
@page_errors
@require_GET
def batch_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch's 申报汇总表: the applications the user sees on the batch page, as it shows them."""
    user = current_user(request)
    batch = access.access_batch(user, pk)
    applications = selectors.batch_applications(user=user, batch=batch)
    data = exports.applications_xlsx(applications, title=f"《{batch.title}》申报汇总表（{user.scope_label}）",
                                     panel_score=access.sees_panel_score(user))
    return xlsx_response(data, f"申报汇总-{batch.title}-{clock.today():%Y%m%d}.xlsx")


@login_required
@page_errors
@require_POST
def batch_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    batch = access.access_batch(user, pk)
    try:
        services.batch_close(user=user, batch=batch)
    except ApplicationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "已截止申报。")
    return redirect("tiers:batch", pk=pk)


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    enterprise = access.applicant_enterprise(user)
    batch = access.access_batch(user, pk)
    today = clock.today()
    existing = Application.objects.filter(batch=batch, enterprise=enterprise).first()
    if existing is not None and existing.status != Application.Status.RETURNED:
        messages.info(request, "贵企业已提交本批次申报。")
        return redirect("tiers:application", pk=existing.pk)
    initial = {"contact_name": enterprise.contact_name, "contact_phone": enterprise.contact_phone}
    if existing is not None:
        initial.update(contact_name=existing.contact_name, contact_phone=existing.contact_phone,
                       statement=existing.statement)
    form = ApplyForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(user=user, batch=batch, **form.cleaned_data, today=today)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            note = "（政策引擎自评为不符合，申报已标记，仍会进入审核。）" if application.flagged else ""
            messages.success(request, "申报已提交，等待市级审核。" + note)
            return redirect("tiers:application", pk=application.pk)
    refusal = selectors.held_tier_refusal(enterprise, batch.tier, today)
    # A held tier is not assessed: the engine would evaluate it under the re-review criteria (复核).
    result = {} if refusal else assessment.self_assessment(enterprise=enterprise, tier=batch.tier, as_of=today)
    context = {"batch": batch, "e": enterprise, "form": form, "assessment": result, "existing": existing,
               # The notice adds its own full stop after the reason.
               "return_reason": existing.return_reason.rstrip("。.！!；;") if existing else "",
               "declared": assessment.declared_snapshot(enterprise, result.get("data_year")),
               "accepting": batch.accepting_from(existing, today), "refusal": refusal}
    return render(request, "tiers/apply.html", context)


@login_required
@page_errors
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    return _application_page(request, user, access.access_application(user, pk))


def _application_page(request: HttpRequest, user: User, application: Application,
                      **failed: Any) -> HttpResponse:
    """The application page; after a refused action, `failed` holds its error (`errors`) and what was typed
    (`posted`), so the message shows beside the field it concerns and the form keeps the input."""
    actions = workflow.available(workflow.APPLICATION, user=user, state=application.status)
    if user.role == Role.ENTERPRISE and user.credit_code == application.enterprise.credit_code:
        actions.discard("file_objection")
    assignments = list(application.assignments.select_related("expert"))
    mine = next((a for a in assignments if a.expert_id == user.pk), None)
    context = {
        "a": application, "actions": actions, "assignments": assignments, "mine": mine,
        "show_scores": user.role in (Role.PROVINCE, Role.EXPERT), "panel_score": access.sees_panel_score(user),
        **(_assignment_form(application, assignments) if "assign_experts" in actions else {}),
        "objections": list(application.objections.select_related("filed_by")),
        "history": selectors.application_history(application, user),
        **_recognition_of(application),
        "today": clock.today(), "is_national": application.batch.is_national,
        "preview": selectors.decision_preview(application) if "decide_approve" in actions else None,
        "notice": selectors.notice_preview(application, clock.today()) if "decide_approve" in actions else None,
        "errors": {}, "posted": {}, "checked_experts": set(), **failed,
    }
    return render(request, "tiers/application.html", context)


def _recognition_of(application: Application) -> dict[str, Any]:
    """The recognition the application led to, and its status today (已撤销, 已到期 beside the certificate)."""
    recognition = getattr(application, "recognition", None) if application.status == "recognized" else None
    return {"recognition": recognition,
            "recognition_status": recognition.status_label(clock.today()) if recognition else ""}


def _assignment_form(application: Application, assignments: list[Any]) -> dict[str, Any]:
    """Who is assigned, and whether (and whom) to add: only while fewer than the minimum may review."""
    minimum, independent = selectors.min_experts(application), selectors.independent_assigned(application)
    return {"experts": selectors.eligible_experts(application), "min_experts": minimum,
            "independent_assigned": independent, "needs_experts": independent < minimum,
            "assigned_ids": {a.expert_id for a in assignments}}


def _expert_ids(request: HttpRequest) -> set[int]:
    return {int(i) for i in request.POST.getlist("experts") if i.isdigit()}


def _experts(request: HttpRequest) -> list[User]:
    return list(User.objects.filter(pk__in=_expert_ids(request)))


ACTIONS: dict[str, Callable[[HttpRequest, User, Application], str]] = {
    "city_approve": lambda r, u, a: (services.application_city_review(user=u, application=a, approve=True),
                                     "已审核通过，推荐至省级。")[1],
    "city_return": lambda r, u, a: (services.application_city_review(
        user=u, application=a, approve=False, reason=r.POST.get("reason", "")), "已退回企业修改。")[1],
    "assign_experts": lambda r, u, a: (services.experts_assign(user=u, application=a, experts=_experts(r)),
                                       "已分配评审专家。")[1],
    "expert_score": lambda r, u, a: (services.expert_score(user=u, application=a, score=r.POST.get("score", ""),
                                                           comment=r.POST.get("comment", "")), "评分已保存。")[1],
    "decide_approve": lambda r, u, a: (services.application_decide(
        user=u, application=a, approve=True, reason=r.POST.get("reason", "")), "已作出认定决定，进入公示。")[1],
    "decide_reject": lambda r, u, a: (services.application_decide(
        user=u, application=a, approve=False, reason=r.POST.get("reason", "")), "已作出不予认定决定。")[1],
    "file_objection": lambda r, u, a: (services.objection_file(user=u, application=a,
                                                               content=r.POST.get("content", "")), "异议已提交。")[1],
    "recognize": lambda r, u, a: "已认定，证书编号 " + services.application_recognize(
        user=u, application=a, certificate_no=r.POST.get("certificate_no", "")).certificate_no + "。",
}


@login_required
@page_errors
@require_POST
def application_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = current_user(request)
    application = access.access_application(user, pk)
    if action not in ACTIONS:
        raise Http404("没有这个操作")
    try:
        messages.success(request, ACTIONS[action](request, user, application))
    except ApplicationError as exc:
        return _refused(request, user, pk, action, exc)
    return redirect("tiers:application", pk=pk)


# The inputs of each action's form on the application page. A refusal naming one of them shows beside it;
# any other (a deadline passed, scores missing, a step not allowed) beside the form's button.
ACTION_INPUTS: dict[str, set[str]] = {
    "city_return": {"reason"}, "assign_experts": {"experts"}, "expert_score": {"score", "comment"},
    "decide_approve": {"reason"}, "decide_reject": {"reason"}, "file_objection": {"content"},
    "recognize": {"certificate_no"}, "resolve_objection": {"resolution"},
}


def _refused(request: HttpRequest, user: User, pk: int, action: str, exc: ApplicationError,
             objection: int | None = None) -> HttpResponse:
    """The page again, as it stands now, with the message at the top (the summary) and beside its field."""
    _fail(request, exc)
    field = exc.field if exc.field in ACTION_INPUTS.get(action, set()) else "form"
    application = access.access_application(user, pk)
    return _application_page(request, user, application,
                             errors={action: {field: exc.message, "objection": objection}},
                             posted={action: request.POST}, checked_experts=_expert_ids(request))


@login_required
@page_errors
@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    objection = Objection.objects.filter(pk=pk).select_related("application").first()
    if objection is None:
        raise Http404("没有这条异议")
    access.access_application(user, objection.application_id)
    try:
        services.objection_resolve(user=user, objection=objection, upheld=request.POST.get("upheld") == "1",
                                   resolution=request.POST.get("resolution", ""))
    except ApplicationError as exc:
        # Beside the objection it concerns: the page may list several.
        return _refused(request, user, objection.application_id, "resolve_objection", exc, objection=objection.pk)
    messages.success(request, "异议已处理。")
    return redirect("tiers:application", pk=objection.application_id)


@login_required
@page_errors
@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    rows = access.notices(user).order_by("notice_end", "enterprise__name")
    # The applicant reads its own notice but may not object to it.
    own_code = user.credit_code if user.role == Role.ENTERPRISE else None
    return render(request, "tiers/notices.html", {"rows": rows, "today": clock.today(), "own_code": own_code})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The public part of an application in 公示 and the objection form; never its figures, files or scores."""
    user = current_user(request)
    application = access.access_notice(user, pk)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_file(user=user, application=application, content=form.cleaned_data["content"])
        except ApplicationError as exc:
            form.add_error("content", exc.message)
        else:
            messages.success(request, "异议已提交，省级管理员将核实处理。")
            return redirect("tiers:notice", pk=pk)
    today = clock.today()
    context = {"a": application, "form": form, "today": today,
               "is_applicant": user.role == Role.ENTERPRISE and user.credit_code == application.enterprise.credit_code,
               "mine": Objection.objects.filter(application=application, filed_by=user)}
    return render(request, "tiers/notice.html", context)


@login_required
@page_errors
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404("附件不存在")
    access.access_application(current_user(request), attachment.application_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def recognitions(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = NationalForm(request.POST or None)
    if request.method == "POST":
        access.require_province(user, "录入国家级认定结果")
        if form.is_valid():
            data = form.cleaned_data
            enterprise = Enterprise.objects.filter(credit_code=data["credit_code"].strip().upper()).first()
            if enterprise is None:
                form.add_error("credit_code", "企业库中没有这家企业")
            else:
                try:
                    recognition = services.recognition_record_national(
                        user=user, enterprise=enterprise, tier=data["tier"], certificate_no=data["certificate_no"],
                        start_date=data["start_date"])
                except ApplicationError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.success(request, f"已录入{enterprise.name}的{recognition.get_tier_display()}称号。")
                    return redirect("tiers:recognition", pk=recognition.pk)
    window = selectors.re_review_days()
    filters = _recognition_filters(request, window)
    context = {"page": selectors.recognition_page(user=user, filters=filters, page=request.GET.get("page", 1)),
               "filters": filters, "query": query_without_page(request), "tiers": BATCH_TIERS,
               "statuses": Recognition.Status.choices, "window": window,
               "cities": regions.CITIES if user.role in (Role.PROVINCE, Role.DEPARTMENT) else [],
               "form": form, "is_province": user.role == Role.PROVINCE, "today": clock.today(),
               "expiring": selectors.expiring(user=user, within_days=window).count()}
    return render(request, "tiers/recognitions.html", context)


def _recognition_filters(request: HttpRequest, window: int) -> selectors.RecognitionFilters:
    return selectors.RecognitionFilters(tier=request.GET.get("tier", ""), status=request.GET.get("status", ""),
                                        city_code=request.GET.get("city", ""),
                                        search=request.GET.get("q", "").strip()[:60],
                                        due_within=window if request.GET.get("due") else None)


@login_required
@page_errors
@require_GET
def recognitions_export(request: HttpRequest) -> HttpResponse:
    """The 认定名单 as the page filters it, in the user's scope."""
    user = current_user(request)
    window = selectors.re_review_days()
    filters = _recognition_filters(request, window)
    today = clock.today()
    qs = filters.apply(access.visible_recognitions(user)).select_related("enterprise", "batch")
    title = f"梯度培育认定名单（{'，'.join([user.scope_label, *filters.describe()])}，截至 {today:%Y-%m-%d}）"
    data = exports.recognitions_xlsx(qs.order_by("enterprise__city_code", "tier", "start_date", "id").iterator(),
                                     title=title, today=today)
    return xlsx_response(data, f"认定名单-{today:%Y%m%d}.xlsx")


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def recognition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    recognition = access.visible_recognitions(user).filter(pk=pk).first()
    if recognition is None:
        raise Http404("认定记录不存在或不在您的范围内")
    failed: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "re_review":
                services.recognition_re_review(user=user, recognition=recognition,
                                               passed=request.POST.get("passed") == "1",
                                               reason=request.POST.get("reason", ""))
                messages.success(request, "复核结果已保存。")
            elif action == "revoke":
                revoked = services.recognition_revoke(user=user, recognition=recognition,
                                                      reason=request.POST.get("reason", ""))
                messages.success(request, "；".join(["已撤销认定", *selectors.revocation_outcome(revoked)]) + "。")
        except ApplicationError as exc:
            # The summary at the top, the message beside the field (or button) of the form it concerns.
            _fail(request, exc)
            failed = {action: {exc.field if exc.field == "reason" else "form": exc.message}}
        else:
            return redirect("tiers:recognition", pk=pk)
    actions = workflow.available(workflow.RECOGNITION, user=user, state=recognition.status)
    today = clock.today()
    in_force = recognition.status == Recognition.Status.VALID and today <= recognition.expires_on
    window, opens = selectors.re_review_window(recognition, today) if in_force else (0, None)
    can_re_review = "re_review" in actions and opens is not None and opens <= today <= recognition.expires_on
    # The reviewer sees what the policy engine says under the re-review criteria (the enterprise holds
    # the tier, so the engine takes its re-review set), as an applicant's page shows the first-time one.
    check = (assessment.self_assessment(enterprise=recognition.enterprise, tier=recognition.tier, as_of=today)
             if can_re_review else None)
    return render(request, "tiers/recognition.html", {
        "r": recognition, "actions": actions, "assessment": check,
        "reviews": recognition.re_reviews.select_related("reviewed_by"),
        "terms": selectors.validity_terms(recognition), "today": today, "can_re_review": can_re_review,
        "re_review_opens": opens, "re_review_days": window, "lapsed": recognition.lapsed(today),
        "days_left": (recognition.expires_on - today).days if in_force else None,
        "revocation_outcome": selectors.revocation_outcome(recognition) if user.role == Role.PROVINCE else [],
        "errors": failed, "posted": dict.fromkeys(failed, request.POST)})


@login_required
@page_errors
@require_GET
def enterprise_ladder(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    enterprise = access.enterprise_for_ladder(user, code)
    items = selectors.ladder_history(enterprise, with_scores=access.sees_panel_score(user))
    return render(request, "tiers/enterprise.html", {"e": enterprise, "items": items})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def holidays(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_login(user)
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            days = services.holidays_set(user=user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"节假日表已更新（{len(days)} 天）。")
            return redirect("tiers:holidays")
    year = clock.today().year
    years = [(y, workdays.knows_year(y), Holiday.objects.filter(date__year=y).count()) for y in (year, year + 1)]
    context = {"rows": Holiday.objects.all(), "form": form,
               "is_province": user.role == Role.PROVINCE, "years": years}
    return render(request, "tiers/holidays.html", context)


@login_required
@page_errors
@require_POST
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = Holiday.objects.filter(pk=pk).first()
    if holiday is None:
        raise Http404("节假日表中没有这一天")
    services.holiday_delete(user=current_user(request), holiday=holiday)
    messages.success(request, f"已从节假日表删除 {holiday.date:%Y-%m-%d}。")
    return redirect("tiers:holidays")


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def reviews(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if user.role != Role.EXPERT:
        raise PermissionDeniedError("只有评审专家有评审任务，您的角色无权查看我的评审")
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enterprise = Enterprise.objects.filter(credit_code=form.cleaned_data["credit_code"].strip().upper()).first()
        if enterprise is None:
            form.add_error("credit_code", "企业库中没有这家企业")
        else:
            try:
                services.expert_conflict_declare(user=user, enterprise=enterprise, reason=form.cleaned_data["reason"])
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "回避关系已申报；该企业尚未评分的评审任务已撤回，由省级另行分配专家。")
                return redirect("tiers:reviews")
    context: dict[str, Any] = {"rows": selectors.expert_assignments(user), "form": form,
                               "conflicts": ExpertConflict.objects.filter(expert=user).select_related("enterprise")}
    return render(request, "tiers/reviews.html", context)
