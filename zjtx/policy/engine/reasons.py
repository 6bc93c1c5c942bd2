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


def _granted_cases(granted: pl.Expr) -> list[tuple[pl.Expr, pl.Expr]]:
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
    difference = (method == "graded") & (pl.col("previous_level") > 0) & (pl.col("policy") == "difference")
    return [
        (granted & (method == "rate"), rate),
        (granted & (method == "rank"), rank),
        (granted & difference, upgrade),
        (granted & (method == "graded"), graded),
        (granted, fixed),
    ]


def _other_cases(status: pl.Expr) -> list[tuple[pl.Expr, pl.Expr]]:
    method = pl.col("method")
    missing, already, zero = (status == awards.MISSING), (status == awards.ALREADY), (status == awards.ZERO)
    return [
        (missing & (method == "rank"), pl.lit("缺少服务商择优名次，无法计算")),
        (missing & (method == "graded"), pl.lit("缺少或无法识别评估等级（应为3A/4A/5A），无法计算")),
        (missing, pl.format("缺少{}（事件金额），无法计算", pl.col("base_label"))),
        (
            already & (method == "graded"),
            pl.format("评估等级 {}级未高于已享受的 {}级，不再给予", pl.col("grade"), pl.col("previous_grade")),
        ),
        (
            already & (pl.col("repeat_of") == "prior"),
            pl.format("{}属一次性奖补，已有发放记录，不再重复给予", pl.col("label")),
        ),
        (already, pl.format("{}属一次性奖补，已由更早的事件享受，不再重复给予", pl.col("label"))),
        (zero & (method == "rank"), pl.format("服务商择优名次第 {} 名，不在奖补名次内，奖补金额为0", pl.col("rank"))),
        (zero, pl.format("{} 0万元，奖补金额为0", pl.col("base_label"))),
    ]


def _cases() -> list[tuple[pl.Expr, pl.Expr]]:
    """(condition, reason) in order, the first that holds applies; the last holds always."""
    status = pl.col("status")
    not_in_force = pl.format("事件日期 {} 时该奖补政策不在有效期内，不予计算", pl.col("date"))
    return [*_granted_cases(status == awards.GRANTED), *_other_cases(status), (pl.lit(True), not_in_force)]


def award_reason() -> pl.Expr:
    """The reason of each row, as one expression (every case is formatted on every row: for small
    frames; ``award_reasons`` formats each case on its own rows)."""
    cases = _cases()
    reason: Any = pl
    for condition, text in cases[:-1]:
        reason = reason.when(condition).then(text)
    result: pl.Expr = reason.otherwise(cases[-1][1])
    return result


def award_reasons(frame: pl.DataFrame) -> pl.Series:
    """``frame.select(award_reason())``, each case formatted only on the rows it applies to (the
    formatting of amounts dominates; a when/then chain would format every case for every row)."""
    cases = _cases()
    number: Any = pl
    for index, (condition, _) in enumerate(cases[:-1]):
        number = number.when(condition).then(pl.lit(index, dtype=pl.UInt8))
    # One chunk: Polars 2.1 panics formatting some columns of many chunks once filtered (awards_raw
    # stacks the award parts).
    numbered = frame.rechunk().with_row_index("_i").with_columns(number.otherwise(len(cases) - 1).alias("_case"))
    parts = [
        numbered.lazy().filter(pl.col("_case") == index).select("_i", text.alias("reason"))
        for index, (_, text) in enumerate(cases)
    ]
    found = pl.concat(pl.collect_all(parts)).sort("_i")
    return found["reason"] if found.height else pl.Series("reason", [], dtype=pl.String)
