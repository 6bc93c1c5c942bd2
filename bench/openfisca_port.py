"""A faithful openfisca-core port of the policy engine's rules, for the benchmark (bench/policy.py).

The same recognition rules (five tiers; the criteria set chosen per enterprise: first recognition
or re-review by the tier it holds) and the same award rules (dated amounts on the event date,
rate shares rounded half up to the 分, caps, the cloud providers' rank schedule, the 3A/4A/5A
upgrade ladder, once-only awards, the publicity split into province and city parts, and any
city-scoped award in the parameters), written as an OpenFisca country package would be written
for speed: one entity per enterprise and one per event, a variable per shared intermediate (so
OpenFisca caches it), numpy formulas without loops over rows, parameters read once.

Representation (the cheapest faithful one found):

* money as float64 holding whole 分 (``MONEY_SCALE`` units, converted as the engine does: round
  half to even), unknown as NaN.  Sums of up to three amounts are exact (below 2⁵³);
* ratios as float64 ``a·100/b`` (NaN when unknown or b ≤ 0).  Compared with thresholds that are
  whole percentages (asserted), this is exactly the engine's ``floor(a·10⁴/b) ≥ t·100``: a·100 is
  exact for every amount the engine accepts (≤ 10¹⁴ 分), the division is correctly rounded and
  rounding is monotonic, so it can only err when the true ratio lies within half an ulp below the
  threshold, which needs b > 2⁴⁷ 分 (above the engine's money limit);
* the average growth of the main revenue, whose exact form needs 128-bit products, in floats
  too, with every value within rounding distance of a whole percentage decided again exactly
  (int64 floor divisions and an exact product comparison), as the engine's integer formula does;
* three-valued conditions as int8: 1 true, 0 unknown (数据不足), −1 false, so Kleene AND is
  ``minimum``, OR is ``maximum`` and NOT is negation;
* score points as OpenFisca's default float32 with NaN for unknown (small whole numbers: exact).

OpenFisca stores ``float`` variables as float32 and ``int`` as int32; the money, ratio and
condition variables here set their dtype (float64, int8) so nothing is rounded or widened.

``FaithfulOpenFiscaModel.run`` loads and calculates; ``check_equal`` compares its outputs with
the engine's ``Result`` and raises AssertionError on any difference.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import reduce
from typing import Any

import numpy as np
import polars as pl

from zjtx.policy.engine.parameters import ParameterSet
from zjtx.policy.engine.schema import (
    EVENT_KINDS,
    GRADES,
    INSTITUTION_LEVELS,
    KEY_CHAIN_CLASSES,
    MONEY_SCALE,
    TIER_RANK,
    TIERS,
    rule_years,
)

Array = np.ndarray
Accessor = Callable[..., Array]  # v(name, back=0): a variable for the data year (or ``back`` years before)
NAN = np.nan
F64 = np.float64
F32 = np.float32
I8 = np.int8

# Award statuses as codes (the engine's order); -1: the event has no row for that award.
STATUSES = ("应享", "已享受", "数据不足", "不在政策期内", "无奖补金额")
GRANTED, ALREADY, MISSING, NOT_IN_FORCE, ZERO = range(5)
NO_ROW = -1
DIGITAL = "digital_assessment"
GRADE_RANK = {grade: i + 1 for i, grade in enumerate(GRADES)}
KIND_CODE = {kind: i for i, kind in enumerate(EVENT_KINDS)}
# The re-review tree runs on the holders' rows only when they are at most this share (as the engine).
SUBSET_SHARE = 0.15


# ---------------------------------------------------------------- three-valued helpers


def tri(true: Array, false: Array) -> Array:
    """int8 1/0/−1 from two disjoint bool arrays (definitely true, definitely false)."""
    return true.view(I8) - false.view(I8)


def known(flags: Array) -> Array:
    return tri(flags, ~flags)


def ge(x: Array, t: float) -> Array:
    return tri(x >= t, x < t)


def le(x: Array, t: float) -> Array:
    return tri(x <= t, x > t)


def AND(*values: Array) -> Array:
    return reduce(np.minimum, values)


def OR(*values: Array) -> Array:
    return reduce(np.maximum, values)


def NOT(value: Array) -> Array:
    return -value


def rank_in(x: Array, top: Any) -> Array:
    """1 ≤ rank ≤ top (0 means none); unknown when the rank is."""
    top = float(top)
    return tri((x >= 1) & (x <= top), (x < 1) | (x > top))


def by_code(codes: Array, table: list[float], dtype: Any) -> Array:
    """table[code] for int8 codes, code −1 (unknown) giving the table's extra last value."""
    return np.asarray(table, dtype=dtype).take(codes)


def whole(value: Any, what: str = "ratio threshold") -> float:
    """A ratio threshold in whole percent (see the module doc: exact comparison of float ratios)."""
    number = Decimal(str(value))
    assert number == number.to_integral_value() and 0 <= number <= 127, f"{what}: {value} needs exact ratio code"
    return float(number)


def units(value: Any) -> float:
    """万元 → 分 (exact)."""
    scaled = Decimal(str(value)) * MONEY_SCALE
    assert scaled == scaled.to_integral_value(), value
    return float(scaled)


# ---------------------------------------------------------------- parameters


class Params:
    """Parameter values at the evaluation date, read once each."""

    def __init__(self, params: ParameterSet, as_of: dt.date) -> None:
        self.params, self.as_of = params, as_of
        self.cache: dict[str, Any] = {}
        self.upper = self["criteria.band_edges"] == "upper_inclusive"

    def __getitem__(self, name: str) -> Any:
        if name not in self.cache:
            self.cache[name] = self.params.value(name, self.as_of)
        return self.cache[name]

    def entries(self, name: str) -> list[tuple[int, Any]]:
        """(days since 1970, value) of every dated value in force at some date up to as_of."""
        epoch = dt.date(1970, 1, 1)
        return [((e.start - epoch).days, e.value) for e in self.params[name].values if e.start <= self.as_of]


def band(x: Array, table: dict[str, Any], upper: bool, scale: Callable[[Any], float]) -> Array:
    """Points (float32, NaN when x is unknown) of a band table; cuts scaled into x's unit."""
    cuts = [scale(c) for c in table["cuts"]]
    last = len(cuts) - 1
    index = np.zeros(x.shape, dtype=I8)
    for i, cut in enumerate(cuts):
        passed = (x > cut) if upper and 0 < i < last else (x >= cut)
        index += passed.view(I8)
    # Unknown x passes no cut: its index is moved past the table, onto NaN.
    index += np.isnan(x).view(I8) * I8(len(cuts) + 1)
    return np.asarray([float(p) for p in table["points"]] + [NAN], dtype=F32).take(index)


def top(table: Any) -> int:
    values = table["points"] if "points" in table else table.values()
    return max(int(v) for v in values)


def ip_points(v: Accessor, table: dict[str, Any]) -> Array:
    """Walk from the best class down; an unknown count above a known one leaves the points unknown."""
    steps = (
        ("ip_i_high_value", "i_high_value"),
        ("ip_i_own", "i_own"),
        ("ip_i_count", "i_any"),
        ("ip_ii_count", "ii_any"),
    )
    points = np.full(v("ip_i_own").shape, float(table["none"]), dtype=F32)
    for column, key in reversed(steps):
        count = v(column)
        points = np.where(count >= 1, F32(table[key]), points)
        points[np.isnan(count)] = NAN
    return points


