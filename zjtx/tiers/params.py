"""Reading the dated parameters the workflow needs, with a clear refusal when one has no value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zjtx.core.errors import ApplicationError
from zjtx.policy.engine import ParameterSet


def value(params: ParameterSet, parameter_id: str, at: dt.date) -> Any:
    """A parameter's value on `at`; a missing value is a clear refusal, never a crash."""
    found = params.value_or_none(parameter_id, at)
    if found is None:
        label = params[parameter_id].label if parameter_id in set(params) else parameter_id
        raise ApplicationError(f"参数“{label}”（{parameter_id}）在 {at} 没有生效的取值，请先在政策参数中设置",
                               field="parameter")
    return found


def number(params: ParameterSet, parameter_id: str, at: dt.date) -> Decimal:
    return Decimal(str(value(params, parameter_id, at)))
