"""中小企业划型 (300号) boundaries, scalar vs vectorised agreement, and the GB/T 4754 loaders."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zjtx.enterprises import industries, sizing
from zjtx.enterprises.sizing import add_size_class, industry_category, size_class

# criteria.md §4, restated independently of the YAML: category → metric → (SME upper, 中型 lower, 小型 lower)
TABLE: dict[str, dict[str, tuple[int, int, int]]] = {
    "agriculture": {"revenue": (20000, 500, 50)},
    "industry": {"staff": (1000, 300, 20), "revenue": (40000, 2000, 300)},
    "construction": {"revenue": (80000, 6000, 300), "assets": (80000, 5000, 300)},
    "wholesale": {"staff": (200, 20, 5), "revenue": (40000, 5000, 1000)},
    "retail": {"staff": (300, 50, 10), "revenue": (20000, 500, 100)},
    "transport": {"staff": (1000, 300, 20), "revenue": (30000, 3000, 200)},
    "warehousing": {"staff": (200, 100, 20), "revenue": (30000, 1000, 100)},
    "postal": {"staff": (1000, 300, 20), "revenue": (30000, 2000, 100)},
    "accommodation": {"staff": (300, 100, 10), "revenue": (10000, 2000, 100)},
    "catering": {"staff": (300, 100, 10), "revenue": (10000, 2000, 100)},
    "telecom": {"staff": (2000, 100, 10), "revenue": (100000, 1000, 100)},
    "software": {"staff": (300, 100, 10), "revenue": (10000, 1000, 50)},
    "real_estate": {"revenue": (200000, 1000, 100), "assets": (10000, 5000, 2000)},
    "property_mgmt": {"staff": (1000, 300, 100), "revenue": (5000, 1000, 500)},
    "leasing_business": {"staff": (300, 100, 10), "assets": (120000, 8000, 100)},
    "other": {"staff": (300, 100, 10)},
}
CENT = Decimal("0.01")
UPPER, MEDIUM, SMALL = 0, 1, 2


def _delta(metric: str) -> Decimal:
    return Decimal(1) if metric == "staff" else CENT


def _classify(category: str, values: dict[str, Decimal]) -> str | None:
    staff = values.get("staff")
    return size_class(
        category, int(staff) if staff is not None else None, values.get("revenue"), values.get("assets")
    )


def _at(category: str, which: int) -> dict[str, Decimal]:
    return {m: Decimal(bounds[which]) for m, bounds in TABLE[category].items()}


def test_yaml_matches_table() -> None:
    cats = sizing.threshold_set().categories
    assert set(cats) == set(TABLE)
    for key, metrics in TABLE.items():
        assert cats[key].metrics == tuple(metrics)
        assert cats[key].sme_upper == {m: b[UPPER] for m, b in metrics.items()}
        assert cats[key].medium_lower == {m: b[MEDIUM] for m, b in metrics.items()}
        assert cats[key].small_lower == {m: b[SMALL] for m, b in metrics.items()}
    assert str(sizing.threshold_set().valid_from) == "2011-06-18"


@pytest.mark.parametrize("category", list(TABLE))
def test_upper_bound(category: str) -> None:
    at_upper = _at(category, UPPER)
    assert _classify(category, at_upper) == "large"  # "以下" is strict: at every upper bound → 大型
    for metric in TABLE[category]:
        just_over = {**at_upper, metric: at_upper[metric] + _delta(metric)}
        assert _classify(category, just_over) == "large"
        just_under = {**at_upper, metric: at_upper[metric] - _delta(metric)}
        # below EITHER upper bound is enough ("或"); the other metric is far above the 中型 bounds
        assert _classify(category, just_under) == "medium"


@pytest.mark.parametrize("category", list(TABLE))
def test_medium_lower_bound(category: str) -> None:
    at_medium = _at(category, MEDIUM)
    assert _classify(category, at_medium) == "medium"  # "及以上" is inclusive
    for metric in TABLE[category]:
        assert _classify(category, {**at_medium, metric: at_medium[metric] + _delta(metric)}) == "medium"
        # 中型 needs BOTH ("且"): one metric just under falls to 小型
        assert _classify(category, {**at_medium, metric: at_medium[metric] - _delta(metric)}) == "small"


@pytest.mark.parametrize("category", list(TABLE))
def test_small_lower_bound(category: str) -> None:
    at_small = _at(category, SMALL)
    assert _classify(category, at_small) == "small"
    for metric in TABLE[category]:
        assert _classify(category, {**at_small, metric: at_small[metric] + _delta(metric)}) == "small"
        # 微型 when EITHER is below the 小型 bound
        assert _classify(category, {**at_small, metric: at_small[metric] - _delta(metric)}) == "micro"


def test_criteria_example_industry() -> None:
    # 1,200 staff with 3亿 revenue is still an SME (below the 4亿 revenue bound), and 中型 by its lower bounds
    assert size_class("industry", 1200, Decimal(30000), None) == "medium"
    assert size_class("industry", 1200, 40000, None) == "large"
    assert size_class("industry", 999, 400000.0, None) == "medium"
    assert size_class("industry", 19, 100000, None) == "micro"


def test_missing_inputs() -> None:
    assert size_class("industry", None, 30000, 1) is None
    assert size_class("industry", 50, None, None) is None
    assert size_class("industry", 50, float("nan"), None) is None
    assert size_class("industry", 50, Decimal("NaN"), None) is None
    assert size_class("construction", None, 100, None) is None
    # a metric the category does not use may be missing
    assert size_class("agriculture", None, 600, None) == "medium"
    assert size_class("other", 5, None, None) == "micro"
    assert size_class("leasing_business", 150, None, 9000) == "medium"


def test_unknown_category() -> None:
    with pytest.raises(ValueError, match="未知的划型行业类别"):
        size_class("mining", 1, 1, 1)


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("01", "agriculture"),
        ("05", "agriculture"),
        ("0511", "agriculture"),
        ("06", "industry"),
        ("13", "industry"),
        ("3911", "industry"),
        ("46", "industry"),
        ("47", "construction"),
        ("50", "construction"),
        ("51", "wholesale"),
        ("52", "retail"),
        ("53", "transport"),
        ("58", "transport"),
        ("59", "warehousing"),
        ("5910", "transport"),
        ("5920", "warehousing"),
        ("60", "postal"),
        ("61", "accommodation"),
        ("62", "catering"),
        ("63", "telecom"),
        ("64", "telecom"),
        ("65", "software"),
        ("66", "other"),
        ("70", "real_estate"),
        ("7010", "real_estate"),
        ("7020", "property_mgmt"),
        ("7030", "other"),
        ("71", "leasing_business"),
        ("72", "leasing_business"),
        ("73", "other"),
        ("97", "other"),
        (" 13 ", "industry"),
    ],
)
def test_industry_category(code: str, category: str) -> None:
    assert industry_category(code) == category


@pytest.mark.parametrize("code", ["", "1", "00", "98", "123", "13911", "ab", "C13", "１３", "13\n1"])
def test_industry_category_invalid(code: str) -> None:
    with pytest.raises(ValueError, match="不是有效的国民经济行业代码"):
        industry_category(code)


def test_divisions_loader() -> None:
    assert len(industries.DIVISIONS) == 97
    assert [c for c, _, _ in industries.DIVISIONS] == [f"{i:02d}" for i in range(1, 98)]
    assert [s for s, _ in industries.SECTIONS] == list("ABCDEFGHIJKLMNOPQRST")
    assert {s for _, _, s in industries.DIVISIONS} == set("ABCDEFGHIJKLMNOPQRST")
    assert industries.division_name("39") == "计算机、通信和其他电子设备制造业"
    assert industries.division_section("3911") == "C"
    assert industries.section_name("I") == "信息传输、软件和信息技术服务业"
    for ok in ("01", "97", "3911", "7020"):
        assert industries.is_valid_industry_code(ok)
    for bad in (None, "", "00", "98", "9801", "391", "39112", "3a11", "39\n"):
        assert not industries.is_valid_industry_code(bad)


# ---- vectorised -----------------------------------------------------------------------------------

VALID_CODES = ["01", "05", "13", "3911", "44", "48", "51", "52", "54", "59", "5910", "60", "61", "62"]
MORE_CODES = ["63", "65", "70", "7010", "7020", "7090", "72", "73", "90"]
CODES: list[str | None] = [*VALID_CODES, *MORE_CODES, "00", "98", "1", None]  # last four invalid
BOUNDARY_NUMBERS = sorted(
    {v + d for bounds in TABLE.values() for b in bounds.values() for v in b for d in (-1, 0, 1)}
)
numbers = st.one_of(
    st.none(),
    st.sampled_from(BOUNDARY_NUMBERS).map(float),
    st.floats(min_value=0, max_value=300000),
    st.just(float("nan")),
)
staff_counts = st.one_of(
    st.none(),
    st.sampled_from([n for n in BOUNDARY_NUMBERS if n < 3000]),
    st.integers(min_value=0, max_value=5000),
)
rows = st.lists(st.tuples(st.sampled_from(CODES), staff_counts, numbers, numbers), max_size=60)


def _scalar(code: str | None, staff: int | None, revenue: float | None, assets: float | None) -> str | None:
    if code is None or not industries.is_valid_industry_code(code):
        return None
    return size_class(industry_category(code), staff, revenue, assets)


Row = tuple[str | None, int | None, float | None, float | None]


@settings(max_examples=300, deadline=None)
@given(rows)
def test_vectorised_agrees_with_scalar(data: list[Row]) -> None:
    df = pl.DataFrame(
        data,
        schema={"code": pl.String, "staff": pl.Int64, "revenue": pl.Float64, "assets": pl.Float64},
        orient="row",
    )
    out = add_size_class(df, "code", "staff", "revenue", "assets")
    assert out.columns == [*df.columns, "size_class"]
    assert out.drop("size_class").equals(df)
    assert out["size_class"].to_list() == [_scalar(*row) for row in data]


def test_vectorised_decimal_columns_and_missing_column() -> None:
    df = pl.DataFrame(
        {
            "industry": ["13", "13", "13", "7020", "83", "47"],
            "staff": [1200, 1000, 300, 100, 9, 0],
            "revenue": [Decimal(30000), Decimal(40000), Decimal("1999.99"), Decimal(500), None, None],
        },
        schema={"industry": pl.String, "staff": pl.Int64, "revenue": pl.Decimal(18, 2)},
    )
    out = add_size_class(df, "industry", "staff", "revenue", None, out_col="size")
    assert out["size"].to_list() == ["medium", "large", "small", "small", "micro", None]
