"""The input tables of ``POST /api/v1/policy/evaluate`` (and of ``manage.py policy evaluate`` JSON files)
as pydantic models, made from the engine's input contract (``engine/schema.py``).

One model per table, one field per contract column: the OpenAPI reference lists every column with its
Chinese name, type and allowed values, and a value of the wrong type is refused naming table, row and
column instead of becoming "unknown" (null is how a caller says unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from zjtx.core.schemas import IsoDate, Text
from zjtx.policy.engine.schema import (
    ENTERPRISE_COLUMNS,
    EVENT_COLUMNS,
    INDICATOR_COLUMNS,
    MONEY_LIMIT_WAN,
    PRIOR_COLUMNS,
    SIGNED_MONEY,
    Column,
)

# A request builds its whole response in memory in a web worker: about 37 KB per enterprise with
# the unmet conditions, 5 KB without. Larger populations go through the background province run.
MAX_ENTERPRISES = 1_000
MAX_INDICATORS = 5 * MAX_ENTERPRISES  # the rules read three years; a few more are tolerated
MAX_EVENTS = 10_000
MAX_PRIOR = 10_000

TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "enterprises": ("企业表", ENTERPRISE_COLUMNS),
    "indicators": ("年度指标表", INDICATOR_COLUMNS),
    "events": ("事件表", EVENT_COLUMNS),
    "prior": ("已享受奖补表", PRIOR_COLUMNS),
}
# Required columns whose null the engine reads as a value ("unknown", or for the tier "none"); the
# others must hold a value.
NULLABLE_REQUIRED = frozenset({"county_code", "founded_on", "current_tier"})
# Ranges the entry forms hold (the facts page: scores 0–100).
BOUNDS: dict[str, tuple[int, int]] = {
    "year": (1900, 2100), "dev_eval_score": (0, 100), "dev_eval_score_prev": (0, 100),
    "local_feature_score": (0, 15),
}
def _type(column: Column) -> Any:
    if column.allowed:
        return Literal[column.allowed]
    low, high = BOUNDS.get(column.name, (0, None))
    if column.kind == "int":
        return Annotated[int, Field(strict=True, ge=low, le=high)]
    if column.kind == "float":
        return Annotated[float, Field(strict=True, ge=low, le=high, allow_inf_nan=False)]
    if column.kind == "money":
        floor = -MONEY_LIMIT_WAN if column.name in SIGNED_MONEY else 0
        return Annotated[Decimal, Field(ge=floor, le=MONEY_LIMIT_WAN, allow_inf_nan=False)]
    if column.kind == "bool":
        return Annotated[bool, Field(strict=True)]
    if column.kind == "date":
        return IsoDate
    return Annotated[Text, Field(strict=True, max_length=200)]


def _field(column: Column) -> tuple[Any, Any]:
    kind = _type(column)
    unit = "（万元，数字或十进制字符串）" if column.kind == "money" else ""
    if column.required and column.name not in NULLABLE_REQUIRED:
        return kind, Field(description=f"{column.label}{unit}；必填")
    if column.required:
        unknown = "none（无称号）" if column.name == "current_tier" else "未知"
        return kind | None, Field(description=f"{column.label}{unit}；必须有此列，可为 null（{unknown}）")
    return kind | None, Field(None, description=f"{column.label}{unit}；可省略或为 null（未知）")


def _row_model(table: str) -> type[BaseModel]:
    label, columns = TABLES[table]
    fields: dict[str, Any] = {c.name: _field(c) for c in columns}
    config = ConfigDict(extra="forbid", title=f"{label}（{table}）的一行")
    return create_model(f"{table.title()}Row", __config__=config, **fields)


EnterpriseRow = _row_model("enterprises")
IndicatorRow = _row_model("indicators")
EventRow = _row_model("events")
PriorRow = _row_model("prior")
ROW_MODELS: dict[str, type[BaseModel]] = {
    "enterprises": EnterpriseRow, "indicators": IndicatorRow, "events": EventRow, "prior": PriorRow,
}


def table_label(loc: Sequence[Any]) -> str:
    """``["enterprises", 0, "founded_on"]`` → ``企业表第 1 行：founded_on（成立日期）``; "" for other fields."""
    if not loc or loc[0] not in TABLES:
        return ""
    label, columns = TABLES[str(loc[0])]
    if len(loc) < 2 or not isinstance(loc[1], int):
        return f"{loc[0]}（{label}）"
    where = f"{label}第 {loc[1] + 1} 行"
    if len(loc) < 3:
        return where
    names = {c.name: c.label for c in columns}
    column = str(loc[2])
    return f"{where}：{column}（{names[column]}）" if column in names else f"{where}：{column}"
