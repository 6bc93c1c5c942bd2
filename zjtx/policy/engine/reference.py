"""A deliberately plain second implementation of the same rules: one enterprise at a time,
loops and ifs, Decimal arithmetic.  It shares only the parameters with the vectorised engine,
so a property test that finds both agree on every result and amount checks each against the other.

Unknown values are None; conditions are True, False or None (unknown), combined with Kleene logic.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl

from zjtx.policy.engine.parameters import ParameterSet
from zjtx.policy.engine.schema import ENTERPRISE_COLUMNS, INDICATOR_COLUMNS, TIER_RANK, TIERS

Tri = bool | None
CONTEXT = decimal.Context(prec=80)  # products of two money amounts need more than 28 digits
MONEY_PLACES = Decimal("0.000001")
MONEY_COLUMNS = {c.name for c in ENTERPRISE_COLUMNS + INDICATOR_COLUMNS if c.kind == "money"}
YEARLY = [c.name for c in INDICATOR_COLUMNS if c.name not in ("credit_code", "year")]
ENTERPRISE_MONEY = [c.name for c in ENTERPRISE_COLUMNS if c.kind == "money"]
YEARLY_MONEY = [name for name in YEARLY if name in MONEY_COLUMNS]


# ---------------------------------------------------------------- small helpers


def AND(*values: Tri) -> Tri:
    unknown = False
    for value in values:
        if value is False:
            return False
        if value is None:
            unknown = True
    return None if unknown else True


def OR(*values: Tri) -> Tri:
    unknown = False
    for value in values:
        if value is True:
            return True
        if value is None:
            unknown = True
    return None if unknown else False


def NOT(value: Tri) -> Tri:
    return None if value is None else not value


def D(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def to_money(value: Any) -> Decimal | None:
    """万元 as the engine takes it: Decimal to 6 places half-even; float via round(x·10⁶)."""
    if value is None:
        return None
    if isinstance(value, float):
        return Decimal(round(value * 1_000_000)).scaleb(-6)
    return D(value).quantize(MONEY_PLACES, rounding=ROUND_HALF_EVEN)


def percent(num: Decimal | None, den: Decimal | None) -> Decimal | None:
    """num/den in percent, None when unknown or den ≤ 0.

    Division at 80 digits is exact whenever the true ratio equals a threshold (it then terminates)
    and otherwise far too close to flip a comparison, so comparing it is as good as comparing
    cross-products.
    """
    if num is None or den is None or den <= 0:
        return None
    return CONTEXT.divide(CONTEXT.multiply(num, Decimal(100)), den)


def ge_ratio(num: Decimal | None, den: Decimal | None, pct: Any, strict: bool = False) -> Tri:
    """num/den ≥ pct% (or > when strict)."""
    value = percent(num, den)
    if value is None:
        return None
    return value > D(pct) if strict else value >= D(pct)


def le_ratio(num: Decimal | None, den: Decimal | None, pct: Any) -> Tri:
    return NOT(ge_ratio(num, den, pct, strict=True))


def ge(value: Any, threshold: Any) -> Tri:
    """value ≥ threshold; floats (percent inputs) compare through their exact decimal text."""
    if value is None:
        return None
    if value.__class__ is float:
        return Decimal(repr(value)) >= threshold
    return bool(value >= threshold)


def rank_in(rank: int | None, top: Any) -> Tri:
    if rank is None:
        return None
    return 1 <= rank <= int(top)


def band(value: Any, table: dict[str, Any], upper_inclusive: bool) -> int | None:
    """Points of a band table for a known value (None → None).  Interior cuts follow the edge rule."""
    if value is None:
        return None
    cuts, points = table["cuts"], table["points"]
    last = len(cuts) - 1
    for index in range(last, -1, -1):
        cut = cuts[index]
        strict = upper_inclusive and 0 < index < last
        if (value > cut) if strict else (value >= cut):
            return int(points[index + 1])
    return int(points[0])


# ---------------------------------------------------------------- one enterprise's facts


@dataclass
class Facts:
    e: dict[str, Any]
    y: list[dict[str, Any]]  # y[0] = 上年度, y[1], y[2]
    m: dict[str, Decimal | None] = field(default_factory=dict)

    def get(self, name: str, back: int = 0) -> Any:
        return self.y[back].get(name)

    def tier_rank(self) -> int:
        return TIER_RANK[self.e.get("current_tier") or "none"]


@dataclass
class Rule:
    """A plain tree: ("all"|"any", id, children) with leaf ids as strings."""

    tree: tuple[Any, ...]
    leaves: dict[str, Tri]
    items: dict[str, tuple[int | None, int]] = field(default_factory=dict)
    score: float | None = None


def node_value(node: Any, leaves: dict[str, Tri], groups: dict[str, Tri] | None = None) -> Tri:
    """Value of a node; with ``groups`` given, every group's value is stored there too."""
    if isinstance(node, str):
        return leaves[node]
    mode, name, children = node
    values = [node_value(child, leaves, groups) for child in children]
    value = AND(*values) if mode == "all" else OR(*values)
    if groups is not None:
        groups[name] = value
    return value


