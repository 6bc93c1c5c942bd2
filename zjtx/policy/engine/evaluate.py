"""The single entry point: evaluate every recognition rule and every award for a population.

``evaluate`` does the work on whole columns and keeps the per-enterprise ``summary`` (inputs, review
mode and each tier's result).  Everything else is built on first access: the explanation columns
of ``frame`` (every leaf, group and score item), and the long frames people read (``recognition``,
``unmet``, ``entitlements`` with reasons), so a run over two million enterprises pays for them only
when someone asks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

from zjtx.policy.engine import awards, inputs, reasons, recognition, rules
from zjtx.policy.engine.parameters import ParameterSet
from zjtx.policy.engine.recognition import TierPlan
from zjtx.policy.engine.schema import MONEY_SCALE, TIER_LABELS, TIERS, input_label, zero_label
from zjtx.policy.engine.tree import Group, Leaf, ParamReader, RuleTree, colname

AMOUNT_DTYPE = pl.Decimal(38, 6)


@dataclass
class Result:
    """Everything one evaluation produced, plus what is needed to reproduce it."""

    as_of: dt.date
    data_year: int
    fingerprint: str
    overlays: list[dict[str, Any]]
    parameter_versions: list[dict[str, Any]]
    # One row per enterprise: the inputs, then per tier ``{tier}:re_review``, ``:set``, ``:qualifies``,
    # ``:score``, ``:score_min``, ``:score_max``.
    summary: pl.DataFrame
    plans: list[TierPlan]
    award_pass: awards.Awards = field(repr=False)
    city_names: dict[str, str] = field(default_factory=dict)
    metrics: rules.Metrics = field(default_factory=rules.Metrics, repr=False)
    base_columns: list[str] = field(default_factory=list, repr=False)  # the inputs of the rules, in order
    yearly: inputs.Yearly | None = field(default=None, repr=False)  # for year columns no rule reads

    @cached_property
    def awards_raw(self) -> pl.DataFrame:
        """One row per (event, award): amounts in 分, statuses and every descriptive column."""
        return self.award_pass.frame()

    @cached_property
    def frame(self) -> pl.DataFrame:
        """The summary with every explanation column (leaves, groups, score items, metrics), in the
        order the rules compute them; evaluated again, in full, on first access."""
        return self._evaluate_rows(None)

    def frame_rows(self, predicate: pl.Expr) -> pl.DataFrame:
        """The rows of ``frame`` matching ``predicate``, evaluating only those rows unless ``frame``
        is already built (the rules are row by row, so the values are the same)."""
        if "frame" in self.__dict__:
            return self.frame.filter(predicate)
        return self._evaluate_rows(predicate)

    def _evaluate_rows(self, predicate: pl.Expr | None) -> pl.DataFrame:
        kept = [c for c in self.base_columns if c in self.summary.columns]
        base = self.summary.select(kept)
        rows = None
        if predicate is not None:
            rows = base.with_row_index("_row").filter(predicate)["_row"]
            base = base[rows]
        missing = [c for c in self.base_columns if c not in self.summary.columns]
        if missing and self.yearly is not None:
            base = base.with_columns(self.yearly.columns(missing, rows)).select(self.base_columns)
        return recognition.evaluate_frame(base.lazy(), self.plans, self.metrics).collect()

    @cached_property
    def recognition(self) -> pl.DataFrame:
        """One row per enterprise and tier: criteria set, qualifies, status, score, missing inputs."""
        texts = _recognition_texts(self.plans)
        rows = pl.concat([_tier_rows(self, p, self._city_codes, texts) for p in self.plans])
        missing = (
            self._missing_long.explode("missing")
            .group_by("_row", "_tier")
            .agg(pl.col("missing").drop_nulls().unique(maintain_order=True))
        )
        rows = rows.join(missing, on=["_row", "_tier"], how="left", maintain_order="left").drop("_row", "_tier")
        # Only a rule that is 数据不足 lists missing inputs; a decided rule may still have unknown leaves.
        return rows.with_columns(
            pl.when(pl.col("status") == recognition.STATUS_UNKNOWN)
            .then(pl.col("missing").fill_null(self._no_inputs))
            .otherwise(self._no_inputs)
            .alias("missing")
        )

    @cached_property
    def _leaves(self) -> list[tuple[str, TierPlan, RuleTree, Leaf, tuple[Group, ...]]]:
        found: list[tuple[str, TierPlan, RuleTree, Leaf, tuple[Group, ...]]] = []
        for p in self.plans:
            for tree in _trees(p):
                for leaf, ancestors in tree.leaves():
                    found.append((str(len(found)), p, tree, leaf, ancestors))
        return found

    @cached_property
    def _city_codes(self) -> pl.Series:
        """Each enterprise's city code as an Enum (see ``text_enum``), for both long frames."""
        codes = self.summary["city_code"]
        return codes.cast(text_enum(codes))

    @cached_property
    def _input_labels(self) -> pl.Enum:
        """The names of the inputs a 数据不足 can list (see ``text_enum``)."""
        names = {name for _, _, _, leaf, _ in self._leaves for name in leaf.inputs}
        zeros = {name for _, _, _, leaf, _ in self._leaves for name in leaf.denominators}
        texts = [input_label(name, self.data_year) for name in names]
        texts += [zero_label(name, self.data_year) for name in zeros]
        return text_enum(pl.Series(texts, dtype=pl.String))

    @property
    def _no_inputs(self) -> pl.Expr:
        return pl.lit([], dtype=pl.List(self._input_labels))

    @cached_property
    def _missing_long(self) -> pl.DataFrame:
        """(row, leaf, tier, missing inputs) for every reportable leaf that is unknown.

        Integer keys (row number, leaf number, tier number) keep the joins and sorts cheap."""
        frame = self.frame.lazy().with_row_index("_row")
        label = self._input_labels
        parts = []
        for key, p, tree, leaf, ancestors in self._leaves:
            if not leaf.inputs:
                continue
            unknown = (
                uses_tree(p, tree)
                & reportable(tree, leaf, ancestors)
                & pl.col(recognition.leaf_column(tree, leaf.id)).is_null()
            )
            labels = [
                pl.when(pl.col(name).is_null()).then(pl.lit(input_label(name, self.data_year), dtype=label))
                for name in leaf.inputs
            ]
            # A ratio over a base of 0 is unknown with every input present: name the base.
            labels += [
                pl.when(pl.col(name) == 0).then(pl.lit(zero_label(name, self.data_year), dtype=label))
                for name in leaf.denominators
            ]
            parts.append(
                frame.filter(unknown).select(
                    "_row",
                    pl.lit(int(key), dtype=pl.UInt16).alias("_leaf"),
                    pl.lit(TIERS.index(p.tier), dtype=pl.UInt8).alias("_tier"),
                    pl.concat_list(labels).list.drop_nulls().alias("missing"),
                )
            )
        if not parts:
            schema: dict[str, pl.DataType] = {
                "_row": pl.UInt32(),
                "_leaf": pl.UInt16(),
                "_tier": pl.UInt8(),
                "missing": pl.List(self._input_labels),
            }
            return pl.DataFrame(schema=schema)
        return pl.concat(parts).collect()

    @cached_property
    def unmet(self) -> pl.DataFrame:
        """One row per condition not met (不满足) or not decidable (数据不足) of a tier not granted."""
        return _unmet_rows(self)

    @cached_property
    def entitlements(self) -> pl.DataFrame:
        """Every (event, award) with amount (Decimal 万元), status and a Chinese reason."""
        cities = self.summary.select("credit_code", pl.col("city_code").alias("_city"))
        raw = self.awards_raw.join(cities, on="credit_code", how="left", maintain_order="left")
        raw = raw.sort(["credit_code", "date", "event_no", "award"])
        described = raw.select(
            "credit_code",
            pl.col("_city").alias("city_code"),
            "award",
            pl.col("label").alias("award_label"),
            pl.col("kind").alias("event_kind"),
            pl.col("date").alias("event_date"),
            "grade",
            units_to_decimal(pl.col("base")).alias("base_amount"),
            units_to_decimal(pl.col("amount")).alias("amount"),
            "funding_level",
            "payer",
            "clause",
            pl.col("params").alias("parameter_ids"),
            "status",
        )
        return described.with_columns(reasons.award_reasons(raw))

    @property
    def granted(self) -> pl.DataFrame:
        """The entitlements to pay: status 应享."""
        return self.entitlements.filter(pl.col("status") == awards.GRANTED)

    def budget(self) -> pl.DataFrame:
        """Total granted amount by award and funding level (万元)."""
        return (
            self.awards_raw.filter(pl.col("status") == awards.GRANTED)
            .group_by("award", "funding_level")
            .agg(pl.len().alias("count"), pl.col("amount").sum().alias("units"))
            .with_columns(units_to_decimal(pl.col("units")).alias("amount"))
            .drop("units")
            .sort("award", "funding_level")
        )

    def tier_counts(self) -> pl.DataFrame:
        """Enterprises qualifying for each tier, by city."""
        columns = [pl.col(f"{p.tier}:qualifies").fill_null(False).sum().alias(p.tier) for p in self.plans]
        return self.summary.group_by("city_code").agg(columns).sort("city_code")


