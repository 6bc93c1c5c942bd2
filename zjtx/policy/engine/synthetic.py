"""Deterministic synthetic populations for tests, demos and benchmarks (no real data).

Values are drawn from small grids that contain the thresholds of the rules (1,000万, 3%, 70% …),
so a large population hits every boundary exactly, from both sides, many times; a share of every
optional input is null so the 数据不足 paths run too.  Randomness is Polars' hash of the row index
with a seed: the same seed gives the same frames.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

CITIES = [
    "340100",
    "340200",
    "340300",
    "340400",
    "340500",
    "340600",
    "340700",
    "340800",
    "341000",
    "341100",
    "341200",
    "341300",
    "341500",
    "341600",
    "341700",
    "341800",
]
TIER_CHOICES = [
    "none",
    "none",
    "none",
    "innovative",
    "innovative",
    "srdi",
    "srdi",
    "provincial_champion",
    "little_giant",
    "single_champion",
]
# The programme's shares of each rung (the enterprise's highest), as the demo registry draws them
# (``enterprises.demo_data.TIER_SHARES``, calibrated on reference/anhui-figures.md: a few thousand
# 省级专精特新 among 25,000 规上 firms): for benchmarks of realistic make-up.  ``TIER_CHOICES``
# (half the enterprises holding 专精特新 or higher) is for tests, which want every branch often.
PROGRAMME_TIER_SHARES: dict[str, float] = {
    "single_champion": 0.002,
    "little_giant": 0.020,
    "provincial_champion": 0.004,
    "srdi": 0.094,
    "innovative": 0.200,
}
MONEY: dict[str, list[Any]] = {
    "revenue": [0, 500, 999.99, 1000, 1500, 3000, 4999.99, 5000, 9999.99, 10000, 40000, 52000.5],
    "main_revenue": [0, 400, 700, 800, 900, 1000, 1400, 4500, 9000, 36000, 40000],
    "rd_expense": [0, 30, 45, 99.99, 100, 150, 300, 500, 600, 1000, 1200, 3000],
    "net_profit": [-100, 0, 20, 60, 100, 800, 2000],
    "total_assets": [0, 1000, 2000, 10000],
    "total_liabilities": [0, 500, 700, 750, 800, 1500, 9000],
    "financing": [0, 100, 1000],
    "export": [0, 50, 5000],
}
EVENT_KINDS = [
    "recognized_provincial_champion",
    "recognized_little_giant",
    "recognized_single_champion",
    "relocated_little_giant",
    "relocated_single_champion",
    "industrial_internet_platform",
    "cloud_service_provider",
    "digital_assessment",
    "network_security_project",
    "four_transformations_project",
    "srdi_board_listing",
    "publicity",
    "public_service_platform_national",
]


class _Draw:
    """Pseudo-random draws: one independent stream per (seed, salt)."""

    def __init__(self, n: int, seed: int) -> None:
        self.n, self.seed, self.salt = n, seed, 0
        self.index = pl.int_range(0, n, eager=True, dtype=pl.UInt64)

    def uniform(self, modulo: int) -> pl.Series:
        self.salt += 1
        return (self.index.hash(self.seed * 7919 + self.salt) % modulo).cast(pl.Int64)

    def choice(self, values: list[Any], dtype: pl.DataType, null_pct: int = 0) -> pl.Series:
        picked = pl.Series(values, dtype=dtype).gather(self.uniform(len(values)))
        if null_pct:
            picked = pl.select(pl.when(self.uniform(100) >= null_pct).then(picked)).to_series()
        return picked


def enterprises(
    n: int, seed: int = 1, null_pct: int = 8, tier_shares: dict[str, float] | None = None
) -> pl.DataFrame:
    """``tier_shares``: each tier's share (the rest hold none); default ``TIER_CHOICES``."""
    d = _Draw(n, seed)
    codes = pl.select(pl.format("9134{}", pl.int_range(0, n).cast(pl.String).str.zfill(14))).to_series()
    city = d.choice(CITIES, pl.String())

    def b() -> pl.Series:
        return d.choice([True, False], pl.Boolean(), null_pct)

    def i(values: list[int]) -> pl.Series:
        return d.choice(values, pl.Int64(), null_pct)

    return pl.DataFrame(
        {
            "credit_code": codes,
            "city_code": city,
            "county_code": city,
            "industry_code": d.choice(["13", "26", "39", "43", "44", "65"], pl.String()),
            "emerging_industry": d.choice(["新材料", "人工智能", None], pl.String()),
            "founded_on": d.choice(
                [dt.date(2005, 3, 1), dt.date(2015, 7, 1), dt.date(2021, 1, 1)], pl.Date()
            ),
            "current_tier": d.choice(TIER_CHOICES, pl.String()) if tier_shares is None else _tiers(d, tier_shares),
            "is_tech_sme": b(),
            "niche_years": i([0, 1, 2, 3, 4, 5, 9, 10, 12]),
            "ip_i_high_value": i([0, 0, 0, 1]),
            "ip_i_own": i([0, 0, 1, 2]),
            "ip_ii_count": i([0, 1, 3]),
            "rd_institution_level": d.choice(
                ["national", "provincial", "city", "county", "none"], pl.String(), null_pct
            ),
            "digital_level": i([0, 1, 2, 3, 4]),
            "quality_items": i([0, 1, 2, 3]),
            "strategic_emerging_field": b(),
            "key_chain_field": d.choice(["key_chain", "supporting", "none"], pl.String(), null_pct),
            "local_feature_score": i([0, 5, 10, 15, 20]),
            "equity_financing_2y": d.choice([0, 0, 499.99, 500, 2000, 6000, 8000], pl.Float64(), null_pct),
            "equity_financing_3y": d.choice([0, 0, 499.99, 500, 2000, 6000], pl.Float64(), null_pct),
            "st_award_national_rank": i([0, 0, 0, 1, 3, 5, 6]),
            "st_award_provincial_rank": i([0, 0, 0, 1, 3, 4]),
            "maker_china_rank": i([0, 0, 0, 50, 51, 500, 501]),
            "has_honour": b(),
            "has_info_system": b(),
            "has_certification": b(),
            "has_brand": b(),
            "chain_role_ok": b(),
            "key_field_ok": b(),
            "niche_share_leading": b(),
            "national_market_rank": i([1, 3, 4, 20]),
            "global_market_rank": i([1, 3, 4, 20]),
            "main_product_is_new": b(),
            "profit_above_industry": b(),
            "standard_setting": b(),
            "compliance_ok": b(),
            "is_production_service": b(),
            "dev_eval_score": d.choice([40.0, 49.5, 50.0, 59.9, 60.0, 75.0], pl.Float64(), null_pct),
            "dev_eval_score_prev": d.choice([40.0, 50.0, 60.0, 80.0], pl.Float64(), null_pct),
        }
    )


