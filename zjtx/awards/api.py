"""JSON API of the awards module: same access rules and services as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from zjtx.accounts.models import current_user
from zjtx.awards import access, selectors, services
from zjtx.awards.models import Entitlement
from zjtx.core import regions
from zjtx.core.errors import ApplicationError

router = Router(tags=["奖补兑现"])


class EntitlementOut(Schema):
    id: int
    credit_code: str
    enterprise: str
    city_code: str
    award: str
    award_label: str
    amount: Decimal
    funding_level: str
    clause: str
    no_application: bool
    status: str
    status_label: str
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
    allocated: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal


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
    amount: Decimal
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
    total: Decimal
    enterprises: int
    rows: list[PaymentRow]


class PaymentFilter(Schema):
    batch: int | None = None
    city: str = ""


class LedgerOut(Schema):
    id: int
    kind: str


@router.get("/entitlements", response=list[EntitlementOut], summary="奖补资格（按权限范围）")
def list_entitlements(request: HttpRequest, status: str = "") -> Any:
    qs = access.visible_entitlements(current_user(request)).order_by("-id")
    return qs.filter(status=status)[:1000] if status else qs[:1000]


@router.get("/budgets", response=list[BudgetOut], summary="预算执行：下达、已审批待拨付、已拨付、剩余（万元）")
def list_budgets(request: HttpRequest) -> list[dict[str, Any]]:
    rows = selectors.budget_rows(current_user(request))
    return [{"year": r["budget"].year, "funding_level": r["budget"].funding_level, "city_code": r["budget"].city_code,
             "line": r["budget"].line, **{k: r[k] for k in ("allocated", "committed", "paid", "remaining")}}
            for r in rows]


@router.get("/payments", response=PaymentListOut, summary="拨付清单（按批次、按市），与 Excel 导出同一数据")
def payments(request: HttpRequest, params: Query[PaymentFilter]) -> dict[str, Any]:
    if params.city and not regions.is_city(params.city):
        raise ApplicationError("city 应为16个设区市的6位代码之一", field="city")
    data = selectors.payment_list(user=current_user(request), batch_id=params.batch, city_code=params.city)
    return {"title": data.title, "total": data.total, "enterprises": data.enterprises, "rows": data.rows}


@router.post("/entitlements/{pk}/approve", response=EntitlementOut, summary="省级审批（超出预算时拒绝）")
def approve(request: HttpRequest, pk: int) -> Entitlement:
    user = current_user(request)
    return services.entitlement_approve(user=user, entitlement=access.access_entitlement(user, pk))


@router.post("/entitlements/{pk}/pay", response=LedgerOut, summary="拨付并记入台账（只拨付一次）")
def pay(request: HttpRequest, pk: int) -> Any:
    user = current_user(request)
    return services.entitlement_pay(user=user, entitlement=access.access_entitlement(user, pk))
