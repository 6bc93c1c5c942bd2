"""How the tiers audit records read in an enterprise's change history: Chinese labels for the keys that
are not model fields, people's names for user ids, objections by date, result codes by their names."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils import timezone

from zjtx.accounts.models import User
from zjtx.core.audit import Describer, model_describer, shown_value
from zjtx.tiers import models
from zjtx.tiers.models import Objection

# Keys the tiers services write beside model fields (the key itself would show otherwise).
LABELS = {"experts": "评审专家", "comment": "评审意见", "content": "异议内容", "result": "处理结果",
          "objection": "异议", "score": "评分"}
# Audit target types are the model names (services._audit).
MODELS = {model._meta.model_name or "": model for model in (models.Application, models.Batch, models.Recognition,
                                                             models.ExpertConflict, models.Holiday, models.Objection)}


def describers(values: Mapping[str, list[Any]]) -> Callable[[str], Describer]:
    """The describer of each tiers target type, for records holding ``values`` (key → stored values): the
    experts and objections they name are read once for all the records."""
    names = _names(values.get("experts", []))
    objections = _objections(values.get("objection", []))

    def describer(target_type: str) -> Describer:
        fields = model_describer(MODELS[target_type])

        def describe(key: str, value: Any) -> tuple[str, str | None]:
            if key == "experts":
                return LABELS[key], "、".join(names.get(i, "（账号已删除）") for i in value) if value else None
            if key == "objection":
                return LABELS[key], (objections.get(str(value), "（已删除）") if value else None)
            if key == "result":
                return LABELS[key], shown_value(dict(Objection.Status.choices).get(value, value))
            label, shown = fields(key, value)
            return LABELS.get(key, label), shown

        return describe

    return describer


def _names(lists: Iterable[Any]) -> dict[Any, str]:
    """Expert id → name, for every list of experts stored."""
    ids = {i for experts in lists if isinstance(experts, list) for i in experts}
    return {user.pk: user.display_name for user in User.objects.filter(pk__in=ids)} if ids else {}


def _objections(pks: Iterable[Any]) -> dict[str, str]:
    """str(pk) → 2026-11-30 提出的异议."""
    wanted = {int(pk) for pk in pks if isinstance(pk, int) or (isinstance(pk, str) and pk.isdigit())}
    found = Objection.objects.filter(pk__in=wanted) if wanted else []
    return {str(objection.pk): f"{timezone.localdate(objection.filed_at)} 提出的异议" for objection in found}
