"""政策计算器 for one enterprise: the awards it is entitled to now (应享) with where each stands in the award
ledger, and the next step of the ladder with what it lacks.  One enterprise is evaluated, as the policy
app's explanation page does (its full trace stays there: policy:explain)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from zjtx.awards import selectors as award_selectors
from zjtx.core.errors import ApplicationError
from zjtx.enterprises.models import Enterprise, Tier
from zjtx.matcher.ladder import next_tier, tier_label
from zjtx.policy import frames
from zjtx.policy import services as policy_services
from zjtx.policy.engine import ParameterError, ParameterSet, Result, evaluate
from zjtx.policy.engine.evaluate import uses_tree
from zjtx.policy.engine.recognition import STATUS_PASS, STATUS_UNKNOWN
from zjtx.policy.engine.tree import Leaf, RuleTree
from zjtx.policy.frames import TIER_TO_ENGINE
from zjtx.policy.models import EVENT_KIND_LABELS
from zjtx.tiers.templatetags.tiers_format import actual_value

FACT_LABELS = {column.label for column in frames.FACT_COLUMNS}
YEAR_OF_LABEL = re.compile(r"（(\d{4})年）$")


@dataclass
class AwardLine:
    """An award the engine says the enterprise is entitled to (应享), and the award ledger's record of it."""

    label: str
    amount: Decimal
    funding_level: str
    clause: str
    reason: str
    event: str
    no_application: bool
    entitlement: Any = None  # awards.Entitlement, None while not generated (未生成)

    @property
    def stage(self) -> str:
        return self.entitlement.get_status_display() if self.entitlement is not None else "未生成"


@dataclass
class Condition:
    label: str
    status: str  # 不满足 / 数据不足
    actual: str
    threshold: str
    clause: str
    missing: list[str]


@dataclass
class Gap:
    """The next step of the ladder: the engine's verdict and each condition it lacks."""

    tier: str
    label: str
    status: str  # 符合 / 不符合 / 数据不足
    review: str
    score: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    pass_mark: str = ""
    conditions: list[Condition] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # every input the 数据不足 conditions lack

    @property
    def not_met(self) -> int:
        return sum(1 for c in self.conditions if c.status != STATUS_UNKNOWN)

    @property
    def unknown(self) -> int:
        return len(self.conditions) - self.not_met

    @property
    def fact_missing(self) -> bool:
        return any(name in FACT_LABELS for name in self.missing)

    @property
    def missing_years(self) -> list[int]:
        return sorted({int(m.group(1)) for name in self.missing if (m := YEAR_OF_LABEL.search(name))})


@dataclass
class Calculation:
    enterprise: Enterprise
    as_of: dt.date
    earliest: dt.date
    problem: str = ""
    data_year: int | None = None
    held: str = ""
    awards: list[AwardLine] = field(default_factory=list)
    gap: Gap | None = None  # None at the top of the ladder (or when it could not be evaluated)
    keep: Gap | None = None  # the tier held, when its 复核 would not pass on today's data

    @property
    def total(self) -> Decimal:
        return sum((a.amount for a in self.awards), Decimal(0))


def calculate(enterprise: Enterprise, as_of: dt.date) -> Calculation:
    """Evaluate ``enterprise`` on ``as_of`` with the parameters in force; a date the rules cannot take is
    refused in words, as on the explanation page (policy.services: too early, data year not begun)."""
    params = policy_services.parameter_set()
    found = Calculation(enterprise, as_of, policy_services.earliest_as_of(params),
                        held=Tier(enterprise.tier).label if enterprise.tier else "尚未入库（无梯度）")
    found.problem = _date_problem(params, as_of)
    if found.problem:
        return found
    try:
        result = evaluate(*frames.registry_frames([enterprise.credit_code]), as_of, params)
        found.awards = _awards(result, enterprise, params, as_of)
    except ParameterError as exc:
        found.problem = f"无法按测算日期 {policy_services.day(as_of)} 测算：{exc}。"
        return found
    found.data_year = result.data_year
    tier = next_tier(enterprise.tier)
    found.gap = _gap(result, enterprise.credit_code, tier) if tier else None
    held = TIER_TO_ENGINE.get(enterprise.tier or "", "none")
    if held != "none":  # what it lacks to keep its tier at the coming 复核 matters as much as the next step
        keep = _gap(result, enterprise.credit_code, held)
        found.keep = keep if keep.status != STATUS_PASS else None
    return found


