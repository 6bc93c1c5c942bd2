"""The explanation states each actual value in its own unit, as the requirement beside it."""

from __future__ import annotations

from zjtx.policy.engine import evaluate, explain
from zjtx.policy.tests.caserunner import case_inputs, case_params, load_cases


def test_banded_little_giant_conditions_show_the_actual_value_with_its_unit():
    case = next(c for name, c in load_cases() if "股权融资8000万元、研发总额3000万元" in name)
    enterprises, indicators, events, prior = case_inputs(case)
    text = explain(evaluate(enterprises, indicators, events, case["as_of"], case_params(case), prior), "D2")
    assert "研发人员占职工总数比重：实际 49%，要求 ≥ 50%" in text
    assert "近2年研发费用总额：实际 2,999.99万元，要求 ≥ 3,000万元" in text
    assert "近2年新增股权融资：实际 7,999.99万元" in text
