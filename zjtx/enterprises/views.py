"""Registry pages. Each view parses input, asks access/selectors/services, and renders."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from zjtx.accounts.models import User, current_user
from zjtx.accounts.roles import Role
from zjtx.core import clock
from zjtx.core.errors import ApplicationError
from zjtx.core.http import page_errors, xlsx_response
from zjtx.enterprises import access, exports, selectors, services
from zjtx.enterprises.forms import EnterpriseForm, FilterForm, ImportForm, IndicatorForm
from zjtx.enterprises.importing.report import report_path
from zjtx.enterprises.models import ImportJob, Indicator, indicator_year_error


def _cursor(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@page_errors
@require_GET
def enterprise_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_list(user)
    places = access.list_places(user)
    filters = selectors.Filters.from_params(request.GET, places)
    page = selectors.enterprise_page(user=user, filters=filters,
                                     before=_cursor(request.GET.get("before")), after=_cursor(request.GET.get("after")),
                                     restart=True)
    # An empty tier or size is a filter (未入库, 未划型), so page and export links keep it. A county the
    # filters dropped (it lay in another city) is dropped from the links and the address too.
    kept = {k: v for k, v in request.GET.items() if k not in ("before", "after") and (v or k in ("tier", "size"))
            and not (k == "county" and not filters.county)}
    params = _with_defaults(request.GET)
    if params is not None and not filters.county:
        params.pop("county", None)
    context = {
        "form": FilterForm(params, places=places),
        "page": page,
        "filters": filters,
        "query": urlencode(kept),
        "can_import": user.role in access.IMPORT_ROLES,
        "pending_refreshes": selectors.pending_list_refreshes(user),
        "sight": "本企业" if user.role == Role.ENTERPRISE else access.list_scope_label(user),
    }
    if not getattr(request, "htmx", False):
        return render(request, "enterprises/list.html", context)
    # The results and, out of band, the county choices of the city just chosen.
    response = render(request, "enterprises/_results.html", {**context, "refresh_county": True})
    response["HX-Push-Url"] = f"{request.path}?{urlencode(kept)}" if kept else request.path
    return response


def _with_defaults(params: QueryDict) -> QueryDict | None:
    """A bound filter form shows "全部" for tier and size when the query does not mention them."""
    if not params:
        return None
    data = params.copy()
    for name in ("tier", "size"):
        data.setdefault(name, "all")
    return data


@login_required
@page_errors
@require_GET
def enterprise_export(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    filters = selectors.Filters.from_params(request.GET, access.list_places(user))
    qs = selectors.enterprise_list(user=user, filters=filters)
    if qs[: exports.EXPORT_LIMIT + 1].count() > exports.EXPORT_LIMIT:
        messages.error(request, f"符合条件的企业超过 {exports.EXPORT_LIMIT:,} 家，请增加筛选条件后再导出。")
        return redirect(f"{request.path.replace('export.xlsx', '')}?{request.GET.urlencode()}")
    label = access.list_scope_label(user)
    scope = [label, *(p for p in filters.describe() if p not in label)]
    data = exports.enterprises_xlsx(qs, title=f"企业名单（{'，'.join(scope)}）")
    return xlsx_response(data, f"企业名单-{label.replace(' · ', '')}-{clock.today():%Y%m%d}.xlsx")


@login_required
@page_errors
@require_GET
def enterprise_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    enterprise = access.access_enterprise_for_view(user, code)
    indicators = selectors.enterprise_indicators(enterprise=enterprise)
    context = {
        "e": enterprise,
        "indicators": indicators,
        "chart": _chart_data(indicators),
        "history": selectors.history_page(enterprise=enterprise, user=user, number=request.GET.get("history")),
        # the import job's number and file only to those who may open it (an enterprise may not)
        "job_named": _may_follow_job(user, enterprise.created_job_id),
        "can_edit": user.role in access.EDIT_ROLES,
    }
    return render(request, "enterprises/detail.html", context)


def _may_follow_job(user: User, job_id: int | None) -> bool:
    """Whether the user's import pages show this job (the one that created an enterprise, say)."""
    if job_id is None or user.role not in access.IMPORT_ROLES:
        return False
    return access.visible_import_jobs(user).filter(pk=job_id).exists()


