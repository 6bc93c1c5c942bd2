"""An undecided condition always says why: the inputs it lacks, or a ratio's base of 0 (data present,
figure not computable); a score lacking items gives its known and its highest possible points."""

from __future__ import annotations

import datetime as dt

import polars as pl

from zjtx.policy.engine import evaluate, explain, load_parameters, synthetic
from zjtx.policy.tests.caserunner import case_inputs, case_params, failed_score_result

ZERO_REVENUE = "营业收入（万元）（2023年）为0，无法计算比值"


def _zero_revenue_result():
    firm = {"credit_code": "Z", "ip_i_high_value": 0, "ip_i_own": 1, "ip_ii_count": 3,
            "strategic_emerging_field": True}
    figures = {"main_revenue": 0, "rd_expense": 120, "total_assets": 1000, "total_liabilities": 300,
               "ip_i_count": 1, "employees": 20, "rd_staff": 5}
    indicators = [{"credit_code": "Z", "year": 2023, "revenue": 0, **figures},
                  {"credit_code": "Z", "year": 2022, "revenue": 800, **figures, "main_revenue": 700}]
    enterprises, indicators, events, prior = case_inputs({"enterprises": [firm], "indicators": indicators})
    return evaluate(enterprises, indicators, events, dt.date(2024, 6, 1), case_params({}), prior)


def test_a_ratio_over_a_revenue_of_zero_is_undecided_naming_the_revenue_of_zero():
    result = _zero_revenue_result()
    srdi = result.recognition.filter(pl.col("tier") == "srdi").row(0, named=True)
    assert srdi["status"] == "数据不足" and ZERO_REVENUE in srdi["missing"]
    ratio = result.unmet.filter((pl.col("tier") == "srdi") & (pl.col("condition") == "rd_ratio"))
    assert ratio.select("status", "actual", "missing").to_dicts() == [
        {"status": "数据不足", "actual": None, "missing": [ZERO_REVENUE]}]
    line = next(ln for ln in explain(result, "Z").splitlines() if "上年度研发费用占营业收入比重：" in ln)
    assert "实际 无法计算" in line and line.endswith(f"数据不足：{ZERO_REVENUE}")


def test_an_undecided_score_gives_its_known_and_highest_points_in_the_long_frame_and_the_explanation():
    result = _zero_revenue_result()
    innovative = result.recognition.filter(pl.col("tier") == "innovative").row(0, named=True)
    total = result.unmet.filter((pl.col("tier") == "innovative") & (pl.col("label") == "评价总分")).row(0, named=True)
    assert innovative["status"] == total["status"] == "数据不足" and total["actual"] is None
    # The total's bounds are the tier's score bounds: all items at 0 / at full marks where unknown.
    assert (total["actual_min"], total["actual_max"]) == (innovative["score_min"], innovative["score_max"])
    assert total["actual_min"] < 60 <= total["actual_max"]
    low, high = int(total["actual_min"]), int(total["actual_max"])
    assert f"评价总分：实际 未定（已知各项合计 {low}分，最高可能 {high}分）" in explain(result, "Z")


def test_a_failed_score_with_items_missing_gives_the_highest_points_it_could_reach():
    result = failed_score_result()
    total = result.unmet.filter((pl.col("tier") == "innovative") & (pl.col("label") == "评价总分")).row(0, named=True)
    innovative = result.recognition.filter(pl.col("tier") == "innovative").row(0, named=True)
    assert total["status"] == "不满足" and total["actual"] is None
    assert total["actual_max"] == innovative["score_max"] < 60
    assert f"最高可能 {int(total['actual_max'])}分，达不到要求" in explain(result, "F")
    decided = result.unmet.filter(pl.col("actual").is_not_null())
    assert decided["actual_min"].null_count() == decided["actual_max"].null_count() == decided.height


def test_no_undecided_rule_or_condition_of_a_synthetic_province_is_left_without_a_reason():
    enterprises, indicators, events = synthetic.population(5_000, 2025)
    result = evaluate(enterprises, indicators, events, dt.date(2026, 6, 1), load_parameters())
    for frame in (result.recognition, result.unmet):
        undecided = frame.filter(pl.col("status") == "数据不足")
        assert undecided.height > 100
        assert undecided.filter(pl.col("missing").list.len() == 0).height == 0
    zero_base = result.unmet.filter(pl.col("missing").list.eval(pl.element().cast(pl.String).str.ends_with(
        "为0，无法计算比值")).list.any())
    assert zero_base.height > 0