def units_to_decimal(units: pl.Expr) -> pl.Expr:
    return units.cast(AMOUNT_DTYPE) / MONEY_SCALE


def evaluate(
    enterprises: pl.DataFrame,
    indicators: pl.DataFrame,
    events: pl.DataFrame | None,
    as_of: dt.date,
    params: ParameterSet,
    prior_entitlements: pl.DataFrame | None = None,
    *,
    checked_inputs: bool = False,
) -> Result:
    """Evaluate all recognition rules and award entitlements as of ``as_of``.

    Raises ``InputError`` when a frame breaks the contract, ``ParameterError`` when a parameter
    needed on ``as_of`` has no value.  Missing optional inputs never raise: they give 数据不足.

    ``checked_inputs=True`` is for the frames of one ``zjtx.policy.frames.registry_frames`` call: it
    skips the checks the registry already guarantees — credit codes unique, the current tier, industry
    codes, event kinds and grades among the allowed values (``inputs.TRUSTED_ALLOWED``), and, for
    indicators read with ``years=``, their export order, of which only a sample is compared
    (``inputs.ORDER_SAMPLE``).  Every range and sign check, every conversion and the results stay
    the same.  Files and API input keep the default.
    """
    reader = ParamReader(params, as_of)
    data_year = as_of.year - int(reader.value("criteria.data_year_lag"))
    # The award pass needs only the events and the enterprises' cities: it runs beside the input
    # checks and the rules, in a second thread (Polars releases the GIL), filling the moments they
    # leave a core idle.  Errors of the enterprises and indicators come first, as before: the
    # award thread's result (or error) is only asked for once they have passed.
    # Building the rule trees (plain Python, once per parameter set and date) and the check of the
    # indicators' export order run in threads of their own beside the checks of the enterprises.
    with ThreadPoolExecutor(max_workers=3) as pool:
        award_future = pool.submit(_award_pass, events, prior_entitlements, enterprises, reader, checked_inputs)
        planned = pool.submit(_plan, reader)
        aligned = pool.submit(_aligned, enterprises, indicators, data_year, checked_inputs)
        ent, derived = inputs.prepare_enterprises(enterprises, checked_inputs)
        summary, plans, metrics, base_columns, yearly = _rule_pass(
            ent, derived, indicators, planned, aligned, data_year
        )
        award_pass = award_future.result()
    cities = {str(k): str(v) for k, v in (params.value_or_none("province.cities", as_of) or {}).items()}
    return Result(
        as_of=as_of,
        data_year=data_year,
        fingerprint=params.fingerprint(),
        overlays=[{"name": o.name, "start": o.start.isoformat(), "values": dict(o.values)} for o in params.overlays],
        parameter_versions=reader.versions(),
        summary=summary,
        plans=plans,
        award_pass=award_pass,
        city_names=cities,
        metrics=metrics,
        base_columns=base_columns,
        yearly=yearly,
    )


