"""政策计算器 pages: one enterprise's awards and next step; the 免申即享 / 潜在培育对象 list and its workbook."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from zjtx.accounts.models import User, current_user
from zjtx.accounts.roles import Role
from zjtx.core import clock
from zjtx.core.http import as_of_date, page_errors, xlsx_response
from zjtx.enterprises.models import Enterprise, Indicator
from zjtx.matcher import access, exports, selectors
from zjtx.matcher.calculator import Calculation, calculate
from zjtx.matcher.ladder import TIER_CHOICES
from zjtx.policy import access as policy_access
from zjtx.policy.services import day


@login_required
@page_errors
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The menu's entry: an enterprise lands on its own calculator, the others on the list."""
    user = current_user(request)
    access.require_calculator(user)
    if user.role == Role.ENTERPRISE:
        return redirect("matcher:calculator", code=user.credit_code)
    return redirect("matcher:candidates")


@login_required
@page_errors
@require_GET
def calculator(request: HttpRequest, code: str) -> HttpResponse:
    user = current_user(request)
    enterprise = access.enterprise_for(user, code)
    found = calculate(enterprise, as_of_date(request))
    context = {"c": found, "e": enterprise, "fixes": _fixes(user, enterprise, found),
               "awards_link": access.may_read_awards(user), "can_list": access.can_list(user)}
    return render(request, "matcher/calculator.html", context)


def _fixes(user: User, enterprise: Enterprise, found: Calculation) -> list[tuple[str, str]]:
    """Where the user may fill in what the next step's 数据不足 lacks: the year's indicators, the facts."""
    gap = found.gap
    if gap is None or not gap.missing:
        return []
    links = []
    if access.may_fix_indicators(user):
        stored = set(Indicator.objects.filter(enterprise=enterprise, year__in=gap.missing_years)
                     .values_list("year", flat=True))
        for year in gap.missing_years:
            name = "enterprises:indicator_edit" if year in stored else "enterprises:indicator_new"
            args = [enterprise.credit_code, year] if year in stored else [enterprise.credit_code]
            links.append((f"{'修改' if year in stored else '填报'}{year}年度指标", reverse(name, args=args)))
    if gap.fact_missing and policy_access.can_record(user):
        links.append(("补录认定要素", reverse("policy:facts", args=[enterprise.credit_code])))
    return links


@login_required
@page_errors
@require_GET
def candidates(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_list(user)
    source = selectors.source_for(user)
    filters = selectors.clean_filters(user, request.GET)
    data = selectors.listing(user, source, filters, request.GET.get("page", 1))
    context: dict[str, Any] = {
        "source": source, "f": filters, "data": data, "rows": data.page.object_list, "sections": selectors.SECTIONS,
        "cities": selectors.city_choices(user), "counties": selectors.county_choices(user, filters.city),
        "tiers": TIER_CHOICES, "fixed_city": user.role == Role.CITY, "query": _query(filters),
        "source_text": _source_text(source)}
    return render(request, "matcher/candidates.html", context)


@login_required
@page_errors
@require_GET
def candidates_xlsx(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_list(user)
    source = selectors.source_for(user)
    filters = selectors.clean_filters(user, request.GET)
    lines = selectors.export_lines(user, source, filters)
    title = f"{selectors.SECTIONS[filters.section]}名单（{_scope(user)}）"
    content = exports.candidates_xlsx(lines, title=title, source=_source_text(source),
                                      awards=filters.section == "awards")
    return xlsx_response(content, f"{title}.xlsx")


def _scope(user: User) -> str:
    return f"{user.display_name}服务的企业" if user.role == Role.OFFICER else user.scope_label


def _source_text(source: selectors.Source) -> str:
    if source.on_the_fly:
        return f"尚无全省测算，按今天（{day(clock.today())}）即时测算"
    if source.run is None:
        return ""
    run = source.run
    finished = f"，完成于 {day(timezone.localtime(run.finished_at).date())}" if run.finished_at else ""
    version = f"，参数指纹 {run.fingerprint[:12]}" if run.fingerprint else ""
    return f"来自全省测算 #{run.pk}（测算日期 {day(run.as_of)}{finished}{version}）"


def _query(filters: selectors.Filters) -> str:
    """The filters as a query string, for the pages' links and the workbook."""
    values = {"show": filters.section, "city": filters.city, "county": filters.county, "tier": filters.tier,
              "award": filters.award}
    return urlencode({k: v for k, v in values.items() if v})
