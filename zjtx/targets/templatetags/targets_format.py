"""How the 目标监测 pages show a figure and its verdict."""

from __future__ import annotations

from decimal import Decimal

from django import template

from zjtx.targets import arithmetic

register = template.Library()

VERDICT_CLASS = {arithmetic.MET: "tag tag-met", arithmetic.MISSED: "tag tag-missed"}


@register.filter
def figure(value: Decimal | None) -> str:
    """8,123 or 4,123.5: thousands separated, no trailing zeros; — when there is no figure."""
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


@register.filter
def verdict_class(verdict: str) -> str:
    return VERDICT_CLASS.get(verdict, "tag")
