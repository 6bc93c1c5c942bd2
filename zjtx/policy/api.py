"""POST /api/v1/policy/evaluate: the engine over enterprises, indicators and events given in the request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from zjtx.accounts.models import current_user
from zjtx.core.errors import ApplicationError
from zjtx.policy import access, services
from zjtx.policy.engine import (
    ENTERPRISE_COLUMNS,
    EVENT_COLUMNS,
    INDICATOR_COLUMNS,
    PRIOR_COLUMNS,
    InputError,
    ParameterError,
    evaluate,
    list_parameters,
    to_dict,
    to_jsonable,
)
from zjtx.policy.engine.schema import empty_frame
from zjtx.policy.io import records_frame

router = Router(tags=["政策引擎"])
MAX_ENTERPRISES = 10_000  # larger populations go through the background province run


class EvaluateIn(Schema):
    as_of: dt.date
    enterprises: list[dict[str, Any]]
    indicators: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    prior: list[dict[str, Any]] = []


@router.post("/evaluate", summary="测算认定条件与奖补资格（请求内提供企业、指标和事件）")
def evaluate_api(request: HttpRequest, payload: EvaluateIn) -> dict[str, Any]:
    access.require_view(current_user(request))
    if not payload.enterprises:
        raise ApplicationError("enterprises 不能为空", field="enterprises")
    if len(payload.enterprises) > MAX_ENTERPRISES:
        raise ApplicationError(f"一次最多测算 {MAX_ENTERPRISES} 家企业，更多请使用全省测算", field="enterprises")
    try:
        result = evaluate(
            records_frame(payload.enterprises, ENTERPRISE_COLUMNS),
            records_frame(payload.indicators, INDICATOR_COLUMNS) if payload.indicators else
            empty_frame(INDICATOR_COLUMNS),
            records_frame(payload.events, EVENT_COLUMNS) if payload.events else None,
            payload.as_of,
            services.parameter_set(),
            records_frame(payload.prior, PRIOR_COLUMNS) if payload.prior else None,
        )
    except InputError as exc:
        raise ApplicationError("；".join(exc.problems[:20]), field="input") from exc
    except ParameterError as exc:
        raise ApplicationError(str(exc), field="as_of") from exc
    return to_dict(result)


@router.get("/parameters", summary="全部政策参数（条款、单位、现行取值与历史）")
def parameters_api(request: HttpRequest, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    access.require_view(current_user(request))
    return to_jsonable(list_parameters(services.parameter_set(), as_of))
