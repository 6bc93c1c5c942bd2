"""JSON API of the awards module: same access rules and services as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import PlainSerializer, WithJsonSchema

from zjtx.accounts.models import current_user
from zjtx.awards import access, selectors, services
from zjtx.awards.models import Entitlement
from zjtx.core import regions
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.schemas import Id, Text, with_errors
from zjtx.tiers.models import Batch

router = Router(tags=["奖补兑现"])
PAGE_LIMIT = 1000
OFFSET_MAX = 100_000_000  # far beyond any ledger; keeps OFFSET within what the database takes


def money_text(amount: Decimal) -> str:
    """万元 as the API documents it (config/api.py): "500", "12.50", "6.723". The stored six places
    ("500.000000") and sums that lost them ("0") read alike: no decimals for a whole amount, else at
    least two, more only when the exact amount has them."""
    if amount == amount.to_integral_value():
        return f"{amount.quantize(Decimal(1)) + 0:f}"  # + 0: a net of -0 reads "0"
    exponent = int(amount.normalize().as_tuple().exponent)
    return f"{amount:.{max(2, -exponent)}f}"


# Every amount of the awards API, in 万元.
Money = Annotated[Decimal, PlainSerializer(money_text, return_type=str),
                  WithJsonSchema({"type": "string", "format": "decimal", "description": "万元，十进制字符串",
                                  "examples": ["500", "12.50"]})]


class EntitlementOut(Schema):
    id: int
    credit_code: str
    enterprise: str
    city_code: str
    award: str
    award_label: str
    amount: Money
    funding_level: str
    clause: str
    no_application: bool
    status: str
    status_label: str
    reject_reason: str = Field(description="不予兑现原因（撤销认定的：以“认定已撤销：”开头；"
                               "冲销后省级确认不再补发的：以“冲销后不再补发：”开头）；空为无")
    recovery_note: str = Field(description="已拨付而触发的认定已撤销、待追回的说明；空为无须追回")
    topup_note: str = Field(description="升级奖补已审批或已拨付后，所抵扣的等级不予兑现、"
                                        "待省级决定是否补差的说明；空为无待决定的补差")
    batch_id: int | None

    @staticmethod
    def resolve_credit_code(obj: Entitlement) -> str:
        return obj.enterprise.credit_code

    @staticmethod
    def resolve_enterprise(obj: Entitlement) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_status_label(obj: Entitlement) -> str:
        return obj.get_status_display()


class BudgetOut(Schema):
    year: int
    funding_level: str
    city_code: str
    line: str
    allocated: Money
    committed: Money
    paid: Money
    remaining: Money


class PaymentRow(Schema):
    id: int
    at: dt.datetime
    kind: str
    credit_code: str
    enterprise: str
    city_code: str
    city: str
    award: str
    clause: str
    amount: Money
    funding_level: str
    budget_year: int
    budget_line: str
    account_name: str
    bank_name: str
    account_no: str
    batch: str
    reason: str
    entitlement_id: int


class PaymentListOut(Schema):
    title: str
    unit: str = "万元"
    total: Money = Field(description="整个清单（所有页）的净额，万元")
    by_funding_level: dict[str, Money] = Field(description="其中各资金层级（省级、市级）的合计（所有页），万元")
    enterprises: int = Field(description="整个清单的企业数")
    count: int = Field(description="整个清单的笔数")
    offset: int = Field(description="本页第一笔在清单中的位置（从 0 起）")
    next_offset: int | None = Field(description="下一页的 offset；已是最后一页时为 null")
    rows: list[PaymentRow] = Field(description="本页各笔，按记账先后，至多 limit 笔")


class PaymentFilter(Schema):
    batch: Id | None = Field(None, description="批次 id")
    city: Text = Field("", description="所在市代码；市级用户只能查看本市，缺省即本市",
                       json_schema_extra={"enum": ["", *(code for code, _ in regions.CITIES)]})
    offset: int = Field(0, ge=0, le=OFFSET_MAX, description="从清单第几笔起（从 0 起；下一页传上页的 next_offset）")
    limit: int = Field(PAGE_LIMIT, ge=1, le=PAGE_LIMIT, description=f"条数，1–{PAGE_LIMIT}")


class EntitlementFilter(Schema):
    status: Text = Field("", description="状态代码；空为全部",
                         json_schema_extra={"enum": ["", *Entitlement.Status.values]})
    before: Id | None = Field(None, description="只列 id 小于它的（下一页：传本页最后一条的 id）")
    limit: int = Field(PAGE_LIMIT, ge=1, le=PAGE_LIMIT, description=f"条数，1–{PAGE_LIMIT}")


class LedgerOut(Schema):
    id: int
    kind: str


@router.get("/entitlements", response=with_errors(list[EntitlementOut], 400, 403),
            summary=f"奖补资格（按权限范围，id 倒序，每次最多 {PAGE_LIMIT} 条；下一页传 before=本页最后一条的 id）")
def list_entitlements(request: HttpRequest, params: Query[EntitlementFilter]) -> Any:
    qs = access.visible_entitlements(current_user(request)).order_by("-id")
    if params.status and params.status not in Entitlement.Status.values:
        known = "、".join(Entitlement.Status.values)
        raise ApplicationError(f"status（状态）：没有“{params.status}”这个状态，可选 {known}", field="status")
    if params.status:
        qs = qs.filter(status=params.status)
    if params.before:
        qs = qs.filter(id__lt=params.before)
    return qs[: params.limit]


@router.get("/budgets", response=with_errors(list[BudgetOut], 403),
            summary="预算执行：下达、已审批待拨付（含冲销待重拨）、已拨付、剩余（万元）")
def list_budgets(request: HttpRequest) -> list[dict[str, Any]]:
    rows = selectors.budget_rows(current_user(request))
    return [{"year": r["budget"].year, "funding_level": r["budget"].funding_level, "city_code": r["budget"].city_code,
             "line": r["budget"].line, **{k: r[k] for k in ("allocated", "committed", "paid", "remaining")}}
            for r in rows]


@router.get("/payments", response=with_errors(PaymentListOut, 400, 403),
            summary=f"拨付清单（按批次、按市），与 Excel 导出同一数据；每次最多 {PAGE_LIMIT} 笔（offset、limit 分页），"
                    "合计、其中、笔数和企业数是整个清单的")
def payments(request: HttpRequest, params: Query[PaymentFilter]) -> dict[str, Any]:
    user = current_user(request)
    access.require_view(user)  # the right to the list first: a query's faults are none of an outsider's business
    if params.batch and not Batch.objects.filter(pk=params.batch).exists():
        # An empty list titled 全部 would read as "nothing paid at all".
        raise ApplicationError(f"batch（批次）：没有 id 为 {params.batch} 的申报批次", field="batch")
    data = selectors.payment_list(user=user, batch_id=params.batch, city_code=_payment_city(user, params.city),
                                  offset=params.offset, limit=params.limit)
    following = params.offset + params.limit
    return {"title": data.title, "total": data.total, "by_funding_level": data.by_level,
            "enterprises": data.enterprises, "count": data.count, "offset": params.offset,
            "next_offset": following if following < data.count else None, "rows": data.rows}


def _payment_city(user: Any, city: str) -> str:
    """The city of a payment list: as on the page, a city user's list is always its own city's."""
    if city and not regions.is_city(city):
        raise ApplicationError("city（所在市）：应为16个设区市的6位代码之一", field="city")
    allowed = [code for code, _ in access.filter_cities(user)]
    if len(allowed) == 1 and city not in ("", allowed[0]):
        raise PermissionDeniedError(f"city（所在市）：只能查看本市（{regions.city_name(allowed[0])}）的拨付清单",
                                    field="city")
    return allowed[0] if len(allowed) == 1 else city


@router.post("/entitlements/{pk}/approve", response=with_errors(EntitlementOut, 400, 403, 404, 409),
             summary="省级审批（超出预算时拒绝）")
def approve(request: HttpRequest, pk: int) -> Entitlement:
    user = current_user(request)
    return services.entitlement_approve(user=user, entitlement=access.access_entitlement(user, pk))


@router.post("/entitlements/{pk}/pay", response=with_errors(LedgerOut, 400, 403, 404, 409),
             summary="拨付并记入台账（只拨付一次）")
def pay(request: HttpRequest, pk: int) -> Any:
    user = current_user(request)
    return services.entitlement_pay(user=user, entitlement=access.access_entitlement(user, pk))