def _award_pass(
    events: pl.DataFrame | None,
    prior_entitlements: pl.DataFrame | None,
    enterprises: pl.DataFrame,
    reader: ParamReader,
    checked_inputs: bool,
) -> awards.Awards:
    ev = inputs.prepare_events(events, checked_inputs)
    prior = inputs.prepare_prior(prior_entitlements)
    return awards.entitlements(ev, inputs.cities(enterprises), prior, reader)


def _aligned(
    enterprises: pl.DataFrame, indicators: pl.DataFrame, data_year: int, checked: bool
) -> tuple[bool, inputs.Yearly | None]:
    """(tried, result) of the fast path's check of the indicators (``inputs.aligned_indicators``),
    run beside the checks of the enterprises: it reads only their number and credit codes, which
    ``prepare`` leaves as they are when they are text already (otherwise: not tried, done after)."""
    if enterprises.schema.get("credit_code") != pl.String:
        return False, None
    return True, inputs.aligned_indicators(enterprises, indicators, data_year, checked)


def _plan(reader: ParamReader) -> tuple[list[TierPlan], rules.Metrics]:
    """The rule trees in force on ``as_of``: plain Python (a few ms), so built once per parameter set
    and date and reused (trees and metrics are only read); the dated values they read are noted on
    ``reader`` each time, for the run's parameter versions."""

    def build() -> tuple[list[TierPlan], rules.Metrics, dict[Any, Any]]:
        own = ParamReader(reader.params, reader.as_of)
        metrics = rules.Metrics()
        return recognition.plan(own, metrics), metrics, dict(own.used)

    plans, metrics, used = reader.params.memo(("rule trees", reader.as_of), build)
    reader.used.update(used)
    return plans, metrics


