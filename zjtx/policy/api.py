"""POST /api/v1/policy/evaluate: the engine over enterprises, indicators and events given in the request."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from zjtx.accounts.models import current_user
from zjtx.core.errors import ApplicationError
from zjtx.core.schemas import IsoDate, with_errors
from zjtx.policy import access, services
from zjtx.policy.engine import InputError, ParameterError, evaluate, list_parameters, to_dict, to_jsonable
from zjtx.policy.engine.schema import INDICATOR_COLUMNS, empty_frame
from zjtx.policy.io import check_references, table_frame
from zjtx.policy.schemas import (
    MAX_ENTERPRISES,
    MAX_EVENTS,
    MAX_INDICATORS,
    MAX_PRIOR,
    TABLES,
    EnterpriseRow,
    EventRow,
    IndicatorRow,
    PriorRow,
)

router = Router(tags=["政策引擎"])


class EvaluateIn(Schema):
    as_of: IsoDate = Field(description="测算日期（申报日期），YYYY-MM-DD；“上年度”数据取其前一年")
    enterprises: list[EnterpriseRow] = Field(  # type: ignore[valid-type]
        min_length=1, max_length=MAX_ENTERPRISES,
        description=f"企业表，每企业一行，1 至 {MAX_ENTERPRISES} 行；更多企业请用全省测算（/policy/runs/）")
    indicators: list[IndicatorRow] = Field(  # type: ignore[valid-type]
        [], max_length=MAX_INDICATORS, description=f"年度指标表，每企业每年一行，最多 {MAX_INDICATORS} 行")
    events: list[EventRow] = Field(  # type: ignore[valid-type]
        [], max_length=MAX_EVENTS, description=f"事件表（触发奖补的事件），最多 {MAX_EVENTS} 行")
    prior: list[PriorRow] = Field(  # type: ignore[valid-type]
        [], max_length=MAX_PRIOR, description="已享受奖补表：已给过的奖补，一次性奖补不再重复给")
    unmet: bool = Field(True, description="是否返回未满足条件表 unmet（约占响应的九成；false 时返回空数组）")


# An engine problem names its table and, when it is about cells, the column: "年度指标表第 1 行：revenue（…".
_PROBLEM = re.compile(r"^(?P<table>\S+?表)(?:第 (?P<row>\d+)(?:, \d+)* 行：(?P<column>\w+))?")


def _engine_field(problem: str) -> str | None:
    match = _PROBLEM.match(problem)
    tables = {label: name for name, (label, _) in TABLES.items()}
    if match is None or match["table"] not in tables:
        return None
    table = tables[match["table"]]
    return f"{table}[{int(match['row']) - 1}].{match['column']}" if match["row"] else table


@router.post("/evaluate", response=with_errors(dict[str, Any], 400, 403, 413),
             summary="测算认定条件与奖补资格（请求内提供企业、指标和事件）")
def evaluate_api(request: HttpRequest, payload: EvaluateIn) -> dict[str, Any]:
    """列名、类型与取值见下方请求结构（与 docs/policy.md「输入约定」相同）。类型不符、信用代码无效、市县代码未知、
    指标或事件的企业不在企业表中时返回 400，写明表、行（从 1 起）和列。"""
    access.require_view(current_user(request))
    tables = {"enterprises": payload.enterprises, "indicators": payload.indicators, "events": payload.events,
              "prior": payload.prior}
    check_references(tables)
    try:
        result = evaluate(
            table_frame(payload.enterprises, "enterprises"),
            table_frame(payload.indicators, "indicators") if payload.indicators else empty_frame(INDICATOR_COLUMNS),
            table_frame(payload.events, "events") if payload.events else None,
            payload.as_of,
            services.parameter_set(),
            table_frame(payload.prior, "prior") if payload.prior else None,
        )
    except InputError as exc:
        raise ApplicationError(str(exc), field=_engine_field(exc.problems[0])) from exc  # its first 20 problems
    except ParameterError as exc:
        raise ApplicationError(str(exc), field="as_of") from exc
    body = to_dict(result)
    if not payload.unmet:
        body["unmet"] = []
    return body


@router.get("/parameters", response=with_errors(list[dict[str, Any]], 400, 403),
            summary="全部政策参数（条款、单位、现行取值与历史）")
def parameters_api(request: HttpRequest, as_of: IsoDate | None = None) -> list[dict[str, Any]]:
    access.require_view(current_user(request))
    return to_jsonable(list_parameters(services.parameter_set(), as_of))
