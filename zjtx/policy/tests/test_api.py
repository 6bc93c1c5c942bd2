"""The public API: evaluate, explain, serialisation, compare, input errors, reproducibility."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from zjtx.policy.engine import (
    InputError,
    ParameterError,
    compare,
    evaluate,
    explain,
    load_parameters,
    synthetic,
    to_dict,
    to_json,
    write,
)
from zjtx.policy.io import write_result

AS_OF = dt.date(2024, 6, 1)


def _one_enterprise() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    enterprises = pl.DataFrame(
        {
            "credit_code": ["91340100MA0000001X"],
            "city_code": ["340100"],
            "county_code": ["340102"],
            "industry_code": ["39"],
            "emerging_industry": ["新材料"],
            "founded_on": [dt.date(2012, 5, 1)],
            "current_tier": ["innovative"],
            "niche_years": [4],
        }
    )
    indicators = pl.DataFrame(
        {
            "credit_code": ["91340100MA0000001X"] * 2,
            "year": [2022, 2023],
            "revenue": [Decimal("1800"), Decimal("2000")],
            "rd_expense": [Decimal("60"), Decimal("80")],
        }
    )
    events = pl.DataFrame(
        {
            "credit_code": ["91340100MA0000001X"],
            "kind": ["four_transformations_project"],
            "date": [dt.date(2024, 3, 1)],
            "amount": [Decimal("8000")],
        }
    )
    return enterprises, indicators, events


def test_explain_tells_the_set_the_conditions_and_the_awards() -> None:
    result = evaluate(*_one_enterprise(), AS_OF, load_parameters())
    text = explain(result, "91340100MA0000001X")
    assert "合肥市" in text
    assert "【专精特新中小企业】不符合（首次认定，采用 2022版梯度培育标准）" in text
    assert "已是省专精特新中小企业：实际 创新型中小企业" in text
    assert "上年度研发费用总额：实际 80万元，要求 ≥ 100万元（criteria.2022.srdi.min_rd_expense，标准3.2(2)）" in text
    assert "四化改造设备购置额 8,000万元 × 10% = 800万元，超过上限 500万元，按 500万元" in text
    assert "缺少" in text
    # A condition on two inputs names each (no bare "39、None" or "False").
    industry = "国民经济行业代码（GB/T 4754 两位大类或四位小类）"
    assert f"制造业（或生产性服务业）企业：实际 {industry} 39、属于生产性服务业 缺" in text
    assert "False" not in text and "None" not in text
    assert explain(result, "nobody").endswith("不在本次评价范围内。")


def test_results_record_parameter_versions_for_reproduction() -> None:
    result = evaluate(*_one_enterprise(), AS_OF, load_parameters())
    used = {(v["id"], v["effective_from"]) for v in result.parameter_versions}
    assert ("criteria.2022.srdi.min_rd_expense", "2022-06-01") in used
    assert ("awards.four_transformations.cap", "2022-02-17") in used
    assert re.fullmatch(r"[0-9a-f]{16}", result.fingerprint)
    assert result.data_year == 2023


def test_rule_trees_built_once_per_parameter_set_and_date_still_record_versions() -> None:
    params = load_parameters().with_overlay({"criteria.selection.first": "2022"}, dt.date(2020, 1, 1), "缓存")
    first = evaluate(*_one_enterprise(), AS_OF, params)
    again = evaluate(*_one_enterprise(), AS_OF, params)  # the trees of ``first``, reused
    assert again.plans is first.plans
    assert again.parameter_versions == first.parameter_versions
    assert again.summary.equals(first.summary)
    later = evaluate(*_one_enterprise(), dt.date(2026, 6, 1), params)  # another date: built again
    assert later.plans is not first.plans
    assert later.parameter_versions != first.parameter_versions


def test_criteria_set_is_named_per_review_mode() -> None:
    params = load_parameters().with_overlay({"criteria.selection.re_review.srdi": "2022"}, dt.date(2022, 6, 1), "两版")
    enterprises, indicators, events = synthetic.population(200, 2025, seed=2)
    result = evaluate(enterprises, indicators, events, dt.date(2026, 6, 1), params)
    srdi = result.recognition.filter(pl.col("tier") == "srdi")
    # Text held as an Enum of the sets' names: it reads and compares as the names.
    assert srdi["criteria_set"].dtype == pl.Enum(["2022", "2023", "2026", "省定"])
    by_review = dict(srdi.group_by("review").agg(pl.col("criteria_set").unique()).iter_rows())
    assert {k: sorted(v) for k, v in by_review.items()} == {"首次认定": ["2026"], "复核": ["2022"]}


@pytest.mark.parametrize(("order", "mix"), [("by_year", None), ("shuffled", None), ("by_year", "programme")])
def test_re_review_trees_on_their_rows_alone_give_the_same_summary(monkeypatch, order, mix) -> None:
    # Re-review sets differ from the first sets for 专精特新 and 小巨人 here; each re-review tree runs
    # on the holders' rows alone (share 1.0) or on every row (share -1): the same summary.
    recognition = importlib.import_module("zjtx.policy.engine.recognition")
    params = load_parameters().with_overlay({"criteria.selection.re_review.srdi": "2022"}, dt.date(2022, 6, 1), "两版")
    shares = synthetic.PROGRAMME_TIER_SHARES if mix else None
    enterprises, indicators, events = synthetic.population(3000, 2025, seed=8, tier_shares=shares)
    if order == "shuffled":  # the general path (a join per year)
        indicators = indicators.sample(fraction=1.0, shuffle=True, seed=1)
    results = {}
    # -1: never; 1.0: both tiers (their holders filtered); 0.05: with the programme's shares 小巨人
    # alone (2.2 % of the rows, gathered by row number).
    for share in (-1.0, 1.0, 0.05):
        monkeypatch.setattr(recognition, "SUBSET_SHARE", share)
        results[share] = evaluate(enterprises, indicators, events, dt.date(2026, 6, 1), params)
    for share in (1.0, 0.05):
        assert results[share].summary.equals(results[-1.0].summary)
        assert results[share].recognition.equals(results[-1.0].recognition)


def test_serialisation_to_json_csv_and_parquet(tmp_path: Path) -> None:
    result = evaluate(*_one_enterprise(), AS_OF, load_parameters())
    payload = to_dict(result, "91340100MA0000001X")
    assert payload["entitlements"][0]["amount"] == "500"
    assert payload["as_of"] == "2024-06-01"
    json.loads(to_json(result))
    paths = write(result, tmp_path / "parquet")
    assert {p.name for p in paths} == {"recognition.parquet", "unmet.parquet", "entitlements.parquet", "metadata.json"}
    write_result(result, tmp_path / "csv", "csv")
    assert {p.name for p in (tmp_path / "csv").iterdir()} == {
        "recognition.csv", "unmet.csv", "entitlements.csv", "metadata.json"}
    assert pl.read_parquet(tmp_path / "parquet" / "entitlements.parquet")["amount"].to_list() == [Decimal("500")]


def test_long_frames_hold_texts_as_enums_that_read_and_export_as_text(tmp_path: Path) -> None:
    enterprises, indicators, events = synthetic.population(300, 2025, seed=4)
    result = evaluate(enterprises, indicators, events, dt.date(2026, 6, 1), load_parameters())
    unmet, recognition = result.unmet, result.recognition
    for frame, names in ((unmet, ("city_code", "tier", "condition", "label", "status", "clause")),
                         (recognition, ("city_code", "tier", "tier_label", "review", "status"))):
        assert all(isinstance(frame.schema[name], pl.Enum) for name in names)
    assert unmet.schema["missing"] == pl.List(result._input_labels)
    # Texts compare and filter as text, and a text no row has matches nothing instead of failing.
    unknown = unmet.filter((pl.col("status") == "数据不足") & (pl.col("missing").list.len() > 0))
    assert unknown.height > 0
    assert unmet.filter(pl.col("tier") == "没有这个梯度").height == 0
    assert set(recognition["status"].cast(pl.String)) <= {"符合", "不符合", "数据不足"}
    assert recognition["city_code"].cast(pl.String).equals(
        pl.concat([enterprises["city_code"]] * len(result.plans)), check_names=False
    )
    # Exports carry the text: CSV joins the missing inputs with 、, Parquet reads back equal.
    write_result(result, tmp_path, "csv")
    csv = pl.read_csv(tmp_path / "unmet.csv", infer_schema=False)
    first = unknown.row(0, named=True)
    assert "、".join(first["missing"]) in csv.filter(
        (pl.col("credit_code") == first["credit_code"]) & (pl.col("condition") == first["condition"])
    )["missing"].to_list()
    write(result, tmp_path)
    assert pl.read_parquet(tmp_path / "unmet.parquet").equals(unmet)


def test_compare_reports_tier_changes_by_city_and_budget_difference() -> None:
    enterprises, indicators, events = _one_enterprise()
    enterprises = enterprises.with_columns(
        pl.lit(2).alias("st_award_provincial_rank"), pl.lit(0).alias("st_award_national_rank")
    )
    events = pl.concat(
        [
            events,
            pl.DataFrame(
                {
                    "credit_code": ["91340100MA0000001X"],
                    "kind": ["recognized_little_giant"],
                    "date": [dt.date(2024, 3, 1)],
                    "amount": [None],
                },
                schema=events.schema,
            ),
        ]
    )
    reform = {"criteria.2022.srdi.min_rd_expense": 80, "awards.little_giant.amount": 150}
    comparison = compare(load_parameters(), reform, enterprises, indicators, events, AS_OF)
    row = comparison.tiers.filter(pl.col("tier") == "srdi").row(0, named=True)
    assert (
        row["city_code"],
        row["city_name"],
        row["baseline"],
        row["reform"],
        row["gained"],
        row["lost"],
    ) == ("340100", "合肥市", 0, 1, 1, 0)
    assert comparison.changes.select("tier", "change").rows() == [("srdi", "获得")]
    budget = comparison.budget.filter(pl.col("award") == "little_giant").row(0, named=True)
    assert (budget["baseline"], budget["reform"], budget["difference"]) == (
        Decimal(100),
        Decimal(150),
        Decimal(50),
    )


def test_indicator_order_does_not_matter() -> None:
    # synthetic gives the registry's export order by year; by enterprise is the other fast path;
    # shuffled rows take the general path (a join per year).
    enterprises, by_year, events = synthetic.population(3000, 2023, seed=5)
    params = load_parameters()
    orders = {
        "by_year": by_year,
        "by_enterprise": by_year.sort("credit_code", "year"),
        "shuffled": by_year.sample(fraction=1.0, shuffle=True, seed=9),
    }
    results = {name: evaluate(enterprises, frame, events, AS_OF, params) for name, frame in orders.items()}
    assert [r.yearly is not None for r in results.values()] == [True, True, False]
    # Explaining one enterprise evaluates only its rows (``frame`` not built yet), taking its years
    # from either layout.
    one = pl.col("credit_code").is_in(enterprises["credit_code"].gather([0, 1234, 2999]).implode())
    rows = {name: result.frame_rows(one) for name, result in results.items()}
    expected = results["shuffled"].frame
    assert results["by_year"].frame.equals(expected)
    assert results["by_enterprise"].frame.equals(expected)
    assert all(frame.equals(expected.filter(one)) for frame in rows.values())
    assert rows["by_year"].height == 3


def test_registry_frames_vouch_for_their_order_but_a_sample_is_still_compared() -> None:
    # checked_inputs: the export order of registry_frames(years=…) is trusted; every
    # ORDER_SAMPLE-th row (here every 2nd of 3000) is still compared, so two swapped enterprises at
    # a compared row send the frame to the general path (a join), with the right results.
    from zjtx.policy.engine import inputs

    enterprises, by_year, events = synthetic.population(3000, 2023, seed=5)
    params = load_parameters()
    assert 3000 // inputs.ORDER_SAMPLE == 2
    swapped = pl.concat([by_year.slice(0, 3000).reverse(), by_year.slice(3000)])
    full = evaluate(enterprises, swapped, events, AS_OF, params)
    vouched = evaluate(enterprises, swapped, events, AS_OF, params, checked_inputs=True)
    assert full.yearly is None and vouched.yearly is None
    assert vouched.summary.equals(full.summary)
    in_order = evaluate(enterprises, by_year, events, AS_OF, params, checked_inputs=True)
    assert in_order.yearly is not None and in_order.summary.equals(
        evaluate(enterprises, by_year, events, AS_OF, params).summary
    )


def test_credit_codes_not_given_as_text_still_take_the_fast_path() -> None:
    # The indicators' order is checked beside the enterprises' checks when the codes are text; other
    # code types are checked after ``prepare`` has made them text.
    enterprises, indicators, events = synthetic.population(500, 2023, seed=3)
    params = load_parameters()
    as_text = evaluate(enterprises, indicators, events, AS_OF, params)
    categorical = enterprises.with_columns(pl.col("credit_code").cast(pl.Categorical))
    other = evaluate(categorical, indicators, events, AS_OF, params)
    assert as_text.yearly is not None and other.yearly is not None
    assert other.summary.equals(as_text.summary)


@pytest.mark.parametrize("bad", [False, True])
def test_rules_run_before_the_indicator_check_ends_and_keep_its_verdict(monkeypatch, bad) -> None:
    # Held back, the check ends after the enterprises' checks, so the rules run on the unchecked
    # frame first; a frame the check then rejects gives the general path's result or error.
    import time

    from zjtx.policy.engine import inputs

    enterprises, indicators, events = synthetic.population(400, 2023, seed=4)
    params = load_parameters()
    expected = evaluate(enterprises, indicators, events, AS_OF, params)
    if bad:
        indicators = indicators.with_columns(pl.col("revenue").fill_null(float("nan")))
    check = inputs.aligned_indicators

    def slow_check(*args: Any) -> Any:
        time.sleep(0.3)
        return check(*args)

    monkeypatch.setattr(inputs, "aligned_indicators", slow_check)
    evaluate_module = importlib.import_module("zjtx.policy.engine.evaluate")
    runs: list[int] = []
    fast_rules = evaluate_module._fast_rules

    def counted(*args: Any) -> Any:
        runs.append(1)
        return fast_rules(*args)

    monkeypatch.setattr(evaluate_module, "_fast_rules", counted)
    if bad:
        with pytest.raises(InputError, match="revenue（营业收入（万元））不是有效数值"):
            evaluate(enterprises, indicators, events, AS_OF, params)
        assert runs == [1]  # the rules did run on the unchecked frame, and their result was dropped
    else:
        got = evaluate(enterprises, indicators, events, AS_OF, params)
        assert got.yearly is not None and got.summary.equals(expected.summary)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e, i, v: (e.drop("city_code"), i, v), "企业表缺少必需列：city_code"),
        (lambda e, i, v: (pl.concat([e, e]), i, v), "credit_code（统一社会信用代码）重复"),
        (lambda e, i, v: (e, i, v.with_columns(pl.lit("lottery").alias("kind"))), "事件表第 1 行：kind"),
        (lambda e, i, v: (e, i, v.with_columns(pl.lit(Decimal("-1")).alias("amount"))), "为负数"),
        (lambda e, i, v: (e, pl.concat([i, i]), v), "同一企业同一年度有多行"),
        (lambda e, i, v: (e.with_columns(pl.lit("gold").alias("current_tier")), i, v), "current_tier"),
        (
            lambda e, i, v: (e.with_columns(pl.lit("planet").alias("rd_institution_level")), i, v),
            "企业表第 1 行：rd_institution_level（自建研发机构级别）取值不在",
        ),
        (lambda e, i, v: (e.with_columns(pl.lit("chain").alias("key_chain_field")), i, v), "key_chain_field"),
        (
            lambda e, i, v: (e, i.with_columns(pl.lit(float("nan")).alias("revenue")), v),
            "年度指标表第 1, 2 行：revenue（营业收入（万元））不是有效数值（NaN 或无穷大）",
        ),
        (
            lambda e, i, v: (e.with_columns(pl.lit(float("inf")).alias("equity_financing_2y")), i, v),
            "企业表第 1 行：equity_financing_2y",
        ),
        (
            lambda e, i, v: (e, i, v.with_columns(pl.lit(float("-inf")).alias("amount"))),
            "事件表第 1 行：amount",
        ),
        # Beyond 64 bits once in 分 (float, and an integer that would wrap to a small number).
        (
            lambda e, i, v: (e, i.with_columns(pl.Series("revenue", [1e20, 2000.0])), v),
            "年度指标表第 1 行：revenue（营业收入（万元））为负数或超过1万亿元",
        ),
        (
            lambda e, i, v: (e, i.with_columns(pl.Series("rd_expense", [18446744073710, 80])), v),
            "年度指标表第 1 行：rd_expense",
        ),
        (
            lambda e, i, v: (e, i.with_columns(pl.Series("net_profit", [Decimal("-1E+20"), Decimal("5")])), v),
            "年度指标表第 1 行：net_profit",
        ),
    ],
)
def test_bad_input_raises_a_clear_chinese_error(change, message) -> None:
    enterprises, indicators, events = change(*_one_enterprise())
    with pytest.raises(InputError) as error:
        evaluate(enterprises, indicators, events, AS_OF, load_parameters())
    assert message in str(error.value)


@pytest.mark.parametrize("code", ["4", "C39", "+1", "391", "39a1", " 39"])
def test_an_industry_code_that_is_not_2_or_4_digits_is_named_with_its_row(code) -> None:
    # A malformed code would otherwise compare as text inside the 单项冠军 manufacturing range
    # ("4" lies between "13" and "43").
    enterprises, indicators, events = _one_enterprise()
    with pytest.raises(InputError) as error:
        evaluate(
            enterprises.with_columns(pl.lit(code).alias("industry_code")), indicators, events, AS_OF, load_parameters()
        )
    assert "企业表第 1 行：industry_code（国民经济行业代码（GB/T 4754 两位大类或四位小类））应为2或4位数字" in str(
        error.value
    )
    assert error.value.credit_codes == ["91340100MA0000001X"]  # the row's enterprise, for registry runs
    for good in ("13", "3911"):
        evaluate(
            enterprises.with_columns(pl.lit(good).alias("industry_code")), indicators, events, AS_OF, load_parameters()
        )


def test_the_registry_frames_vouch_for_their_industry_codes() -> None:
    # validated by the registry's forms and import: not checked again
    enterprises, indicators, events = _one_enterprise()
    bad = enterprises.with_columns(pl.lit("4").alias("industry_code"))
    evaluate(bad, indicators, events, AS_OF, load_parameters(), checked_inputs=True)


def test_a_date_before_any_criteria_set_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError, match="criteria"):
        evaluate(*_one_enterprise(), dt.date(2021, 1, 1), load_parameters())


def test_no_events_and_no_indicators_still_evaluate() -> None:
    enterprises, _, _ = _one_enterprise()
    result = evaluate(
        enterprises,
        pl.DataFrame({"credit_code": [], "year": []}, schema={"credit_code": pl.String, "year": pl.Int64}),
        None,
        AS_OF,
        load_parameters(),
    )
    assert result.entitlements.height == 0
    assert set(result.recognition["status"]) <= {"数据不足", "不符合", "符合"}
    assert result.budget().height == 0


def test_engine_imports_no_django_and_no_other_app() -> None:
    engine = Path(__file__).resolve().parent.parent / "engine"
    for path in engine.glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")):
                assert "django" not in stripped, f"{path.name}: {stripped}"
                if "zjtx" in stripped:
                    assert stripped.startswith("from zjtx.policy.engine"), f"{path.name}: {stripped}"


@pytest.mark.parametrize(("low", "high"), [("13", "43"), ("00", "99"), ("13", "13"), ("4", "43")])
def test_division_range_on_whole_codes_is_the_two_digit_prefix_range(low, high) -> None:
    from itertools import product

    from zjtx.policy.engine.rules import _division_between

    pieces = ["0", "1", "3", "4", "9", "A"]
    codes = ["".join(t) for k in range(4) for t in product(pieces, repeat=k)] + [None]
    frame = pl.DataFrame({"code": codes})
    fast = frame.select(_division_between(pl.col("code"), low, high)).to_series()
    prefix = frame.select(pl.col("code").str.slice(0, 2).is_between(pl.lit(low), pl.lit(high))).to_series()
    assert fast.equals(prefix)
    assert fast.sum() > 0 and fast.null_count() == 1


def test_once_only_awards_hold_when_every_hash_collides(monkeypatch) -> None:
    # Repeats are first looked for among rows whose hash repeats, then grouped by the exact keys: with
    # every hash equal, every row goes to the exact grouping and the outcome must not change.
    from zjtx.policy.engine import awards

    as_of = dt.date(2026, 6, 1)
    enterprises, indicators, events = synthetic.population(20_000, 2025, seed=3)
    prior = pl.DataFrame(
        {"credit_code": events["credit_code"].head(50), "award": ["little_giant"] * 50, "date": [as_of] * 50}
    )
    params = load_parameters()
    expected = evaluate(enterprises, indicators, events, as_of, params, prior).awards_raw
    monkeypatch.setattr(awards, "once_hash", lambda: pl.col("seq") * 0)
    collided = evaluate(enterprises, indicators, events, as_of, params, prior).awards_raw
    assert collided.equals(expected)
    assert expected.filter(pl.col("repeat_of") == "earlier").height > 100
    assert expected.filter(pl.col("repeat_of") == "prior").height > 0


def test_money_rounds_to_the_fen_alike_on_the_fast_and_the_general_path() -> None:
    # Half a 分 rounds to even, on the checked fast path (by addition) as on the general path
    # (round): 0.5 → 0, 1.5 → 2, −0.5 → 0, −1.5 → −2, 2.5 → 2 分; and the largest allowed values.
    tricky = [0.0000005, 0.0000015, -0.0000005, -0.0000015, 0.0000025, 199.999999, 8000.123456, 1e8, -1e8]
    enterprises, by_year, events = synthetic.population(len(tricky), 2023, seed=5)
    values = pl.Series(tricky * 3, dtype=pl.Float64)
    by_year = by_year.with_columns(values.alias("net_profit"), values.abs().alias("revenue"))
    params = load_parameters()
    fast = evaluate(enterprises, by_year, events, AS_OF, params)
    general = evaluate(enterprises, by_year.reverse(), events, AS_OF, params)
    assert fast.yearly is not None and general.yearly is None
    assert fast.frame.equals(general.frame)
    assert fast.frame["net_profit_y0"].to_list() == [0, 2, 0, -2, 2, 199999999, 8000123456, 10**14, -(10**14)]


def test_average_growth_floor_is_exact_up_to_the_money_limit() -> None:
    import random
    from fractions import Fraction

    from zjtx.policy.engine.expr import MONEY_LIMIT, RATIO_SCALE, _average_growth_floor

    rng = random.Random(5)
    picks = [1, 2, 3, 300, 999_999, 10**12, MONEY_LIMIT - 1, MONEY_LIMIT]
    rows = [
        tuple(rng.choice([rng.choice(picks), rng.randint(1, MONEY_LIMIT), rng.randint(1, 10**6)]) for _ in "cpq")
        for _ in range(20_000)
    ]
    frame = pl.DataFrame(rows, schema=["c", "p", "q"], orient="row")
    got = frame.select(_average_growth_floor(pl.col("c"), pl.col("p"), pl.col("q"))).to_series().to_list()
    exact = [((Fraction(c - p, p) + Fraction(p - q, q)) * RATIO_SCALE / 2).__floor__() for c, p, q in rows]
    assert got == exact


def test_ratio_floor_and_ceiling_are_exact() -> None:
    import random
    from fractions import Fraction

    from zjtx.policy.engine.expr import MONEY_LIMIT, RATIO_SCALE, ratio

    rng = random.Random(11)
    picks = [0, 1, 3, 7, 10_000, 10**12, MONEY_LIMIT]
    numerators = [*picks, -1, -7, -MONEY_LIMIT]  # net profit may be negative
    rows = [
        (rng.choice([rng.choice(numerators), rng.randint(-MONEY_LIMIT, MONEY_LIMIT)]), rng.choice(picks))
        for _ in range(20_000)
    ]
    frame = pl.DataFrame(rows, schema=["n", "d"], orient="row")
    for checked in (True, False):
        metric = ratio("r", pl.col("n"), pl.col("d"), ("n", "d"), checked)
        got = frame.select(metric.floor.alias("floor"), metric.ceil.alias("ceil")).rows()
        exact = [(None, None) if d == 0 else _floor_ceil(Fraction(n * RATIO_SCALE, d)) for n, d in rows]
        assert got == exact


def _floor_ceil(value: Any) -> tuple[int, int]:
    return value.__floor__(), value.__ceil__()


@pytest.mark.parametrize(
    "codes",
    [["a", "b"], ["b", "a"], ["a", "a"], ["a", "b", "c"], ["a", "c", "b"], list("abcde"), list("abcce"), list("bcdea")],
)
def test_strictly_increasing_codes_are_found_in_two_halves(codes: list[str]) -> None:
    from zjtx.policy.engine.inputs import _increasing

    assert _increasing(pl.Series(codes)) == all(x < y for x, y in itertools.pairwise(codes))


@pytest.mark.parametrize("as_of", [dt.date(2026, 6, 1), dt.date(2023, 3, 1)])
def test_reasons_formatted_case_by_case_equal_the_one_expression(as_of: dt.date) -> None:
    from zjtx.policy.engine import reasons

    enterprises, indicators, events = synthetic.population(20_000, 2025, seed=6)
    params = load_parameters()
    prior = evaluate(enterprises, indicators, events, dt.date(2026, 6, 1), params).granted
    result = evaluate(enterprises, indicators, events, as_of, params, prior.select("credit_code", "award").head(2000))
    raw = result.awards_raw
    assert raw["status"].n_unique() == 5  # every status, so every case is compared
    assert reasons.award_reasons(raw).equals(raw.select(reasons.award_reason().alias("reason"))["reason"])
    assert result.entitlements["reason"].null_count() == 0
