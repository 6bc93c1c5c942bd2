"""JSON API of 目标监测: every target's figures per year for a place, with the same access as the pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import PlainSerializer, WithJsonSchema

from zjtx.accounts.models import current_user
from zjtx.core import regions
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.schemas import Text, with_errors
from zjtx.targets import access, selectors

router = Router(tags=["目标监测"])


def decimal_text(value: Decimal) -> str:
    """12100 → "12100", 4210.50 → "4210.5": the figure as reported, without the stored trailing zeros."""
    return f"{value.normalize():f}"


Figure = Annotated[Decimal, PlainSerializer(decimal_text, return_type=str),
                   WithJsonSchema({"type": "string", "format": "decimal", "description": "十进制字符串，单位见 unit",
                                   "examples": ["12100", "4210.5"]})]


class YearOut(Schema):
    year: int
    target: Figure | None = Field(description="目标值（市：省级分解的目标，未分解为 null）")
    actual: Figure | None = Field(description="完成数；未填报或系统尚无记录为 null，不是 0")
    source: str = Field(description="系统统计、填报，或空（无数据）")
    completion: Figure | None = Field(description="完成率（%），保留一位小数")
    verdict: str = Field(description="已完成、未完成、进行中、未填报、系统尚无记录、期限后，或空（无目标值）")
    note: str


class ProjectionOut(Schema):
    year: int
    value: Figure


class TargetOut(Schema):
    id: str = Field(description="目标参数 id")
    clause: str
    label: str
    unit: str
    kind: str = Field(description="stock（期末存量）、yearly（每年）、cumulative（期内累计新增）")
    qualifier: str = Field(description="方案用语：以上、达、左右、不少于")
    deadline_year: int | None
    computed: bool = Field(description="完成数是否由系统按认定记录统计")
    final: str = Field(description="结论")
    final_text: str
    years: list[YearOut]
    projection: list[ProjectionOut] = Field(description="线性趋势预测（非实际数）")


class TargetsOut(Schema):
    city_code: str = Field(description="地区代码；空为全省")
    place: str
    as_of: str = Field(description="统计日期（当年截至该日）")
    approx_tolerance: Figure = Field(description="“左右”类目标的容差（%）")
    targets: list[TargetOut]


class TargetsFilter(Schema):
    city: Text = Field("", description="所在市代码；空为全省。市级用户只能查看本市和全省",
                       json_schema_extra={"enum": ["", *(code for code, _ in regions.CITIES)]})


@router.get("", response=with_errors(TargetsOut, 400, 403), summary="目标完成情况（全部目标，逐年；全省或一个市）")
def targets(request: HttpRequest, params: Query[TargetsFilter]) -> dict[str, Any]:
    user = current_user(request)
    access.require_view(user)
    if params.city and not regions.is_city(params.city):
        raise ApplicationError("city（所在市）：应为16个设区市的6位代码之一", field="city")
    places = dict(access.places(user))
    if params.city not in places:
        raise PermissionDeniedError("city（所在市）：只能查看本市和全省的目标完成情况", field="city")
    figures = selectors.Figures()
    rows = selectors.overview(user, params.city, figures)
    return {"city_code": params.city, "place": places[params.city], "as_of": figures.today.isoformat(),
            "approx_tolerance": figures.tolerance, "targets": [_target(r) for r in rows]}


def _target(r: selectors.Row) -> dict[str, Any]:
    t = r.target
    return {"id": t.id, "clause": t.clause, "label": t.label, "unit": t.unit, "kind": t.kind,
            "qualifier": t.qualifier, "deadline_year": t.deadline_year, "computed": t.computed, "final": r.final,
            "final_text": r.final_text,
            "years": [{"year": c.year, "target": c.target, "actual": c.actual, "source": c.source,
                       "completion": c.completion, "verdict": c.verdict, "note": c.note} for c in r.cells],
            "projection": [{"year": y, "value": v} for y, v in r.projection]}
