"""{{ u|actual_value }}: an unmet condition's actual value with its unit, as the engine's explanation reads."""

from __future__ import annotations

from typing import Any

from django import template

from zjtx.policy.engine.evaluate import NOT_MET
from zjtx.policy.engine.explain import actual_text

register = template.Library()


@register.filter
def actual_value(unmet: dict[str, Any]) -> str:
    """Works on assessments stored before (applications keep theirs): only actual, unit and missing are read."""
    actual, unit, missing = unmet.get("actual"), unmet.get("unit") or "", unmet.get("missing") or []
    highest = unmet.get("actual_max")
    if actual is None and highest is not None:
        # A score with items lacking data: a failed one could not reach its pass mark even at full marks.
        if unmet.get("status") == NOT_MET:
            return f"最高可能 {actual_text(highest, unit, known=True)}"
        known = actual_text(unmet.get("actual_min"), unit, known=True)
        return f"已知 {known}，最高可能 {actual_text(highest, unit, known=True)}"
    if actual is None and not missing and unit != "名":
        # The condition reads its inputs directly (the explanation names them): no figure to show.
        return "—"
    return actual_text(actual, unit, known=not missing)


@register.filter
def count(value: Any) -> str:
    """A declared count (staff, patents): 0 is a figure, only a missing one reads '—'."""
    if value is None or value == "":
        return "—"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
