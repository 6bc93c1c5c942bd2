"""The vectorised engine and the plain reference implementation agree on 100,000 enterprises.

The population is drawn from grids that contain the thresholds, so exact boundaries, both criteria
sets, both review modes, missing data and every award occur many times.  The 100,000 enterprises
are copies of 12,000 distinct synthetic profiles (each with its own credit code, in shuffled
order): the engine evaluates all 100,000 rows and every row is compared, while the plain reference
— about half a millisecond per enterprise — needs to evaluate each distinct profile only once.
Awards are compared on all events (about 40,000), each evaluated by both implementations.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import polars.selectors as cs

from zjtx.policy.engine import ParameterSet, evaluate, load_parameters, reference, synthetic

N = 100_000
PROFILES = 12_000
AS_OF = dt.date(2026, 6, 1)
# 2026 criteria for first recognitions, 2022 for re-reviews: every rule tree of both sets runs.
REFORM = {"criteria.selection.re_review.srdi": "2022"}


def _params() -> ParameterSet:
    return load_parameters().with_overlay(REFORM, dt.date(2022, 6, 1), "两版并行")


def _population() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    profiles = synthetic.enterprises(PROFILES, seed=11)
    profile_years = synthetic.indicators(profiles["credit_code"], AS_OF.year - 1, seed=12)
    pick = (pl.int_range(0, N, eager=True, dtype=pl.UInt64).hash(13) % PROFILES).cast(pl.Int64)
    codes = pl.select(pl.format("9234{}", pl.int_range(0, N).cast(pl.String).str.zfill(14))).to_series()
    enterprises = profiles[pick].with_columns(codes.alias("credit_code"))
    # The profiles' years come by year; the copies take them by enterprise (the other export order).
    rows = pl.select((pick.repeat_by(3).explode() + pl.int_range(0, 3 * N) % 3 * PROFILES).alias("r")).to_series()
    indicators = profile_years[rows].with_columns(
        codes.gather(pl.int_range(0, 3 * N, eager=True) // 3).alias("credit_code")
    )
    events = synthetic.events(codes, seed=14)
    mapping = pl.DataFrame({"credit_code": codes, "profile": profiles["credit_code"].gather(pick)})
    return (
        profiles,
        profile_years,
        enterprises,
        indicators,
        events.join(mapping, on="credit_code").drop("profile"),
    )


def _reference_frames(
    profiles: pl.DataFrame, years: pl.DataFrame, params: ParameterSet
) -> tuple[pl.DataFrame, pl.DataFrame]:
    results = reference.recognise(profiles, years, AS_OF, params)
    recognition = pl.DataFrame(
        [
            (code, tier, r.criteria_set, r.qualifies, r.score, r.score_min, r.score_max)
            for (code, tier), r in results.items()
        ],
        schema={
            "profile": pl.String,
            "tier": pl.String,
            "criteria_set": pl.String,
            "qualifies": pl.Boolean,
            "score": pl.Float64,
            "score_min": pl.Float64,
            "score_max": pl.Float64,
        },
        orient="row",
    )
    unmet = pl.DataFrame(
        [(code, tier, c, st) for (code, tier), r in results.items() for c, st in r.unmet],
        schema={"profile": pl.String, "tier": pl.String, "condition": pl.String, "status": pl.String},
        orient="row",
    )
    return recognition, unmet


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """The long frames hold their texts as Enums; joined with plain text they are cast back."""
    return frame.with_columns(cs.enum().cast(pl.String))


def test_engine_and_reference_agree_on_100k_enterprises() -> None:
    params = _params()
    profiles, profile_years, enterprises, indicators, events = _population()
    result = evaluate(enterprises, indicators, events, AS_OF, params)
    profile_of = pl.DataFrame(
        {
            "credit_code": enterprises["credit_code"],
            "profile": profiles["credit_code"].gather(
                (pl.int_range(0, N, eager=True, dtype=pl.UInt64).hash(13) % PROFILES).cast(pl.Int64)
            ),
        }
    )
    ref_recognition, ref_unmet = _reference_frames(profiles, profile_years, params)

    keys = ["profile", "tier"]
    engine = as_text(result.recognition).join(profile_of, on="credit_code")
    assert engine.height == N * 5
    both = engine.join(ref_recognition, on=keys, how="left", suffix="_ref")
    differs = ~(
        pl.col("criteria_set").eq_missing(pl.col("criteria_set_ref"))
        & pl.col("qualifies").eq_missing(pl.col("qualifies_ref"))
        & pl.col("score").eq_missing(pl.col("score_ref"))
        & pl.col("score_min").eq_missing(pl.col("score_min_ref"))
        & pl.col("score_max").eq_missing(pl.col("score_max_ref"))
    )
    mismatched = both.filter(differs)
    assert mismatched.height == 0, mismatched.head(5)
    # the bounds are really exercised: scores with unknown items, whose range is open
    assert both.filter(pl.col("score").is_null() & (pl.col("score_min") < pl.col("score_max"))).height > 0

    engine_unmet = as_text(result.unmet).join(profile_of, on="credit_code").select(
        "credit_code", *keys, "condition", "status"
    )
    expected_unmet = profile_of.join(ref_unmet, on="profile").select(engine_unmet.columns)
    only_engine = engine_unmet.join(expected_unmet, on=engine_unmet.columns, how="anti")
    only_reference = expected_unmet.join(engine_unmet, on=engine_unmet.columns, how="anti")
    assert only_engine.height == 0, only_engine.head(5)
    assert only_reference.height == 0, only_reference.head(5)
    assert engine_unmet.height > N  # conditions are really reported, not silently empty

    awards_engine = {
        (n, a): (s, None if m is None else Decimal(m) / 1_000_000)
        for n, a, s, m in result.awards_raw.select("event_no", "award", "status", "amount").iter_rows()
    }
    awards_ref = {
        (e.event_no, e.award): (e.status, e.amount)
        for e in reference.entitle(enterprises, events, AS_OF, params)
    }
    assert awards_engine == awards_ref
    assert {s for s, _ in awards_engine.values()} == {
        "应享",
        "已享受",
        "数据不足",
        "不在政策期内",
        "无奖补金额",
    }
    assert set(result.recognition["status"]) == {"符合", "不符合", "数据不足"}
    assert set(result.recognition["criteria_set"]) >= {"2022", "2026", "省定", "2023"}
