"""{{ u|actual_value }}: an unmet condition's actual value with its unit, as the engine's explanation reads."""

from __future__ import annotations

from typing import Any

from django import template

from zjtx.policy.engine.explain import actual_text

register = template.Library()


@register.filter
def actual_value(unmet: dict[str, Any]) -> str:
    """Works on assessments stored before (applications keep theirs): only actual, unit and missing are read."""
    actual, unit, missing = unmet.get("actual"), unmet.get("unit") or "", unmet.get("missing") or []
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
