"""JSON API of the 政策计算器: one enterprise's awards due and next step, with the pages' access rules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from zjtx.accounts.models import current_user
from zjtx.awards.api import Money
from zjtx.core import clock
from zjtx.core.errors import ApplicationError
from zjtx.core.schemas import IsoDate, with_errors
from zjtx.matcher import access
from zjtx.matcher.calculator import calculate

router = Router(tags=["政策计算器"])


class AwardOut(Schema):
    label: str = Field(description="奖补名称")
    amount: Money
    funding_level: str = Field(description="省级 / 市级")
    clause: str
    reason: str
    event: str = Field(description="触发事件及日期")
    no_application: bool = Field(description="免申即享：系统自动生成，企业无需申请")
    stage: str = Field(description="奖补兑现中的状态；未生成 表示尚未生成奖补资格")
    entitlement_id: int | None = Field(description="奖补资格 id；未生成为 null")


class ConditionOut(Schema):
    label: str
    status: str = Field(description="不满足 / 数据不足")
    actual: str
    threshold: str
    clause: str
    missing: list[str]


class NextTierOut(Schema):
    tier: str
    label: str
    status: str = Field(description="符合 / 不符合 / 数据不足")
    review: str = Field(description="首次认定 / 复核")
    score: float | None
    pass_mark: str = Field(description="评分类认定的合格线，如 ≥ 60分；不评分为空")
    conditions: list[ConditionOut]
    missing: list[str] = Field(description="数据不足的条件缺少的数据")


class CalculatorOut(Schema):
    credit_code: str
    name: str
    as_of: IsoDate
    data_year: int
    current_tier: str = Field(description="企业库中的梯度层级代码；空为未入库")
    awards: list[AwardOut]
    total: Money
    next_tier: NextTierOut | None = Field(description="下一梯度；已是单项冠军为 null")


class CalculatorQuery(Schema):
    as_of: IsoDate | None = Field(None, description="测算日期，YYYY-MM-DD；不填为今天")


@router.get("/{code}", response=with_errors(CalculatorOut, 400, 403, 404),
            summary="政策计算器：可享奖补与下一梯度差距")
def calculator_api(request: HttpRequest, code: str, query: Query[CalculatorQuery]) -> dict[str, Any]:
    enterprise = access.enterprise_for(current_user(request), code)
    found = calculate(enterprise, query.as_of or clock.today())
    if found.problem:
        raise ApplicationError(found.problem.removesuffix("。"), field="as_of")
    gap = found.gap
    return {"credit_code": enterprise.credit_code, "name": enterprise.name, "as_of": found.as_of,
            "data_year": found.data_year, "current_tier": enterprise.tier, "total": found.total,
            "awards": [{**vars(a), "stage": a.stage, "entitlement_id": a.entitlement.pk if a.entitlement else None}
                       for a in found.awards],
            "next_tier": None if gap is None else {**vars(gap), "conditions": [vars(c) for c in gap.conditions]}}
