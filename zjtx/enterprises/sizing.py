"""中小企业划型 (工信部联企业〔2011〕300号): industry category and size class, scalar and vectorised.

Pure module (stdlib, yaml, polars only). Thresholds live in data/size_thresholds.yaml, the GB/T 4754
division → 划型 category map in data/industries.yaml. Rules (criteria.md §4): an enterprise is an SME when
it is below EITHER upper bound of its category ("或"); it is 中型 when at or above BOTH 中型 lower bounds
("且"), else 小型 when at or above both 小型 bounds, else 微型. "以下" is strictly below, "及以上" at or
above. Staff is 从业人员 (人); revenue 营业收入 and assets 资产总额 are in 万元.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
METRICS: tuple[str, ...] = ("staff", "revenue", "assets")
BOUNDS: tuple[str, ...] = ("sme_upper", "medium_lower", "small_lower")
SIZE_LABELS: dict[str, str] = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
INDUSTRY_CODE_RE = re.compile(r"^[0-9]{2}([0-9]{2})?$")

Number = Decimal | float | int


@dataclass(frozen=True)
class CategoryThresholds:
    """One 划型 industry: which metrics it uses and its three sets of bounds (metric → value)."""

    key: str
    name: str
    metrics: tuple[str, ...]
    sme_upper: dict[str, int]
    medium_lower: dict[str, int]
    small_lower: dict[str, int]


@dataclass(frozen=True)
class ThresholdSet:
    valid_from: dt.date
    source: str
    confirmed: bool
    categories: dict[str, CategoryThresholds]


def _load_yaml(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _category(key: str, raw: dict[str, Any]) -> CategoryThresholds:
    metrics = tuple(raw["metrics"])
    bounds = {b: {m: int(raw[b][m]) for m in metrics} for b in BOUNDS}
    return CategoryThresholds(key=key, name=str(raw["name"]), metrics=metrics, **bounds)


@cache
def threshold_set() -> ThresholdSet:
    """The 300号 parameter set (cached)."""
    raw = _load_yaml("size_thresholds.yaml")
    cats = {key: _category(key, body) for key, body in raw["categories"].items()}
    return ThresholdSet(
        valid_from=raw["valid_from"],
        source=str(raw["source"]),
        confirmed=bool(raw["confirmed"]),
        categories=cats,
    )


@cache
def _industry_maps() -> tuple[dict[str, str], dict[str, str]]:
    """(division code → category, 4-digit class code → category override)."""
    raw = _load_yaml("industries.yaml")
    divisions = {str(d["code"]): str(d["size_category"]) for d in raw["divisions"]}
    overrides = {str(o["code"]): str(o["size_category"]) for o in raw.get("class_overrides") or []}
    return divisions, overrides


def categories() -> list[str]:
    return list(threshold_set().categories)


def industry_category(industry_code: str) -> str:
    """划型 category key for a GB/T 4754-2017 division ("13") or class ("1391"); ValueError if unknown."""
    code = industry_code.strip()
    divisions, overrides = _industry_maps()
    if not INDUSTRY_CODE_RE.fullmatch(code) or code[:2] not in divisions:
        raise ValueError(f"不是有效的国民经济行业代码（2位大类或4位小类）：{industry_code!r}")
    return overrides.get(code) or divisions[code[:2]]


def _missing(value: Number | None) -> bool:
    if value is None:
        return True
    if isinstance(value, Decimal):
        return value.is_nan()
    return isinstance(value, float) and math.isnan(value)


def _all_at_least(values: dict[str, Number], bounds: dict[str, int]) -> bool:
    return all(values[m] >= bounds[m] for m in bounds)


def size_class(category: str, staff: int | None, revenue: Number | None, assets: Number | None) -> str | None:
    """'large' | 'medium' | 'small' | 'micro', or None when a metric the category uses is missing."""
    try:
        cat = threshold_set().categories[category]
    except KeyError:
        raise ValueError(f"未知的划型行业类别：{category!r}") from None
    given: dict[str, Number | None] = {"staff": staff, "revenue": revenue, "assets": assets}
    if any(_missing(given[m]) for m in cat.metrics):
        return None
    values: dict[str, Number] = {m: v for m, v in given.items() if m in cat.metrics and v is not None}
    if not any(values[m] < cat.sme_upper[m] for m in cat.metrics):
        return "large"
    if _all_at_least(values, cat.medium_lower):
        return "medium"
    if _all_at_least(values, cat.small_lower):
        return "small"
    return "micro"


# ---- vectorised ------------------------------------------------------------------------------------

_PREFIX = "__sz_"


@cache
def thresholds_frame() -> pl.DataFrame:
    """One row per category: `category` plus `<bound>_<metric>` (Int64, null where the metric is unused)."""
    rows = [
        {"category": key, **{f"{b}_{m}": getattr(cat, b).get(m) for b in BOUNDS for m in METRICS}}
        for key, cat in threshold_set().categories.items()
    ]
    schema = {"category": pl.String, **{f"{b}_{m}": pl.Int64 for b in BOUNDS for m in METRICS}}
    return pl.DataFrame(rows, schema=schema)


def industry_category_expr(industry_col: str) -> pl.Expr:
    """Polars expression: 划型 category for a column of industry codes (null where the code is invalid)."""
    divisions, overrides = _industry_maps()
    code = pl.col(industry_col).cast(pl.String).str.strip_chars()
    by_class = code.replace_strict(overrides, default=None, return_dtype=pl.String)
    by_division = code.str.slice(0, 2).replace_strict(divisions, default=None, return_dtype=pl.String)
    valid = code.str.contains(INDUSTRY_CODE_RE.pattern).fill_null(False)
    return pl.when(valid).then(pl.coalesce(by_class, by_division)).otherwise(None)


def _value_expr(df: pl.DataFrame, column: str | None) -> pl.Expr:
    if column is None:
        return pl.lit(None, dtype=pl.Float64)
    if df.schema[column].is_float():
        return pl.col(column).fill_nan(None)
    return pl.col(column)


def _size_class_expr(values: dict[str, pl.Expr]) -> pl.Expr:
    def bound(b: str, m: str) -> pl.Expr:
        return pl.col(f"{_PREFIX}{b}_{m}")

    missing = pl.any_horizontal([bound("sme_upper", m).is_not_null() & values[m].is_null() for m in METRICS])
    is_sme = pl.any_horizontal([(values[m] < bound("sme_upper", m)).fill_null(False) for m in METRICS])
    medium = pl.all_horizontal([(values[m] >= bound("medium_lower", m)).fill_null(True) for m in METRICS])
    small = pl.all_horizontal([(values[m] >= bound("small_lower", m)).fill_null(True) for m in METRICS])
    return (
        pl.when(pl.col(f"{_PREFIX}category").is_null() | missing)
        .then(pl.lit(None, dtype=pl.String))
        .when(~is_sme)
        .then(pl.lit("large"))
        .when(medium)
        .then(pl.lit("medium"))
        .when(small)
        .then(pl.lit("small"))
        .otherwise(pl.lit("micro"))
    )


def add_size_class(
    df: pl.DataFrame,
    industry_col: str,
    staff_col: str | None,
    revenue_col: str | None,
    assets_col: str | None,
    out_col: str = "size_class",
) -> pl.DataFrame:
    """`df` with `out_col` added: the same result as `size_class(industry_category(code), ...)` row by row,
    but null (not an error) for invalid industry codes. A None column name means "not recorded"."""
    thresholds = thresholds_frame().rename(lambda c: _PREFIX + c)
    values = {
        "staff": _value_expr(df, staff_col),
        "revenue": _value_expr(df, revenue_col),
        "assets": _value_expr(df, assets_col),
    }
    key = f"{_PREFIX}key"
    with_key = df.with_columns(industry_category_expr(industry_col).alias(key))
    joined = with_key.join(
        thresholds,
        left_on=key,
        right_on=f"{_PREFIX}category",
        how="left",
        coalesce=False,
        maintain_order="left",
    )
    extra = [c for c in joined.columns if c.startswith(_PREFIX)]
    return joined.with_columns(_size_class_expr(values).alias(out_col)).drop(extra)