def _chart_data(indicators: list[Indicator]) -> dict[str, Any]:
    def series(name: str) -> list[float | None]:
        return [float(v) if (v := getattr(i, name)) is not None else None for i in indicators]

    return {"years": [i.year for i in indicators], "revenue": series("revenue"), "rd": series("rd_expense"),
            "profit": series("net_profit")}


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    enterprise = access.access_enterprise_for_edit(user, code)
    locked = {"credit_code"} | (access.ENTERPRISE_LOCKED_FIELDS if user.role == Role.ENTERPRISE else set())
    form = EnterpriseForm(request.POST or None, instance=enterprise, locked=locked, scope=access.place_scope(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_update(user=user, enterprise=enterprise, data=form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "企业信息已保存。")
            return redirect("enterprises:detail", code=enterprise.credit_code)
    return render(request, "enterprises/edit.html", {"e": enterprise, "form": form})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = current_user(request)
    enterprise = access.access_enterprise_for_edit(user, code)
    # Refused before the form: the form has no year field to carry the model's year error.
    if problem := indicator_year_error(year):
        messages.error(request, f"{year}年：{problem}。")
        return redirect("enterprises:detail", code=enterprise.credit_code)
    instance = Indicator.objects.filter(enterprise=enterprise, year=year).first() or Indicator(
        enterprise=enterprise, year=year)
    form = IndicatorForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(user=user, enterprise=enterprise, year=year, data=form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"{year}年度指标已保存。")
            return redirect("enterprises:detail", code=enterprise.credit_code)
    return render(request, "enterprises/indicator_edit.html", {"e": enterprise, "year": year, "form": form})


@login_required
@page_errors
@require_GET
def indicator_new(request: HttpRequest, code: str) -> HttpResponse:
    enterprise = access.access_enterprise_for_edit(current_user(request), code)
    year = request.GET.get("year", "").strip()
    if not year.isdigit() or len(year) != 4:
        messages.error(request, "请填写四位数的填报年度。")
        return redirect("enterprises:detail", code=enterprise.credit_code)
    if problem := indicator_year_error(int(year)):
        messages.error(request, f"填报年度{year}：{problem}。")
        return redirect("enterprises:detail", code=enterprise.credit_code)
    return redirect("enterprises:indicator_edit", code=enterprise.credit_code, year=int(year))


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_import(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_submit(user=user, kind=form.cleaned_data["kind"],
                                         mode=form.cleaned_data["mode"], upload=form.cleaned_data["file"])
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("enterprises:import_job", pk=job.pk)
    jobs = access.visible_import_jobs(current_user(request))[:20]
    return render(request, "enterprises/import.html", {"form": form, "jobs": jobs})


def _job_for(request: HttpRequest, pk: int) -> ImportJob:
    access.require_import(current_user(request))
    job = access.visible_import_jobs(current_user(request)).filter(pk=pk).first()
    if job is None:
        raise Http404("导入任务不存在或不在您的范围内")
    return job


@login_required
@page_errors
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    template = "enterprises/_job_status.html" if getattr(request, "htmx", False) else "enterprises/import_job.html"
    return render(request, template, {"job": job, "has_report": report_path(job).exists() if job.file_path else False})


@login_required
@page_errors
@require_GET
def import_report(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_for(request, pk)
    path = report_path(job)
    if not path.exists():
        raise Http404("该导入任务没有错误报告")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"导入错误报告-{job.pk}.xlsx")


@login_required
@page_errors
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    access.require_import(current_user(request))
    if kind not in ImportJob.Kind.values:
        raise Http404("没有这种模板")
    label = "企业基本信息" if kind == "enterprises" else "年度指标"
    return xlsx_response(exports.template_xlsx(kind), f"{label}导入模板.xlsx")