# ---------------------------------------------------------------- the rule trees


@dataclass(frozen=True)
class Tree:
    """One tier under one criteria set: its variables are named ``{key}.…``."""

    tier: str
    criteria_set: str
    key: str
    items: tuple[tuple[str, str, int], ...]  # (item id, group, maximum points)
    score_input: str | None  # the 2026 sets' score: an input


def selected_sets(p: Params, tier: str) -> tuple[str, str]:
    if tier == "provincial_champion":
        return "省定", "省定"
    if tier == "single_champion":
        version = str(p["criteria.single_champion.version"])
        return version, version
    return str(p["criteria.selection.first"]), str(p[f"criteria.selection.re_review.{tier}"])


def tree_key(tier: str, criteria_set: str) -> str:
    return "innovative.3.1" if tier == "innovative" else f"{tier}.{criteria_set}"


class Rules:
    """The formulas of every tree the run needs: name → (kind, formula(v, review))."""

    def __init__(self, p: Params) -> None:
        self.p = p
        self.formulas: dict[str, tuple[str, Callable[..., Array]]] = {}
        self.plans: list[tuple[str, Tree, Tree]] = []
        self._shared()
        for tier in TIERS:
            first, again = selected_sets(p, tier)
            trees: dict[str, Tree] = {}
            for criteria_set in (first, again):
                key = tree_key(tier, criteria_set)
                if key not in trees:
                    trees[key] = self._tree(tier, criteria_set)
            self.plans.append((tier, trees[tree_key(tier, first)], trees[tree_key(tier, again)]))

    def add(self, name: str, kind: str, formula: Callable[..., Array]) -> None:
        self.formulas[name] = (kind, formula)

    # ------------------------------------------------------------ shared intermediates

    def _shared(self) -> None:
        def ratio(numerator: str, denominator: str) -> Callable[..., Array]:
            def formula(v: Accessor) -> Array:
                b = v(denominator)
                with np.errstate(divide="ignore", invalid="ignore"):
                    r = v(numerator) * 100 / b
                r[~(b > 0)] = NAN
                return r

            return formula

        self.add("rd_ratio", "f64", ratio("rd_expense", "revenue"))
        self.add("main_share", "f64", ratio("main_revenue", "revenue"))
        self.add("liability", "f64", ratio("total_liabilities", "total_assets"))
        self.add("net_margin", "f64", ratio("net_profit", "revenue"))
        self.add("rd_staff_share", "f64", ratio("rd_staff", "employees"))

        def main_growth(v: Accessor) -> Array:
            previous = v("main_revenue", 1)
            with np.errstate(divide="ignore", invalid="ignore"):
                r = (v("main_revenue") - previous) * 100 / previous
            r[~(previous > 0)] = NAN
            return r

        self.add("main_growth", "f64", main_growth)
        self.add(
            "main_growth_avg",
            "f64",
            lambda v: average_growth(v("main_revenue"), v("main_revenue", 1), v("main_revenue", 2)),
        )
        self.add("rd_total_2y", "f64", lambda v: v("rd_expense") + v("rd_expense", 1))
        self.add("st_award", "tri", lambda v: OR(ge(v("st_national"), 1), ge(v("st_provincial"), 1)))

    # ------------------------------------------------------------ one tree

    def _tree(self, tier: str, criteria_set: str) -> Tree:
        key = tree_key(tier, criteria_set)
        if tier == "innovative":
            return self._innovative(key, criteria_set)
        if tier == "srdi":
            prefix = f"criteria.{criteria_set}.srdi."
            if criteria_set == "2026":
                return self._srdi_2026(key, criteria_set, prefix)
            return self._srdi_2022(key, criteria_set, prefix)
        if tier == "little_giant":
            prefix = f"criteria.{criteria_set}.little_giant."
            if criteria_set == "2026":
                return self._little_giant_2026(key, criteria_set, prefix)
            return self._little_giant_2022(key, criteria_set, prefix)
        if tier == "single_champion":
            return self._single_champion(key, criteria_set)
        return self._provincial_champion(key, criteria_set)

    def _items(
        self, key: str, items: dict[str, tuple[str, int, Callable[..., Array]]]
    ) -> tuple[tuple[str, str, int], ...]:
        """Score items: points (NaN unknown), with unknown as 0 (lo) and as the maximum (hi), and
        the score's bounds."""
        for item, (_, maximum, formula) in items.items():
            self.add(f"{key}.item.{item}", "f32", formula)
            self.add(f"{key}.lo.{item}", "f32", lambda v, n=f"{key}.item.{item}": np.nan_to_num(v(n), nan=0.0))
            self.add(
                f"{key}.hi.{item}",
                "f32",
                lambda v, n=f"{key}.item.{item}", m=maximum: np.nan_to_num(v(n), nan=float(m)),
            )
        names = list(items)
        self.add(f"{key}.score_min", "f32", lambda v: sum_of(v, key, "lo", names))
        self.add(f"{key}.score_max", "f32", lambda v: sum_of(v, key, "hi", names))
        return tuple((item, group, maximum) for item, (group, maximum, _) in items.items())

    def _innovative(self, key: str, criteria_set: str) -> Tree:
        p, c = self.p, "criteria.innovative."
        upper = p.upper
        field = p[c + "field_points"]

        def banded(metric: str, table: str) -> Callable[..., Array]:
            return lambda v: band(v(metric), p[c + table], upper, whole)

        def field_points(v: Accessor) -> Array:
            sef = v("strategic_emerging_field")
            table = [float(field["other"]), NAN, float(field["strategic_emerging"])]
            return by_code((sef + 1).view(I8), table, F32)  # −1 → other, 0 → unknown, 1 → strategic

        items = {
            "ip": ("创新能力", top(p[c + "ip_points"]), lambda v: ip_points(v, p[c + "ip_points"])),
            "rd_ratio": ("创新能力", top(p[c + "rd_ratio_points"]), banded("rd_ratio", "rd_ratio_points")),
            "main_growth": ("成长性", top(p[c + "main_growth_points"]), banded("main_growth", "main_growth_points")),
            "liability": ("成长性", top(p[c + "liability_points"]), banded("liability", "liability_points")),
            "field": ("专业化", int(field["strategic_emerging"]), field_points),
            "main_share": ("专业化", top(p[c + "main_share_points"]), banded("main_share", "main_share_points")),
        }
        described = self._items(key, items)
        levels = [str(x) for x in p[c + "direct_institution_levels"]]
        institution = [1.0 if level in levels else -1.0 for level in INSTITUTION_LEVELS] + [0.0]
        equity = units(p[c + "direct_equity_3y"])
        groups = {g: [i for i, (group, _, _) in items.items() if group == g] for g in ("创新能力", "成长性", "专业化")}
        minimum = {"创新能力": "min_innovation", "成长性": "min_growth", "专业化": "min_specialisation"}

        def root(v: Accessor) -> Array:
            direct = OR(
                v("st_award"),
                v("has_honour"),
                by_code(v("institution"), institution, I8),
                ge(v("equity_3y"), equity),
            )
            scores = [score_leaf(v(f"{key}.score_min"), v(f"{key}.score_max"), p[c + "min_total"])]
            for group, ids in groups.items():
                scores.append(score_leaf(sum_of(v, key, "lo", ids), sum_of(v, key, "hi", ids), p[c + minimum[group]]))
            return OR(direct, AND(*scores))

        self.add(f"{key}.root", "tri", root)
        return Tree("innovative", criteria_set, key, described, None)

    def _srdi_2022(self, key: str, criteria_set: str, c: str) -> Tree:
        p = self.p
        upper = p.upper

        def banded(metric: str, table: str, scale: Callable[[Any], float] = whole) -> Callable[..., Array]:
            return lambda v: band(v(metric), p[c + table], upper, scale)

        niche, quality = p[c + "niche_years_points"], p[c + "quality_points"]
        per_years, per_niche, niche_max = int(niche["per_years"]), int(niche["points"]), int(niche["max"])
        per_item, quality_max = int(quality["per_item"]), int(quality["max"])
        local_max = int(p[c + "local_max"])
        field = p[c + "field_points"]
        institution = p[c + "institution_points"]
        rd_top = max(top(p[c + "rd_amount_points"]), top(p[c + "rd_ratio_points"]))

        def rd_points(v: Accessor) -> Array:
            amount = band(v("rd_expense"), p[c + "rd_amount_points"], upper, units)
            by_ratio = band(v("rd_ratio"), p[c + "rd_ratio_points"], upper, whole)
            # Kleene max: either band at the top decides even when the other is unknown.
            either = (amount == rd_top) | (by_ratio == rd_top)
            return np.where(either, F32(rd_top), np.maximum(amount, by_ratio))

        def mapped(column: str, table: dict[str, Any], allowed: tuple[str, ...]) -> Callable[..., Array]:
            values = [float(table[k]) if k in table else NAN for k in allowed] + [NAN]
            return lambda v: by_code(v(column), values, F32)

        items = {
            "main_share": ("专业化", top(p[c + "main_share_points"]), banded("main_share", "main_share_points")),
            "main_growth_avg": (
                "专业化",
                top(p[c + "main_growth_points"]),
                banded("main_growth_avg", "main_growth_points"),
            ),
            "niche_years": (
                "专业化",
                niche_max,
                lambda v: np.minimum(np.floor(v("niche_years") / per_years) * per_niche, niche_max).astype(F32),
            ),
            "field": ("专业化", top(field), mapped("key_chain", field, KEY_CHAIN_CLASSES)),
            "digital": ("精细化", top(p[c + "digital_points"]), banded("digital_level", "digital_points", float)),
            "quality": (
                "精细化",
                quality_max,
                lambda v: np.minimum(v("quality_items") * per_item, quality_max).astype(F32),
            ),
            "net_margin": ("精细化", top(p[c + "net_margin_points"]), banded("net_margin", "net_margin_points")),
            "liability": ("精细化", top(p[c + "liability_points"]), banded("liability", "liability_points")),
            "local": ("特色化", local_max, lambda v: np.clip(v("local_feature_score"), 0, local_max).astype(F32)),
            "ip": ("创新能力", top(p[c + "ip_points"]), lambda v: ip_points(v, p[c + "ip_points"])),
            "rd": ("创新能力", rd_top, rd_points),
            "rd_staff": ("创新能力", top(p[c + "rd_staff_points"]), banded("rd_staff_share", "rd_staff_points")),
            "institution": ("创新能力", top(institution), mapped("institution", institution, INSTITUTION_LEVELS)),
        }
        described = self._items(key, items)

        def root(v: Accessor) -> Array:
            return AND(
                ge(v("niche_years"), float(p[c + "min_niche_years"])),
                ge(v("rd_expense"), units(p[c + "min_rd_expense"])),
                ge(v("rd_ratio"), whole(p[c + "min_rd_ratio"], "min_rd_ratio")),
                OR(ge(v("revenue"), units(p[c + "min_revenue"])), ge(v("equity_2y"), units(p[c + "alt_equity_2y"]))),
                OR(
                    score_leaf(v(f"{key}.score_min"), v(f"{key}.score_max"), p[c + "min_score"]),
                    rank_in(v("st_provincial"), p[c + "direct_provincial_award_max_rank"]),
                    rank_in(v("st_national"), p[c + "direct_national_award_max_rank"]),
                    ge(v("rd_total_2y"), 2 * units(p[c + "direct_rd_avg_2y"])),
                    ge(v("equity_2y"), units(p[c + "direct_equity_2y"])),
                    rank_in(v("maker_rank"), p[c + "direct_maker_china_max_rank"]),
                ),
            )

        self.add(f"{key}.root", "tri", root)
        return Tree("srdi", criteria_set, key, described, None)

    def _srdi_2026(self, key: str, criteria_set: str, c: str) -> Tree:
        p = self.p
        levels = [str(x) for x in p[c + "ip_waiver_institution_levels"]]
        institution = [1.0 if level in levels else -1.0 for level in INSTITUTION_LEVELS] + [0.0]
        prerequisite = TIER_RANK[str(p[c + "prerequisite_tier"])]
        rd_min, ratio_min = units(p[c + "min_rd_expense"]), whole(p[c + "min_rd_ratio"], "min_rd_ratio")

        def root(v: Accessor) -> Array:
            review = v("tier_rank") >= TIER_RANK["srdi"]
            return AND(
                OR(known(v("tier_rank") >= prerequisite), v("is_tech_sme")),
                ge(v("niche_years"), float(p[c + "min_niche_years"])),
                OR(ge(v("revenue"), units(p[c + "min_revenue"])), ge(v("equity_2y"), units(p[c + "alt_equity_2y"]))),
                ge(v("main_share"), whole(p[c + "min_main_share"], "min_main_share")),
                le(v("liability"), whole(p[c + "max_liability"], "max_liability")),
                ge(v("rd_expense"), rd_min),
                ge(v("rd_ratio"), ratio_min),
                ge(v("rd_expense", 1), rd_min),
                ge(v("rd_ratio", 1), ratio_min),
                OR(
                    ge(v("ip_i_count"), float(p[c + "min_ip_i"])),
                    v("st_award"),
                    by_code(v("institution"), institution, I8),
                ),
                v("niche_share_leading"),
                dev_score(v, review, p[c + "min_dev_score"]),
            )

        self.add(f"{key}.root", "tri", root)
        return Tree("srdi", criteria_set, key, (), "dev_score")

    def _little_giant_2022(self, key: str, criteria_set: str, c: str) -> Tree:
        p = self.p
        large, mid = units(p[c + "large_revenue"]), units(p[c + "mid_revenue"])

        def both(v: Accessor, name: str) -> Array:
            t = whole(p[c + name], name)
            return AND(ge(v("rd_ratio"), t), ge(v("rd_ratio", 1), t))

        not_none = [1.0 if level != "none" else -1.0 for level in INSTITUTION_LEVELS] + [0.0]

        def root(v: Accessor) -> Array:
            revenue = v("revenue")
            is_large = ge(revenue, large)
            is_mid = AND(ge(revenue, mid), tri(revenue < large, revenue >= large))
            is_small = tri(revenue < mid, revenue >= mid)
            general = AND(
                OR(NOT(is_large), both(v, "large_min_rd_ratio")),
                OR(NOT(is_mid), both(v, "mid_min_rd_ratio")),
                OR(NOT(is_small), ge(v("equity_2y"), units(p[c + "small_min_equity_2y"]))),
                OR(NOT(is_small), ge(v("rd_total_2y"), units(p[c + "small_min_rd_total_2y"]))),
                OR(NOT(is_small), ge(v("rd_staff_share"), whole(p[c + "small_min_rd_staff_share"], "rd_staff"))),
                by_code(v("institution"), not_none, I8),
                ge(v("ip_i_count"), float(p[c + "min_ip_i"])),
            )
            direct = OR(
                rank_in(v("st_national"), p[c + "direct_award_max_rank"]),
                rank_in(v("st_provincial"), p[c + "direct_award_max_rank"]),
                rank_in(v("maker_rank"), p[c + "direct_maker_china_max_rank"]),
            )
            return AND(
                ge(v("niche_years"), float(p[c + "min_niche_years"])),
                ge(v("main_share"), whole(p[c + "min_main_share"], "min_main_share")),
                ge(v("main_growth_avg"), whole(p[c + "min_main_growth_avg"], "min_main_growth_avg")),
                v("has_info_system"),
                v("has_certification"),
                le(v("liability"), whole(p[c + "max_liability"], "max_liability")),
                ge(v("market_share"), float(p[c + "min_market_share"])),
                v("has_brand"),
                OR(general, direct),
                v("chain_ok"),
                v("key_field_ok"),
            )

        self.add(f"{key}.root", "tri", root)
        return Tree("little_giant", criteria_set, key, (), None)

    def _little_giant_2026(self, key: str, criteria_set: str, c: str) -> Tree:
        p = self.p
        factor = (1 + Fraction(Decimal(str(p[c + "min_revenue_cagr_2y"]))) / 100) ** 2
        prerequisite = TIER_RANK[str(p[c + "prerequisite_tier"])]
        ratio_min = whole(p[c + "min_rd_ratio"], "min_rd_ratio")

        def root(v: Accessor) -> Array:
            review = v("tier_rank") >= TIER_RANK["little_giant"]
            cagr = at_least_times(v("revenue"), v("revenue", 2), factor)
            return AND(
                known(v("tier_rank") >= prerequisite),
                ge(v("niche_years"), float(p[c + "min_niche_years"])),
                ge(v("revenue"), units(p[c + "min_revenue"])),
                ge(v("main_share"), whole(p[c + "min_main_share"], "min_main_share")),
                np.where(review, I8(1), cagr),
                le(v("liability"), whole(p[c + "max_liability"], "max_liability")),
                ge(v("rd_total_2y"), units(p[c + "min_rd_total_2y"])),
                ge(v("rd_ratio"), ratio_min),
                ge(v("rd_ratio", 1), ratio_min),
                OR(
                    ge(v("ip_i_count"), float(p[c + "min_ip_i"])),
                    rank_in(v("st_national"), p[c + "ip_waiver_national_award_max_rank"]),
                ),
                OR(
                    ge(v("market_share"), float(p[c + "min_market_share"])),
                    rank_in(v("national_rank"), p[c + "alt_national_rank"]),
                ),
                dev_score(v, review, p[c + "min_dev_score"]),
            )

        self.add(f"{key}.root", "tri", root)
        return Tree("little_giant", criteria_set, key, (), "dev_score")

    def _single_champion(self, key: str, criteria_set: str) -> Tree:
        p, c = self.p, "criteria.single_champion."
        low, high = (str(x) for x in p[c + "manufacturing_divisions"])
        assert len(low) == len(high) == 2 and (low + high).isdigit(), "two-digit divisions"
        rule, threshold = str(p[c + "revenue_rule"]), units(p[c + "min_revenue"])

        def root(v: Accessor) -> Array:
            division = v("division")
            years = v("niche_years")
            if rule == "revenue_or_little_giant":
                revenue = OR(ge(v("revenue"), threshold), known(v("tier_rank") >= TIER_RANK["little_giant"]))
            else:
                revenue = ge(v("main_revenue") + v("main_revenue", 1) + v("main_revenue", 2), 3 * threshold)
            return AND(
                OR(known((division >= int(low)) & (division <= int(high))), v("production_service")),
                OR(
                    ge(years, float(p[c + "min_field_years"])),
                    AND(v("product_new"), ge(years, float(p[c + "new_product_min_years"]))),
                ),
                rank_in(v("global_rank"), p[c + "max_global_rank"]),
                revenue,
                v("profit_above"),
                ge(v("ip_i_own"), 1),
                v("standard_setting"),
                v("compliance_ok"),
            )

        self.add(f"{key}.root", "tri", root)
        return Tree("single_champion", criteria_set, key, (), None)

    def _provincial_champion(self, key: str, criteria_set: str) -> Tree:
        specs = list(self.p["criteria.provincial_champion.conditions"])
        metrics: dict[str, tuple[str, Callable[[Any], float]]] = {
            "niche_years": ("niche_years", float),
            "revenue": ("revenue", units),
            "rd_expense": ("rd_expense", units),
            "main_revenue_share": ("main_share", whole),
            "rd_ratio": ("rd_ratio", whole),
            "liability_ratio": ("liability", whole),
            "net_margin": ("net_margin", whole),
            "main_revenue_growth": ("main_growth", whole),
            "market_share": ("market_share", float),
            "ip_i_count": ("ip_i_count", float),
        }

        def condition(v: Accessor, spec: dict[str, Any]) -> Array:
            metric, op, threshold = str(spec["metric"]), str(spec["op"]), spec["threshold"]
            if metric == "current_tier":
                return known(v("tier_rank") >= TIER_RANK[str(threshold)])
            name, scale = metrics[metric]
            x, t = v(name), scale(threshold)
            if op == ">=":
                return ge(x, t)
            if op == ">":
                return tri(x > t, x <= t)
            if op == "<=":
                return le(x, t)
            assert op == "<", op
            return tri(x < t, x >= t)

        self.add(f"{key}.root", "tri", lambda v: AND(*[condition(v, s) for s in specs]))
        return Tree("provincial_champion", criteria_set, key, (), None)


