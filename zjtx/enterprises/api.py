"""JSON API of the registry: same access rules as the pages (access.py decides)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from zjtx.accounts.models import current_user
from zjtx.core.errors import ApplicationError
from zjtx.enterprises import access, selectors, services
from zjtx.enterprises.models import Enterprise

router = Router(tags=["企业库"])


class EnterpriseOut(Schema):
    credit_code: str
    name: str
    city_code: str
    county_code: str
    founded_on: date | None
    industry_code: str
    emerging_industry: str
    registered_capital: Decimal | None
    tier: str
    size_class: str
    size_year: int | None


class IndicatorOut(Schema):
    year: int
    revenue: Decimal | None
    main_revenue: Decimal | None
    rd_expense: Decimal | None
    employees: int | None
    rd_staff: int | None
    net_profit: Decimal | None
    total_assets: Decimal | None
    total_liabilities: Decimal | None
    ip_i_count: int | None
    main_product: str
    market_share: Decimal | None
    financing: Decimal | None
    export: Decimal | None
    size_class: str


class EnterpriseDetailOut(EnterpriseOut):
    contact_name: str
    contact_phone: str
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(obj: Enterprise) -> list[object]:
        return list(selectors.enterprise_indicators(enterprise=obj))


class PageOut(Schema):
    count: int
    count_capped: bool
    next_cursor: int | None
    prev_cursor: int | None
    results: list[EnterpriseOut]


class FilterIn(Schema):
    q: str = ""
    city: str = ""
    county: str = ""
    industry: str = ""
    tier: str | None = None
    size: str | None = None
    emerging: str = ""
    before: int | None = None
    after: int | None = None
    limit: int = 50


class EnterprisePatch(Schema):
    name: str | None = None
    county_code: str | None = None
    founded_on: date | None = None
    industry_code: str | None = None
    emerging_industry: str | None = None
    registered_capital: Decimal | None = None
    contact_name: str | None = None
    contact_phone: str | None = None


@router.get("", response=PageOut, summary="企业列表（按权限范围）")
def list_enterprises(request: HttpRequest, params: Query[FilterIn]) -> dict[str, object]:
    industry, problem = selectors.industry_prefix(params.industry.strip())
    if problem:
        raise ApplicationError(problem, field="industry")
    filters = selectors.Filters(q=params.q, city=params.city, county=params.county, industry=industry,
                                tier=params.tier, size=params.size, emerging=params.emerging)
    page = selectors.enterprise_page(user=current_user(request), filters=filters, before=params.before,
                                     after=params.after, size=max(1, min(params.limit, 500)))
    return {"count": page.count, "count_capped": page.capped, "next_cursor": page.next_cursor,
            "prev_cursor": page.prev_cursor, "results": selectors.registry_rows(page.rows)}


@router.get("/{code}", response=EnterpriseDetailOut, summary="企业详情与年度指标")
def get_enterprise(request: HttpRequest, code: str) -> Enterprise:
    return access.access_enterprise_for_view(current_user(request), code)


@router.patch("/{code}", response=EnterpriseDetailOut, summary="修改企业信息")
def patch_enterprise(request: HttpRequest, code: str, payload: EnterprisePatch) -> Enterprise:
    user = current_user(request)
    enterprise = access.access_enterprise_for_edit(user, code)
    services.enterprise_update(user=user, enterprise=enterprise, data=payload.dict(exclude_unset=True))
    return get_enterprise(request, code)
