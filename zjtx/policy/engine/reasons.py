"""Chinese reasons for award entitlements, built on whole columns of the raw award frame.

Example: "四化改造设备购置额 8,000万元 × 10% = 800万元，超过上限 500万元，按 500万元".
"""

from __future__ import annotations

from typing import Any

import polars as pl

from zjtx.policy.engine import awards
from zjtx.policy.engine.schema import MONEY_SCALE


def fmt_wan(units: pl.Expr) -> pl.Expr:
    """Integer 分 → 万元 text with thousands separators, no trailing zeros: 8000000000 → "8,000"."""
    whole = (units // MONEY_SCALE).cast(pl.String)
    grouped = whole.str.reverse().str.replace_all(r"(\d{3})", "${1},").str.strip_chars_end(",").str.reverse()
    fraction = units % MONEY_SCALE
    fraction_text = fraction.cast(pl.String).str.zfill(6).str.strip_chars_end("0")
    return pl.when(fraction == 0).then(grouped).otherwise(pl.format("{}.{}", grouped, fraction_text))


def _cap_clause() -> pl.Expr:
    over = pl.col("cap").is_not_null() & (pl.col("raw") > pl.col("cap"))
    return (
        pl.when(over)
        .then(pl.format("，超过上限 {}万元，按 {}万元", fmt_wan(pl.col("cap")), fmt_wan(pl.col("cap"))))
        .when(pl.col("cap").is_not_null())
        .then(pl.format("（上限 {}万元）", fmt_wan(pl.col("cap"))))
        .otherwise(pl.lit(""))
    )


def _granted() -> pl.Expr:
    method = pl.col("method")
    share = (
        pl.when(pl.col("cap").is_null())
        .then(pl.format("（{}财政）", pl.col("funding_level")))
        .otherwise(pl.lit(""))
    )
    rate = pl.format(
        "{} {}万元 × {} = {}万元{}{}",
        pl.col("base_label"),
        fmt_wan(pl.col("base")),
        pl.col("rate_text"),
        fmt_wan(pl.col("raw")),
        _cap_clause(),
        share,
    )
    rank = pl.format(
        "服务商择优名次第 {} 名，对应奖补 {}万元{}", pl.col("rank"), fmt_wan(pl.col("raw")), _cap_clause()
    )
    upgrade = pl.format(
        "数字化转型评估由 {}级升至 {}级，就高不重复：{}万元 − {}万元 = {}万元",
        pl.col("previous_grade"),
        pl.col("grade"),
        fmt_wan(pl.col("level")),
        fmt_wan(pl.col("previous_level")),
        fmt_wan(pl.col("amount")),
    )
    graded = pl.format("数字化转型评估 {}级，一次性奖补 {}万元", pl.col("grade"), fmt_wan(pl.col("amount")))
    fixed = pl.format("{} {}万元", pl.col("label"), fmt_wan(pl.col("amount")))
    return (
        pl.when(method == "rate")
        .then(rate)
        .when(method == "rank")
        .then(rank)
        .when((method == "graded") & (pl.col("previous_level") > 0) & (pl.col("policy") == "difference"))
        .then(upgrade)
        .when(method == "graded")
        .then(graded)
        .otherwise(fixed)
    )


def _missing() -> pl.Expr:
    method = pl.col("method")
    return (
        pl.when(method == "rank")
        .then(pl.lit("缺少服务商择优名次，无法计算"))
        .when(method == "graded")
        .then(pl.lit("缺少或无法识别评估等级（应为3A/4A/5A），无法计算"))
        .otherwise(pl.format("缺少{}（事件金额），无法计算", pl.col("base_label")))
    )


def _already() -> pl.Expr:
    return (
        pl.when(pl.col("method") == "graded")
        .then(
            pl.format("评估等级 {}级未高于已享受的 {}级，不再给予", pl.col("grade"), pl.col("previous_grade"))
        )
        .when(pl.col("repeat_of") == "prior")
        .then(pl.format("{}属一次性奖补，已有发放记录，不再重复给予", pl.col("label")))
        .otherwise(pl.format("{}属一次性奖补，已由更早的事件享受，不再重复给予", pl.col("label")))
    )


def _zero() -> pl.Expr:
    return (
        pl.when(pl.col("method") == "rank")
        .then(pl.format("服务商择优名次第 {} 名，不在奖补名次内，奖补金额为0", pl.col("rank")))
        .otherwise(pl.format("{} 0万元，奖补金额为0", pl.col("base_label")))
    )


def award_reason() -> pl.Expr:
    status = pl.col("status")
    reason: Any = (
        pl.when(status == awards.GRANTED)
        .then(_granted())
        .when(status == awards.MISSING)
        .then(_missing())
        .when(status == awards.ALREADY)
        .then(_already())
        .when(status == awards.ZERO)
        .then(_zero())
        .otherwise(pl.format("事件日期 {} 时该奖补政策不在有效期内，不予计算", pl.col("date")))
    )
    return reason
