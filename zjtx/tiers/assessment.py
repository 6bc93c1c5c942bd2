"""The policy engine's self-assessment of one enterprise for one tier, as the apply page shows it."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl

from zjtx.enterprises.models import Enterprise, Indicator
from zjtx.policy import frames
from zjtx.policy.engine import InputError, ParameterError, evaluate, to_jsonable
from zjtx.policy.services import parameter_set

CLEARLY_NOT = "不符合"
INDICATOR_FIELDS = ("revenue", "main_revenue", "rd_expense", "employees", "rd_staff", "net_profit", "total_assets",
                    "total_liabilities", "ip_i_count", "main_product", "market_share")


def self_assessment(*, enterprise: Enterprise, tier: str, as_of: dt.date) -> dict[str, Any]:
    """Score, result and every unmet condition; `status` is 符合 / 不符合 / 数据不足 (or 无法测算)."""
    engine_tier = frames.TIER_TO_ENGINE[tier]
    try:
        ents, inds, events = frames.registry_frames([enterprise.credit_code])
        result = evaluate(ents, inds, events, as_of, parameter_set())
    except (InputError, ParameterError) as exc:
        return {"status": "无法测算", "message": str(exc), "unmet": [], "as_of": as_of.isoformat()}
    rows = result.recognition.filter((pl.col("credit_code") == enterprise.credit_code)
                                     & (pl.col("tier") == engine_tier)).to_dicts()
    if not rows:
        return {"status": "无法测算", "message": "企业不在测算范围内", "unmet": [], "as_of": as_of.isoformat()}
    row = rows[0]
    unmet = result.unmet.filter((pl.col("credit_code") == enterprise.credit_code)
                                & (pl.col("tier") == engine_tier)).to_dicts()
    return to_jsonable({
        "as_of": as_of,
        "data_year": result.data_year,
        "tier_label": row["tier_label"],
        "criteria_set": row["criteria_set"],
        "review": row["review"],
        "qualifies": row["qualifies"],
        "status": row["status"],
        "score": _num(row["score"]),
        "score_min": _num(row["score_min"]),
        "score_max": _num(row["score_max"]),
        "fingerprint": result.fingerprint,
        "unmet": [{"label": u["label"], "group": u["group"], "status": u["status"], "actual": _num(u["actual"]),
                   "actual_min": _num(u.get("actual_min")), "actual_max": _num(u.get("actual_max")),
                   "unit": u["unit"], "threshold": u["threshold"], "clause": u["clause"],
                   "missing": list(u["missing"] or [])} for u in unmet],
    })


def _num(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), 2)


def clearly_not_qualified(assessment: dict[str, Any]) -> bool:
    return assessment.get("status") == CLEARLY_NOT


def declared_snapshot(enterprise: Enterprise, data_year: int | None) -> dict[str, Any]:
    """The registry indicators the application is pre-filled with (the data year, else the latest)."""
    qs = Indicator.objects.filter(enterprise=enterprise).order_by("-year")
    indicator = (qs.filter(year=data_year).first() if data_year else None) or qs.first()
    if indicator is None:
        return {}
    values = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    return {"year": indicator.year, **to_jsonable({k: v for k, v in values.items() if v not in (None, "")})}
