"""{% if user|sees_recognitions %}: the tabs show only what the role may open (rules in tiers.access)."""

from __future__ import annotations

from typing import Any

from django import template

from zjtx.tiers.access import RECOGNITION_ROLES

register = template.Library()


@register.filter
def sees_recognitions(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in RECOGNITION_ROLES


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)
