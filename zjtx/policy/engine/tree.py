"""The shape of a recognition rule: a tree of conditions, plus an optional score.

A ``Leaf`` is one checkable condition (actual value vs threshold, from a named parameter);
a ``Group`` combines children with "all of" or "any of".  The whole tree evaluates on whole
columns; a leaf or group is true, false, or null (unknown because inputs are missing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import polars as pl

from zjtx.policy.engine.parameters import DatedValue, ParameterError, ParameterSet, to_jsonable


@dataclass(frozen=True)
class Leaf:
    id: str
    label: str
    passed: pl.Expr
    actual: pl.Expr | None
    unit: str
    threshold: str
    params: tuple[str, ...]
    clause: str
    inputs: tuple[str, ...]
    # Score leaves read the score columns, so they are computed after the items.
    after_scores: bool = False
    # Read only by explanations, never in a run.  A score leaf's items (ids): it can be decided on
    # the known items while others are missing.
    items: tuple[str, ...] = ()
    # A leaf for one revenue band: where the band (on ``inputs[0]``) does not apply it passes.
    applies: pl.Expr | None = None
    # Inputs that leave the condition unknown when they are 0 (a ratio's or a growth's base): a
    # 数据不足 names them as it names missing inputs.  Read only by explanations.
    denominators: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    mode: Literal["all", "any"]
    children: tuple[Node, ...]


Node = Leaf | Group


@dataclass(frozen=True)
class ScoreItem:
    id: str
    label: str
    group: str
    points: pl.Expr
    max_points: int
    params: tuple[str, ...]
    inputs: tuple[str, ...]
    denominators: tuple[str, ...] = ()  # as Leaf.denominators


@dataclass(frozen=True)
class RuleTree:
    """One tier under one criteria set."""

    tier: str
    criteria_set: str
    set_label: str
    root: Group
    items: tuple[ScoreItem, ...] = ()
    # For rules whose "score" is an input (2026 发展评价得分) rather than a sum of items.
    score_input: str | None = None

    def leaves(self) -> Iterator[tuple[Leaf, tuple[Group, ...]]]:
        """Every leaf with the chain of groups above it (root first)."""
        yield from _walk(self.root, ())

    def groups(self) -> list[Group]:
        found: list[Group] = []
        _collect_groups(self.root, found)
        return found


def _walk(node: Node, ancestors: tuple[Group, ...]) -> Iterator[tuple[Leaf, tuple[Group, ...]]]:
    if isinstance(node, Leaf):
        yield node, ancestors
        return
    for child in node.children:
        yield from _walk(child, (*ancestors, node))


def _collect_groups(node: Node, found: list[Group]) -> None:
    if isinstance(node, Group):
        found.append(node)
        for child in node.children:
            _collect_groups(child, found)


@dataclass
class ParamReader:
    """Reads parameters as they stood on a date and remembers every dated value it read."""

    params: ParameterSet
    as_of: dt.date
    used: dict[tuple[str, dt.date], DatedValue] = field(default_factory=dict)

    def value(self, parameter_id: str, at: dt.date | None = None) -> Any:
        when = at or self.as_of
        entry = self.params[parameter_id].entry_at(when)
        if entry is None:
            raise ParameterError(f"参数 {parameter_id} 在 {when.isoformat()} 没有生效的值")
        self.used[(parameter_id, entry.start)] = entry
        return entry.value

    def entries(self, parameter_id: str) -> list[DatedValue]:
        """Every dated value in force at some date up to ``as_of`` (for rules evaluated per event date)."""
        found = [e for e in self.params[parameter_id].values if e.start <= self.as_of]
        for entry in found:
            self.used[(parameter_id, entry.start)] = entry
        return found

    def clause(self, parameter_id: str) -> str:
        return self.params[parameter_id].clause

    def versions(self) -> list[dict[str, Any]]:
        rows = []
        for (parameter_id, start), entry in sorted(self.used.items()):
            rows.append(
                {
                    "id": parameter_id,
                    "effective_from": start.isoformat(),
                    "value": to_jsonable(entry.value),
                    "confirmed": entry.confirmed,
                }
            )
        return rows


def colname(tier: str, criteria_set: str, name: str) -> str:
    """Name of an internal column of one rule tree, e.g. ``srdi@2022:rd_ratio``."""
    return f"{tier}@{criteria_set}:{name}"


def fmt_number(value: Any) -> str:
    """Plain number text with thousands separators: 8000 → 8,000; 0.5 → 0.5."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    text = f"{number.normalize():f}"
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}.{fraction}" if whole not in ("-0",) else f"-0.{fraction}"
