"""A human-readable Chinese trace of one enterprise's result.

For each tier: the criteria set used and why (首次认定 / 复核), every condition with its actual value,
threshold and source, the score breakdown; then each award with its computation.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from zjtx.policy.engine import recognition
from zjtx.policy.engine.evaluate import Result, uses_tree
from zjtx.policy.engine.recognition import TierPlan
from zjtx.policy.engine.schema import (
    ENTERPRISE_COLUMNS,
    INDICATOR_COLUMNS,
    MONEY_SCALE,
    TIER_LABELS,
    VALUE_LABELS,
    input_label,
    zero_label,
)
from zjtx.policy.engine.tree import Leaf, Node, RuleTree, colname, fmt_number

MARKS = {True: "✓", False: "✗", None: "？"}
KINDS = {c.name: c.kind for c in (*ENTERPRISE_COLUMNS, *INDICATOR_COLUMNS)}


def explain(result: Result, credit_code: str, *, technical: bool = True) -> str:
    """The trace of one enterprise's results.  ``technical``: with the parameter ids, award ids and the
    parameter fingerprint, for policy staff and the terminal; without them, clauses name the sources."""
    row = result.frame_rows(pl.col("credit_code") == credit_code)
    if row.height == 0:
        return f"企业 {credit_code} 不在本次评价范围内。"
    city = row.item(0, "city_code")
    lines = [
        f"企业 {credit_code}（{result.city_names.get(city, city)}）",
        f"评价日期 {result.as_of.isoformat()}，采用 {result.data_year} 年度（上年度）数据"
        + (f"；参数指纹 {result.fingerprint}" if technical else ""),
    ]
    for overlay in result.overlays:
        lines.append(f"模拟方案「{overlay['name']}」自 {overlay['start']} 起：{overlay['values']}")
    for tier_plan in result.plans:
        lines += _tier_section(result, row, tier_plan, technical)
    lines += _award_section(result, credit_code, technical)
    return "\n".join(lines)


def _tier_section(result: Result, row: pl.DataFrame, p: TierPlan, technical: bool) -> list[str]:
    tree = next(t for t in p.trees.values() if row.select(uses_tree(p, t)).item())
    qualifies = row.item(0, f"{p.tier}:qualifies")
    status = {True: recognition.STATUS_PASS, False: recognition.STATUS_FAIL}.get(qualifies, recognition.STATUS_UNKNOWN)
    review = "复核" if row.item(0, f"{p.tier}:re_review") else "首次认定"
    criteria_set = row.item(0, f"{p.tier}:set")
    lines = ["", f"【{TIER_LABELS[p.tier]}】{status}（{review}，采用 {_set_text(criteria_set)}）"]
    lines += _score_lines(result, row, p, tree)
    lines.append("  条件：")
    lines += _node_lines(result, row, tree, tree.root, 2, technical)
    return lines


def _set_text(criteria_set: str) -> str:
    if criteria_set in ("2022", "2026"):
        return f"{criteria_set}版梯度培育标准"
    if criteria_set == "省定":
        return "省定条件"
    return f"单项冠军{criteria_set}年规则"


def _score_lines(result: Result, row: pl.DataFrame, p: TierPlan, tree: RuleTree) -> list[str]:
    score = row.item(0, f"{p.tier}:score")
    if tree.items:
        low, high = row.item(0, f"{p.tier}:score_min"), row.item(0, f"{p.tier}:score_max")
        head = (
            f"  得分 {fmt_number(score)}" if score is not None else f"  得分未定（已知部分 {low:g}，最高可能 {high:g}）"
        )
        lines = [head + "：" if tree.items else head]
        for group in dict.fromkeys(item.group for item in tree.items):
            parts = []
            for item in (i for i in tree.items if i.group == group):
                points = row.item(0, colname(tree.tier, tree.criteria_set, f"item:{item.id}"))
                text = "缺数据" if points is None else f"{points}"
                parts.append(f"{item.label} {text}/{item.max_points}")
            lines.append(f"    {group}：" + "；".join(parts))
        return lines
    if tree.score_input:
        return [f"  专精特新发展评价得分 {'未提供' if score is None else fmt_number(score)}"]
    return []


def _node_lines(
    result: Result, row: pl.DataFrame, tree: RuleTree, node: Node, depth: int, technical: bool
) -> list[str]:
    indent = "  " * depth
    if isinstance(node, Leaf):
        return [indent + _leaf_text(result, row, tree, node, technical)]
    value = row.item(0, recognition.group_column(tree, node))
    mode = "" if ("任一" in node.label or "全部" in node.label) else ("（全部）" if node.mode == "all" else "（任一）")
    lines = [f"{indent}{MARKS[value]} {node.label}{mode}"]
    for child in node.children:
        lines += _node_lines(result, row, tree, child, depth + 1, technical)
    return lines


def _leaf_text(result: Result, row: pl.DataFrame, tree: RuleTree, leaf: Leaf, technical: bool) -> str:
    value = row.item(0, recognition.leaf_column(tree, leaf.id))
    actual = _actual(row, leaf, result.data_year)
    if value is not None:
        actual = _decided_actual(row, tree, leaf, value, actual, result.data_year)
    else:
        actual = _undecided_actual(row, tree, leaf, actual)
    source = "，".join(x for x in (",".join(leaf.params) if technical else "", leaf.clause) if x)
    text = f"{MARKS[value]} {leaf.label}：实际 {actual}，要求 {leaf.threshold}（{source}）"
    if value is None:
        text += "，数据不足：" + _unknown_reason(row, leaf, result.data_year)
    return text


def _unknown_reason(row: pl.DataFrame, leaf: Leaf, data_year: int) -> str:
    """Why a condition is undecided: its missing inputs, or a ratio's base of 0 (every input present)."""
    missing = [input_label(name, data_year) for name in leaf.inputs if row.item(0, name) is None]
    zeros = [zero_label(name, data_year) for name in leaf.denominators if row.item(0, name) == 0]
    if missing:
        return "缺少 " + "、".join([*missing, *zeros])
    return "、".join(zeros) or "无法计算"


