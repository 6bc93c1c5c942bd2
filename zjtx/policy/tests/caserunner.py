"""Load and run the YAML policy cases of ``zjtx/policy/cases`` (OpenFisca-style).

A case file holds a list of cases::

    - name: 四化改造：设备购置额8000万元，按上限500万元
      as_of: 2024-06-01
      reform: {awards.four_transformations.cap: 600}     # optional overlay
      parameters: {...}                                  # optional extra parameter definitions
      enterprises: [{credit_code: A, current_tier: srdi, niche_years: 3}]
      indicators: [{credit_code: A, year: 2023, revenue: 1000}]
      events: [{credit_code: A, kind: four_transformations_project, date: 2024-01-10, amount: 8000}]
      prior: [{credit_code: A, award: little_giant}]
      expect:
        recognition: [{credit_code: A, tier: srdi, status: 符合, score: 72, criteria_set: '2022'}]
        conditions: [{credit_code: A, tier: srdi, condition: rd_ratio, value: true}]
        points: [{credit_code: A, tier: srdi, item: rd, points: 10}]
        unmet: [{credit_code: A, tier: srdi, condition: rd_ratio, status: 不满足}]
        not_unmet: [{credit_code: A, tier: srdi, condition: revenue}]
        missing: [{credit_code: A, tier: srdi, inputs: [研发费用（2023年）]}]
        entitlements: [{credit_code: A, award: four_transformations, amount: 500, status: 应享}]
        entitlement_count: 1

Missing enterprise fields get neutral defaults (city 340100, industry 39, no current tier).
Every case runs on the vectorised engine *and* on the plain reference implementation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from zjtx.policy.engine import ParameterSet, evaluate, load_parameters, reference, schema
from zjtx.policy.engine.evaluate import Result, uses_tree
from zjtx.policy.engine.recognition import leaf_column
from zjtx.policy.engine.tree import colname

CASES_DIR = Path(__file__).resolve().parent.parent / "cases"

DEFAULTS: dict[str, Any] = {
    "city_code": "340100",
    "county_code": "340102",
    "industry_code": "39",
    "emerging_industry": None,
    "founded_on": dt.date(2010, 1, 1),
    "current_tier": "none",
}


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            cases.append((f"{path.stem}: {case['name']}", case))
    return cases


def _frame(rows: list[dict[str, Any]], columns: tuple[schema.Column, ...]) -> pl.DataFrame:
    types = {c.name: schema.DTYPES[c.kind] for c in columns}
    for column in columns:
        if column.kind == "money":
            types[column.name] = pl.Decimal(38, 6)
    present = list(dict.fromkeys(k for row in rows for k in row)) or [c.name for c in columns if c.required]
    data = {name: [_cell(row.get(name), types.get(name)) for row in rows] for name in present}
    return pl.DataFrame(data, schema={name: types.get(name, pl.String()) for name in present})


def _cell(value: Any, dtype: pl.DataType | None) -> Any:
    if isinstance(dtype, pl.Decimal) and value is not None:
        return Decimal(str(value))
    if dtype == pl.String and value is not None:
        return str(value)
    return value


def case_inputs(case: dict[str, Any]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame | None]:
    enterprises = [{**DEFAULTS, **row} for row in case.get("enterprises", [])]
    ent = _frame(enterprises, schema.ENTERPRISE_COLUMNS)
    ind = _frame(case.get("indicators", []), schema.INDICATOR_COLUMNS)
    ev = _frame(case.get("events", []), schema.EVENT_COLUMNS)
    prior = _frame(case["prior"], schema.PRIOR_COLUMNS) if case.get("prior") else None
    return ent, ind, ev, prior


def failed_score_result() -> Result:
    """Enterprise F: its 创新型 score fails even with the items it lacks data for at full marks (2024-06-01)."""
    enterprises, indicators, events, prior = case_inputs(
        {"enterprises": [{"credit_code": "F", "ip_i_high_value": 0, "ip_i_own": 0, "ip_ii_count": 0,
                          "strategic_emerging_field": False}],
         "indicators": [{"credit_code": "F", "year": 2023, "revenue": 1000, "main_revenue": 500, "rd_expense": 0,
                         "total_assets": 100, "total_liabilities": 90, "ip_i_count": 0}]}
    )
    result = evaluate(enterprises, indicators, events, dt.date(2024, 6, 1), case_params({}), prior)
    return result


def case_params(case: dict[str, Any], base: ParameterSet | None = None) -> ParameterSet:
    params = base or load_parameters()
    if case.get("parameters"):
        params = params.with_definitions(case["parameters"], source="case")
    if case.get("reform"):
        params = params.with_overlay(case["reform"], dt.date(1900, 1, 1), "case")
    return params


def run_case(case: dict[str, Any]) -> list[str]:
    """Run one case on both implementations; return the list of failures (empty = passed)."""
    as_of = case["as_of"]
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    params = case_params(case)
    ent, ind, ev, prior = case_inputs(case)
    result = evaluate(ent, ind, ev, as_of, params, prior)
    ref = reference.recognise(ent, ind, as_of, params)
    ref_awards = reference.entitle(ent, ev, as_of, params, prior)
    expect = case.get("expect", {})
    failures: list[str] = []
    failures += _check_recognition(result, ref, expect.get("recognition", []))
    failures += _check_conditions(result, ref, expect.get("conditions", []))
    failures += _check_points(result, ref, expect.get("points", []))
    failures += _check_unmet(result, ref, expect.get("unmet", []), present=True)
    failures += _check_unmet(result, ref, expect.get("not_unmet", []), present=False)
    failures += _check_missing(result, expect.get("missing", []))
    failures += _check_entitlements(result, ref_awards, expect)
    return failures


def _row(frame: pl.DataFrame, **keys: Any) -> dict[str, Any] | None:
    selected = frame.filter(pl.all_horizontal([pl.col(k) == v for k, v in keys.items()]))
    return selected.row(0, named=True) if selected.height else None


def _check_recognition(result: Result, ref: Any, expected: list[dict[str, Any]]) -> list[str]:
    failures = []
    for item in expected:
        code, tier = str(item["credit_code"]), item["tier"]
        row = _row(result.recognition, credit_code=code, tier=tier)
        if row is None:
            failures.append(f"无评价结果 {code}/{tier}")
            continue
        ref_row = ref[(code, tier)]
        ref_status = {True: "符合", False: "不符合", None: "数据不足"}[ref_row.qualifies]
        for key in ("status", "score", "criteria_set", "review"):
            if key in item and _differs(row[key], item[key]):
                failures.append(f"{code}/{tier} {key}: 引擎 {row[key]!r} ≠ 期望 {item[key]!r}")
        if "status" in item and ref_status != item["status"]:
            failures.append(f"{code}/{tier} status: 参照实现 {ref_status} ≠ 期望 {item['status']}")
        if "score" in item and _differs(ref_row.score, item["score"]):
            failures.append(f"{code}/{tier} score: 参照实现 {ref_row.score} ≠ 期望 {item['score']}")
    return failures


def _differs(actual: Any, wanted: Any) -> bool:
    if wanted is None or actual is None:
        return wanted is not actual
    if isinstance(wanted, int | float | Decimal) and not isinstance(wanted, bool):
        return Decimal(str(actual)) != Decimal(str(wanted))
    return bool(str(actual) != str(wanted))


def _tree_for(result: Result, code: str, tier: str) -> Any:
    plan = next(p for p in result.plans if p.tier == tier)
    row = result.frame.filter(pl.col("credit_code") == code)
    return row, next(t for t in plan.trees.values() if row.select(uses_tree(plan, t)).item())


def _check_conditions(result: Result, ref: Any, expected: list[dict[str, Any]]) -> list[str]:
    failures = []
    for item in expected:
        code, tier, condition = str(item["credit_code"]), item["tier"], item["condition"]
        row, tree = _tree_for(result, code, tier)
        column = leaf_column(tree, condition)
        if column not in row.columns:
            failures.append(f"{code}/{tier} 无条件 {condition}")
            continue
        value, ref_value = row.item(0, column), ref[(code, tier)].leaves.get(condition)
        if value != item["value"]:
            failures.append(f"{code}/{tier}/{condition}: 引擎 {value} ≠ 期望 {item['value']}")
        if ref_value != item["value"]:
            failures.append(f"{code}/{tier}/{condition}: 参照实现 {ref_value} ≠ 期望 {item['value']}")
    return failures


def _check_points(result: Result, ref: Any, expected: list[dict[str, Any]]) -> list[str]:
    failures = []
    for item in expected:
        code, tier, name = str(item["credit_code"]), item["tier"], item["item"]
        row, tree = _tree_for(result, code, tier)
        value = row.item(0, colname(tree.tier, tree.criteria_set, f"item:{name}"))
        ref_value = ref[(code, tier)].items.get(name, (None, 0))[0]
        if value != item["points"]:
            failures.append(f"{code}/{tier}/{name}: 引擎得分 {value} ≠ 期望 {item['points']}")
        if ref_value != item["points"]:
            failures.append(f"{code}/{tier}/{name}: 参照实现得分 {ref_value} ≠ 期望 {item['points']}")
    return failures


def _check_unmet(result: Result, ref: Any, expected: list[dict[str, Any]], present: bool) -> list[str]:
    failures = []
    for item in expected:
        code, tier = str(item["credit_code"]), item["tier"]
        keys = {k: (str(v) if k == "credit_code" else v) for k, v in item.items()}
        found = _row(result.unmet, **keys) is not None
        ref_found = any(
            c == item["condition"] and ("status" not in item or s == item["status"])
            for c, s in ref[(code, tier)].unmet
        )
        if found != present:
            failures.append(f"{code}/{tier}/{item['condition']}: 引擎{'未' if present else ''}列为未满足条件")
        if ref_found != present:
            failures.append(
                f"{code}/{tier}/{item['condition']}: 参照实现{'未' if present else ''}列为未满足条件"
            )
    return failures


def _check_missing(result: Result, expected: list[dict[str, Any]]) -> list[str]:
    failures = []
    for item in expected:
        row = _row(result.recognition, credit_code=str(item["credit_code"]), tier=item["tier"])
        missing = set(row["missing"]) if row else set()
        absent = [name for name in item["inputs"] if name not in missing]
        if absent:
            failures.append(
                f"{item['credit_code']}/{item['tier']}: 缺少数据未列出 {absent}（列出的是 {sorted(missing)}）"
            )
    return failures


def _check_entitlements(result: Result, ref_awards: list[Any], expect: dict[str, Any]) -> list[str]:
    failures = []
    frame = result.entitlements
    for item in expect.get("entitlements", []):
        keys: dict[str, Any] = {"credit_code": str(item["credit_code"]), "award": item["award"]}
        if "event_date" in item:
            keys["event_date"] = item["event_date"]
        row = _row(frame, **keys)
        if row is None:
            failures.append(f"无奖补记录 {keys}")
            continue
        for key in ("amount", "status", "funding_level", "award_label", "reason", "payer"):
            if key in item and _differs(row[key], item[key]):
                failures.append(f"{keys} {key}: 引擎 {row[key]!r} ≠ 期望 {item[key]!r}")
        refs = [a for a in ref_awards if a.credit_code == keys["credit_code"] and a.award == item["award"]]
        if "amount" in item and not any(not _differs(a.amount, item["amount"]) for a in refs):
            failures.append(f"{keys} amount: 参照实现 {[a.amount for a in refs]} ≠ 期望 {item['amount']}")
    if "entitlement_count" in expect:
        granted = frame.filter(pl.col("status") == "应享").height
        if granted != expect["entitlement_count"]:
            failures.append(f"应享记录数 {granted} ≠ 期望 {expect['entitlement_count']}")
    return failures