def unmet_leaves(
    node: Any, leaves: dict[str, Tri], groups: dict[str, Tri], blocked: bool = False
) -> list[tuple[str, str]]:
    """Leaves not true under groups none of which is true: (leaf id, 不满足|数据不足)."""
    if isinstance(node, str):
        value = leaves[node]
        if value is True or blocked:
            return []
        return [(node, "数据不足" if value is None else "不满足")]
    found: list[tuple[str, str]] = []
    blocked = blocked or groups[node[1]] is True
    for child in node[2]:
        found += unmet_leaves(child, leaves, groups, blocked)
    return found


class Reader(dict[str, Any]):
    """Parameter values on one date, read as ``p["name"]``; each read once, since every
    enterprise reads the same ones."""

    def __init__(self, params: ParameterSet, as_of: dt.date, prefix: str = "") -> None:
        super().__init__()
        self.params, self.as_of, self.prefix = params, as_of, prefix

    def __missing__(self, name: str) -> Any:
        full = name if name.startswith(("criteria.", "awards.")) else self.prefix + name
        value = self.params.value(full, self.as_of)
        self[name] = value
        return value

    def top(self, name: str) -> int:
        """Highest points of a points table (band table or mapping)."""
        key = "top:" + name
        if key not in self:
            table = self[name]
            values = table["points"] if "points" in table else table.values()
            self[key] = max(int(v) for v in values)
        top: int = self[key]
        return top


def score_leaf(items: dict[str, tuple[int | None, int]], ids: list[str], threshold: Any) -> Tri:
    low = sum(items[i][0] or 0 for i in ids)
    high = 0
    for i in ids:
        points, top = items[i]
        high += top if points is None else points
    if low >= int(threshold):
        return True
    if high < int(threshold):
        return False
    return None


def ip_points(f: Facts, table: dict[str, Any]) -> int | None:
    for column, key in (
        ("ip_i_high_value", "i_high_value"),
        ("ip_i_own", "i_own"),
        ("ip_i_count", "i_any"),
        ("ip_ii_count", "ii_any"),
    ):
        value = f.get(column) if column == "ip_i_count" else f.e.get(column)
        if value is None:
            return None
        if value >= 1:
            return int(table[key])
    return int(table["none"])


def growth(c: Decimal | None, p: Decimal | None) -> Decimal | None:
    return None if c is None or p is None else percent(c - p, p)


def average_growth(c: Decimal | None, p: Decimal | None, q: Decimal | None) -> Decimal | None:
    """((c−p)/p + (p−q)/q) / 2 in percent, as one division of exact products."""
    if c is None or p is None or q is None or p <= 0 or q <= 0:
        return None
    numerator = CONTEXT.add(CONTEXT.multiply(c - p, q), CONTEXT.multiply(p - q, p))
    return percent(numerator, CONTEXT.multiply(Decimal(2), CONTEXT.multiply(p, q)))


def metrics(y: list[dict[str, Any]]) -> dict[str, Decimal | None]:
    """The ratios many rules read, computed once per enterprise."""
    y0, y1, y2 = y
    return {
        "rd_ratio0": percent(y0["rd_expense"], y0["revenue"]),
        "rd_ratio1": percent(y1["rd_expense"], y1["revenue"]),
        "main_share": percent(y0["main_revenue"], y0["revenue"]),
        "liability": percent(y0["total_liabilities"], y0["total_assets"]),
        "net_margin": percent(y0["net_profit"], y0["revenue"]),
        "rd_staff_share": percent(y0["rd_staff"], y0["employees"]),
        "main_growth": growth(y0["main_revenue"], y1["main_revenue"]),
        "main_growth_avg": average_growth(y0["main_revenue"], y1["main_revenue"], y2["main_revenue"]),
    }


def le(value: Decimal | None, threshold: Any) -> Tri:
    return None if value is None else value <= D(threshold)


def any_award(f: Facts) -> Tri:
    national, provincial = f.e.get("st_award_national_rank"), f.e.get("st_award_provincial_rank")
    return OR(None if national is None else national >= 1, None if provincial is None else provincial >= 1)


# ---------------------------------------------------------------- the tiers