def _actual(row: pl.DataFrame, leaf: Leaf, data_year: int) -> str:
    if leaf.inputs[:1] == ("current_tier",):
        return TIER_LABELS.get(row.item(0, "current_tier"), "无")
    if leaf.actual is None:
        values = [(name, _shown(name, row.item(0, name))) for name in leaf.inputs]
        if len(values) == 1:
            return values[0][1]
        # Several inputs: each named, e.g. 属于生产性服务业 否.
        return _inputs_text(row, leaf.inputs, data_year)
    value: Any = row.select(leaf.actual.cast(pl.Float64)).item()
    known = all(row.item(0, name) is not None for name in leaf.inputs)
    return actual_text(value, leaf.unit, known=known)


def _decided_actual(row: pl.DataFrame, tree: RuleTree, leaf: Leaf, value: bool, actual: str, data_year: int) -> str:
    """What is known of a condition that passed or failed: never a bare 缺 (a score can pass on its
    known items while others are missing), never a value below the requirement beside a ✓ without
    the reason (a leaf for another revenue band, a yes/no input that decides it)."""
    if leaf.applies is not None and row.select(leaf.applies).item() is False:
        return f"不适用（{_inputs_text(row, leaf.inputs[:1], data_year)}，不在此档）"
    if leaf.items:
        return actual if actual != "缺" else _score_bound(row, tree, leaf, value)
    # A yes/no input beside the one figure shown can decide it: 8年 passes 10年 for a new product.
    shows_one = leaf.actual is not None or leaf.inputs[:1] == ("current_tier",)
    flags = tuple(name for name in leaf.inputs[1:] if KINDS.get(name) == "bool")
    if shows_one and flags and actual != "缺":
        return f"{actual}（{_inputs_text(row, flags, data_year)}）"
    if actual != "缺":
        return actual
    return _inputs_text(row, leaf.inputs, data_year)


