"""{{ amount|wan }}: a Decimal amount of 万元 with thousands separators and no trailing zeros (any page)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def wan(value: Any) -> str:
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{amount.normalize():,f}" if amount != 0 else "0"
