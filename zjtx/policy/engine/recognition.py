"""Evaluate every recognition rule of the ladder on the per-enterprise frame, in a few stages.

Stages (each one ``with_columns`` so Polars runs the columns of a stage in parallel):
metrics → leaves and score items → scores and score leaves → groups → per-tier result.
Which criteria set applies is chosen per enterprise: the first-recognition set, or the
re-review set when the enterprise already holds the tier (both are dated parameters).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl

from zjtx.policy.engine import rules
from zjtx.policy.engine.expr import kleene_all, kleene_any, score_bounds
from zjtx.policy.engine.schema import TIER_RANK, TIERS
from zjtx.policy.engine.tree import Group, Leaf, Node, ParamReader, RuleTree, colname

BuilderFn = Callable[[rules.Builder], RuleTree]

STATUS_PASS = "符合"
STATUS_FAIL = "不符合"
STATUS_UNKNOWN = "数据不足"
STATUSES = (STATUS_PASS, STATUS_FAIL, STATUS_UNKNOWN)


@dataclass(frozen=True)
class TierPlan:
    """Which trees a tier needs in this run and which set each review mode uses."""

    tier: str
    first_set: str
    re_review_set: str
    trees: dict[str, RuleTree]

    def tree_for(self, criteria_set: str) -> RuleTree:
        return self.trees.get(criteria_set) or next(iter(self.trees.values()))


def plan(reader: ParamReader, metrics: rules.Metrics) -> list[TierPlan]:
    plans = []
    for tier in TIERS:
        first, again = _selected_sets(reader, tier)
        trees: dict[str, RuleTree] = {}
        for criteria_set in dict.fromkeys((first, again)):
            builder_fn, prefix, tree_set = _builder(tier, criteria_set)
            if tree_set in trees:
                continue
            builder = rules.Builder(reader, metrics, tier, tree_set, prefix)
            tree = builder_fn(builder)
            if not builder.fits:  # points too large for Int16: the same tree in Int64
                tree = builder_fn(rules.Builder(reader, metrics, tier, tree_set, prefix, pl.Int64()))
            trees[tree_set] = tree
        plans.append(TierPlan(tier, first, again, trees))
    return plans


def _selected_sets(reader: ParamReader, tier: str) -> tuple[str, str]:
    if tier == "provincial_champion":
        return "省定", "省定"
    if tier == "single_champion":
        version = str(reader.value("criteria.single_champion.version"))
        return version, version
    first = str(reader.value("criteria.selection.first"))
    again = str(reader.value(f"criteria.selection.re_review.{tier}"))
    return first, again


def _builder(tier: str, criteria_set: str) -> tuple[BuilderFn, str, str]:
    """(tree builder, parameter prefix, tree key).  创新型 uses the 3.1 scoring under both sets."""
    if tier == "innovative":
        return rules.innovative, "criteria.innovative.", "3.1"
    if tier == "srdi":
        fn = rules.srdi_2026 if criteria_set == "2026" else rules.srdi_2022
        return fn, f"criteria.{criteria_set}.srdi.", criteria_set
    if tier == "little_giant":
        fn = rules.little_giant_2026 if criteria_set == "2026" else rules.little_giant_2022
        return fn, f"criteria.{criteria_set}.little_giant.", criteria_set
    if tier == "single_champion":
        return rules.single_champion, "criteria.single_champion.", criteria_set
    return rules.provincial_champion, "criteria.provincial_champion.", criteria_set


def tree_key(tier_plan: TierPlan, criteria_set: str) -> str:
    return "3.1" if tier_plan.tier == "innovative" else criteria_set


def evaluate_frame(base: pl.LazyFrame, plans: list[TierPlan], metrics: rules.Metrics) -> pl.LazyFrame:
    reviews = [(pl.col("tier_rank") >= TIER_RANK[p.tier]).alias(rules.review_column(p.tier)) for p in plans]
    trees = [tree for p in plans for tree in p.trees.values()]
    used = _read_columns(trees) | {n for e in metrics.later.values() for n in e.meta.root_names()}
    frame = base.with_columns([*metrics.columns(used), *reviews])
    if metrics.later:
        frame = frame.with_columns(list(metrics.later.values()))
    frame = frame.with_columns([e for t in trees for e in _atoms(t)])
    frame = frame.with_columns([e for t in trees for e in _fills(t)])
    frame = frame.with_columns([e for t in trees for e in _scores(t)])
    frame = frame.with_columns([e for t in trees for e in _groups(t)])
    return frame.with_columns([e for p in plans for e in _tier_result(p)])


# A tier whose re-review set differs from its first-recognition set runs two trees, and the
# re-review tree counts only for the enterprises that hold the tier already: in the registry a few
# thousand of a million.  When they are at most this share of the rows, that tree runs on their
# rows alone and its results are put in at their row numbers (the rules are row by row, so the
# values are those of the whole-frame evaluation); more, and filtering costs more than it saves.
SUBSET_SHARE = 0.15
GATHER_SHARE = 0.05  # below it the holders' rows are gathered by number, above filtered
RESULT_NAMES = ("qualifies", "score", "score_min", "score_max")


def evaluate_summary(
    base: pl.DataFrame,
    conversions: list[pl.Expr],
    plans: list[TierPlan],
    metrics: rules.Metrics,
    kept: list[str],
) -> pl.DataFrame:
    """``evaluate_frame(base.with_columns(conversions), plans, metrics).select(kept)``, collected.
    See ``SUBSET_SHARE``."""
    query = base.lazy().with_columns(conversions)
    few = [p for p in plans if _two_trees(p) and _holders(base, p) <= SUBSET_SHARE * base.height]
    if not few:
        return evaluate_frame(query, plans, metrics).select(kept).collect()
    main = [_first_tree_only(p) if p in few else p for p in plans]
    holders = _holder_rows(base, [_again_tree_only(p) for p in few], metrics)
    subsets = [_again_rows(holders, conversions, p, metrics) for p in few]
    summary, *found = pl.collect_all([evaluate_frame(query, main, metrics).select(kept), *subsets])
    # Each part is one tier's: no column is put in twice.  A scatter copies its column, on one core:
    # two at a time.
    jobs = [(part, name) for part in found for name in part.columns[1:]]
    with ThreadPoolExecutor(max_workers=2) as pool:
        summary = summary.with_columns(
            pool.map(lambda job: summary[job[1]].clone().scatter(job[0]["_row"], job[0][job[1]]), jobs)
        )
    # A re-review tree without score items has its score from an input (or none): put in by review
    # mode, a cheap whole-column choice, rather than scattered (each scatter copies its column).
    # Lazily: an eager select would first rechunk every column of the summary (collected in pieces).
    chosen = [e for p in few if not _again(p).items for e in _holders_scores(p)]
    return summary.with_columns(summary.lazy().select(chosen).collect().get_columns()) if chosen else summary


def _again(p: TierPlan) -> RuleTree:
    return p.tree_for(tree_key(p, p.re_review_set))


def _holders_scores(p: TierPlan) -> list[pl.Expr]:
    review, score = pl.col(rules.review_column(p.tier)), _input_score(_again(p))
    names = [f"{p.tier}:{name}" for name in RESULT_NAMES[1:]]
    return [pl.when(review).then(score).otherwise(pl.col(name)).alias(name) for name in names]


def _holder_rows(base: pl.DataFrame, plans: list[TierPlan], metrics: rules.Metrics) -> pl.DataFrame:
    """The rows of enterprises holding the lowest of the tiers (a higher tier's holders are among
    them), with their row numbers (``_row``) and only the columns the re-review trees read.  Taken
    once, eagerly: for a few per cent of the rows a gather by row number, above that a filter (each
    the cheaper there; either beats a filter inside the lazy query)."""
    wanted = input_columns(plans, metrics) & set(base.columns)
    held = base["tier_rank"] >= min(TIER_RANK[p.tier] for p in plans)
    columns = base.select([c for c in base.columns if c in wanted]).with_row_index("_row")
    if held.sum() < GATHER_SHARE * base.height:
        return columns[held.arg_true()]
    return columns.filter(held)


def _again_rows(holders: pl.DataFrame, conversions: list[pl.Expr], p: TierPlan, metrics: rules.Metrics) -> pl.LazyFrame:
    """The re-review tree's results on the rows of the tier's holders, with their row numbers."""
    rows = holders.lazy().filter(pl.col("tier_rank") >= TIER_RANK[p.tier])
    converted = [e for e in conversions if e.meta.output_name() in holders.columns]
    part = evaluate_frame(rows.with_columns(converted), [_again_tree_only(p)], metrics)
    names = RESULT_NAMES if _again(p).items else RESULT_NAMES[:1]  # see evaluate_summary
    return part.select("_row", *[f"{p.tier}:{name}" for name in names])


def _holders(base: pl.DataFrame, p: TierPlan) -> int:
    """Enterprises holding the tier (or a higher one) already: those its re-review set applies to."""
    return int((base["tier_rank"] >= TIER_RANK[p.tier]).sum())


def _two_trees(p: TierPlan) -> bool:
    return p.tree_for(tree_key(p, p.first_set)) is not p.tree_for(tree_key(p, p.re_review_set))


def _first_tree_only(p: TierPlan) -> TierPlan:
    """The plan with the first-recognition tree alone: its results for every row (the set names,
    by review mode, unchanged)."""
    return TierPlan(p.tier, p.first_set, p.re_review_set, _tree_of(p, p.first_set))


def _again_tree_only(p: TierPlan) -> TierPlan:
    return TierPlan(p.tier, p.re_review_set, p.re_review_set, _tree_of(p, p.re_review_set))


def _tree_of(p: TierPlan, criteria_set: str) -> dict[str, RuleTree]:
    key = tree_key(p, criteria_set)
    return {key: p.tree_for(key)}


def input_columns(plans: list[TierPlan], metrics: rules.Metrics) -> set[str]:
    """Every column ``evaluate_frame`` reads from its input frame (a superset: with derived names)."""
    trees = [tree for p in plans for tree in p.trees.values()]
    exprs = [*metrics.exprs.values(), *metrics.ceils.values(), *metrics.later.values()]
    return _read_columns(trees) | {name for e in exprs for name in e.meta.root_names()} | {"tier_rank"}


def _read_columns(trees: list[RuleTree]) -> set[str]:
    """Every column some leaf or score item reads."""
    exprs = [leaf.passed for t in trees for leaf, _ in t.leaves()] + [i.points for t in trees for i in t.items]
    return {name for e in exprs for name in e.meta.root_names()}


def leaf_column(tree: RuleTree, leaf_id: str) -> str:
    return colname(tree.tier, tree.criteria_set, leaf_id)


def _atoms(tree: RuleTree) -> list[pl.Expr]:
    exprs = [leaf.passed.alias(leaf_column(tree, leaf.id)) for leaf, _ in tree.leaves() if not leaf.after_scores]
    exprs += [item.points.alias(colname(tree.tier, tree.criteria_set, f"item:{item.id}")) for item in tree.items]
    return exprs


def _fills(tree: RuleTree) -> list[pl.Expr]:
    """Each score item with unknown points as 0 and as its maximum, for the score bounds."""
    exprs = []
    for item in tree.items:
        points = pl.col(colname(tree.tier, tree.criteria_set, f"item:{item.id}"))
        exprs.append(points.fill_null(0).alias(colname(tree.tier, tree.criteria_set, f"item_lo:{item.id}")))
        exprs.append(
            points.fill_null(item.max_points).alias(colname(tree.tier, tree.criteria_set, f"item_hi:{item.id}"))
        )
    return exprs


def _scores(tree: RuleTree) -> list[pl.Expr]:
    exprs = [leaf.passed.alias(leaf_column(tree, leaf.id)) for leaf, _ in tree.leaves() if leaf.after_scores]
    name = colname(tree.tier, tree.criteria_set, "score")
    if tree.items:
        lows = [pl.col(colname(tree.tier, tree.criteria_set, f"item_lo:{i.id}")) for i in tree.items]
        highs = [pl.col(colname(tree.tier, tree.criteria_set, f"item_hi:{i.id}")) for i in tree.items]
        low, high, known = score_bounds(lows, highs)
        exprs += [
            pl.when(known).then(low).cast(pl.Float64).alias(name),
            low.cast(pl.Float64).alias(name + "_min"),
            high.cast(pl.Float64).alias(name + "_max"),
        ]
    else:
        score = _input_score(tree)
        exprs += [score.alias(name), score.alias(name + "_min"), score.alias(name + "_max")]
    return exprs


def _input_score(tree: RuleTree) -> pl.Expr:
    """The score of a tree without items: an input (2026 发展评价得分) or none."""
    if tree.score_input:
        return pl.col(tree.score_input).cast(pl.Float64)
    return pl.lit(None, dtype=pl.Float64)


def node_expr(tree: RuleTree, node: Node) -> pl.Expr:
    if isinstance(node, Leaf):
        return pl.col(leaf_column(tree, node.id))
    children = [node_expr(tree, child) for child in node.children]
    return kleene_all(children) if node.mode == "all" else kleene_any(children)


def _groups(tree: RuleTree) -> list[pl.Expr]:
    return [node_expr(tree, group).alias(group_column(tree, group)) for group in tree.groups()]


def group_column(tree: RuleTree, group: Group) -> str:
    return colname(tree.tier, tree.criteria_set, f"group:{group.id}")


def _tier_result(p: TierPlan) -> list[pl.Expr]:
    """Pick, per enterprise, the tree of the set that applies to its review mode."""
    review = pl.col(rules.review_column(p.tier))
    first = p.tree_for(tree_key(p, p.first_set))
    again = p.tree_for(tree_key(p, p.re_review_set))

    def pick(name: str, tree_first: RuleTree, tree_again: RuleTree) -> pl.Expr:
        a = pl.col(colname(tree_first.tier, tree_first.criteria_set, name))
        if tree_first is tree_again:
            return a
        b = pl.col(colname(tree_again.tier, tree_again.criteria_set, name))
        return pl.when(review).then(b).otherwise(a)

    # The set's name as an Enum of the tier's set names: a gather of one-byte codes by review mode
    # (never null), far cheaper than building a million strings; ``Result.recognition`` has text.
    names = set_names(p)
    if len(names) == 1:
        criteria_set = pl.lit(p.first_set, dtype=pl.Enum(names))
    else:
        criteria_set = pl.lit(pl.Series(names, dtype=pl.Enum(names))).gather(review.cast(pl.UInt32))
    return [
        criteria_set.alias(f"{p.tier}:set"),
        pick("group:root", first, again).alias(f"{p.tier}:qualifies"),
        pick("score", first, again).alias(f"{p.tier}:score"),
        pick("score_min", first, again).alias(f"{p.tier}:score_min"),
        pick("score_max", first, again).alias(f"{p.tier}:score_max"),
    ]


def set_names(p: TierPlan) -> list[str]:
    """The names of the criteria sets a tier uses in this run: first recognition, then re-review."""
    return list(dict.fromkeys((p.first_set, p.re_review_set)))


def result_columns(plans: list[TierPlan]) -> list[str]:
    """The per-enterprise result columns of each tier (what ``Result.summary`` keeps)."""
    names = ("set", "qualifies", "score", "score_min", "score_max")
    return [rules.review_column(p.tier) for p in plans] + [f"{p.tier}:{n}" for p in plans for n in names]


def status_expr(qualifies: pl.Expr, dtype: pl.DataType | None = None) -> pl.Expr:
    """符合 / 不符合 / 数据不足 from a three-valued verdict (as ``dtype``: text, or an Enum of ``STATUSES``)."""
    return (
        pl.when(qualifies)
        .then(pl.lit(STATUS_PASS, dtype=dtype))
        .when(~qualifies)
        .then(pl.lit(STATUS_FAIL, dtype=dtype))
        .otherwise(pl.lit(STATUS_UNKNOWN, dtype=dtype))
    )
