"""Policy pages: parameters and their history, adding a dated value, what-if runs, explanations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from zjtx.accounts.models import current_user
from zjtx.core import clock
from zjtx.core.errors import ApplicationError
from zjtx.core.http import as_of_date, page_errors, xlsx_response
from zjtx.enterprises import access as enterprise_access
from zjtx.policy import access, exports, frames, selectors, services
from zjtx.policy.engine import ParameterError, evaluate, explain
from zjtx.policy.forms import EventForm, FactsForm, ParameterValueForm, ProvinceRunForm, WhatIfForm
from zjtx.policy.models import EnterpriseFacts, PolicyRun, ProgrammeEvent


@login_required
@page_errors
@require_GET
def parameters(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:60]
    unconfirmed = request.GET.get("unconfirmed") == "1"
    rows = selectors.parameter_rows(q=q, unconfirmed=unconfirmed)
    return render(request, "policy/parameters.html", {"rows": rows, "q": q, "unconfirmed": unconfirmed,
                                                      "can_edit": access.can_edit_parameters(current_user(request))})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def parameter_detail(request: HttpRequest, parameter_id: str) -> HttpResponse:
    user = current_user(request)
    row = selectors.parameter_detail(parameter_id)
    if row is None:
        raise Http404("没有这个参数")
    form = ParameterValueForm(request.POST or None)
    if request.method == "POST":
        access.require_edit_parameters(user)
        if form.is_valid():
            try:
                services.parameter_value_add(user=user, parameter_id=parameter_id, start=form.cleaned_data["start"],
                                             text=form.cleaned_data["value"], reference=form.cleaned_data["reference"],
                                             note=form.cleaned_data["note"])
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "新取值已保存，自生效日期起用于测算。")
                return redirect("policy:parameter", parameter_id=parameter_id)
    context = {"p": row, "form": form, "can_edit": access.can_edit_parameters(user)}
    return render(request, "policy/parameter_detail.html", context)


@login_required
@page_errors
@require_http_methods(["POST"])
def parameter_value_withdraw(request: HttpRequest, parameter_id: str) -> HttpResponse:
    """Withdraw a value entered on the page in error, with a reason (audited)."""
    try:
        start = dt.date.fromisoformat(request.POST.get("start", ""))
        services.parameter_value_withdraw(user=current_user(request), parameter_id=parameter_id, start=start,
                                          reason=request.POST.get("reason", ""))
    except ValueError:
        messages.error(request, "撤销失败：生效日期不是有效日期")
    except ApplicationError as exc:
        messages.error(request, f"撤销失败：{exc.message}")
    else:
        messages.success(request, f"已撤销 {start} 起的取值；撤销前的内容和原因记入审计。")
    return redirect("policy:parameter", parameter_id=parameter_id)


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def whatif(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_runs(user)
    choices = [(r["id"], f"{selectors.parameter_title(r['id'], r['label'])}（{r['clause']}）")
               for r in selectors.parameter_rows()]
    form = WhatIfForm(request.POST or None, parameter_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_create(user=user, kind=PolicyRun.Kind.WHATIF, as_of=form.cleaned_data["as_of"],
                                      name=form.cleaned_data["name"], reform=form.reform(),
                                      reform_start=form.cleaned_data["reform_start"])
        except ApplicationError as exc:
            form.add_service_error(exc.field, exc.message)
        else:
            return redirect("policy:run", pk=run.pk)
    return render(request, "policy/whatif.html", {"form": form, "runs": selectors.recent_runs(PolicyRun.Kind.WHATIF)})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def province_runs(request: HttpRequest) -> HttpResponse:
    """全省测算: start a province run and list the stored ones."""
    user = current_user(request)
    access.require_runs(user)
    form = ProvinceRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        as_of = form.cleaned_data["as_of"]
        try:
            run = services.run_create(user=user, kind=PolicyRun.Kind.EVALUATE, as_of=as_of, name=f"全省测算 {as_of}")
        except ApplicationError as exc:
            form.add_error("as_of" if exc.field == "as_of" else None, exc.message)
        else:
            return redirect("policy:run", pk=run.pk)
    return render(request, "policy/province_runs.html",
                  {"form": form, "runs": selectors.recent_runs(PolicyRun.Kind.EVALUATE)})


def _run_for(request: HttpRequest, pk: int) -> PolicyRun:
    access.require_runs(current_user(request))
    run = PolicyRun.objects.filter(pk=pk).first()
    if run is None:
        raise Http404("没有这条测算记录")
    return run


@login_required
@page_errors
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    tables = selectors.run_tables(run) if run.status == PolicyRun.Status.DONE else {}
    chart = _chart(tables) if run.kind == PolicyRun.Kind.WHATIF else {}
    changes = selectors.whatif_changes(run) if tables and run.kind == PolicyRun.Kind.WHATIF else {}
    context: dict[str, Any] = {"run": run, "tables": tables, "chart": chart, "changes": changes,
                               "reform_items": selectors.reform_items(run)}
    template = "policy/_run_status.html" if getattr(request, "htmx", False) else "policy/run.html"
    return render(request, template, context)


def _chart(tables: dict[str, Any]) -> dict[str, Any]:
    province = tables.get("province") or []
    budget = tables.get("budget") or []
    return {"tiers": [r["tier_label"] for r in province], "baseline": [r["baseline"] for r in province],
            "reform": [r["reform"] for r in province],
            "awards": [f"{r.get('label') or r['award']}（{r['funding_level']}）" for r in budget],
            "budget_baseline": [float(r["baseline"]) for r in budget],
            "budget_reform": [float(r["reform"]) for r in budget]}


@login_required
@page_errors
@require_GET
def run_export(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    if run.status != PolicyRun.Status.DONE:
        raise Http404("测算尚未完成")
    if run.kind == PolicyRun.Kind.WHATIF:
        tables = {**selectors.whatif_tables(run), "changes": selectors.whatif_changes(run, limit=None)["rows"]}
        return xlsx_response(exports.whatif_xlsx(run, tables), f"政策模拟-{run.pk}-{_as_of_text(run)}.xlsx")
    content = exports.evaluation_xlsx(run, selectors.evaluation_tables(run))
    return xlsx_response(content, f"全省测算-{run.pk}-{_as_of_text(run)}.xlsx")


def _as_of_text(run: PolicyRun) -> str:
    return run.as_of.strftime("%Y%m%d")


@login_required
@page_errors
@require_GET
def explain_enterprise(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    enterprise = enterprise_access.access_enterprise_for_view(user, code)
    enterprises, indicators, events = frames.registry_frames([enterprise.credit_code])
    as_of, params = as_of_date(request), services.parameter_set()
    earliest = services.earliest_as_of(params)
    context = {"e": enterprise, "as_of": as_of, "earliest": earliest,
               "can_record": access.can_record(user)}
    early = services.too_early(params, as_of)
    if early:
        context["problem"] = f"无法测算：{early}。"
        return render(request, "policy/explain.html", context)
    try:  # a date whose data year has not begun would show every condition as 数据不足
        services.check_data_year(params, as_of)
    except ApplicationError as exc:
        context["problem"] = f"无法测算：{exc.message}。"
        return render(request, "policy/explain.html", context)
    try:
        result = evaluate(enterprises, indicators, events, as_of, params)
    except ParameterError as exc:
        context["problem"] = f"无法按测算日期 {services.day(as_of)} 测算：{exc}。"
    else:
        # parameter and award ids are for the policy staff; others read the clauses
        context["text"] = explain(result, enterprise.credit_code, technical=access.can_edit_parameters(user))
    return render(request, "policy/explain.html", context)


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def facts_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    enterprise = access.enterprise_for_recording(user, code)
    stored = EnterpriseFacts.objects.filter(enterprise=enterprise).first()
    form = FactsForm(request.POST or None, initial=FactsForm.initial_from(stored.data if stored else {}),
                     limits=services.fact_limits())
    if request.method == "POST" and form.is_valid():
        changed = services.facts_save(user=user, enterprise=enterprise, values=form.values())
        if changed:
            messages.success(request, f"已保存认定要素 {len(changed)} 项，下面是按新数据重新测算的结果。")
        else:
            messages.info(request, "认定要素没有变化。")
        return redirect("policy:explain", code=enterprise.credit_code)
    return render(request, "policy/facts.html", {"e": enterprise, "form": form,
                                                 "updated_at": stored.updated_at if stored else None})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def events(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    enterprise = access.enterprise_for_recording(user, code)
    form = EventForm(request.POST or None, enterprise=enterprise, today=clock.today())
    if request.method == "POST" and form.is_valid():
        event = services.event_add(user=user, enterprise=enterprise, data=form.cleaned_data)
        messages.success(request, f"已录入：{event.title}，测算时据此计算奖补。")
        return redirect("policy:events", code=enterprise.credit_code)
    rows = list(ProgrammeEvent.objects.filter(enterprise=enterprise).order_by("-date", "-pk"))
    return render(request, "policy/events.html", {"e": enterprise, "form": form, "rows": rows,
                                                  "locked": selectors.referenced_events(rows)})


def _recorded_event(request: HttpRequest, code: str, pk: int) -> tuple[Any, ProgrammeEvent]:
    """(user, event) when the user may record the enterprise's events and the event is one of them."""
    user = current_user(request)
    enterprise = access.enterprise_for_recording(user, code)
    event = ProgrammeEvent.objects.filter(enterprise=enterprise, pk=pk).select_related("enterprise").first()
    if event is None:
        raise Http404("该企业没有这条专项事件（可能已被撤销）")
    return user, event


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, event = _recorded_event(request, code, pk)
    # Taken before the form is checked: a ModelForm puts the submitted values on the instance.
    title = event.title
    form = EventForm(request.POST or None, instance=event, enterprise=event.enterprise, today=clock.today())
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.event_update(user=user, event=event, data=form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, str(exc))
            return redirect("policy:events", code=event.enterprise.credit_code)
        if changed:  # the form has put the corrected values on the event
            messages.success(request, f"已更正：{event.title}，测算时按更正后的数据计算奖补。")
        else:
            messages.info(request, "事件没有变化。")
        return redirect("policy:events", code=event.enterprise.credit_code)
    references = event.references()
    return render(request, "policy/event_edit.html", {"e": event.enterprise, "title": title, "form": form,
                                                      "references": services.references_text(references)})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def event_withdraw(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, event = _recorded_event(request, code, pk)
    if request.method == "GET":  # an opened link: the withdrawal form is on the events page
        return redirect("policy:events", code=event.enterprise.credit_code)
    title = event.title
    try:
        services.event_withdraw(user=user, event=event, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已撤销：{title}；撤销前的内容和原因记入审计。")
    return redirect("policy:events", code=event.enterprise.credit_code)
