"""The ladder as the calculator reads it: the registry's tiers, the engine's ids for them, the next step."""

from __future__ import annotations

from zjtx.enterprises.models import Tier
from zjtx.policy.engine import TIERS
from zjtx.policy.frames import TIER_TO_ENGINE

ENGINE_TO_REGISTRY = {engine: registry for registry, engine in TIER_TO_ENGINE.items()}


def next_tier(registry_tier: str) -> str | None:
    """The engine's id of the step above ``registry_tier`` (创新型 → 省专精特新 → 省冠军 → 小巨人 → 单项冠军);
    None at the top."""
    held = TIER_TO_ENGINE.get(registry_tier or "", "none")
    if held == "none":
        return TIERS[0]
    position = TIERS.index(held) + 1
    return TIERS[position] if position < len(TIERS) else None


def tier_label(engine_tier: str) -> str:
    """A tier as the registry and the pages name it (省专精特新企业, not the national 专精特新中小企业)."""
    return Tier(ENGINE_TO_REGISTRY.get(engine_tier, "")).label


TIER_CHOICES = [(t, tier_label(t)) for t in TIERS]
