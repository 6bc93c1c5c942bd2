"""目标监测 pages: the overview of every target, one target by year and city, reporting, the Excel export."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from zjtx.accounts.models import User, current_user
from zjtx.accounts.roles import Role
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.http import page_errors, xlsx_response
from zjtx.targets import access, exports, importing, plan, selectors, services
from zjtx.targets.forms import ImportForm, ReportForm


@login_required
@page_errors
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    place = selectors.place_of(user, request.GET.get("city", ""))
    figures = selectors.Figures()
    rows = selectors.overview(user, place, figures)
    years = list(range(min(r.target.start_year for r in rows), figures.current_year + 1)) if rows else []
    return render(request, "targets/overview.html", {
        "rows": rows, "years": years, "current_year": figures.current_year, "place": place,
        "places": access.places(user), "place_name": dict(access.places(user))[place],
        "tolerance": figures.tolerance, "may_report": access.may_report(user),
    })


@login_required
@page_errors
@require_GET
def detail(request: HttpRequest, target_id: str) -> HttpResponse:
    user = current_user(request)
    access.require_view(user)
    figures = selectors.Figures()
    t = _target(figures, target_id)
    place = selectors.place_of(user, request.GET.get("city", ""))
    year = _year(request.GET.get("year", ""), t, figures)
    row = figures.row(t, place)
    lines = figures.city_table(t, year) if access.sees_all_cities(user) else []
    context = {
        "t": t, "row": row, "place": place, "places": access.places(user),
        "place_name": dict(access.places(user))[place], "year": year, "years": figures.years(t),
        "lines": lines, "ranking_rule": selectors.ranking_rule(lines) if lines else "",
        "province_cell": figures.cell(t, year, access.PROVINCE), "current_year": figures.current_year,
        "chart": _chart(t, row, lines), "history": selectors.figure_history(user, t)[:20] if not t.computed else [],
        "may_report": access.may_report(user), "tolerance": figures.tolerance,
        "plan_target": plan.value(figures.params, t, figures.current_year),  # the plan's, whatever the place
    }
    return render(request, "targets/detail.html", context)


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not access.may_report(user):
        raise PermissionDeniedError("只有省级、市级（本市账号）管理员可以填报目标完成数")  # a department reads only
    figures = selectors.Figures()
    choices = [t for t in figures.targets() if user.role == Role.PROVINCE or not t.computed]
    if request.method == "POST":
        form = ReportForm(request.POST, user=user, targets=choices)
        if form.is_valid():
            try:
                figure = services.figure_report(user=user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已保存 {figure.year} 年{figure.get_kind_display()}。")
                url = reverse("targets:detail", args=[figure.target])
                return redirect(f"{url}?city={figure.city_code}" if figure.city_code else url)
    else:
        form = ReportForm(initial=_initial(request, user, figures), user=user, targets=choices)
    return render(request, "targets/report.html", {"form": form, "tolerance": figures.tolerance,
                                                   "import_form": ImportForm()})


@login_required
@page_errors
@require_http_methods(["POST"])
def import_figures(request: HttpRequest) -> HttpResponse:
    """A year's figures from a file: all stored, or none and each refused row listed."""
    user = current_user(request)
    if not access.may_report(user):
        raise PermissionDeniedError("只有省级、市级（本市账号）管理员可以填报目标完成数")
    form = ImportForm(request.POST, request.FILES)
    errors: list[importing.RowError] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        name = Path(upload.name or "upload").name
        try:
            with _saved(upload, name) as path:
                count = importing.figures_import(user=user, path=path, name=name)
        except importing.ImportRefused as exc:
            form.add_error("file", exc.message)
            errors = exc.errors
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, f"已导入《{name}》的 {count} 条数据。")
            return redirect("targets:overview")
    figures = selectors.Figures()
    choices = [t for t in figures.targets() if user.role == Role.PROVINCE or not t.computed]
    return render(request, "targets/report.html", {
        "form": ReportForm(initial=_initial(request, user, figures), user=user, targets=choices),
        "tolerance": figures.tolerance, "import_form": form, "import_errors": errors})


@contextmanager
def _saved(upload: Any, name: str) -> Iterator[Path]:
    """The upload as a temporary file with its own suffix (the reader tells .csv from .xlsx by it)."""
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise ApplicationError("只支持 .xlsx 或 .csv 文件", field="file")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        yield path


@login_required
@page_errors
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_view(user)
    figures = selectors.Figures()
    place = selectors.place_of(user, request.GET.get("city", ""))
    data = exports.overview_workbook(user, figures, place)
    return xlsx_response(data, f"目标完成情况_{dict(access.places(user))[place]}_{figures.today:%Y%m%d}.xlsx")


@login_required
@page_errors
@require_GET
def export_cities(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    figures = selectors.Figures()
    year = _plain_year(request.GET.get("year", ""), figures)
    data = exports.cities_workbook(user, figures, year)
    return xlsx_response(data, f"各市目标完成情况及排名_{year}年_{figures.today:%Y%m%d}.xlsx")


def _target(figures: selectors.Figures, target_id: str) -> plan.Target:
    t = plan.target(figures.params, target_id)
    if t is None:
        raise Http404("目标不存在")
    return t


def _plain_year(text: str, figures: selectors.Figures) -> int:
    """The year the city table shows: the one asked for, else the last complete year (the plan's record)."""
    first = min((t.start_year for t in figures.targets()), default=figures.current_year)
    asked = int(text) if text.isdigit() else 0
    return asked if first <= asked <= figures.current_year else max(first, figures.current_year - 1)


def _year(text: str, t: plan.Target, figures: selectors.Figures) -> int:
    asked = int(text) if text.isdigit() else 0
    return asked if t.start_year <= asked <= figures.current_year else max(t.start_year, figures.current_year - 1)


def _initial(request: HttpRequest, user: User, figures: selectors.Figures) -> dict[str, Any]:
    places = dict(access.reportable_places(user))
    city = request.GET.get("city", "")
    return {"target": request.GET.get("target", ""), "year": request.GET.get("year") or figures.current_year - 1,
            "city_code": city if city in places else next(iter(places), ""),
            "kind": request.GET.get("kind", "actual")}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _chart(t: plan.Target, row: selectors.Row, lines: list[selectors.CityLine]) -> dict[str, Any]:
    """The charts' data: the yearly series against the target with the projection, and the cities' bars."""
    actual = {c.year: c.actual for c in row.cells}
    goals = {c.year: c.target for c in row.cells}
    projected = dict(row.projection)
    years = sorted(set(actual) | set(projected))
    if projected:  # the dashed line starts from the last actual before it
        start = min(projected) - 1
        if actual.get(start) is not None:
            projected[start] = actual[start]  # type: ignore[assignment]
    return {
        "unit": t.unit, "years": [str(y) for y in years],
        "actual": [_number(actual.get(y)) for y in years],
        "target": [_number(goals.get(y)) for y in years],
        "projection": [_number(projected.get(y)) for y in years],
        "cities": [line.city_name for line in lines], "city_actual": [_number(line.cell.actual) for line in lines],
        "city_target": [_number(line.cell.target) for line in lines],
    }
