"""Recognition rules of the ladder, one tree per tier and criteria set (criteria.md §3).

Every number comes from a parameter read through ``ParamReader`` at the evaluation date; this
module holds only the *shape* of each rule.  Leaf ids are stable: they name unmet conditions in
results, in the YAML cases and in the reference implementation.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from zjtx.policy.engine import expr as ex
from zjtx.policy.engine.expr import Metric
from zjtx.policy.engine.parameters import ParameterError
from zjtx.policy.engine.schema import NONNEGATIVE, TIER_LABELS, TIER_RANK, VALUE_LABELS
from zjtx.policy.engine.tree import Group, Leaf, Node, ParamReader, RuleTree, ScoreItem, colname, fmt_number

# Score points are held as Int16 when every item's points lie within ±POINTS_BOUND (the sum of a
# dozen items then fits easily); a tree whose parameters allow more is built again in Int64.
POINTS_BOUND = 1_000
NARROW_POINTS = pl.Int16()


class Metrics:
    """Derived quantities shared by many rules; each is computed once as a real column."""

    def __init__(self) -> None:
        self.exprs: dict[str, pl.Expr] = {}
        self.ceils: dict[str, pl.Expr] = {}
        self.later: dict[str, pl.Expr] = {}

    def _keep(self, metric: Metric) -> Metric:
        """Keep ``floor`` as a real column; ``ceil`` (needed only by ``>``/``≤`` thresholds) becomes
        a real column the first time a rule reads it."""
        column = f"m.{metric.name}"
        self.exprs.setdefault(column, metric.floor.alias(column))
        if metric.ceil is metric.floor:
            return replace(metric, floor=pl.col(column), ceil=pl.col(column))
        self.ceils.setdefault(column + ":ceil", metric.ceil.alias(column + ":ceil"))
        return replace(metric, floor=pl.col(column), ceil=pl.col(column + ":ceil"))

    def derived(self, column: str, expr: pl.Expr) -> pl.Expr:
        """A quantity read several times by one rule, computed once as a column after the metrics."""
        self.later[column] = expr.alias(column)  # a rebuilt tree (wider points) replaces its own
        return pl.col(column)

    def columns(self, used: set[str]) -> list[pl.Expr]:
        """The metric columns to compute: every floor, and the ceilings some rule reads."""
        return [*self.exprs.values(), *(e for name, e in self.ceils.items() if name in used)]

    def ratio(self, name: str, numerator: str, denominator: str) -> Metric:
        inputs = (numerator, denominator)
        # Every denominator here is a yearly input checked to be ≥ 0 (revenue, assets, employees).
        assert denominator.rsplit("_y", 1)[0] in NONNEGATIVE, denominator
        return self._keep(ex.ratio(name, pl.col(numerator), pl.col(denominator), inputs, True))

    def rd_ratio(self, back: int) -> Metric:
        return self.ratio(f"rd_ratio_y{back}", f"rd_expense_y{back}", f"revenue_y{back}")

    def main_share(self) -> Metric:
        return self.ratio("main_share_y0", "main_revenue_y0", "revenue_y0")

    def liability(self) -> Metric:
        return self.ratio("liability_y0", "total_liabilities_y0", "total_assets_y0")

    def net_margin(self) -> Metric:
        return self.ratio("net_margin_y0", "net_profit_y0", "revenue_y0")

    def rd_staff_share(self) -> Metric:
        return self.ratio("rd_staff_share_y0", "rd_staff_y0", "employees_y0")

    def main_growth(self) -> Metric:
        return self._keep(ex.growth("main_growth_y0", "main_revenue_y0", "main_revenue_y1"))

    def main_growth_avg(self) -> Metric:
        return self._keep(ex.average_growth("main_growth_avg", "main_revenue_y0", "main_revenue_y1", "main_revenue_y2"))


class Builder:
    """Makes leaves and score items for one tier and criteria set, reading parameters by name."""

    def __init__(
        self,
        reader: ParamReader,
        metrics: Metrics,
        tier: str,
        criteria_set: str,
        prefix: str,
        points: pl.DataType = NARROW_POINTS,
    ) -> None:
        self.points = points  # dtype of score points
        self.fits = True  # every point value seen so far fits ``points`` (see POINTS_BOUND)
        self.reader = reader
        self.metrics = metrics
        self.tier = tier
        self.criteria_set = criteria_set
        self.prefix = prefix
        self.upper_inclusive = reader.value("criteria.band_edges") == "upper_inclusive"

    def pid(self, name: str) -> str:
        return name if name.startswith("criteria.") else self.prefix + name

    def p(self, name: str) -> Any:
        return self.reader.value(self.pid(name))

    def clause(self, name: str) -> str:
        return self.reader.clause(self.pid(name))

    def col(self, name: str) -> str:
        return colname(self.tier, self.criteria_set, name)

    def point(self, value: Any) -> pl.Expr:
        """A literal number of points in the points dtype (noting values too large for it)."""
        number = int(value)
        if abs(number) > POINTS_BOUND:
            self.fits = False
        return pl.lit(number, dtype=self.points if self.fits else pl.Int64)

    def null_points(self) -> pl.Expr:
        return pl.lit(None, dtype=self.points)

    def clipped(self, raw: pl.Expr, lower: int | None, upper: int, least: int | None) -> pl.Expr:
        """``raw.clip(lower, upper)`` in the points dtype; ``least`` is the smallest value the clipped
        points can take (None if unbounded).  In Int16 the clip is a when/then chain and the cast a
        wrapping one: exact for values clipped into ±POINTS_BOUND, and about 4× cheaper."""
        if least is None or not (-POINTS_BOUND <= least <= upper <= POINTS_BOUND):
            self.fits = False
        if not self.fits:
            return raw.clip(lower, upper).cast(pl.Int64)
        chain: Any = pl.when(raw > upper).then(pl.lit(upper, dtype=pl.Int64))
        if lower is not None:
            chain = chain.when(raw < lower).then(pl.lit(lower, dtype=pl.Int64))
        points: pl.Expr = chain.otherwise(raw).cast(self.points, wrap_numerical=True)
        return points

    def compare(self, id_: str, label: str, metric: Metric, op: str, name: str) -> Leaf:
        value = self.p(name)
        return Leaf(
            id_,
            label,
            metric.compare(op, value),
            metric.display,
            metric.unit,
            f"{_OP_TEXT[op]} {fmt_number(value)}{metric.unit}",
            (self.pid(name),),
            self.clause(name),
            metric.inputs,
            denominators=metric.denominators,
        )

    def flag(self, id_: str, label: str, column: str, clause: str) -> Leaf:
        return Leaf(id_, label, pl.col(column), pl.col(column).cast(pl.Float64), "是/否", "是", (), clause, (column,))

    def rank(self, id_: str, label: str, columns: tuple[str, ...], name: str) -> Leaf:
        """Any of the rank columns (0 = none) within the top N given by parameter ``name``."""
        top = self.p(name)
        passed = ex.kleene_any([ex.rank_within(c, top) for c in columns])
        actual = pl.min_horizontal([pl.when(pl.col(c) > 0).then(pl.col(c)) for c in columns])
        return Leaf(
            id_,
            label,
            passed,
            actual.cast(pl.Float64),
            "名",
            f"前 {fmt_number(top)} 名",
            (self.pid(name),),
            self.clause(name),
            columns,
        )

    def institution(self, id_: str, label: str, name: str) -> Leaf:
        levels = [str(v) for v in self.p(name)]
        names = VALUE_LABELS["rd_institution_level"]
        return Leaf(
            id_,
            label,
            one_of("rd_institution_level", levels),
            None,
            "级别",
            "、".join(names.get(v, v) for v in levels),
            (self.pid(name),),
            self.clause(name),
            ("rd_institution_level",),
        )

    def band(self, id_: str, label: str, group: str, metric: Metric, name: str) -> ScoreItem:
        table = self.p(name)
        literals = [self.point(v) for v in table["points"]]
        dtype = self.points if self.fits else pl.Int64()
        points = ex.band_points(metric, table, self.upper_inclusive, literals, dtype)
        return ScoreItem(
            id_, label, group, points, max(int(p) for p in table["points"]), (self.pid(name),), metric.inputs,
            metric.denominators,
        )

    def ip_points(self, id_: str, group: str, name: str) -> ScoreItem:
        table = {k: int(v) for k, v in self.p(name).items()}
        steps = (
            ("ip_i_high_value", "i_high_value"),
            ("ip_i_own", "i_own"),
            ("ip_i_count_y0", "i_any"),
            ("ip_ii_count", "ii_any"),
        )
        # Walk from the best class down; an unknown count above a known one leaves the points unknown.
        chain: Any = pl
        for column, key in steps:
            chain = chain.when(pl.col(column).is_null()).then(self.null_points())
            chain = chain.when(pl.col(column) >= 1).then(self.point(table[key]))
        points = chain.otherwise(self.point(table["none"]))
        return ScoreItem(
            id_,
            "与主导产品相关的有效知识产权",
            group,
            points,
            max(table.values()),
            (self.pid(name),),
            tuple(c for c, _ in steps),
        )

    def mapping(self, id_: str, label: str, group: str, column: str, name: str) -> ScoreItem:
        table = {k: int(v) for k, v in self.p(name).items()}
        points = lookup(column, {k: self.point(v) for k, v in table.items()}, self.null_points())
        return ScoreItem(id_, label, group, points, max(table.values()), (self.pid(name),), (column,))

    def score_leaf(self, id_: str, label: str, items: tuple[ScoreItem, ...], name: str) -> Leaf:
        """Score of ``items`` at least the parameter: decided from the known points when it can be."""
        threshold = int(self.p(name))
        lows = [pl.col(self.col(f"item_lo:{item.id}")) for item in items]
        highs = [pl.col(self.col(f"item_hi:{item.id}")) for item in items]
        low, high, known = ex.score_bounds(lows, highs)
        decided = pl.when(low >= threshold).then(True).when(high < threshold).then(False)
        passed = decided.otherwise(pl.lit(None, dtype=pl.Boolean))
        actual = pl.when(known).then(low.cast(pl.Float64))
        inputs = tuple(dict.fromkeys(i for item in items for i in item.inputs))
        return Leaf(
            id_,
            label,
            passed,
            actual,
            "分",
            f"≥ {threshold}分",
            (self.pid(name),),
            self.clause(name),
            inputs,
            after_scores=True,
            items=tuple(item.id for item in items),
            denominators=tuple(dict.fromkeys(d for item in items for d in item.denominators)),
        )


_OP_TEXT = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def lookup(column: str, table: dict[str, pl.Expr], null: pl.Expr) -> pl.Expr:
    """``replace_strict(table, default=None)`` for a string column, as equality tests: far cheaper
    than hashing every string for a table of a few keys.  Unknown or null values give null."""
    chain: Any = pl
    for key, value in table.items():
        chain = chain.when(ex.equals(column, key)).then(value)
    if chain is pl:
        return null
    result: pl.Expr = chain.otherwise(null)
    return result


def one_of(column: str, values: list[str]) -> pl.Expr:
    """``is_in(values)`` as an OR of equality tests (same nulls: a null value gives null)."""
    if not values:
        return pl.col(column).is_in(values)
    return ex.kleene_any([ex.equals(column, value) for value in dict.fromkeys(values)])


def _money(name: str) -> Metric:
    return ex.money(name)


def _all(id_: str, label: str, *children: Node) -> Group:
    return Group(id_, label, "all", tuple(children))


def _any(id_: str, label: str, *children: Node) -> Group:
    return Group(id_, label, "any", tuple(children))


# ---------------------------------------------------------------- 创新型中小企业 (3.1)


def innovative(b: Builder) -> RuleTree:
    m = b.metrics
    items = (
        b.ip_points("ip", "创新能力", "ip_points"),
        b.band("rd_ratio", "上年度研发费用占营业收入比重", "创新能力", m.rd_ratio(0), "rd_ratio_points"),
        b.band("main_growth", "上年度主营业务收入增长率", "成长性", m.main_growth(), "main_growth_points"),
        b.band("liability", "上年度资产负债率", "成长性", m.liability(), "liability_points"),
        _field_points(b),
        b.band("main_share", "主营业务收入占营业收入比重", "专业化", m.main_share(), "main_share_points"),
    )
    by_group = {g: tuple(i for i in items if i.group == g) for g in ("创新能力", "成长性", "专业化")}
    direct = _any(
        "direct",
        "直通条件（任一）",
        Leaf(
            "st_award",
            "近3年获国家级或省级科技奖励",
            (pl.col("st_award_national_rank") >= 1) | (pl.col("st_award_provincial_rank") >= 1),
            None,
            "",
            "有",
            (),
            "标准3.1",
            ("st_award_national_rank", "st_award_provincial_rank"),
        ),
        b.flag("honour", "拥有有效期内的高新技术企业等荣誉", "has_honour", "标准3.1"),
        b.institution("rd_institution", "拥有经认定的省级以上研发机构", "direct_institution_levels"),
        b.compare("equity_3y", "近三年新增股权融资", _money("equity_financing_3y"), ">=", "direct_equity_3y"),
    )
    scored = _all(
        "scored",
        "评价得分达标（全部）",
        b.score_leaf("score_total", "评价总分", items, "min_total"),
        b.score_leaf("score_innovation", "创新能力得分", by_group["创新能力"], "min_innovation"),
        b.score_leaf("score_growth", "成长性得分", by_group["成长性"], "min_growth"),
        b.score_leaf("score_specialisation", "专业化得分", by_group["专业化"], "min_specialisation"),
    )
    root = _any("root", "直通条件任一满足，或评价得分达标", direct, scored)
    return RuleTree("innovative", b.criteria_set, _set_label(b.criteria_set), root, items)


def _field_points(b: Builder) -> ScoreItem:
    table = b.p("field_points")
    column = pl.col("strategic_emerging_field")
    points: pl.Expr = (
        pl.when(column)
        .then(b.point(table["strategic_emerging"]))
        .when(~column)
        .then(b.point(table["other"]))
        .otherwise(b.null_points())
    )
    return ScoreItem(
        "field",
        "主导产品所属领域",
        "专业化",
        points,
        int(table["strategic_emerging"]),
        (b.pid("field_points"),),
        ("strategic_emerging_field",),
    )


# ---------------------------------------------------------------- 专精特新中小企业 2022 (3.2)


def srdi_2022(b: Builder) -> RuleTree:
    m = b.metrics
    items = _srdi_items(b)
    rd_avg = ex.money_sum("rd_expense_2y", ("rd_expense_y0", "rd_expense_y1"))
    rd_avg_value = b.p("direct_rd_avg_2y")
    root = _all(
        "root",
        "四项条件同时满足",
        b.compare("niche_years", "从事特定细分市场年限", ex.integer("niche_years", "年"), ">=", "min_niche_years"),
        b.compare("rd_expense", "上年度研发费用总额", _money("rd_expense_y0"), ">=", "min_rd_expense"),
        b.compare("rd_ratio", "上年度研发费用占营业收入比重", m.rd_ratio(0), ">=", "min_rd_ratio"),
        _any(
            "scale",
            "营业收入达标，或近2年股权融资达标",
            b.compare("revenue", "上年度营业收入", _money("revenue_y0"), ">=", "min_revenue"),
            b.compare("equity_2y", "近2年新增股权融资", _money("equity_financing_2y"), ">=", "alt_equity_2y"),
        ),
        _any(
            "evaluation",
            "评价得分达标，或任一直通条件",
            b.score_leaf("score_total", "13项指标评价得分", items, "min_score"),
            b.rank(
                "provincial_award",
                "近三年省级科技奖励排名",
                ("st_award_provincial_rank",),
                "direct_provincial_award_max_rank",
            ),
            b.rank(
                "national_award",
                "近三年国家级科技奖励排名",
                ("st_award_national_rank",),
                "direct_national_award_max_rank",
            ),
            Leaf(
                "rd_avg_2y",
                "近两年研发费用均值",
                rd_avg.ge(rd_avg_value * 2),
                rd_avg.display / 2,
                "万元",
                f"≥ {fmt_number(rd_avg_value)}万元",
                (b.pid("direct_rd_avg_2y"),),
                b.clause("direct_rd_avg_2y"),
                rd_avg.inputs,
            ),
            b.compare(
                "equity_2y_direct",
                "近两年新增股权融资",
                _money("equity_financing_2y"),
                ">=",
                "direct_equity_2y",
            ),
            b.rank(
                "maker_china",
                '近三年“创客中国”全国名次',
                ("maker_china_rank",),
                "direct_maker_china_max_rank",
            ),
        ),
    )
    return RuleTree("srdi", b.criteria_set, _set_label(b.criteria_set), root, items)


def _srdi_items(b: Builder) -> tuple[ScoreItem, ...]:
    m = b.metrics
    niche = b.p("niche_years_points")
    # clip keeps nulls null (min_horizontal would skip them and invent points).
    # Inputs are checked non-negative, so with non-negative factors the points lie in [0, max].
    per_years, per_niche, niche_max = int(niche["per_years"]), int(niche["points"]), int(niche["max"])
    niche_points = b.clipped(
        pl.col("niche_years") // per_years * per_niche,
        None,
        niche_max,
        0 if per_years > 0 and per_niche >= 0 else None,
    )
    quality = b.p("quality_points")
    per_item, quality_max = int(quality["per_item"]), int(quality["max"])
    quality_points = b.clipped(pl.col("quality_items") * per_item, None, quality_max, 0 if per_item >= 0 else None)
    local_max = int(b.p("local_max"))
    local_points = b.clipped(pl.col("local_feature_score"), 0, local_max, 0 if local_max >= 0 else None)
    return (
        b.band("main_share", "主营业务收入占营业收入比重", "专业化", m.main_share(), "main_share_points"),
        b.band(
            "main_growth_avg",
            "近2年主营业务收入平均增长率",
            "专业化",
            m.main_growth_avg(),
            "main_growth_points",
        ),
        ScoreItem(
            "niche_years",
            "从事特定细分市场年限",
            "专业化",
            niche_points,
            int(niche["max"]),
            (b.pid("niche_years_points"),),
            ("niche_years",),
        ),
        b.mapping("field", "主导产品所属领域", "专业化", "key_chain_field", "field_points"),
        b.band("digital", "数字化水平", "精细化", ex.integer("digital_level", "级"), "digital_points"),
        ScoreItem(
            "quality",
            "质量管理水平",
            "精细化",
            quality_points,
            int(quality["max"]),
            (b.pid("quality_points"),),
            ("quality_items",),
        ),
        b.band("net_margin", "上年度净利润率", "精细化", m.net_margin(), "net_margin_points"),
        b.band("liability", "上年度资产负债率", "精细化", m.liability(), "liability_points"),
        ScoreItem(
            "local",
            "特色化指标",
            "特色化",
            local_points,
            local_max,
            (b.pid("local_max"),),
            ("local_feature_score",),
        ),
        b.ip_points("ip", "创新能力", "ip_points"),
        _rd_points(b),
        b.band("rd_staff", "研发人员占职工总数比重", "创新能力", m.rd_staff_share(), "rd_staff_points"),
        b.mapping("institution", "自建研发机构级别", "创新能力", "rd_institution_level", "institution_points"),
    )


def _rd_points(b: Builder) -> ScoreItem:
    """Indicator 11: the higher of the amount band and the ratio band."""
    by_amount = b.band("rd_amount", "", "", _money("rd_expense_y0"), "rd_amount_points")
    by_ratio = b.band("rd_ratio", "", "", b.metrics.rd_ratio(0), "rd_ratio_points")
    top = max(by_amount.max_points, by_ratio.max_points)
    # Kleene max: either band at the top decides even if the other is unknown; else both must be
    # known.  ``|`` is Kleene, and a plain ``max_horizontal`` would skip nulls, so the two cases
    # are told apart by the "either at the top" flag (true only when a known band is at the top).
    # Each band is a column of its own (computed in the stage before the items), read four times.
    amount = b.metrics.derived(b.col("band:rd_amount"), by_amount.points)
    ratio = b.metrics.derived(b.col("band:rd_ratio"), by_ratio.points)
    either_top = (amount == top) | (ratio == top)
    points = (
        pl.when(either_top.fill_null(False))
        .then(b.point(top))
        .otherwise(pl.when(amount >= ratio).then(amount).when(amount < ratio).then(ratio))
    )
    return ScoreItem(
        "rd",
        "上年度研发费用总额或占比（取高）",
        "创新能力",
        points,
        top,
        by_amount.params + by_ratio.params,
        ("rd_expense_y0", "revenue_y0"),
    )


# ---------------------------------------------------------------- 专精特新中小企业 2026 (3.6)


def srdi_2026(b: Builder) -> RuleTree:
    m = b.metrics
    root = _all(
        "root",
        "全部条件同时满足",
        _holds_tier(b, "prerequisite", "prerequisite_tier", tech_sme_counts=True),
        b.compare("niche_years", "从事特定细分市场年限", ex.integer("niche_years", "年"), ">=", "min_niche_years"),
        _any(
            "scale",
            "营业收入达标，或近2年股权融资达标",
            b.compare("revenue", "上年度营业收入", _money("revenue_y0"), ">=", "min_revenue"),
            b.compare("equity_2y", "近2年新增股权融资", _money("equity_financing_2y"), ">=", "alt_equity_2y"),
        ),
        b.compare("main_share", "主营业务收入占营业收入比重", m.main_share(), ">=", "min_main_share"),
        b.compare("liability", "上年度资产负债率", m.liability(), "<=", "max_liability"),
        b.compare("rd_expense_y0", "上年度研发费用", _money("rd_expense_y0"), ">=", "min_rd_expense"),
        b.compare("rd_ratio_y0", "上年度研发费用占营业收入比重", m.rd_ratio(0), ">=", "min_rd_ratio"),
        b.compare("rd_expense_y1", "前一年度研发费用", _money("rd_expense_y1"), ">=", "min_rd_expense"),
        b.compare("rd_ratio_y1", "前一年度研发费用占营业收入比重", m.rd_ratio(1), ">=", "min_rd_ratio"),
        _any(
            "ip",
            "I类知识产权达标，或获科技奖励、有研发机构",
            b.compare("ip_i", "与主导产品相关的I类知识产权", ex.integer("ip_i_count_y0", "项"), ">=", "min_ip_i"),
            Leaf(
                "st_award",
                "近3年获国家级或省级科技奖励",
                (pl.col("st_award_national_rank") >= 1) | (pl.col("st_award_provincial_rank") >= 1),
                None,
                "",
                "有",
                (),
                "标准3.6",
                ("st_award_national_rank", "st_award_provincial_rank"),
            ),
            b.institution("rd_institution", "拥有研发机构", "ip_waiver_institution_levels"),
        ),
        b.flag("niche_share_leading", "细分市场占有率国内或国际领先", "niche_share_leading", "标准3.6"),
        _dev_score(b),
    )
    return RuleTree("srdi", b.criteria_set, _set_label(b.criteria_set), root, (), "dev_eval_score")


def _holds_tier(b: Builder, id_: str, name: str, *, tech_sme_counts: bool = False) -> Leaf:
    tier = str(b.p(name))
    passed = pl.col("tier_rank") >= TIER_RANK[tier]
    label = f"已是{TIER_LABELS[tier]}"
    inputs: tuple[str, ...] = ("current_tier",)
    if tech_sme_counts:
        passed = passed | pl.col("is_tech_sme")
        label += "（或有效的科技型中小企业）"
        inputs += ("is_tech_sme",)
    return Leaf(
        id_,
        label,
        passed,
        pl.col("tier_rank").cast(pl.Float64),
        "级",
        f"≥ {TIER_LABELS[tier]}",
        (b.pid(name),),
        b.clause(name),
        inputs,
    )


def _dev_score(b: Builder) -> Leaf:
    threshold = b.p("min_dev_score")
    current = ex.floating("dev_eval_score", "分")
    previous = ex.floating("dev_eval_score_prev", "分")
    re_review = pl.col(review_column(b.tier))
    passed = current.ge(threshold) | (re_review & previous.ge(threshold))
    return Leaf(
        "dev_score",
        "专精特新发展评价得分（复核时近2年任一年）",
        passed,
        current.display,
        "分",
        f"≥ {fmt_number(threshold)}分",
        (b.pid("min_dev_score"),),
        b.clause("min_dev_score"),
        ("dev_eval_score", "dev_eval_score_prev"),
    )


# ---------------------------------------------------------------- 小巨人 2022 (3.3)


def little_giant_2022(b: Builder) -> RuleTree:
    m = b.metrics
    zhuan = _all(
        "zhuan",
        "专",
        b.compare(
            "niche_years",
            "截至上年末从事特定细分市场年限",
            ex.integer("niche_years", "年"),
            ">=",
            "min_niche_years",
        ),
        b.compare("main_share", "主营业务收入占营业收入比重", m.main_share(), ">=", "min_main_share"),
        b.compare("main_growth_avg", "近2年主营业务收入平均增长率", m.main_growth_avg(), ">=", "min_main_growth_avg"),
    )
    jing = _all(
        "jing",
        "精",
        b.flag("info_system", "至少一项核心业务采用信息系统支撑", "has_info_system", "标准3.3 精"),
        b.flag("certification", "取得管理体系或产品认证", "has_certification", "标准3.3 精"),
        b.compare("liability", "截至上年末资产负债率", m.liability(), "<=", "max_liability"),
    )
    te = _all(
        "te",
        "特",
        b.compare(
            "market_share",
            "主导产品全国细分市场占有率",
            ex.floating("market_share_y0", "%"),
            ">=",
            "min_market_share",
        ),
        b.flag("brand", "拥有自主品牌", "has_brand", "标准3.3 特"),
    )
    xin = _any(
        "xin",
        "新（一般条件全部满足，或任一直通条件）",
        _xin_general(b),
        _any(
            "xin_direct",
            "新的直通条件（任一）",
            b.rank(
                "award_top",
                "近三年科技奖励排名",
                ("st_award_national_rank", "st_award_provincial_rank"),
                "direct_award_max_rank",
            ),
            b.rank(
                "maker_china",
                '近三年“创客中国”全国名次',
                ("maker_china_rank",),
                "direct_maker_china_max_rank",
            ),
        ),
    )
    root = _all(
        "root",
        "专、精、特、新、链、品六组条件同时满足",
        zhuan,
        jing,
        te,
        xin,
        b.flag("chain", "产业链配套作用（链，省评）", "chain_role_ok", "标准3.3 链"),
        b.flag("key_field", "主导产品所属领域（品，省评）", "key_field_ok", "标准3.3 品"),
    )
    return RuleTree("little_giant", b.criteria_set, _set_label(b.criteria_set), root)


def _xin_general(b: Builder) -> Group:
    m = b.metrics
    revenue = _money("revenue_y0")
    large, mid = b.p("large_revenue"), b.p("mid_revenue")
    is_large = revenue.ge(large)
    is_mid = revenue.ge(mid) & revenue.lt(large)
    is_small = revenue.lt(mid)
    ratio_inputs = ("revenue_y0", "rd_expense_y0", "rd_expense_y1", "revenue_y1")

    def both_years(name: str) -> pl.Expr:
        value = b.p(name)
        return m.rd_ratio(0).ge(value) & m.rd_ratio(1).ge(value)

    def banded(
        id_: str,
        label: str,
        applies: pl.Expr,
        requirement: pl.Expr,
        name: str,
        text: str,
        actual: ex.Metric,
        inputs: tuple[str, ...],
        denominators: tuple[str, ...] | None = None,
    ) -> Leaf:
        return Leaf(
            id_,
            label,
            ex.implies(applies, requirement),
            actual.display,
            actual.unit,  # the metric's own unit: "31.03%", not "31.03"
            text,
            (b.pid(name),),
            b.clause(name),
            inputs,
            applies=applies,
            denominators=actual.denominators if denominators is None else denominators,
        )

    rd_total = ex.money_sum("rd_expense_2y", ("rd_expense_y0", "rd_expense_y1"))
    staff = m.rd_staff_share()
    return _all(
        "xin_general",
        "新的一般条件（全部）",
        banded(
            "rd_ratio_large",
            "营业收入1亿元以上：近2年每年研发费用占比",
            is_large,
            both_years("large_min_rd_ratio"),
            "large_min_rd_ratio",
            f"≥ {fmt_number(b.p('large_min_rd_ratio'))}%",
            m.rd_ratio(0),
            ratio_inputs,
            ("revenue_y0", "revenue_y1"),
        ),
        banded(
            "rd_ratio_mid",
            "营业收入5000万—1亿元：近2年每年研发费用占比",
            is_mid,
            both_years("mid_min_rd_ratio"),
            "mid_min_rd_ratio",
            f"≥ {fmt_number(b.p('mid_min_rd_ratio'))}%",
            m.rd_ratio(0),
            ratio_inputs,
            ("revenue_y0", "revenue_y1"),
        ),
        banded(
            "small_equity",
            "营业收入5000万元以下：近2年新增股权融资",
            is_small,
            _money("equity_financing_2y").ge(b.p("small_min_equity_2y")),
            "small_min_equity_2y",
            f"≥ {fmt_number(b.p('small_min_equity_2y'))}万元",
            _money("equity_financing_2y"),
            ("revenue_y0", "equity_financing_2y"),
        ),
        banded(
            "small_rd_total",
            "营业收入5000万元以下：近2年研发费用总额",
            is_small,
            rd_total.ge(b.p("small_min_rd_total_2y")),
            "small_min_rd_total_2y",
            f"≥ {fmt_number(b.p('small_min_rd_total_2y'))}万元",
            rd_total,
            ("revenue_y0", "rd_expense_y0", "rd_expense_y1"),
        ),
        banded(
            "small_rd_staff",
            "营业收入5000万元以下：研发人员占职工总数比重",
            is_small,
            staff.ge(b.p("small_min_rd_staff_share")),
            "small_min_rd_staff_share",
            f"≥ {fmt_number(b.p('small_min_rd_staff_share'))}%",
            staff,
            ("revenue_y0", "rd_staff_y0", "employees_y0"),
        ),
        Leaf(
            "rd_institution",
            "自建或共建研发机构",
            ~ex.equals("rd_institution_level", "none"),
            None,
            "",
            "有",
            (),
            "标准3.3 新",
            ("rd_institution_level",),
        ),
        b.compare("ip_i", "与主导产品相关的I类知识产权", ex.integer("ip_i_count_y0", "项"), ">=", "min_ip_i"),
    )


# ---------------------------------------------------------------- 小巨人 2026 (3.6)


def little_giant_2026(b: Builder) -> RuleTree:
    m = b.metrics
    rd_total = ex.money_sum("rd_expense_2y", ("rd_expense_y0", "rd_expense_y1"))
    root = _all(
        "root",
        "全部条件同时满足",
        _holds_tier(b, "prerequisite", "prerequisite_tier"),
        b.compare("niche_years", "从事特定细分市场年限", ex.integer("niche_years", "年"), ">=", "min_niche_years"),
        b.compare("revenue", "上年度营业收入", _money("revenue_y0"), ">=", "min_revenue"),
        b.compare("main_share", "主营业务收入占营业收入比重", m.main_share(), ">=", "min_main_share"),
        _revenue_cagr(b),
        b.compare("liability", "上年度资产负债率", m.liability(), "<=", "max_liability"),
        b.compare("rd_total_2y", "近2年研发费用总额", rd_total, ">=", "min_rd_total_2y"),
        b.compare("rd_ratio_y0", "上年度研发费用占营业收入比重", m.rd_ratio(0), ">=", "min_rd_ratio"),
        b.compare("rd_ratio_y1", "前一年度研发费用占营业收入比重", m.rd_ratio(1), ">=", "min_rd_ratio"),
        _any(
            "ip",
            "I类知识产权达标，或国家科技奖励排名前列",
            b.compare("ip_i", "与主导产品相关的I类知识产权", ex.integer("ip_i_count_y0", "项"), ">=", "min_ip_i"),
            b.rank(
                "national_award",
                "近3年国家科技奖励排名",
                ("st_award_national_rank",),
                "ip_waiver_national_award_max_rank",
            ),
        ),
        _any(
            "share",
            "细分市场占有率达标，或全国排名前列",
            b.compare(
                "market_share",
                "主导产品细分市场占有率",
                ex.floating("market_share_y0", "%"),
                ">=",
                "min_market_share",
            ),
            b.rank("national_rank", "主导产品全国细分市场排名", ("national_market_rank",), "alt_national_rank"),
        ),
        _dev_score(b),
    )
    return RuleTree("little_giant", b.criteria_set, _set_label(b.criteria_set), root, (), "dev_eval_score")


def _revenue_cagr(b: Builder) -> Leaf:
    """2-year compound revenue growth ≥ g  ⇔  revenue_y0 ≥ revenue_y2 · (1 + g)², in 128-bit integers."""
    growth = b.p("min_revenue_cagr_2y")
    factor = (1 + Fraction(Decimal(str(growth))) / 100) ** 2
    # Revenues are checked to be at most MONEY_LIMIT 分, so 64 bits suffice for usual factors.
    wide = ex.MONEY_LIMIT * max(factor.numerator, factor.denominator) >= 2**63
    current = pl.col("revenue_y0").cast(pl.Int128) if wide else pl.col("revenue_y0")
    base = pl.col("revenue_y2").cast(pl.Int128) if wide else pl.col("revenue_y2")
    meets = pl.when(base > 0).then(current * factor.denominator >= base * factor.numerator)
    passed = pl.col(review_column(b.tier)) | meets
    actual = pl.when(pl.col("revenue_y2") > 0).then(((pl.col("revenue_y0") / pl.col("revenue_y2")).sqrt() - 1) * 100)
    return Leaf(
        "revenue_cagr",
        "近2年营业收入复合增长率（复核时不看）",
        passed,
        actual,
        "%",
        f"≥ {fmt_number(growth)}%",
        (b.pid("min_revenue_cagr_2y"),),
        b.clause("min_revenue_cagr_2y"),
        ("revenue_y0", "revenue_y2"),
        denominators=("revenue_y2",),
    )


# ---------------------------------------------------------------- 单项冠军 (3.4)


def _division_between(code: pl.Expr, low: str, high: str) -> pl.Expr:
    """The 2-digit division (the code's first two characters) within [low, high].

    For two-character bounds this is ``low ≤ code < high⁺`` on the whole code (high⁺: the last
    character of ``high`` plus one): a string and its first two characters compare alike with any
    two-character string, so no 2-character copy of a million codes is made."""
    if len(low) != 2 or len(high) != 2:
        return code.str.slice(0, 2).is_between(pl.lit(low), pl.lit(high))
    after = high[0] + chr(ord(high[1]) + 1)
    return (code >= low) & (code < after)


def single_champion(b: Builder) -> RuleTree:
    low, high = (str(v) for v in b.p("manufacturing_divisions"))
    manufacturing = _division_between(pl.col("industry_code"), low, high) | pl.col("is_production_service")
    niche = ex.integer("niche_years", "年")
    field_years = b.p("min_field_years")
    new_years = b.p("new_product_min_years")
    years_ok = niche.ge(field_years) | (pl.col("main_product_is_new") & niche.ge(new_years))
    root = _all(
        "root",
        "全部条件同时满足",
        Leaf(
            "manufacturing",
            "制造业（或生产性服务业）企业",
            manufacturing,
            None,
            "",
            f"行业大类 {low}—{high}",
            (b.pid("manufacturing_divisions"),),
            b.clause("manufacturing_divisions"),
            ("industry_code", "is_production_service"),
        ),
        Leaf(
            "field_years",
            "从事相关领域年限（新产品另计）",
            years_ok,
            niche.display,
            "年",
            f"≥ {fmt_number(field_years)}年（新产品 ≥ {fmt_number(new_years)}年）",
            (b.pid("min_field_years"), b.pid("new_product_min_years")),
            b.clause("min_field_years"),
            ("niche_years", "main_product_is_new"),
        ),
        b.rank("global_rank", "单项产品市场占有率全球排名", ("global_market_rank",), "max_global_rank"),
        _champion_revenue(b),
        b.flag("profit", "盈利能力高于行业平均", "profit_above_industry", "标准3.4"),
        Leaf(
            "own_ip",
            "拥有核心自主知识产权（自主研发I类）",
            pl.col("ip_i_own") >= 1,
            pl.col("ip_i_own").cast(pl.Float64),
            "项",
            "≥ 1项",
            (),
            "标准3.4",
            ("ip_i_own",),
        ),
        b.flag("standard", "主导或参与制定标准", "standard_setting", "标准3.4"),
        b.flag("compliance", "近3年无重大违法违规、无异常经营或严重失信", "compliance_ok", "标准3.4"),
    )
    return RuleTree("single_champion", b.criteria_set, f"单项冠军{b.criteria_set}年规则", root)


def _champion_revenue(b: Builder) -> Leaf:
    rule = str(b.p("revenue_rule"))
    threshold = b.p("min_revenue")
    if rule == "revenue_or_little_giant":
        passed = _money("revenue_y0").ge(threshold) | (pl.col("tier_rank") >= TIER_RANK["little_giant"])
        return Leaf(
            "revenue",
            "上年度营业收入（已是小巨人的不限）",
            passed,
            _money("revenue_y0").display,
            "万元",
            f"≥ {fmt_number(threshold)}万元或已是小巨人",
            (b.pid("revenue_rule"), b.pid("min_revenue")),
            b.clause("min_revenue"),
            ("revenue_y0", "current_tier"),
        )
    if rule == "avg3_main_revenue":
        total = ex.money_sum("main_revenue_3y", ("main_revenue_y0", "main_revenue_y1", "main_revenue_y2"))
        return Leaf(
            "revenue",
            "近3年主营业务收入平均",
            total.ge(threshold * 3),
            total.display / 3,
            "万元",
            f"≥ {fmt_number(threshold)}万元",
            (b.pid("revenue_rule"), b.pid("min_revenue")),
            b.clause("min_revenue"),
            total.inputs,
        )
    raise ParameterError(f"criteria.single_champion.revenue_rule 取值未知：{rule}")


# ---------------------------------------------------------------- 省专精特新冠军 (3.5, 省定)


def provincial_champion(b: Builder) -> RuleTree:
    name = "criteria.provincial_champion.conditions"
    leaves = tuple(_province_leaf(b, name, spec) for spec in b.p(name))
    root = _all("root", "省定条件全部满足", *leaves)
    return RuleTree("provincial_champion", b.criteria_set, "省定条件", root)


def _province_leaf(b: Builder, name: str, spec: dict[str, Any]) -> Leaf:
    metric_name, op, threshold = str(spec["metric"]), str(spec["op"]), spec["threshold"]
    label = str(spec.get("label", metric_name))
    if metric_name == "current_tier":
        tier = str(threshold)
        passed = pl.col("tier_rank") >= TIER_RANK[tier]
        return Leaf(
            str(spec["id"]),
            label,
            passed,
            pl.col("tier_rank").cast(pl.Float64),
            "级",
            f"≥ {TIER_LABELS[tier]}",
            (name,),
            b.clause(name),
            ("current_tier",),
        )
    metric = _province_metric(b.metrics, metric_name)
    return Leaf(
        str(spec["id"]),
        label,
        metric.compare(op, threshold),
        metric.display,
        metric.unit,
        f"{_OP_TEXT[op]} {fmt_number(threshold)}{metric.unit}",
        (name,),
        b.clause(name),
        metric.inputs,
        denominators=metric.denominators,
    )


def _province_metric(m: Metrics, name: str) -> Metric:
    table = {
        "niche_years": lambda: ex.integer("niche_years", "年"),
        "revenue": lambda: _money("revenue_y0"),
        "rd_expense": lambda: _money("rd_expense_y0"),
        "main_revenue_share": m.main_share,
        "rd_ratio": lambda: m.rd_ratio(0),
        "liability_ratio": m.liability,
        "net_margin": m.net_margin,
        "main_revenue_growth": m.main_growth,
        "market_share": lambda: ex.floating("market_share_y0", "%"),
        "ip_i_count": lambda: ex.integer("ip_i_count_y0", "项"),
    }
    if name not in table:
        raise ParameterError(f"省专精特新冠军条件的 metric 未知：{name}")
    return table[name]()


def review_column(tier: str) -> str:
    """Per-tier column: true when the enterprise already holds the tier (复核), false for 首次认定."""
    return f"{tier}:re_review"


def _set_label(criteria_set: str) -> str:
    return f"{criteria_set}版梯度培育标准"
