"""{{ amount|wan }}: a Decimal amount of 万元 as every page shows money: thousands separators and at least
two decimals, more only when the exact amount has them (80.00, 12.93, 6.723), never rounded."""

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
    if not amount.is_finite():
        return str(value)
    if amount == 0:
        amount = Decimal(0)  # a net of -0.5 + 0.5 reads 0.00, not -0.00
    # Places the exact amount needs (6.723000 needs 3), at least two so a column reads alike.
    exponent = int(amount.normalize().as_tuple().exponent)
    return f"{amount:,.{max(2, -exponent)}f}"