def sum_of(v: Accessor, key: str, bound: str, items: list[str]) -> Array:
    return reduce(np.add, [v(f"{key}.{bound}.{item}") for item in items])


def score_leaf(low: Array, high: Array, threshold: Any) -> Array:
    t = int(threshold)
    return tri(low >= t, high < t)


def dev_score(v: Accessor, review: Array, threshold: Any) -> Array:
    t = float(threshold)
    return OR(ge(v("dev_score"), t), np.where(review, ge(v("dev_score_prev"), t), I8(-1)))


def at_least_times(current: Array, base: Array, factor: Fraction) -> Array:
    """current ≥ base·factor exactly (unknown when base ≤ 0), as current·den ≥ base·num: in floats
    where the products are exact (< 2⁵³) or differ, else again in Python integers."""
    a, b = current * factor.denominator, base * factor.numerator
    valid = base > 0
    result = tri(valid & (a >= b), valid & (a < b))
    doubtful = np.flatnonzero(valid & (a == b) & (a >= 2.0**53))
    if doubtful.size:
        exact = [
            int(x) * factor.denominator >= int(y) * factor.numerator
            for x, y in zip(current[doubtful], base[doubtful], strict=True)
        ]
        result[doubtful] = np.where(exact, I8(1), I8(-1))
    return result


