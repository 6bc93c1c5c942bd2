"""What-if: evaluate the same population under the baseline and under a reform overlay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from zjtx.policy.engine.evaluate import Result, evaluate, units_to_decimal
from zjtx.policy.engine.parameters import ParameterSet
from zjtx.policy.engine.schema import TIER_LABELS, TIERS


@dataclass
class Comparison:
    baseline: Result
    reform: Result
    tiers: pl.DataFrame  # city × tier: baseline, reform, gained, lost, difference
    changes: pl.DataFrame  # enterprise × tier that changed: 获得 / 失去
    budget: pl.DataFrame  # award × funding level: baseline, reform, difference (万元)


def compare(
    baseline_params: ParameterSet,
    reform_overlay: Mapping[str, Any],
    enterprises: pl.DataFrame,
    indicators: pl.DataFrame,
    events: pl.DataFrame | None,
    as_of: dt.date,
    *,
    start: dt.date | None = None,
    prior_entitlements: pl.DataFrame | None = None,
    name: str = "reform",
    checked_inputs: bool = False,
) -> Comparison:
    """Apply ``reform_overlay`` (parameter id → value, in force from ``start``, default the
    earliest date so it governs every event) and report who gains or loses each tier by city,
    and the award budget by award and funding level, with the difference.  ``checked_inputs``: as
    for ``evaluate`` (frames read from the registry database)."""
    reform_params = baseline_params.with_overlay(reform_overlay, start or dt.date(1900, 1, 1), name)
    base = evaluate(
        enterprises, indicators, events, as_of, baseline_params, prior_entitlements, checked_inputs=checked_inputs
    )
    reform = evaluate(
        enterprises, indicators, events, as_of, reform_params, prior_entitlements, checked_inputs=checked_inputs
    )
    changes = _changes(base, reform)
    return Comparison(base, reform, _tier_table(base, reform), changes, _budget(base, reform))


def _qualifying(result: Result) -> pl.DataFrame:
    return result.summary.select(
        "credit_code", "city_code", *[pl.col(f"{t}:qualifies").fill_null(False).alias(t) for t in TIERS]
    )


def _changes(base: Result, reform: Result) -> pl.DataFrame:
    """Both results keep the input row order, so the columns line up without a join."""
    before, after = _qualifying(base), _qualifying(reform)
    parts = []
    for tier in TIERS:
        frame = before.select("credit_code", "city_code", pl.col(tier).alias("was")).with_columns(
            after[tier].alias("now")
        )
        parts.append(
            frame.filter(pl.col("was") != pl.col("now")).select(
                "credit_code",
                "city_code",
                pl.lit(tier).alias("tier"),
                pl.lit(TIER_LABELS[tier]).alias("tier_label"),
                pl.when(pl.col("now")).then(pl.lit("获得")).otherwise(pl.lit("失去")).alias("change"),
            )
        )
    return pl.concat(parts)


def _tier_table(base: Result, reform: Result) -> pl.DataFrame:
    def counts(result: Result, label: str) -> pl.DataFrame:
        return (
            _qualifying(result)
            .unpivot(index=["credit_code", "city_code"], on=list(TIERS), variable_name="tier", value_name="q")
            .group_by("city_code", "tier")
            .agg(pl.col("q").sum().cast(pl.Int64).alias(label))
        )

    both = counts(base, "baseline").join(counts(reform, "reform"), on=["city_code", "tier"], how="full", coalesce=True)
    moves = (
        _changes(base, reform)
        .group_by("city_code", "tier")
        .agg(
            (pl.col("change") == "获得").sum().cast(pl.Int64).alias("gained"),
            (pl.col("change") == "失去").sum().cast(pl.Int64).alias("lost"),
        )
    )
    table = both.join(moves, on=["city_code", "tier"], how="left").with_columns(
        pl.col("gained").fill_null(0),
        pl.col("lost").fill_null(0),
        (pl.col("reform") - pl.col("baseline")).alias("difference"),
        pl.col("city_code").replace_strict(base.city_names, default=pl.col("city_code")).alias("city_name"),
        pl.col("tier").replace_strict(TIER_LABELS, default=None).alias("tier_label"),
    )
    order = {t: i for i, t in enumerate(TIERS)}
    return table.sort(["city_code", pl.col("tier").replace_strict(order, return_dtype=pl.Int8)])


def _budget(base: Result, reform: Result) -> pl.DataFrame:
    def sums(result: Result, label: str) -> pl.DataFrame:
        return (
            result.awards_raw.filter(pl.col("status") == "应享")
            .group_by("award", "funding_level")
            .agg(pl.col("amount").sum().alias(label))
        )

    table = sums(base, "b").join(sums(reform, "r"), on=["award", "funding_level"], how="full", coalesce=True)
    table = table.with_columns(pl.col("b").fill_null(0), pl.col("r").fill_null(0))
    return table.select(
        "award",
        "funding_level",
        units_to_decimal(pl.col("b")).alias("baseline"),
        units_to_decimal(pl.col("r")).alias("reform"),
        units_to_decimal(pl.col("r") - pl.col("b")).alias("difference"),
    ).sort("award", "funding_level")