def innovative(f: Facts, p: Reader, upper: bool) -> Rule:
    field_table = p["field_points"]
    sef = f.e.get("strategic_emerging_field")
    items = {
        "ip": (ip_points(f, p["ip_points"]), 20),
        "rd_ratio": (band(f.m["rd_ratio0"], p["rd_ratio_points"], upper), 20),
        "main_growth": (band(f.m["main_growth"], p["main_growth_points"], upper), 20),
        "liability": (band(f.m["liability"], p["liability_points"], upper), 10),
        "field": (
            None if sef is None else int(field_table["strategic_emerging" if sef else "other"]),
            int(field_table["strategic_emerging"]),
        ),
        "main_share": (band(f.m["main_share"], p["main_share_points"], upper), 20),
    }
    items = {k: (v, max_points(p, k, m)) for k, (v, m) in items.items()}
    level = f.e.get("rd_institution_level")
    leaves = {
        "st_award": any_award(f),
        "honour": f.e.get("has_honour"),
        "rd_institution": None
        if level is None
        else level in [str(v) for v in p["direct_institution_levels"]],
        "equity_3y": ge(f.e.get("equity_financing_3y"), p["direct_equity_3y"]),
        "score_total": score_leaf(items, list(items), p["min_total"]),
        "score_innovation": score_leaf(items, ["ip", "rd_ratio"], p["min_innovation"]),
        "score_growth": score_leaf(items, ["main_growth", "liability"], p["min_growth"]),
        "score_specialisation": score_leaf(items, ["field", "main_share"], p["min_specialisation"]),
    }
    tree = (
        "any",
        "root",
        [
            ("any", "direct", ["st_award", "honour", "rd_institution", "equity_3y"]),
            ("all", "scored", ["score_total", "score_innovation", "score_growth", "score_specialisation"]),
        ],
    )
    return Rule(tree, leaves, items, total(items))


def max_points(p: Reader, item: str, default: int) -> int:
    tables = {
        "ip": "ip_points",
        "rd_ratio": "rd_ratio_points",
        "main_growth": "main_growth_points",
        "liability": "liability_points",
        "main_share": "main_share_points",
    }
    return p.top(tables[item]) if item in tables else default


def total(items: dict[str, tuple[int | None, int]]) -> float | None:
    if any(v is None for v, _ in items.values()):
        return None
    return float(sum(v or 0 for v, _ in items.values()))