def _rule_pass(
    ent: pl.DataFrame,
    derived: pl.DataFrame,
    indicators: pl.DataFrame,
    planned: Future[tuple[list[TierPlan], rules.Metrics]],
    aligned: Future[tuple[bool, inputs.Yearly | None]],
    data_year: int,
) -> tuple[pl.DataFrame, list[TierPlan], rules.Metrics, list[str], inputs.Yearly | None]:
    """(summary, plans, metrics, the rules' input columns, the checked yearly indicators)."""
    # Indicators in export order are checked as they are (extremes per column) and split into years
    # below; any other frame, or a bad value (so that the messages stay the same), takes the general
    # path: convert and check every row, then split.
    plans, metrics = planned.result()
    if not aligned.done():
        # The rules need not wait for the check of the indicators: when the frame is laid out as an
        # export, they run on it at once, and their result is kept only if the check then passes
        # (a value the check rejects only gives numbers that are thrown away: the rules' integer
        # arithmetic wraps, it does not raise).
        layout = inputs.export_layout(ent.height, indicators, data_year)
        if layout is not None:
            with contextlib.suppress(pl.exceptions.PolarsError):
                summary, base_columns = _fast_rules(ent, derived, layout, plans, metrics)
                tried, yearly = aligned.result()
                if tried and yearly is not None:
                    return summary, plans, metrics, base_columns, yearly
    tried, yearly = aligned.result()
    if not tried:
        yearly = inputs.aligned_indicators(ent, indicators, data_year)
    if yearly is not None:
        summary, base_columns = _fast_rules(ent, derived, yearly, plans, metrics)
        return summary, plans, metrics, base_columns, yearly
    base = inputs.build_base(ent, inputs.prepare_indicators(indicators), data_year)
    summary = recognition.evaluate_summary(base, [], plans, metrics, _kept(base.columns, plans))
    return summary, plans, metrics, base.columns, None


def _fast_rules(
    ent: pl.DataFrame, derived: pl.DataFrame, yearly: inputs.Yearly, plans: list[TierPlan], metrics: rules.Metrics
) -> tuple[pl.DataFrame, list[str]]:
    """(summary, the rules' input columns) from indicators in export order."""
    # Only the year columns some rule reads; ``Result.frame`` takes the others when read.
    read = recognition.input_columns(plans, metrics)
    # Taken as they are (a slice each, when the export is by year) and converted to 分 inside
    # the rules' query, which streams them in cache-sized pieces.
    raw, conversions = yearly.raw([n for n in yearly.names if n in read])
    base = ent.with_columns(raw).with_columns(derived.get_columns())
    summary = recognition.evaluate_summary(base, conversions, plans, metrics, _kept(base.columns, plans))
    return summary, [*ent.columns, *yearly.names, *derived.columns]