def average_growth(c: Array, p: Array, q: Array) -> Array:
    """((c−p)/p + (p−q)/q)/2 in percent, NaN unless p, q > 0.  A float value is replaced where it
    lies within rounding distance of a whole percentage, by a stand-in that compares with every
    whole percentage exactly as the engine's ``floor(10⁴·value)`` does (see the module doc)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        first = (c - p) * 50 / p
        second = (p - q) * 50 / q
    value = first + second
    value[~((p > 0) & (q > 0))] = NAN
    nearest = np.rint(value)
    doubtful = np.flatnonzero(np.abs(value - nearest) <= (np.abs(first) + np.abs(second) + 1) * 2.0**-48)
    if doubtful.size:
        k = nearest[doubtful]
        floor = _average_growth_floor(c[doubtful], p[doubtful], q[doubtful])  # in 0.01 %
        value[doubtful] = np.where(floor >= k * 100, k, k - 0.5)
    return value


def _average_growth_floor(c: Array, p: Array, q: Array) -> Array:
    """floor(10⁴·((c−p)/p + (p−q)/q)/2) for known c and positive p, q (the engine's integer formula):
    (a₁ + a₂ + [r₁·q ≥ (q−r₂)·p]) // 2 with (c−p)·10⁴ = a₁·p + r₁, (p−q)·10⁴ = a₂·q + r₂."""
    ci, pi, qi = c.astype(np.int64), p.astype(np.int64), q.astype(np.int64)
    x1, x2 = (ci - pi) * 10_000, (pi - qi) * 10_000
    a1, a2 = x1 // pi, x2 // qi
    r1, r2 = x1 - a1 * pi, x2 - a2 * qi
    left, right = r1.astype(F64) * qi, (qi - r2).astype(F64) * pi
    carry = left >= right
    doubtful = np.flatnonzero((left == right) & (left >= 2.0**53))
    for i in doubtful:  # products equal in floats but not exact: decided in Python integers (rare)
        carry[i] = int(r1[i]) * int(qi[i]) >= int(qi[i] - r2[i]) * int(pi[i])
    return (a1 + a2 + carry.astype(np.int64)) // 2


# ---------------------------------------------------------------- awards


@dataclass(frozen=True)
class Award:
    name: str
    kind: int  # event kind code
    method: str  # fixed, rate, rank, graded
    main: str
    cap: str | None = None
    once: str | None = None
    scope: str | None = None


def award_list(p: Params) -> list[Award]:
    """The awards of the plan in the engine's order, plus the cities' own (scoped) awards."""

    def meta(pid: str) -> dict[str, Any]:
        return dict(p.params[pid].meta)

    def make(pid: str, method: str, cap: str | None = None, meta_of: str | None = None) -> Award:
        m = meta(meta_of or pid)
        once = None if m.get("once_key") is None or method == "graded" else str(m["once_key"])
        name = DIGITAL if method == "graded" else str(m["award"])
        return Award(name, KIND_CODE[str(m["event"])], method, pid, cap, once, p.params[meta_of or pid].scope)

    a = "awards."
    found = [
        make(a + "provincial_champion.amount", "fixed"),
        make(a + "little_giant.amount", "fixed"),
        make(a + "single_champion.amount", "fixed"),
        make(a + "little_giant_relocated.amount", "fixed"),
        make(a + "single_champion_relocated.amount", "fixed"),
        make(a + "industrial_internet_platform.amount", "fixed"),
        make(
            a + "cloud_service_provider.amount_by_rank",
            "rank",
            a + "cloud_service_provider.cap",
            a + "cloud_service_provider.cap",
        ),
        make(a + "upgrade_policy", "graded", None, a + "digital_assessment.amount_3a"),
        make(a + "network_security.rate", "rate", a + "network_security.cap"),
        make(a + "four_transformations.rate", "rate", a + "four_transformations.cap"),
        make(a + "srdi_board_listing.amount", "fixed"),
        make(a + "publicity.province_rate", "rate"),
        make(a + "publicity.city_rate", "rate"),
        make(a + "public_service_platform_national.amount", "fixed"),
    ]
    for parameter in p.params.with_prefix("awards.city."):
        if parameter.scope and parameter.meta.get("event"):
            found.append(make(parameter.id, "fixed"))
    return found


def dated(p: Params, pid: str, days: Array, convert: Callable[[Any], float]) -> Array:
    """The parameter's value in force on each day (NaN before it starts or after it ends)."""
    entries = p.entries(pid)
    values = np.asarray([NAN if value is None else convert(value) for _, value in entries] + [NAN])
    if len(entries) == 1:
        return np.where(days >= entries[0][0], values[0], NAN)
    index = np.searchsorted(np.asarray([start for start, _ in entries]), days, side="right") - 1
    return values.take(index)  # index −1 → the NaN at the end


def _status(amount: Array, in_force: Array, base_known: Array) -> Array:
    status = np.full(amount.shape, GRANTED, dtype=I8)
    status[amount <= 0] = ZERO
    status[~base_known] = MISSING
    status[~in_force] = NOT_IN_FORCE
    return status


class Entitlements:
    """The award formulas: for each award its raw amount and status on the events of its kind
    (status −1 on the others), the once-only marks per once key, and the final amount and status."""

    def __init__(self, p: Params) -> None:
        self.p = p
        self.awards = award_list(p)
        keys = sorted({a.once for a in self.awards if a.once})
        self.once_number = {key: i + 1 for i, key in enumerate(keys)}
        self.formulas: dict[str, tuple[str, Callable[..., Array]]] = {}
        for i, award in enumerate(self.awards):
            self.formulas[f"award{i}.raw"] = ("pair", self._raw(award))
        for key in keys:
            members = [i for i, a in enumerate(self.awards) if a.once == key]
            self.formulas[f"once.{key}"] = ("bool", self._first_of(members))
        for i, award in enumerate(self.awards):
            self.formulas[f"award{i}.amount"] = ("f64", self._final(i, award, "amount"))
            self.formulas[f"award{i}.status"] = ("i8", self._final(i, award, "status"))

    def _raw(self, award: Award) -> Callable[..., Array]:
        """(amount, status) records on every event (NaN, −1 where the award does not apply)."""
        p = self.p

        def formula(v: Accessor) -> Array:
            kind = v("kind")
            rows = np.flatnonzero(kind == award.kind)
            if award.scope is not None:
                rows = rows[v("city")[rows] == int(award.scope)]
            days = v("date")[rows]
            if award.method == "fixed":
                raw = dated(p, award.main, days, units)
                status = _status(raw, ~np.isnan(raw), np.ones(rows.size, dtype=bool))
            elif award.method == "rate":
                base = v("base")[rows]
                numerator = dated(p, award.main, days, lambda x: (Fraction(Decimal(str(x))) / 100).numerator)
                denominator = dated(p, award.main, days, lambda x: (Fraction(Decimal(str(x))) / 100).denominator)
                raw = np.floor_divide(base * numerator * 2 + denominator, denominator * 2)  # half up to the 分
                if award.cap:
                    raw = np.where(np.isnan(raw), NAN, np.fmin(raw, dated(p, award.cap, days, units)))
                status = _status(raw, ~np.isnan(numerator), ~np.isnan(base))
            elif award.method == "rank":
                raw, status = self._rank(award, v("rank")[rows], days)
            else:
                raw, status = self._graded(v, rows, days)
            pair = np.empty(kind.shape, dtype=KINDS["pair"][1])
            pair["amount"], pair["status"] = NAN, NO_ROW
            pair["amount"][rows], pair["status"][rows] = raw, status
            return pair

        return formula

    def _rank(self, award: Award, rank: Array, days: Array) -> tuple[Array, Array]:
        by_date = np.full(rank.shape, NAN)
        for start, schedule in self.p.entries(award.main):
            points = np.zeros(rank.shape)
            for step in reversed(schedule or []):
                points = np.where(rank <= float(step["max_rank"]), units(step["amount"]), points)
            by_date = np.where(days >= start, points, by_date)
        cap = dated(self.p, award.cap or "", days, units)
        valid = rank >= 1
        raw = np.where(valid, by_date, NAN)
        amount = np.where(np.isnan(raw), NAN, np.fmin(raw, cap))
        return amount, _status(amount, ~np.isnan(cap), valid)

    def _graded(self, v: Accessor, rows: Array, days: Array) -> tuple[Array, Array]:
        """3A/4A/5A: pay an upgrade over the best eligible grade of the enterprise's earlier events."""
        p = self.p
        grade = v("grade_rank")[rows].astype(np.int64)  # 0: unknown
        levels = np.stack(
            [np.zeros(rows.size)]
            + [dated(p, f"awards.digital_assessment.amount_{g.lower()}", days, units) for g in GRADES]
        )
        policy_entries = p.entries("awards.upgrade_policy")
        policy_known = dated(p, "awards.upgrade_policy", days, lambda _: 1.0) == 1
        difference = dated(p, "awards.upgrade_policy", days, lambda x: 1.0 if x == "difference" else 0.0) == 1
        assert policy_entries, "awards.upgrade_policy"
        columns = np.arange(rows.size)
        level = np.where(grade > 0, levels[grade, columns], NAN)
        eligible = (grade > 0) & ~np.isnan(level) & policy_known
        # The best eligible grade of the same enterprise's earlier events (time order: date, then
        # event number): a running maximum within each run of equal owners, in one pass.
        owner = v("owner")[rows]
        if rows.size == 0:
            return np.zeros(0), np.zeros(0, dtype=I8)
        order = np.lexsort((rows, days, owner))
        sorted_owner = owner[order]
        run = np.concatenate(([0], np.cumsum(sorted_owner[1:] != sorted_owner[:-1])))
        offset = run * 4
        running = np.maximum.accumulate(np.where(eligible[order], grade[order], 0) + offset)
        seen_sorted = np.zeros(rows.size, dtype=np.int64)
        same = np.concatenate(([False], run[1:] == run[:-1]))
        seen_sorted[same] = (running[:-1] - offset[1:])[same[1:]]
        best = np.empty(rows.size, dtype=np.int64)
        best[order] = seen_sorted
        previous_level = np.where(best > 0, levels[best, columns], 0.0)
        upgrade = grade > best
        amount = np.where(difference, level - previous_level, level)
        amount = np.where(eligible & upgrade, amount, NAN)
        in_force = (~np.isnan(level) & policy_known) | (grade == 0)
        status = np.full(rows.size, GRANTED, dtype=I8)
        status[~upgrade] = ALREADY
        status[~eligible] = MISSING
        status[~in_force] = NOT_IN_FORCE
        return amount, status

    def _first_of(self, members: list[int]) -> Callable[..., Array]:
        """Per event: granted an award of this once key, but not the enterprise's first such event
        in time (date, event number) — a repeat."""

        def formula(v: Accessor) -> Array:
            granted = reduce(np.logical_or, [v(f"award{i}.raw")["status"] == GRANTED for i in members])
            rows = np.flatnonzero(granted)
            repeat = np.zeros(granted.shape, dtype=bool)
            if rows.size:
                owner, days = v("owner")[rows], v("date")[rows]
                order = np.lexsort((rows, days, owner))
                sorted_owner = owner[order]
                later = np.concatenate(([False], sorted_owner[1:] == sorted_owner[:-1]))
                repeat[rows[order[later]]] = True
            return repeat

        return formula

    def _final(self, i: int, award: Award, what: str) -> Callable[..., Array]:
        def formula(v: Accessor) -> Array:
            pair = v(f"award{i}.raw")
            amount, status = pair["amount"], pair["status"]
            if award.once is None:
                return amount if what == "amount" else status
            repeat = v(f"once.{award.once}") & (status == GRANTED)
            if what == "amount":
                return np.where(repeat, NAN, amount)
            return np.where(repeat, I8(ALREADY), status)

        return formula


# ---------------------------------------------------------------- the OpenFisca systems

KINDS: dict[str, tuple[type, Any, Any]] = {
    # kind: (OpenFisca value type, dtype set on the variable, default)
    "f64": (float, F64, NAN),
    "f32": (float, F32, NAN),
    "tri": (int, I8, 0),
    "i8": (int, I8, -1),
    "i32": (int, np.int32, 0),
    "bool": (bool, np.bool_, False),
    # An award's amount and status on each event, computed together: one record per event.
    "pair": (float, np.dtype([("amount", F64), ("status", I8)]), NAN),
}
MONEY_YEARLY = ("revenue", "main_revenue", "rd_expense", "net_profit", "total_assets", "total_liabilities")
COUNT_YEARLY = ("employees", "rd_staff", "ip_i_count", "market_share")
# Which years (back from the data year) of each yearly input some rule reads.
YEARS_READ = {"revenue": 3, "main_revenue": 3, "rd_expense": 2}
STATIC_FLOATS = {
    "niche_years": "niche_years",
    "ip_i_high_value": "ip_i_high_value",
    "ip_i_own": "ip_i_own",
    "ip_ii_count": "ip_ii_count",
    "digital_level": "digital_level",
    "quality_items": "quality_items",
    "local_feature_score": "local_feature_score",
    "st_national": "st_award_national_rank",
    "st_provincial": "st_award_provincial_rank",
    "maker_rank": "maker_china_rank",
    "national_rank": "national_market_rank",
    "global_rank": "global_market_rank",
    "dev_score": "dev_eval_score",
    "dev_score_prev": "dev_eval_score_prev",
}
STATIC_MONEY = {"equity_2y": "equity_financing_2y", "equity_3y": "equity_financing_3y"}
STATIC_FLAGS = {
    "is_tech_sme": "is_tech_sme",
    "strategic_emerging_field": "strategic_emerging_field",
    "has_honour": "has_honour",
    "has_info_system": "has_info_system",
    "has_certification": "has_certification",
    "has_brand": "has_brand",
    "chain_ok": "chain_role_ok",
    "key_field_ok": "key_field_ok",
    "niche_share_leading": "niche_share_leading",
    "product_new": "main_product_is_new",
    "profit_above": "profit_above_industry",
    "standard_setting": "standard_setting",
    "compliance_ok": "compliance_ok",
    "production_service": "is_production_service",
}
STATIC_CODES = {
    "institution": ("rd_institution_level", INSTITUTION_LEVELS),
    "key_chain": ("key_chain_field", KEY_CHAIN_CLASSES),
}
EVENT_INPUTS = {
    "kind": "i8",
    "date": "i32",
    "grade_rank": "i8",
    "base": "f64",
    "rank": "f64",
    "owner": "i32",
    "city": "i32",
}


def _money(values: pl.Expr) -> pl.Expr:
    """万元 → 分, rounded half to even as the engine converts; unknown as NaN."""
    return _nan((values * MONEY_SCALE).round(0, mode="half_to_even"))


def _nan(values: pl.Expr) -> pl.Expr:
    """Float64 with NaN for unknown, filled inside the (parallel) query so that ``to_numpy`` is a
    view rather than a conversion."""
    return values.cast(pl.Float64).fill_null(NAN)


class FaithfulOpenFiscaModel:
    """The engine's rules and awards as OpenFisca variables; ``run`` loads and calculates."""

    def __init__(self, parameter_set: ParameterSet, as_of: dt.date) -> None:
        from openfisca_core.entities import build_entity
        from openfisca_core.taxbenefitsystems import TaxBenefitSystem

        self.as_of = as_of
        self.p = Params(parameter_set, as_of)
        self.data_year = as_of.year - int(self.p["criteria.data_year_lag"])
        self.rules = Rules(self.p)
        self.entitlements = Entitlements(self.p)
        self.last_load_s = self.last_calculate_s = 0.0
        self.enterprise = build_entity(key="enterprise", plural="enterprises", label="企业", is_person=True)
        self.event = build_entity(key="event", plural="events", label="事件", is_person=True)
        self.system = TaxBenefitSystem([self.enterprise])
        self.event_system = TaxBenefitSystem([self.event])
        money = [*MONEY_YEARLY, *STATIC_MONEY]
        for name in [*money, *COUNT_YEARLY, *STATIC_FLOATS, "division"]:
            self._variable(self.system, self.enterprise, name, "f64")
        for name in STATIC_FLAGS:
            self._variable(self.system, self.enterprise, name, "tri")
        for name in STATIC_CODES:
            self._variable(self.system, self.enterprise, name, "i8")
        self._variable(self.system, self.enterprise, "tier_rank", "i8")
        for name, (kind, formula) in self.rules.formulas.items():
            self._variable(self.system, self.enterprise, name, kind, formula)
        for name, kind in EVENT_INPUTS.items():
            self._variable(self.event_system, self.event, name, kind)
        for name, (kind, formula) in self.entitlements.formulas.items():
            self._variable(self.event_system, self.event, name, kind, formula)
        self.scoped = any(a.scope for a in self.entitlements.awards)

    def _variable(self, system: Any, entity: Any, name: str, kind: str, formula: Any = None) -> None:
        from openfisca_core.periods import DateUnit
        from openfisca_core.variables import Variable

        value_type, dtype, default = KINDS[kind]
        attributes: dict[str, Any] = {"value_type": value_type, "default_value": default}
        attributes.update(entity=entity, definition_period=DateUnit.YEAR, label=name)
        if formula is not None:
            attributes["formula"] = _formula(formula)
        variable = system.add_variable(type(name, (Variable,), attributes))
        variable.dtype = dtype

    # ------------------------------------------------------------ running

    def run(self, enterprises: pl.DataFrame, indicators: pl.DataFrame, events: pl.DataFrame) -> dict[str, Any]:
        """Load and calculate (timed apart: ``last_load_s``, ``last_calculate_s``)."""
        n = enterprises.height
        years = rule_years(self.data_year)
        # The registry's export order (by year, then as the enterprises): each year a slice (checked
        # here, untimed, as for the simplified port).
        for offset, period in enumerate(years):
            part = indicators.slice(offset * n, n)
            assert (part["year"] == period).all() and part["credit_code"].equals(enterprises["credit_code"])
        start = time.perf_counter()
        loaded = self.load(enterprises, indicators, events)
        self.last_load_s = time.perf_counter() - start
        start = time.perf_counter()
        outputs = self.calculate(*loaded)
        self.last_calculate_s = time.perf_counter() - start
        return outputs

    def load(
        self, enterprises: pl.DataFrame, indicators: pl.DataFrame, events: pl.DataFrame
    ) -> tuple[Any, Any, Any, Array]:
        """The main simulation, the re-review simulation(s) on the holders' rows, the events'."""
        from openfisca_core.simulations import SimulationBuilder

        n = enterprises.height
        yearly = []
        for name in (*MONEY_YEARLY, *COUNT_YEARLY):
            money = name in MONEY_YEARLY
            for back in range(YEARS_READ.get(name, 1)):
                values = pl.col(name).slice((2 - back) * n, n)
                yearly.append((_money(values) if money else _nan(values)).alias(f"{name}@{back}"))
        inputs = indicators.lazy().select(yearly).collect()
        tri_expr = [
            (pl.col(source).cast(pl.Int8) * 2 - 1).fill_null(0).alias(name) for name, source in STATIC_FLAGS.items()
        ]
        codes = []
        for name, (source, allowed) in STATIC_CODES.items():
            code: Any = pl
            for index, text in enumerate(allowed):
                code = code.when(pl.col(source) == text).then(pl.lit(index, dtype=pl.Int8))
            codes.append(code.otherwise(pl.lit(-1, dtype=pl.Int8)).alias(name))
        rank: Any = pl
        for tier, value in TIER_RANK.items():
            if value:
                rank = rank.when(pl.col("current_tier") == tier).then(pl.lit(value, dtype=pl.Int8))
        static = (
            enterprises.lazy()
            .select(
                *[_nan(pl.col(source)).alias(name) for name, source in STATIC_FLOATS.items()],
                *[_money(pl.col(source)).alias(name) for name, source in STATIC_MONEY.items()],
                *tri_expr,
                *codes,
                rank.otherwise(pl.lit(0, dtype=pl.Int8)).alias("tier_rank"),
                _nan(pl.col("industry_code").str.slice(0, 2).cast(pl.Float64, strict=False)).alias("division"),
            )
            .collect()
        )
        columns: dict[tuple[str, int], Array] = {}
        for series in inputs.get_columns():
            base, offset = series.name.split("@")
            columns[(base, int(offset))] = series.to_numpy()
        for series in static.get_columns():
            columns[(series.name, 0)] = series.to_numpy()
        simulation = self._simulation(SimulationBuilder, n, columns)
        # The re-review trees that differ from the first-recognition ones: on the holders' rows
        # alone when they are few (as the engine), else on every row of the main simulation.
        tier_rank = columns[("tier_rank", 0)]
        subsets: dict[str, tuple[Any, Array]] = {}
        for tier, first, again in self.rules.plans:
            if first is again:
                continue
            holders = np.flatnonzero(tier_rank >= TIER_RANK[tier])
            if holders.size <= SUBSET_SHARE * n:
                gathered = {key: values[holders] for key, values in columns.items()}
                subsets[tier] = (self._simulation(SimulationBuilder, holders.size, gathered), holders)
        event_sim = self._event_simulation(SimulationBuilder, enterprises, events)
        return simulation, subsets, event_sim, tier_rank

    def _simulation(self, builder: Any, n: int, columns: dict[tuple[str, int], Array]) -> Any:
        simulation = builder().build_default_simulation(self.system, n)
        for (name, back), values in columns.items():
            simulation.set_input(name, str(self.data_year - back), values)
        return simulation

    def _event_simulation(self, builder: Any, enterprises: pl.DataFrame, events: pl.DataFrame) -> Any:
        frame = events.lazy().filter(pl.col("date") <= self.as_of)
        grade: Any = pl
        for name, value in GRADE_RANK.items():
            grade = grade.when(pl.col("grade") == name).then(pl.lit(value, dtype=pl.Int8))
        selected = frame.select(
            pl.col("kind").cast(pl.Enum(list(EVENT_KINDS))).to_physical().cast(pl.Int8).alias("kind"),
            pl.col("date").to_physical().alias("date"),
            grade.otherwise(pl.lit(0, dtype=pl.Int8)).alias("grade_rank"),
            _money(pl.col("amount")).alias("base"),
            _nan(pl.col("rank")).alias("rank"),
            # The enterprise as a number (equal codes, equal numbers): for once-only and upgrades.
            pl.col("credit_code").cast(pl.Categorical).to_physical().cast(pl.Int32).alias("owner"),
        ).collect()
        simulation = builder().build_default_simulation(self.event_system, selected.height)
        for series in selected.get_columns():
            simulation.set_input(series.name, str(self.data_year), series.to_numpy())
        if self.scoped:  # the city of each event's enterprise, for the cities' own awards
            city = frame.join(enterprises.lazy().select("credit_code", "city_code"), on="credit_code", how="left")
            values = city.select(pl.col("city_code").cast(pl.Int32, strict=False).fill_null(-1)).collect()
            simulation.set_input("city", str(self.data_year), values.to_series().to_numpy())
        return simulation

    def calculate(
        self, simulation: Any, subsets: dict[str, tuple[Any, Array]], event_sim: Any, tier_rank: Array
    ) -> dict[str, Any]:
        year = str(self.data_year)
        outputs: dict[str, Any] = {}
        for tier, first, again in self.rules.plans:
            review = tier_rank >= TIER_RANK[tier]
            result = self._tree_outputs(simulation, first)
            if again is not first:
                if tier in subsets:
                    sub, holders = subsets[tier]
                    found = self._tree_outputs(sub, again)
                    # Score and bounds may be one array in both trees (an input score, or none):
                    # then one copy serves them all.
                    copies: dict[tuple[int, int], Array] = {}
                    for name, values in found.items():
                        key = (id(result[name]), id(values))
                        if key not in copies:
                            copies[key] = result[name].copy()
                            copies[key][holders] = values
                        result[name] = copies[key]
                else:
                    found = self._tree_outputs(simulation, again)
                    result = {name: np.where(review, found[name], values) for name, values in result.items()}
            outputs.update({f"{tier}:{name}": values for name, values in result.items()})
        awards = []
        for i, award in enumerate(self.entitlements.awards):
            awards.append(
                (award, event_sim.calculate(f"award{i}.amount", year), event_sim.calculate(f"award{i}.status", year))
            )
        outputs["awards"] = awards
        outputs["grade_rank"] = event_sim.calculate("grade_rank", year)
        return outputs

    def _tree_outputs(self, simulation: Any, tree: Tree) -> dict[str, Array]:
        year = str(self.data_year)
        qualifies = simulation.calculate(f"{tree.key}.root", year)
        if tree.items:
            low = simulation.calculate(f"{tree.key}.score_min", year)
            high = simulation.calculate(f"{tree.key}.score_max", year)
            score = np.where(low == high, low, NAN)
        elif tree.score_input:
            low = high = score = simulation.calculate(tree.score_input, year)
        else:
            low = high = score = np.full(qualifies.shape, NAN)
        return {"qualifies": qualifies, "score": score, "score_min": low, "score_max": high}


def _formula(fn: Callable[..., Any]) -> Callable[[Any, Any], Any]:
    """An OpenFisca formula from ``fn(v)``, ``v(name, back=0)`` reading a variable of the period
    or of ``back`` years before."""

    def formula(entity: Any, period: Any) -> Any:
        def v(name: str, back: int = 0) -> Array:
            return entity(name, period.offset(-back) if back else period)

        return fn(v)

    return formula


# ---------------------------------------------------------------- equality with the engine


def check_equal(outputs: dict[str, Any], result: Any) -> None:
    """Raise AssertionError unless the port's outputs equal the engine's ``Result``: every tier's
    qualifies/score/score_min/score_max per enterprise, and amount and status per (event, award)."""
    summary = result.summary
    problems = []
    for tier in TIERS:
        engine_q = summary[f"{tier}:qualifies"]
        expected = (engine_q.cast(pl.Int8) * 2 - 1).fill_null(0).to_numpy()
        got = outputs[f"{tier}:qualifies"]
        if not np.array_equal(expected, got):
            rows = np.flatnonzero(expected != got)
            problems.append(
                f"{tier}:qualifies differs on {rows.size} rows, e.g. row {rows[0]}: "
                f"engine {expected[rows[0]]}, port {got[rows[0]]} (1 true, 0 unknown, -1 false)"
            )
        for name in ("score", "score_min", "score_max"):
            want = summary[f"{tier}:{name}"].cast(pl.Float64).fill_null(NAN).to_numpy()
            have = np.asarray(outputs[f"{tier}:{name}"], dtype=F64)
            if not np.array_equal(want, have, equal_nan=True):
                rows = np.flatnonzero(~((want == have) | (np.isnan(want) & np.isnan(have))))
                problems.append(
                    f"{tier}:{name} differs on {rows.size} rows, e.g. row {rows[0]}: "
                    f"engine {want[rows[0]]}, port {have[rows[0]]}"
                )
    parts = []
    grade = outputs["grade_rank"]
    grade_names = np.asarray([DIGITAL, *[f"{DIGITAL}.{g}" for g in GRADES]], dtype=object)
    for award, amount, status in outputs["awards"]:
        rows = np.flatnonzero(status >= 0)
        names = grade_names[grade[rows]] if award.method == "graded" else np.full(rows.size, award.name, dtype=object)
        parts.append(
            pl.DataFrame(
                {
                    "event_no": pl.Series(rows, dtype=pl.UInt32),
                    "award": pl.Series(names.tolist(), dtype=pl.String),
                    "amount_port": pl.Series(amount[rows]).fill_nan(None).cast(pl.Int64),
                    "status_port": pl.Series(
                        np.asarray(STATUSES, dtype=object)[status[rows]].tolist(), dtype=pl.String
                    ),
                }
            )
        )
    port = pl.concat(parts)
    engine = result.awards_raw.select("event_no", "award", "amount", "status")
    if port.height != engine.height:
        problems.append(f"award rows: engine {engine.height}, port {port.height}")
    joined = engine.join(port, on=["event_no", "award"], how="full", coalesce=True)
    differ = joined.filter(
        pl.col("amount").ne_missing(pl.col("amount_port")) | pl.col("status").ne_missing(pl.col("status_port"))
    )
    if differ.height:
        problems.append(f"awards differ on {differ.height} (event, award) rows, e.g.:\n{differ.head(5)}")
    if problems:
        raise AssertionError("faithful openfisca port ≠ engine:\n" + "\n".join(problems))
