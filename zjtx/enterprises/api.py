"""JSON API of the registry: same access rules as the pages (access.py decides)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict, ValidationInfo, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from zjtx.accounts.models import User, current_user
from zjtx.core import reference, regions
from zjtx.core.audit import field_label
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.schemas import Id, IsoDate, Text, with_errors
from zjtx.enterprises import access, selectors, services
from zjtx.enterprises.models import Enterprise, SizeClass, Tier

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


ANY_TIER = "none"  # the query value for 未入库 / 未划型; empty means no filter, as for city and q


class FilterIn(Schema):
    q: Text = Field("", max_length=100, description="名称或信用代码包含；空为不筛选")
    city: Text = Field("", max_length=6, description="所在市代码；空为不筛选",
                       json_schema_extra={"enum": ["", *(code for code, _ in regions.CITIES)]})
    county: Text = Field("", max_length=6, description="所在县（区）代码；空为不筛选")
    industry: Text = Field("", max_length=4, description="行业代码前缀；空为不筛选")
    tier: Text = Field("", description="梯度层级代码；none 为未入库；空为不筛选",
                       json_schema_extra={"enum": ["", ANY_TIER, *(code for code, _ in Tier.choices if code)]})
    size: Text = Field("", description="企业规模代码；none 为未划型；空为不筛选",
                       json_schema_extra={"enum": ["", ANY_TIER, *(code for code, _ in SizeClass.choices if code)]})
    emerging: Text = Field("", max_length=24, description="十大新兴产业；空为不筛选",
                           json_schema_extra={"enum": ["", *(code for code, _ in reference.EMERGING_INDUSTRIES)]})
    before: Id | None = Field(None, description="上一页游标（prev_cursor）")
    after: Id | None = Field(None, description="下一页游标（next_cursor）")
    limit: int = Field(50, description="每页条数，1–500（超出时取最近的边界）")

    @field_validator("tier")
    @classmethod
    def _known_tier(cls, value: str) -> str:
        return _choice(value, Tier.choices)

    @field_validator("size")
    @classmethod
    def _known_size(cls, value: str) -> str:
        return _choice(value, SizeClass.choices)

    @field_validator("emerging")
    @classmethod
    def _known_emerging(cls, value: str) -> str:
        if value and value not in dict(reference.EMERGING_INDUSTRIES):
            raise PydanticCustomError("choice", "取值应为 {known} 之一（空为不筛选）",
                                      {"known": "、".join(code for code, _ in reference.EMERGING_INDUSTRIES)})
        return value

    @field_validator("city", "county")
    @classmethod
    def _known_place(cls, value: str, info: ValidationInfo) -> str:
        # An unknown code matched nothing: the list came back empty as if the place had no enterprises.
        known = regions.is_city(value) if info.field_name == "city" else value in regions.county_city_map()
        if value and not known:
            raise PydanticCustomError("choice", "不是安徽省的{what}行政区划代码（如 {example}）；空为不筛选",
                                      {"what": "设区市" if info.field_name == "city" else "县（市、区）",
                                       "example": "340100" if info.field_name == "city" else "340104"})
        return value


def _choice(value: str, choices: list[tuple[str, str]]) -> str:
    known = [code for code, _ in choices if code]
    if value and value != ANY_TIER and value not in known:
        raise PydanticCustomError("choice", "取值应为 {known} 之一（none 为未入库/未划型，空为不筛选）",
                                  {"known": "、".join(known)})
    return value


def _filter_value(value: str) -> str | None:
    """Query value → selectors' filter: None for any, "" for 未入库 / 未划型."""
    return None if value == "" else "" if value == ANY_TIER else value


# A text field of a PATCH: left out when not sent (None), but never null when sent, so documented as a string.
SetText = Annotated[Text | None, WithJsonSchema({"type": "string"})]


class EnterprisePatch(Schema):
    """Only the fields sent are changed. Text fields take a string ("" clears it), never null.
    A field the registry does not have is refused: ignored, the client would believe it was saved."""

    model_config = ConfigDict(extra="forbid")

    name: SetText = None
    city_code: SetText = None
    county_code: SetText = None
    founded_on: IsoDate | None = None
    industry_code: SetText = None
    emerging_industry: SetText = None
    registered_capital: Decimal | None = None
    contact_name: SetText = None
    contact_phone: SetText = None

    @field_validator("name", "city_code", "county_code", "industry_code", "emerging_industry", "contact_name",
                     "contact_phone", mode="before")
    @classmethod
    def _text_not_null(cls, value: object) -> object:
        # The registry's text fields hold "" for none; null would reach the database as NULL (a 500).
        if value is None:
            raise PydanticCustomError("null_text", '不能为 null；清空请传空字符串 ""')
        return value


def _refuse_locked(user: User, enterprise: Enterprise, data: dict[str, object]) -> None:
    """An enterprise user may not change its place (the page shows those fields disabled): a new value is
    refused by field rather than dropped in silence."""
    allowed = access.editable_fields(user, list(data))
    for name, value in data.items():
        if name not in allowed and value != getattr(enterprise, name):
            message = f"{field_label(Enterprise, name)}：企业用户不能修改，请联系所在市经信部门"
            raise PermissionDeniedError(message, field=name)


@router.get("", response=with_errors(PageOut, 400, 403), summary="企业列表（按权限范围）")
def list_enterprises(request: HttpRequest, params: Query[FilterIn]) -> dict[str, object]:
    industry, problem = selectors.industry_prefix(params.industry.strip())
    if problem:
        raise ApplicationError(problem, field="industry")
    filters = selectors.Filters(q=params.q, city=params.city, county=params.county, industry=industry,
                                tier=_filter_value(params.tier), size=_filter_value(params.size),
                                emerging=params.emerging)
    page = selectors.enterprise_page(user=current_user(request), filters=filters, before=params.before,
                                     after=params.after, size=max(1, min(params.limit, 500)))
    return {"count": page.count, "count_capped": page.capped, "next_cursor": page.next_cursor,
            "prev_cursor": page.prev_cursor, "results": selectors.registry_rows(page.rows)}


@router.get("/{code}", response=with_errors(EnterpriseDetailOut, 403, 404), summary="企业详情与年度指标")
def get_enterprise(request: HttpRequest, code: str) -> Enterprise:
    return access.access_enterprise_for_view(current_user(request), code)


@router.patch("/{code}", response=with_errors(EnterpriseDetailOut, 400, 403, 404, 413), summary="修改企业信息")
def patch_enterprise(request: HttpRequest, code: str, payload: EnterprisePatch) -> Enterprise:
    user = current_user(request)
    enterprise = access.access_enterprise_for_edit(user, code)
    data = payload.dict(exclude_unset=True)
    _refuse_locked(user, enterprise, data)
    services.enterprise_update(user=user, enterprise=enterprise, data=data)
    return get_enterprise(request, code)
