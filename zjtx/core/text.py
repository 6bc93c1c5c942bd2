"""Typed text a service stores: trimmed, required or not, and no longer than its field."""

from __future__ import annotations

from zjtx.core.errors import ApplicationError


def clean_text(value: str, field: str, label: str, *, required: bool = True, max_length: int = 300) -> str:
    """`value` without surrounding spaces; refused naming `label` (on `field`) when required and blank or
    longer than `max_length` characters.  NUL is dropped: PostgreSQL cannot store it in a text column."""
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise ApplicationError(f"请填写{label}", field=field)
    if len(value) > max_length:
        raise ApplicationError(f"{label}不能超过 {max_length} 个字", field=field)
    return value