def _date_problem(params: ParameterSet, as_of: dt.date) -> str:
    early = policy_services.too_early(params, as_of)
    if early:
        return f"无法测算：{early}。"
    try:  # a date whose data year has not begun would show every condition as 数据不足
        policy_services.check_data_year(params, as_of)
    except ApplicationError as exc:
        return f"无法测算：{exc.message}。"
    return ""


def _awards(result: Result, enterprise: Enterprise, params: ParameterSet, as_of: dt.date) -> list[AwardLine]:
    listed = [str(a) for a in params.value_or_none("awards.no_application.awards", as_of) or []]
    ledger = award_selectors.entitlements_by_event(enterprise)
    lines = []
    for row in result.granted.iter_rows(named=True):
        held = ledger.get((row["event_kind"], row["event_date"], row["award"]))
        no_application = held.no_application if held is not None else _no_application(row["award"], listed)
        lines.append(AwardLine(label=row["award_label"], amount=row["amount"], funding_level=row["funding_level"],
                               clause=row["clause"] or "", reason=row["reason"] or "",
                               event=f"{EVENT_KIND_LABELS.get(row['event_kind'], row['event_kind'])}"
                                     f"（{row['event_date']}）",
                               no_application=no_application, entitlement=held))
    return lines


def _no_application(award: str, listed: list[str]) -> bool:
    """免申即享: the award (or its grade, digital_assessment.4A) is on the parameter's list."""
    return any(award == item or award.startswith(f"{item}.") for item in listed)


def _gap(result: Result, code: str, tier: str) -> Gap:
    verdict = result.recognition.filter((pl.col("credit_code") == code) & (pl.col("tier").cast(pl.String) == tier))
    row = verdict.row(0, named=True)
    gap = Gap(tier=tier, label=tier_label(tier), status=str(row["status"]), review=str(row["review"]),
              score=row["score"], score_min=row["score_min"], score_max=row["score_max"],
              pass_mark=_pass_mark(result, code, tier))
    unmet = result.unmet.filter((pl.col("credit_code") == code) & (pl.col("tier").cast(pl.String) == tier))
    for r in unmet.iter_rows(named=True):
        missing = [str(m) for m in r["missing"] or []]
        gap.conditions.append(Condition(
            label=str(r["label"]), status=str(r["status"]), missing=missing, clause=str(r["clause"] or ""),
            actual=actual_value({**r, "status": str(r["status"]), "unit": str(r["unit"] or ""), "missing": missing}),
            threshold=str(r["threshold"] or "")))
        gap.missing += [m for m in missing if m not in gap.missing]
    return gap


def _pass_mark(result: Result, code: str, tier: str) -> str:
    """The pass mark of the tier's score (≥ 60分) where its rule scores; "" where it does not."""
    plan = next(p for p in result.plans if p.tier == tier)
    row = result.frame_rows(pl.col("credit_code") == code)
    tree = next(t for t in plan.trees.values() if row.select(uses_tree(plan, t)).item())
    leaf = next((leaf for leaf, _ in tree.leaves() if _scores(tree, leaf)), None)
    return leaf.threshold if leaf is not None else ""


def _scores(tree: RuleTree, leaf: Leaf) -> bool:
    return bool(leaf.items) or (tree.score_input is not None and leaf.inputs[:1] == (tree.score_input,))