def _kept(base: list[str], plans: list[TierPlan]) -> list[str]:
    # Only the per-tier results are kept: the leaf, group and item columns are computed on the way
    # (each tier's root needs them) but not materialised in the result; ``Result.frame`` has them.
    return [*base, *recognition.result_columns(plans)]


# ---------------------------------------------------------------- long frames


def _trees(p: TierPlan) -> list[RuleTree]:
    return list(p.trees.values())


def uses_tree(p: TierPlan, tree: RuleTree) -> pl.Expr:
    """Rows whose review mode selects this tree."""
    first = p.tree_for(recognition.tree_key(p, p.first_set))
    again = p.tree_for(recognition.tree_key(p, p.re_review_set))
    if first is again:
        return pl.lit(True)
    review = pl.col(rules.review_column(p.tier))
    return review if tree is again else ~review


def not_true(column: str) -> pl.Expr:
    return ~pl.col(column).fill_null(False)


def reportable(tree: RuleTree, leaf: Leaf, ancestors: tuple[Group, ...]) -> pl.Expr:
    """A leaf counts as unmet when neither it nor any group above it is satisfied."""
    conditions = [not_true(recognition.leaf_column(tree, leaf.id))]
    conditions += [not_true(recognition.group_column(tree, group)) for group in ancestors]
    return pl.all_horizontal(conditions)


def _recognition_texts(plans: list[TierPlan]) -> dict[str, pl.Enum]:
    """The Enums of the text columns of ``Result.recognition`` (see ``text_enum``)."""
    return {
        "tier": text_enum(pl.Series([p.tier for p in plans])),
        "tier_label": text_enum(pl.Series([TIER_LABELS[p.tier] for p in plans])),
        "criteria_set": text_enum(pl.Series([name for p in plans for name in recognition.set_names(p)])),
        "review": pl.Enum(sorted([RE_REVIEW, FIRST])),
        "status": pl.Enum(sorted(recognition.STATUSES)),
    }


def _tier_rows(result: Result, p: TierPlan, cities: pl.Series, texts: dict[str, pl.Enum]) -> pl.DataFrame:
    qualifies = pl.col(f"{p.tier}:qualifies")
    review = texts["review"]
    return result.summary.with_row_index("_row").select(
        "_row",
        pl.lit(TIERS.index(p.tier), dtype=pl.UInt8).alias("_tier"),
        "credit_code",
        pl.lit(cities).alias("city_code"),
        pl.lit(p.tier, dtype=texts["tier"]).alias("tier"),
        pl.lit(TIER_LABELS[p.tier], dtype=texts["tier_label"]).alias("tier_label"),
        pl.col(f"{p.tier}:set").cast(texts["criteria_set"]).alias("criteria_set"),
        pl.when(pl.col(rules.review_column(p.tier)))
        .then(pl.lit(RE_REVIEW, dtype=review))
        .otherwise(pl.lit(FIRST, dtype=review))
        .alias("review"),
        qualifies.alias("qualifies"),
        recognition.status_expr(qualifies, texts["status"]).alias("status"),
        pl.col(f"{p.tier}:score").alias("score"),
        pl.col(f"{p.tier}:score_min").alias("score_min"),
        pl.col(f"{p.tier}:score_max").alias("score_max"),
    )


