"""Checks of a new value of a parameter (entered on the parameter page or tried in a what-if).

A new value must have the parameter's *defined* form, the form of the values shipped with the code
(a number, a list of texts, a 分档表 …), never merely the form of the value in force: a wrong value
saved once must not become the pattern that refuses its own correction.  On top of the form:

- tables: a 分档表 ``{cuts, points}`` has ascending cuts and one more point than cuts; a 名次表
  ``[{max_rank, amount}, …]`` is not empty and its ranks ascend; no item of a scoring table is worth
  more than the item's full marks (the highest score its shipped tables give);
- numbers, by unit (``WHOLE_UNITS``, ``UNIT_RANGES``): counts of 年/日/家/项/… are whole numbers, a percentage is at
  most 100, a 分 score at most 100 …; ``meta.range`` narrows a parameter's plausible range in its YAML.

Pure Python: the engine core imports no Django.  Known codes (award ids, 十大新兴产业 …) are checked
by the Django side, which knows the registry's reference lists.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from zjtx.policy.engine.parameters import Parameter, ParameterError, normalise

# Units whose quantities are counts or durations in whole units.
WHOLE_UNITS = frozenset({"年", "年份", "月", "日", "工作日", "家", "项", "个", "人", "名", "台", "场", "条", "户"})
# Plausible range (lowest, highest) of a number by its unit: a share in %, a score on the 100-point
# scale, a period in years, a calendar year.
UNIT_RANGES: dict[str, tuple[int, int]] = {"%": (0, 100), "分": (0, 100), "年": (0, 50), "年份": (2000, 2100)}


def value_problem(parameter: Parameter, value: Any) -> str | None:
    """Why ``value`` cannot be a value of ``parameter`` (None: it can), in Chinese.  ``parameter``
    is the shipped definition: its values are the defined form and the full marks of its tables."""
    try:
        value = normalise(value)
    except ParameterError:
        return "取值的类型不支持"
    defined = [entry.value for entry in parameter.values if entry.value is not None]
    if not defined:
        return None
    return (_form_problem(value, defined[0], "该参数的取值")
            or _table_problem(value, "")
            or _number_problem(parameter, value)
            or _marks_problem(parameter.unit, value, defined))


def _form_problem(value: Any, defined: Any, where: str) -> str | None:
    """``value`` against the defined value's form, recursively; ``where`` names the part (“cuts第2项”)."""
    if isinstance(defined, bool):
        return None if isinstance(value, bool) else f"{where}应为 true 或 false"
    if isinstance(defined, Decimal):
        return _plain_number_problem(value, where)
    if isinstance(defined, str):
        return None if isinstance(value, str) else f"{where}应为文字"
    if isinstance(defined, dt.date):
        return None if isinstance(value, dt.date) else f"{where}应为日期（YYYY-MM-DD）"
    if isinstance(defined, Mapping):
        return _mapping_problem(value, defined, where)
    if isinstance(defined, list):
        return _list_problem(value, defined, where)
    return None


def _plain_number_problem(value: Any, where: str) -> str | None:
    if not isinstance(value, Decimal):
        return f"{where}应为数字"
    if not value.is_finite():
        return f"{where}应为有限的数字"
    if value < 0:
        return f"{where}不能为负数"
    return None


def _mapping_problem(value: Any, defined: Mapping[str, Any], where: str) -> str | None:
    if not isinstance(value, Mapping) or set(value) != set(defined):
        return f"{where}应包含这些项：{'、'.join(map(str, defined))}"
    for key, part in defined.items():
        problem = _form_problem(value[key], part, f"{where}{key} ")
        if problem:
            return problem
    return None


def _list_problem(value: Any, defined: list[Any], where: str) -> str | None:
    """A list whose every item has the form of one of the defined items (lists of conditions mix
    text and number thresholds); a table (items are mappings) may not be empty."""
    if not isinstance(value, list):
        return f"{where}应为列表，如 [a, b]"
    if not defined:
        return None
    if not value and isinstance(defined[0], Mapping):
        return f"{where}不能为空表"
    for i, item in enumerate(value, start=1):
        problems = [_form_problem(item, d, f"{where}第{i}项 ") for d in defined]
        if all(problems):
            return problems[0]
    return None


def _table_problem(value: Any, where: str) -> str | None:
    if isinstance(value, Mapping) and set(value) >= {"cuts", "points"}:
        return _band_problem(value["cuts"], value["points"])
    if isinstance(value, list) and value and all(isinstance(v, Mapping) and "max_rank" in v for v in value):
        return _rank_problem([v["max_rank"] for v in value])
    return None


def _band_problem(cuts: list[Decimal], points: list[Decimal]) -> str | None:
    """分档表: cuts split the scale into len(cuts) + 1 bands, one score each."""
    if not cuts:
        return "分档表 cuts 不能为空"
    if any(b <= a for a, b in itertools.pairwise(cuts)):
        return "分档表 cuts 应从小到大排列且不重复"
    if len(points) != len(cuts) + 1:
        return (f"分档表 points 应比 cuts 多一项（cuts {len(cuts)} 项，points 应为 {len(cuts) + 1} 项，"
                f"现为 {len(points)} 项）")
    return None


def _rank_problem(ranks: list[Decimal]) -> str | None:
    """名次表: each row gives the amount up to its max_rank, so ranks ascend."""
    if any(r != r.to_integral_value() or r < 1 for r in ranks):
        return "名次表 max_rank 应为正整数"
    if any(b <= a for a, b in itertools.pairwise(ranks)):
        return "名次表应按 max_rank 从小到大排列且不重复"
    return None


def _number_problem(parameter: Parameter, value: Any) -> str | None:
    """A single number against its unit's rules and the parameter's ``meta.range``."""
    if not isinstance(value, Decimal):
        return None
    unit = parameter.unit
    if unit in WHOLE_UNITS and value != value.to_integral_value():
        return f"单位为“{unit}”，取值应为整数"
    bounds: Any = parameter.meta.get("range") or UNIT_RANGES.get(unit) or (None, None)
    low, high = bounds
    if unit == "%" and high is not None and value > high:
        return f"{'奖补比例' if parameter.id.startswith('awards.') else '比例'}不能超过 {high}%"
    too_low = low is not None and value < Decimal(str(low))
    if too_low or (high is not None and value > Decimal(str(high))):
        return f"取值应在 {low}—{high}{'' if unit in ('年份',) else unit} 之间"
    return None


def _marks_problem(unit: str, value: Any, defined: list[Any]) -> str | None:
    """A scoring table may not give an item more than its full marks (the most its shipped tables give)."""
    if unit != "分" or not isinstance(value, Mapping):
        return None
    marks = [m for m in (_top_score(d) for d in defined) if m is not None]
    top = _top_score(value)
    if marks and top is not None and top > max(marks):
        return f"该项满分 {max(marks).normalize():f} 分，取值中最高 {top.normalize():f} 分超过满分"
    return None


def _top_score(table: Any) -> Decimal | None:
    """The most a scoring table gives: its highest band, its cap (``max``), or its highest entry."""
    if not isinstance(table, Mapping):
        return None
    if "points" in table and isinstance(table["points"], list):
        scores = [p for p in table["points"] if isinstance(p, Decimal)]
        return max(scores) if scores else None
    if isinstance(table.get("max"), Decimal):
        return Decimal(table["max"])
    scores = [v for v in table.values() if isinstance(v, Decimal)]
    return max(scores) if scores and len(scores) == len(table) else None
