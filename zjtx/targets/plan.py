"""The targets of the plan, read from the dated parameters (zjtx/policy/parameters/targets.yaml).

A target is a parameter under ``targets.`` whose meta names its kind (stock, yearly, cumulative); its
number, wording (qualifier), deadline and ladder tier come from there, never from code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zjtx.enterprises.models import Tier
from zjtx.policy import frames
from zjtx.policy.engine import ParameterSet
from zjtx.tiers import params
from zjtx.tiers.models import tier_rank

KINDS = {"stock": "期末存量", "yearly": "每年", "cumulative": "期内累计新增"}
TOLERANCE = "targets.assessment.approx_tolerance"
TREND_YEARS = "targets.assessment.trend_years"
# Engine tier (the parameters' meta.tier) → the registry's tier.
ENGINE_TO_TIER = {engine: tier for tier, engine in frames.TIER_TO_ENGINE.items() if tier}
# Units counted in whole numbers: a reported 12.5 家 is a typing error.
WHOLE_UNITS = {"家", "个", "项", "条", "台", "户", "场"}


@dataclass(frozen=True)
class Target:
    id: str
    clause: str
    label: str
    unit: str
    kind: str  # stock / yearly / cumulative
    qualifier: str  # 以上 / 达 / 左右 / 不少于, the plan's word
    tier: str  # the registry tier counted by the system ("" when reported)
    start_year: int  # the year the plan set the target
    deadline_year: int | None  # None for a yearly target

    @property
    def computed(self) -> bool:
        """Whether the system counts the actual (the ladder) rather than people reporting it."""
        return bool(self.tier)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def whole(self) -> bool:
        return self.unit in WHOLE_UNITS

    @property
    def tier_label(self) -> str:
        return Tier(self.tier).label if self.tier else ""


def targets(p: ParameterSet) -> list[Target]:
    """Every target of the plan, in the plan's order: by clause, then up the ladder."""
    found = [_target(p, parameter_id) for parameter_id in p if _is_target(p, parameter_id)]
    return sorted(found, key=lambda t: (clause_key(t.clause), tier_rank(t.tier), t.id))


NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
CLAUSE = re.compile(r"([一二三四五六七八九十]+)(?:\(([一二三四五六七八九十]+)\))?(\d+)?")


def clause_key(clause: str) -> tuple[int, int, int]:
    """一(二) → (1, 2, 0), 二(三)8 → (2, 3, 8): the plan's order (the first clause of a shared target)."""
    found = CLAUSE.match(clause)
    if found is None:
        return (99, 0, 0)
    part, section, item = found.groups()
    return (NUMERALS.get(part, 99), NUMERALS.get(section or "", 0), int(item or 0))


def target(p: ParameterSet, target_id: str) -> Target | None:
    return _target(p, target_id) if target_id in p and _is_target(p, target_id) else None


def _is_target(p: ParameterSet, parameter_id: str) -> bool:
    return parameter_id.startswith("targets.") and p[parameter_id].meta.get("kind") in KINDS


def _target(p: ParameterSet, parameter_id: str) -> Target:
    parameter = p[parameter_id]
    meta = parameter.meta
    start = parameter.values[0].start
    return Target(id=parameter_id, clause=parameter.clause, label=parameter.label, unit=parameter.unit,
                  kind=meta["kind"], qualifier=str(meta.get("qualifier", "达")),
                  tier=ENGINE_TO_TIER.get(str(meta.get("tier", "")), ""), start_year=start.year,
                  deadline_year=_deadline_year(p, meta, start))


def _deadline_year(p: ParameterSet, meta: Mapping[str, Any], start: dt.date) -> int | None:
    if meta["kind"] == "yearly":
        return None
    if "deadline" in meta:
        return dt.date.fromisoformat(str(meta["deadline"])).year
    # "5年新增": the term counts the year the plan set it as its first (2022 + 5 − 1 = 2026).
    years = int(params.value(p, str(meta["horizon_parameter"]), start))
    return start.year + years - 1


def value(p: ParameterSet, t: Target, year: int) -> Decimal | None:
    """The target for `year`: a yearly target as it stood at the year's end, any other at its deadline."""
    at = dt.date(year if t.deadline_year is None else t.deadline_year, 12, 31)
    found = p.value_or_none(t.id, at)
    return None if found is None else Decimal(str(found))


def tolerance(p: ParameterSet, at: dt.date) -> Decimal:
    return params.number(p, TOLERANCE, at)


def trend_years(p: ParameterSet, at: dt.date) -> int:
    return int(params.number(p, TREND_YEARS, at))
