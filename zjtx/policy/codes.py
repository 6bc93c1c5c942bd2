"""The codes a parameter's value may list, with the Chinese name people read for each.

Keyed by the parameter's unit, so a new parameter of a known kind needs no code: 项目 (award ids of
the awards parameters), 产业 (the province's 十大新兴产业), 级别 (R&D institution levels), 梯度 (tiers),
选项 (the parameter's own ``meta.options``, named by ``meta.option_labels``).  The page and the
what-if refuse a code not listed here, and show the names instead of the codes.
"""

from __future__ import annotations

import os
from typing import Any

from zjtx.core.reference import EMERGING_INDUSTRIES
from zjtx.policy.engine import ParameterSet
from zjtx.policy.engine.parameters import Parameter
from zjtx.policy.engine.schema import TIER_LABELS, VALUE_LABELS


def known_codes(parameter: Parameter, params: ParameterSet) -> dict[str, str] | None:
    """code → Chinese name of the codes ``parameter`` may take (None: not a coded parameter)."""
    unit = parameter.unit
    if unit == "项目":
        return award_names(params)
    if unit == "产业":
        return {name: name for _, name in EMERGING_INDUSTRIES}
    if unit == "级别":
        return dict(VALUE_LABELS["rd_institution_level"])
    if unit == "梯度":
        return {k: v for k, v in TIER_LABELS.items() if k != "none"}
    if unit == "选项":
        names = parameter.meta.get("option_labels") or {}
        return {str(o): str(names.get(o, o)) for o in parameter.meta.get("options") or []}
    return None


def award_names(params: ParameterSet) -> dict[str, str]:
    """Award id → name, for every award of the parameters and each group of graded awards
    (``digital_assessment`` for ``digital_assessment.3A`` …, as 免申即享 lists them)."""
    names: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for parameter in params.values():
        award = parameter.meta.get("award")
        if award:
            names[str(award)] = str(parameter.meta.get("award_label") or parameter.label)
            if "." in str(award):
                groups.setdefault(str(award).split(".")[0], []).append(names[str(award)])
    for group, labels in groups.items():
        # the words the graded awards share: 数字化转型评估3A级… → 数字化转型评估
        shared = os.path.commonprefix(labels)  # noqa: RUF071 (text, not paths)
        names.setdefault(group, shared.rstrip("0123456789ABC") + "（各级各项）")
    return names


def code_problem(parameter: Parameter, params: ParameterSet, value: Any) -> str | None:
    """A listed (or single) code that ``parameter`` does not know, named with the known ones."""
    known = known_codes(parameter, params)
    if known is None:
        return None
    given = value if isinstance(value, list) else [value]
    unknown = [str(v) for v in given if str(v) not in known]
    if not unknown:
        return None
    if parameter.unit == "选项":
        return f"该参数只能取：{'、'.join(known)}"
    listed = "、".join(f"{k}（{v}）" if k != v else k for k, v in known.items())
    return f"不认识的代码：{'、'.join(unknown)}；可填：{listed}"