def _unmet_rows(result: Result) -> pl.DataFrame:
    """Each leaf's reportable rows (a filter per leaf, run together lazily), stacked with integer
    keys, then joined with the leaf's fixed description and its missing inputs."""
    frame = result.frame.lazy().with_row_index("_row")
    parts = []
    meta: list[dict[str, Any]] = []
    for key, p, tree, leaf, ancestors in result._leaves:
        column = pl.col(recognition.leaf_column(tree, leaf.id))
        actual = leaf.actual.cast(pl.Float64) if leaf.actual is not None else pl.lit(None, pl.Float64)
        parts.append(
            frame.filter(uses_tree(p, tree) & reportable(tree, leaf, ancestors)).select(
                "_row",
                pl.lit(int(key), dtype=pl.UInt16).alias("_leaf"),
                pl.col(rules.review_column(p.tier)).alias("_review"),
                column.is_null().alias("unknown"),
                actual.alias("actual"),
                *_score_bounds(tree, leaf, actual),
            )
        )
        meta.append(_leaf_meta(key, p, tree, leaf, ancestors))
    info = pl.DataFrame(meta)
    # One integer key (row, leaf) for the join and the sort: far cheaper than strings or two keys.
    assert len(meta) < 1024, "leaf numbers must fit the 10 bits of the combined key"
    row_leaf = (pl.col("_row").cast(pl.UInt64) * 1024 + pl.col("_leaf")).alias("_key")
    missing = result._missing_long.select(row_leaf, "missing")
    long = pl.concat(parts).with_columns(row_leaf).sort("_key").collect()
    long = long.join(missing, on="_key", how="left", maintain_order="left")
    rows, leaves = long["_row"], long["_leaf"]

    def described(name: str, dtype: pl.Enum | None = None) -> pl.Series:
        # Leaf numbers index the description table; each text column is gathered as an Enum.
        return info[name].cast(dtype or text_enum(info[name])).gather(leaves)

    sets = text_enum(pl.concat([info["_set_first"], info["_set_again"]]))
    first, again = described("_set_first", sets), described("_set_again", sets)
    return long.select(
        result.frame["credit_code"].gather(rows).alias("credit_code"),
        result._city_codes.gather(rows).alias("city_code"),
        described("tier"),
        pl.when(pl.col("_review")).then(pl.lit(again)).otherwise(pl.lit(first)).alias("criteria_set"),
        described("condition"),
        described("label"),
        described("group"),
        pl.when(pl.col("unknown"))
        .then(pl.lit(UNKNOWN, dtype=UNMET_STATUS))
        .otherwise(pl.lit(NOT_MET, dtype=UNMET_STATUS))
        .alias("status"),
        "actual",
        "actual_min",
        "actual_max",
        described("unit"),
        described("threshold"),
        described("parameter_ids"),
        described("clause"),
        pl.col("missing").fill_null(result._no_inputs),
    )


# The long frames repeat a few texts (tier, condition, label, clause …) on millions of rows: held as
# Enums of their distinct values, one or two bytes a row instead of a string each, they take a tenth
# of the memory and time; they read, compare, filter and export as the same text.  The categories are
# sorted, so sorting by such a column orders the text as before.
NOT_MET, UNKNOWN = "不满足", recognition.STATUS_UNKNOWN
RE_REVIEW, FIRST = "复核", "首次认定"
UNMET_STATUS = pl.Enum(sorted([NOT_MET, UNKNOWN]))


def text_enum(values: pl.Series) -> pl.Enum:
    """An Enum of the distinct non-null texts of ``values``, sorted."""
    return pl.Enum(values.drop_nulls().unique().sort())


def _score_bounds(tree: RuleTree, leaf: Leaf, actual: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """A score condition whose score is unknown (items without data): the points known, unknown items
    at 0, and the most it could reach, unknown items at full marks — what decided a failed score, and
    how far an undecided one is from its pass mark.  Null for every other condition."""
    if not leaf.items:
        none = pl.lit(None, pl.Float64)
        return none.alias("actual_min"), none.alias("actual_max")
    lows = [pl.col(colname(tree.tier, tree.criteria_set, f"item_lo:{i}")) for i in leaf.items]
    highs = [pl.col(colname(tree.tier, tree.criteria_set, f"item_hi:{i}")) for i in leaf.items]
    unknown = actual.is_null()
    return (pl.when(unknown).then(pl.sum_horizontal(lows).cast(pl.Float64)).alias("actual_min"),
            pl.when(unknown).then(pl.sum_horizontal(highs).cast(pl.Float64)).alias("actual_max"))


def _leaf_meta(key: str, p: TierPlan, tree: RuleTree, leaf: Leaf, ancestors: tuple[Group, ...]) -> dict[str, Any]:
    shared = tree.criteria_set not in p.trees or p.tier == "innovative"
    return {
        "_leaf": int(key),
        "_set_first": p.first_set if shared else tree.criteria_set,
        "_set_again": p.re_review_set if shared else tree.criteria_set,
        "tier": p.tier,
        "condition": leaf.id,
        "label": leaf.label,
        "group": ancestors[-1].label if ancestors else "",
        "unit": leaf.unit,
        "threshold": leaf.threshold,
        "parameter_ids": ",".join(leaf.params),
        "clause": leaf.clause,
    }