def srdi_items(f: Facts, p: Reader, upper: bool) -> dict[str, tuple[int | None, int]]:
    rd = f.get("rd_expense")
    niche, quality = p["niche_years_points"], p["quality_points"]
    years, count, local = f.e.get("niche_years"), f.e.get("quality_items"), f.e.get("local_feature_score")
    local_max = int(p["local_max"])

    table_max = p.top

    def mapped(column: str, name: str) -> int | None:
        value = f.e.get(column)
        return None if value is None else int(p[name][value])

    amount = band(rd, p["rd_amount_points"], upper)
    by_ratio = band(f.m["rd_ratio0"], p["rd_ratio_points"], upper)
    top = max(table_max("rd_amount_points"), table_max("rd_ratio_points"))
    if amount == top or by_ratio == top:
        rd_points: int | None = top
    elif amount is None or by_ratio is None:
        rd_points = None
    else:
        rd_points = max(amount, by_ratio)
    digital = f.e.get("digital_level")
    return {
        "main_share": (
            band(f.m["main_share"], p["main_share_points"], upper),
            table_max("main_share_points"),
        ),
        "main_growth_avg": (
            band(f.m["main_growth_avg"], p["main_growth_points"], upper),
            table_max("main_growth_points"),
        ),
        "niche_years": (
            None
            if years is None
            else min(years // int(niche["per_years"]) * int(niche["points"]), int(niche["max"])),
            int(niche["max"]),
        ),
        "field": (mapped("key_chain_field", "field_points"), table_max("field_points")),
        "digital": (band(digital, p["digital_points"], upper), table_max("digital_points")),
        "quality": (
            None if count is None else min(count * int(quality["per_item"]), int(quality["max"])),
            int(quality["max"]),
        ),
        "net_margin": (
            band(f.m["net_margin"], p["net_margin_points"], upper),
            table_max("net_margin_points"),
        ),
        "liability": (band(f.m["liability"], p["liability_points"], upper), table_max("liability_points")),
        "local": (None if local is None else max(0, min(local, local_max)), local_max),
        "ip": (ip_points(f, p["ip_points"]), table_max("ip_points")),
        "rd": (rd_points, top),
        "rd_staff": (band(f.m["rd_staff_share"], p["rd_staff_points"], upper), table_max("rd_staff_points")),
        "institution": (
            mapped("rd_institution_level", "institution_points"),
            table_max("institution_points"),
        ),
    }


def srdi_2022(f: Facts, p: Reader, upper: bool) -> Rule:
    rev, rd = f.get("revenue"), f.get("rd_expense")
    items = srdi_items(f, p, upper)
    rd1 = f.get("rd_expense", 1)
    leaves = {
        "niche_years": ge(f.e.get("niche_years"), p["min_niche_years"]),
        "rd_expense": ge(rd, p["min_rd_expense"]),
        "rd_ratio": ge(f.m["rd_ratio0"], p["min_rd_ratio"]),
        "revenue": ge(rev, p["min_revenue"]),
        "equity_2y": ge(f.e.get("equity_financing_2y"), p["alt_equity_2y"]),
        "score_total": score_leaf(items, list(items), p["min_score"]),
        "provincial_award": rank_in(
            f.e.get("st_award_provincial_rank"), p["direct_provincial_award_max_rank"]
        ),
        "national_award": rank_in(f.e.get("st_award_national_rank"), p["direct_national_award_max_rank"]),
        "rd_avg_2y": None if rd is None or rd1 is None else rd + rd1 >= 2 * D(p["direct_rd_avg_2y"]),
        "equity_2y_direct": ge(f.e.get("equity_financing_2y"), p["direct_equity_2y"]),
        "maker_china": rank_in(f.e.get("maker_china_rank"), p["direct_maker_china_max_rank"]),
    }
    tree = (
        "all",
        "root",
        [
            "niche_years",
            "rd_expense",
            "rd_ratio",
            ("any", "scale", ["revenue", "equity_2y"]),
            (
                "any",
                "evaluation",
                [
                    "score_total",
                    "provincial_award",
                    "national_award",
                    "rd_avg_2y",
                    "equity_2y_direct",
                    "maker_china",
                ],
            ),
        ],
    )
    return Rule(tree, leaves, items, total(items))


def dev_score(f: Facts, threshold: Any, re_review: bool) -> Tri:
    return OR(
        ge(f.e.get("dev_eval_score"), threshold),
        AND(re_review, ge(f.e.get("dev_eval_score_prev"), threshold)),
    )


def score_value(f: Facts) -> float | None:
    value = f.e.get("dev_eval_score")
    return None if value is None else float(value)


def srdi_2026(f: Facts, p: Reader, re_review: bool) -> Rule:
    rev = f.get("revenue")
    level = f.e.get("rd_institution_level")
    prerequisite = OR(f.tier_rank() >= TIER_RANK[str(p["prerequisite_tier"])], f.e.get("is_tech_sme"))
    leaves = {
        "prerequisite": prerequisite,
        "niche_years": ge(f.e.get("niche_years"), p["min_niche_years"]),
        "revenue": ge(rev, p["min_revenue"]),
        "equity_2y": ge(f.e.get("equity_financing_2y"), p["alt_equity_2y"]),
        "main_share": ge(f.m["main_share"], p["min_main_share"]),
        "liability": le(f.m["liability"], p["max_liability"]),
        "rd_expense_y0": ge(f.get("rd_expense"), p["min_rd_expense"]),
        "rd_ratio_y0": ge(f.m["rd_ratio0"], p["min_rd_ratio"]),
        "rd_expense_y1": ge(f.get("rd_expense", 1), p["min_rd_expense"]),
        "rd_ratio_y1": ge(f.m["rd_ratio1"], p["min_rd_ratio"]),
        "ip_i": ge(f.get("ip_i_count"), p["min_ip_i"]),
        "st_award": any_award(f),
        "rd_institution": None
        if level is None
        else level in [str(v) for v in p["ip_waiver_institution_levels"]],
        "niche_share_leading": f.e.get("niche_share_leading"),
        "dev_score": dev_score(f, p["min_dev_score"], re_review),
    }
    tree = (
        "all",
        "root",
        [
            "prerequisite",
            "niche_years",
            ("any", "scale", ["revenue", "equity_2y"]),
            "main_share",
            "liability",
            "rd_expense_y0",
            "rd_ratio_y0",
            "rd_expense_y1",
            "rd_ratio_y1",
            ("any", "ip", ["ip_i", "st_award", "rd_institution"]),
            "niche_share_leading",
            "dev_score",
        ],
    )
    return Rule(tree, leaves, {}, score_value(f))


def little_giant_2022(f: Facts, p: Reader, upper: bool) -> Rule:
    rev, rd0, rd1 = f.get("revenue"), f.get("rd_expense"), f.get("rd_expense", 1)
    large, mid = D(p["large_revenue"]), D(p["mid_revenue"])
    is_large = None if rev is None else rev >= large
    is_mid = None if rev is None else mid <= rev < large
    is_small = None if rev is None else rev < mid

    def both(pct: Any) -> Tri:
        return AND(ge(f.m["rd_ratio0"], pct), ge(f.m["rd_ratio1"], pct))

    level = f.e.get("rd_institution_level")
    market = f.get("market_share")
    leaves = {
        "niche_years": ge(f.e.get("niche_years"), p["min_niche_years"]),
        "main_share": ge(f.m["main_share"], p["min_main_share"]),
        "main_growth_avg": ge(f.m["main_growth_avg"], p["min_main_growth_avg"]),
        "info_system": f.e.get("has_info_system"),
        "certification": f.e.get("has_certification"),
        "liability": le(f.m["liability"], p["max_liability"]),
        "market_share": None if market is None else market >= float(p["min_market_share"]),
        "brand": f.e.get("has_brand"),
        "rd_ratio_large": OR(NOT(is_large), both(p["large_min_rd_ratio"])),
        "rd_ratio_mid": OR(NOT(is_mid), both(p["mid_min_rd_ratio"])),
        "small_equity": OR(NOT(is_small), ge(f.e.get("equity_financing_2y"), p["small_min_equity_2y"])),
        "small_rd_total": OR(
            NOT(is_small), None if rd0 is None or rd1 is None else rd0 + rd1 >= D(p["small_min_rd_total_2y"])
        ),
        "small_rd_staff": OR(NOT(is_small), ge(f.m["rd_staff_share"], p["small_min_rd_staff_share"])),
        "rd_institution": None if level is None else level != "none",
        "ip_i": ge(f.get("ip_i_count"), p["min_ip_i"]),
        "award_top": OR(
            rank_in(f.e.get("st_award_national_rank"), p["direct_award_max_rank"]),
            rank_in(f.e.get("st_award_provincial_rank"), p["direct_award_max_rank"]),
        ),
        "maker_china": rank_in(f.e.get("maker_china_rank"), p["direct_maker_china_max_rank"]),
        "chain": f.e.get("chain_role_ok"),
        "key_field": f.e.get("key_field_ok"),
    }
    xin = (
        "any",
        "xin",
        [
            (
                "all",
                "xin_general",
                [
                    "rd_ratio_large",
                    "rd_ratio_mid",
                    "small_equity",
                    "small_rd_total",
                    "small_rd_staff",
                    "rd_institution",
                    "ip_i",
                ],
            ),
            ("any", "xin_direct", ["award_top", "maker_china"]),
        ],
    )
    tree = (
        "all",
        "root",
        [
            ("all", "zhuan", ["niche_years", "main_share", "main_growth_avg"]),
            ("all", "jing", ["info_system", "certification", "liability"]),
            ("all", "te", ["market_share", "brand"]),
            xin,
            "chain",
            "key_field",
        ],
    )
    return Rule(tree, leaves)


def little_giant_2026(f: Facts, p: Reader, re_review: bool) -> Rule:
    rev, rev2 = f.get("revenue"), f.get("revenue", 2)
    rd0, rd1 = f.get("rd_expense"), f.get("rd_expense", 1)
    growth = D(p["min_revenue_cagr_2y"])
    if rev is None or rev2 is None or rev2 <= 0:
        cagr: Tri = None
    else:
        factor = CONTEXT.multiply(1 + growth / 100, 1 + growth / 100)
        cagr = rev >= CONTEXT.multiply(rev2, factor)
    market = f.get("market_share")
    leaves = {
        "prerequisite": f.tier_rank() >= TIER_RANK[str(p["prerequisite_tier"])],
        "niche_years": ge(f.e.get("niche_years"), p["min_niche_years"]),
        "revenue": ge(rev, p["min_revenue"]),
        "main_share": ge(f.m["main_share"], p["min_main_share"]),
        "revenue_cagr": OR(re_review, cagr),
        "liability": le(f.m["liability"], p["max_liability"]),
        "rd_total_2y": None if rd0 is None or rd1 is None else rd0 + rd1 >= D(p["min_rd_total_2y"]),
        "rd_ratio_y0": ge(f.m["rd_ratio0"], p["min_rd_ratio"]),
        "rd_ratio_y1": ge(f.m["rd_ratio1"], p["min_rd_ratio"]),
        "ip_i": ge(f.get("ip_i_count"), p["min_ip_i"]),
        "national_award": rank_in(f.e.get("st_award_national_rank"), p["ip_waiver_national_award_max_rank"]),
        "market_share": None if market is None else market >= float(p["min_market_share"]),
        "national_rank": rank_in(f.e.get("national_market_rank"), p["alt_national_rank"]),
        "dev_score": dev_score(f, p["min_dev_score"], re_review),
    }
    tree = (
        "all",
        "root",
        [
            "prerequisite",
            "niche_years",
            "revenue",
            "main_share",
            "revenue_cagr",
            "liability",
            "rd_total_2y",
            "rd_ratio_y0",
            "rd_ratio_y1",
            ("any", "ip", ["ip_i", "national_award"]),
            ("any", "share", ["market_share", "national_rank"]),
            "dev_score",
        ],
    )
    return Rule(tree, leaves, {}, score_value(f))


def single_champion(f: Facts, p: Reader) -> Rule:
    low, high = (str(v) for v in p["criteria.single_champion.manufacturing_divisions"])
    code = f.e.get("industry_code")
    manufacturing = OR(None if code is None else low <= code[:2] <= high, f.e.get("is_production_service"))
    years = f.e.get("niche_years")
    field_years = OR(
        ge(years, p["criteria.single_champion.min_field_years"]),
        AND(f.e.get("main_product_is_new"), ge(years, p["criteria.single_champion.new_product_min_years"])),
    )
    rule = str(p["criteria.single_champion.revenue_rule"])
    threshold = D(p["criteria.single_champion.min_revenue"])
    if rule == "revenue_or_little_giant":
        revenue = OR(ge(f.get("revenue"), threshold), f.tier_rank() >= TIER_RANK["little_giant"])
    else:
        parts = [f.get("main_revenue", k) for k in range(3)]
        revenue = None if any(x is None for x in parts) else sum(parts, Decimal(0)) >= 3 * threshold
    own = f.e.get("ip_i_own")
    leaves = {
        "manufacturing": manufacturing,
        "field_years": field_years,
        "global_rank": rank_in(f.e.get("global_market_rank"), p["criteria.single_champion.max_global_rank"]),
        "revenue": revenue,
        "profit": f.e.get("profit_above_industry"),
        "own_ip": None if own is None else own >= 1,
        "standard": f.e.get("standard_setting"),
        "compliance": f.e.get("compliance_ok"),
    }
    return Rule(("all", "root", list(leaves)), leaves)


def provincial_champion(f: Facts, p: Reader) -> Rule:
    leaves: dict[str, Tri] = {}
    for spec in p["criteria.provincial_champion.conditions"]:
        leaves[str(spec["id"])] = province_condition(
            f, str(spec["metric"]), str(spec["op"]), spec["threshold"]
        )
    return Rule(("all", "root", list(leaves)), leaves)


def province_condition(f: Facts, metric: str, op: str, threshold: Any) -> Tri:
    if metric == "current_tier":
        return f.tier_rank() >= TIER_RANK[str(threshold)]
    ratios = {
        "main_revenue_share": (f.get("main_revenue"), f.get("revenue")),
        "rd_ratio": (f.get("rd_expense"), f.get("revenue")),
        "liability_ratio": (f.get("total_liabilities"), f.get("total_assets")),
        "net_margin": (f.get("net_profit"), f.get("revenue")),
    }
    if metric == "main_revenue_growth":
        c, prev = f.get("main_revenue"), f.get("main_revenue", 1)
        ratios[metric] = (None if c is None or prev is None else c - prev, prev)
    if metric in ratios:
        num, den = ratios[metric]
        at_least, above = ge_ratio(num, den, threshold), ge_ratio(num, den, threshold, strict=True)
        return {">=": at_least, ">": above, "<=": NOT(above), "<": NOT(at_least)}[op]
    plain = {
        "niche_years": f.e.get("niche_years"),
        "revenue": f.get("revenue"),
        "rd_expense": f.get("rd_expense"),
        "market_share": f.get("market_share"),
        "ip_i_count": f.get("ip_i_count"),
    }
    value = plain[metric]
    if value is None:
        return None
    left, right = (D(repr(value)) if isinstance(value, float) else D(value)), D(threshold)
    return {">=": left >= right, ">": left > right, "<=": left <= right, "<": left < right}[op]


# ---------------------------------------------------------------- whole evaluation


@dataclass
class TierResult:
    criteria_set: str
    qualifies: Tri
    score: float | None
    unmet: list[tuple[str, str]]
    leaves: dict[str, Tri] = field(default_factory=dict)
    items: dict[str, tuple[int | None, int]] = field(default_factory=dict)
    score_min: float | None = None
    score_max: float | None = None


def selected_set(params: ParameterSet, as_of: dt.date, tier: str, re_review: bool) -> str:
    if tier == "provincial_champion":
        return "省定"
    if tier == "single_champion":
        return str(params.value("criteria.single_champion.version", as_of))
    name = f"criteria.selection.re_review.{tier}" if re_review else "criteria.selection.first"
    return str(params.value(name, as_of))


class Readers:
    """One cached Reader per parameter prefix, shared by all enterprises of a run."""

    def __init__(self, params: ParameterSet, as_of: dt.date) -> None:
        self.params, self.as_of = params, as_of
        self.by_prefix: dict[str, Reader] = {}
        self.upper = params.value("criteria.band_edges", as_of) == "upper_inclusive"
        self.sets = {
            (tier, again): selected_set(params, as_of, tier, again)
            for tier in TIERS
            for again in (False, True)
        }

    def __call__(self, prefix: str) -> Reader:
        if prefix not in self.by_prefix:
            self.by_prefix[prefix] = Reader(self.params, self.as_of, prefix)
        return self.by_prefix[prefix]


def evaluate_tier(f: Facts, tier: str, readers: Readers) -> TierResult:
    re_review = f.tier_rank() >= TIER_RANK[tier]
    criteria_set = readers.sets[(tier, re_review)]
    upper = readers.upper
    if tier == "innovative":
        rule = innovative(f, readers("criteria.innovative."), upper)
    elif tier == "srdi" and criteria_set == "2026":
        rule = srdi_2026(f, readers("criteria.2026.srdi."), re_review)
    elif tier == "srdi":
        rule = srdi_2022(f, readers(f"criteria.{criteria_set}.srdi."), upper)
    elif tier == "little_giant" and criteria_set == "2026":
        rule = little_giant_2026(f, readers("criteria.2026.little_giant."), re_review)
    elif tier == "little_giant":
        rule = little_giant_2022(f, readers(f"criteria.{criteria_set}.little_giant."), upper)
    elif tier == "single_champion":
        rule = single_champion(f, readers(""))
    else:
        rule = provincial_champion(f, readers(""))
    groups: dict[str, Tri] = {}
    qualifies = node_value(rule.tree, rule.leaves, groups)
    unmet = [] if qualifies is True else unmet_leaves(rule.tree, rule.leaves, groups)
    low, high = score_range(rule)
    return TierResult(criteria_set, qualifies, rule.score, unmet, rule.leaves, rule.items, low, high)


def score_range(rule: Rule) -> tuple[float | None, float | None]:
    """The lowest and highest score the enterprise can have: unknown items at 0 and at their
    maximum (equal to the score when every item is known); an input score is its own range."""
    if not rule.items:
        return rule.score, rule.score
    low = sum(points or 0 for points, _ in rule.items.values())
    high = sum(top if points is None else points for points, top in rule.items.values())
    return float(low), float(high)


def facts_for(enterprise: dict[str, Any], years: dict[int, dict[str, Any]], data_year: int) -> Facts:
    e = dict(enterprise)
    for name in ENTERPRISE_MONEY:
        e[name] = to_money(e.get(name))
    e["current_tier"] = e.get("current_tier") or "none"
    ys = []
    for back in range(3):
        row = dict.fromkeys(YEARLY)
        row.update(years.get(data_year - back, {}))
        for name in YEARLY_MONEY:
            row[name] = to_money(row[name])
        ys.append(row)
    return Facts(e, ys, metrics(ys))


def recognise(
    enterprises: pl.DataFrame, indicators: pl.DataFrame, as_of: dt.date, params: ParameterSet
) -> dict[tuple[str, str], TierResult]:
    data_year = as_of.year - int(params.value("criteria.data_year_lag", as_of))
    by_code: dict[str, dict[int, dict[str, Any]]] = {}
    for row in indicators.iter_rows(named=True):
        by_code.setdefault(row["credit_code"], {})[row["year"]] = row
    readers = Readers(params, as_of)
    results = {}
    for enterprise in enterprises.iter_rows(named=True):
        f = facts_for(enterprise, by_code.get(enterprise["credit_code"], {}), data_year)
        for tier in TIERS:
            results[(enterprise["credit_code"], tier)] = evaluate_tier(f, tier, readers)
    return results


# ---------------------------------------------------------------- awards

FIXED: dict[str, list[str]] = {
    "recognized_provincial_champion": ["awards.provincial_champion.amount"],
    "recognized_little_giant": ["awards.little_giant.amount"],
    "recognized_single_champion": ["awards.single_champion.amount"],
    "relocated_little_giant": ["awards.little_giant_relocated.amount"],
    "relocated_single_champion": ["awards.single_champion_relocated.amount"],
    "industrial_internet_platform": ["awards.industrial_internet_platform.amount"],
    "srdi_board_listing": ["awards.srdi_board_listing.amount"],
    "public_service_platform_national": ["awards.public_service_platform_national.amount"],
}
RATES: dict[str, list[tuple[str, str | None]]] = {
    "network_security_project": [("awards.network_security.rate", "awards.network_security.cap")],
    "four_transformations_project": [("awards.four_transformations.rate", "awards.four_transformations.cap")],
    "publicity": [("awards.publicity.province_rate", None), ("awards.publicity.city_rate", None)],
}
GRADE_ORDER = {"3A": 1, "4A": 2, "5A": 3}


@dataclass
class Entitlement:
    event_no: int
    credit_code: str
    award: str
    status: str
    amount: Decimal | None


def value_on(params: ParameterSet, parameter_id: str, day: dt.date) -> Any:
    entry = params[parameter_id].entry_at(day)
    return None if entry is None else entry.value


def last_value_on(params: ParameterSet, parameter_id: str, day: dt.date) -> Any:
    """The last value the parameter had on or before ``day``, also after it has ended (null value)."""
    found = None
    for entry in params[parameter_id].values:
        if entry.start > day:
            break
        if entry.value is not None:
            found = entry.value
    return found


def share(base: Decimal, rate: Any) -> Decimal:
    return CONTEXT.multiply(base, D(rate) / 100).quantize(MONEY_PLACES, rounding=ROUND_HALF_UP)


def entitle(
    enterprises: pl.DataFrame,
    events: pl.DataFrame,
    as_of: dt.date,
    params: ParameterSet,
    prior: pl.DataFrame | None = None,
) -> list[Entitlement]:
    """Every (event, award) with status and amount, in event order, by the same rules as the engine."""
    cities = {r["credit_code"]: r["city_code"] for r in enterprises.iter_rows(named=True)}
    once_taken: set[tuple[str, str]] = set()
    best_grade: dict[str, int] = {}
    for row in prior.iter_rows(named=True) if prior is not None else []:
        award = row["award"]
        if award.startswith("digital_assessment."):
            rank = GRADE_ORDER.get(award.split(".", 1)[1], 0)
            best_grade[row["credit_code"]] = max(best_grade.get(row["credit_code"], 0), rank)
        key = once_key_of(params, award)
        if key:
            once_taken.add((row["credit_code"], key))
    rows = [r for r in events.iter_rows(named=True) if r["date"] <= as_of]
    numbered = sorted(enumerate(rows), key=lambda pair: (pair[1]["date"], pair[0]))
    found: list[Entitlement] = []
    for number, event in numbered:
        code, city = event["credit_code"], cities.get(event["credit_code"])
        for award, status, amount, key in awards_for_event(event, city, params, best_grade):
            if status == "应享" and key is not None:
                if (code, key) in once_taken:
                    status, amount = "已享受", None
                else:
                    once_taken.add((code, key))
            found.append(Entitlement(number, code, award, status, amount))
    return found


def once_key_of(params: ParameterSet, award: str) -> str | None:
    for parameter in params.values():
        meta = parameter.meta
        if meta.get("award") == award and meta.get("once_key") and not award.startswith("digital_assessment"):
            return str(meta["once_key"])
    return None


def awards_for_event(
    event: dict[str, Any], city: str | None, params: ParameterSet, best_grade: dict[str, int]
) -> list[tuple[str, str, Decimal | None, str | None]]:
    kind, day = event["kind"], event["date"]
    out: list[tuple[str, str, Decimal | None, str | None]] = []
    for parameter_id in [*FIXED.get(kind, []), *city_awards(params, kind, city)]:
        meta = params[parameter_id].meta
        value = value_on(params, parameter_id, day)
        amount = None if value is None else D(value)
        status = "不在政策期内" if amount is None else ("无奖补金额" if amount <= 0 else "应享")
        out.append((str(meta["award"]), status, amount, meta.get("once_key")))
    for rate_id, cap_id in RATES.get(kind, []):
        meta = params[rate_id].meta
        rate, base = value_on(params, rate_id, day), to_money(event.get("amount"))
        if rate is None:
            out.append((str(meta["award"]), "不在政策期内", None, meta.get("once_key")))
            continue
        if base is None:
            out.append((str(meta["award"]), "数据不足", None, meta.get("once_key")))
            continue
        amount = share(base, rate)
        if cap_id is not None:
            amount = min(amount, D(value_on(params, cap_id, day)))
        out.append((str(meta["award"]), "应享" if amount > 0 else "无奖补金额", amount, meta.get("once_key")))
    if kind == "cloud_service_provider":
        out.append(cloud_award(event, params))
    if kind == "digital_assessment":
        out.append(digital_award(event, params, best_grade))
    return out


def city_awards(params: ParameterSet, kind: str, city: str | None) -> list[str]:
    return [
        p.id
        for p in params.with_prefix("awards.city.")
        if p.scope and p.meta.get("event") == kind and p.scope == city
    ]


def cloud_award(event: dict[str, Any], params: ParameterSet) -> tuple[str, str, Decimal | None, str | None]:
    meta = params["awards.cloud_service_provider.cap"].meta
    key, day, rank = meta.get("once_key"), event["date"], event.get("rank")
    cap = value_on(params, "awards.cloud_service_provider.cap", day)
    if cap is None:
        return "cloud_service_provider", "不在政策期内", None, key
    if rank is None or rank < 1:
        return "cloud_service_provider", "数据不足", None, key
    schedule = value_on(params, "awards.cloud_service_provider.amount_by_rank", day) or []
    amount = Decimal(0)
    for step in schedule:
        if rank <= int(step["max_rank"]):
            amount = D(step["amount"])
            break
    amount = min(amount, D(cap))
    return "cloud_service_provider", "应享" if amount > 0 else "无奖补金额", amount, key


def digital_award(
    event: dict[str, Any], params: ParameterSet, best_grade: dict[str, int]
) -> tuple[str, str, Decimal | None, str | None]:
    grade, day, code = event.get("grade"), event["date"], event["credit_code"]
    award = f"digital_assessment.{grade}" if grade else "digital_assessment"

    def level(rank: int, last_known: bool = False) -> Decimal | None:
        if rank == 0:
            return Decimal(0)
        name = {1: "3a", 2: "4a", 3: "5a"}[rank]
        parameter_id = f"awards.digital_assessment.amount_{name}"
        value = last_value_on(params, parameter_id, day) if last_known else value_on(params, parameter_id, day)
        return None if value is None else D(value)

    rank = GRADE_ORDER.get(grade or "")
    if rank is None:
        return award, "数据不足", None, None
    this_level, policy = level(rank), value_on(params, "awards.upgrade_policy", day)
    if this_level is None or policy is None:
        return award, "不在政策期内", None, None
    previous = best_grade.get(code, 0)
    best_grade[code] = max(previous, rank)
    if rank <= previous:
        return award, "已享受", None, None
    # an upgrade nets the lower grade's amount, its last one if that award has ended since
    previous_level = level(previous, last_known=True)
    if previous_level is None:
        return award, "不在政策期内", None, None
    amount = this_level - previous_level if policy == "difference" else this_level
    return award, "应享", amount, None