def indicators(codes: pl.Series, data_year: int, seed: int = 2, null_pct: int = 5) -> pl.DataFrame:
    """Three years per enterprise, sorted by (year, enterprise order) — the registry's export order."""
    n = codes.len() * 3
    d = _Draw(n, seed)
    row = pl.int_range(0, n, eager=True)
    columns: dict[str, pl.Series] = {
        "credit_code": codes.gather(row % max(codes.len(), 1)),
        "year": (row // max(codes.len(), 1) + data_year - 2).cast(pl.Int64),
    }
    for name, values in MONEY.items():
        columns[name] = d.choice(values, pl.Float64(), null_pct)
    columns["employees"] = d.choice([0, 10, 100, 200], pl.Int64(), null_pct)
    columns["rd_staff"] = d.choice([0, 5, 10, 20, 50, 100], pl.Int64(), null_pct)
    columns["ip_i_count"] = d.choice([0, 1, 2, 3, 4, 6], pl.Int64(), null_pct)
    columns["market_share"] = d.choice([0.0, 5.0, 9.99, 10.0, 15.5], pl.Float64(), null_pct)
    return pl.DataFrame(columns)


def events(codes: pl.Series, seed: int = 3, per_enterprise: float = 0.4) -> pl.DataFrame:
    """About ``per_enterprise`` events per enterprise, dated 2021–2026 (some before the plan)."""
    n = int(codes.len() * per_enterprise)
    d = _Draw(n, seed)
    owners = d.uniform(max(codes.len(), 1))
    # Concentrate events on fewer enterprises so repeats (once-only, upgrades) happen often.
    few = d.uniform(3) == 0
    crowded = owners % max(codes.len() // 10, 1)
    owner_index = pl.select(pl.when(few).then(crowded).otherwise(owners)).to_series()
    days = pl.lit(d.uniform(6 * 365))
    return pl.DataFrame(
        {
            "credit_code": codes.gather(owner_index),
            "kind": d.choice(EVENT_KINDS, pl.String()),
            "date": pl.select(pl.lit(dt.date(2021, 6, 1)) + pl.duration(days=days)).to_series(),
            "grade": d.choice(["3A", "4A", "5A", None], pl.String()),
            "amount": d.choice(
                [None, 0, 100, 199.999999, 200, 1000, 4999.99, 5000, 8000.123456], pl.Float64()
            ),
            "rank": d.choice([None, 0, 1, 10, 11, 30, 31, 50, 51], pl.Int64()),
        }
    )


def _tiers(d: _Draw, shares: dict[str, float]) -> pl.Series:
    """Tiers drawn with the given shares (one draw, as ``choice`` takes: the other columns stay)."""
    scale = 1_000_000
    drawn = d.uniform(scale)
    tier: Any = pl
    upper = 0
    for name, share in shares.items():
        upper += round(share * scale)
        tier = tier.when(pl.col("u") < upper).then(pl.lit(name))
    return pl.DataFrame({"u": drawn}).select(tier.otherwise(pl.lit("none")).alias("t"))["t"]


def population(
    n: int, data_year: int, seed: int = 1, tier_shares: dict[str, float] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    ent = enterprises(n, seed, tier_shares=tier_shares)
    codes = ent["credit_code"]
    return ent, indicators(codes, data_year, seed + 1), events(codes, seed + 2)