def _undecided_actual(row: pl.DataFrame, tree: RuleTree, leaf: Leaf, actual: str) -> str:
    """An undecided condition: a score's known points and the most it could reach; a figure that
    cannot be computed from data present (a ratio over 0) is not 缺."""
    if leaf.items:
        low, high, _ = _item_sums(row, tree, leaf)
        return f"未定（已知各项合计 {low}分，最高可能 {high}分）"
    if actual == "缺" and all(row.item(0, name) is not None for name in leaf.inputs):
        return "无法计算"
    return actual


def _score_bound(row: pl.DataFrame, tree: RuleTree, leaf: Leaf, passed: bool) -> str:
    """A score decided while some items are unknown: the bound that decided it and the unknown items."""
    low, high, unknown = _item_sums(row, tree, leaf)
    if passed:
        return f"已知各项合计 {low}分，已达要求（{unknown} 缺数据）"
    return f"最高可能 {high}分，达不到要求（{unknown} 缺数据，按满分计）"


def _item_sums(row: pl.DataFrame, tree: RuleTree, leaf: Leaf) -> tuple[Any, Any, str]:
    """A score leaf's points with unknown items at 0 and at full marks, and the unknown items' names."""
    items = [item for item in tree.items if item.id in leaf.items]
    unknown = "、".join(
        i.label for i in items if row.item(0, colname(tree.tier, tree.criteria_set, f"item:{i.id}")) is None
    )
    low = sum(row.item(0, colname(tree.tier, tree.criteria_set, f"item_lo:{i.id}")) for i in items)
    high = sum(row.item(0, colname(tree.tier, tree.criteria_set, f"item_hi:{i.id}")) for i in items)
    return low, high, unknown


def _inputs_text(row: pl.DataFrame, names: tuple[str, ...], data_year: int) -> str:
    """Each input named with its value, e.g. 营业收入（万元）（2023年） 4,000、研发费用（万元）（2023年） 缺."""
    return "、".join(f"{input_label(name, data_year)} {_shown(name, row.item(0, name))}" for name in names)


def actual_text(value: float | None, unit: str, *, known: bool) -> str:
    """A condition's actual value as people read it, in the requirement's unit: 1,404.2万元, 49.48%,
    是/否, 缺 for an unknown figure and 无 for a rank of none (a rank of 0 is known, not missing)."""
    if value is None:
        return "无" if unit == "名" and known else "缺"
    if unit == "是/否":
        return "是" if value else "否"
    return f"{fmt_number(round(value, 2))}{unit}"


def _shown(name: str, value: Any) -> str:
    """An input's value as people read it: 缺 for unknown, 是/否, coded values in Chinese."""
    if value is None:
        return "缺"
    if isinstance(value, bool):
        return "是" if value else "否"
    if KINDS.get(_base(name)) == "money":  # held in 分
        return fmt_number(Decimal(value) / MONEY_SCALE)
    if isinstance(value, float):
        return fmt_number(round(value, 2))
    return VALUE_LABELS.get(name, {}).get(value, str(value))


def _base(name: str) -> str:
    """The input column a yearly column comes from: ``revenue_y0`` → ``revenue``."""
    stem, _, back = name.rpartition("_y")
    return stem if stem and back.isdigit() else name


def _award_section(result: Result, credit_code: str, technical: bool) -> list[str]:
    rows = result.entitlements.filter(pl.col("credit_code") == credit_code)
    if rows.height == 0:
        return ["", "【奖补】无触发奖补的事件"]
    lines = ["", "【奖补】"]
    for r in rows.iter_rows(named=True):
        amount = "—" if r["amount"] is None else f"{fmt_number(r['amount'])}万元"
        ids = (f"{r['award']}，", f"{r['parameter_ids']}，") if technical else ("", "")
        lines.append(
            f"  - {r['award_label']}（{ids[0]}{r['event_date']}）：{r['status']} {amount}，"
            f"{r['funding_level']}；{r['reason']}（{ids[1]}{r['clause']}）"
        )
    return lines
