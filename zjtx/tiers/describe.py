"""How the tiers audit records read in an enterprise's change history: Chinese labels for the keys that
are not model fields, people's names for user ids, objections by date, result codes by their names."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from zjtx.accounts.models import User
from zjtx.core.audit import Describer, model_describer, shown_value
from zjtx.tiers.models import Objection

# Keys the tiers services write beside model fields (the key itself would show otherwise).
LABELS = {"experts": "评审专家", "comment": "评审意见", "content": "异议内容", "result": "处理结果",
          "objection": "异议", "score": "评分"}


def describer(model: Any) -> Describer:
    fields = model_describer(model)

    def describe(key: str, value: Any) -> tuple[str, str | None]:
        if key == "experts":
            return LABELS[key], _names(value)
        if key == "objection":
            return LABELS[key], _objection(value)
        if key == "result":
            return LABELS[key], shown_value(dict(Objection.Status.choices).get(value, value))
        label, shown = fields(key, value)
        return LABELS.get(key, label), shown

    return describe


def _names(ids: Any) -> str | None:
    """Experts by name, in the order stored."""
    if not ids:
        return None
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in=list(ids))}
    return "、".join(names.get(i, "（账号已删除）") for i in ids)


def _objection(pk: Any) -> str | None:
    objection = Objection.objects.filter(pk=pk).first() if pk else None
    if objection is None:
        return None if not pk else "（已删除）"
    return f"{timezone.localdate(objection.filed_at)} 提出的异议"
