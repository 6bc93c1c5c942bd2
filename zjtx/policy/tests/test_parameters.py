"""Dated parameters: every number of the plan is there, with its clause; overlays do not mutate."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from zjtx.policy.engine import ParameterError, list_parameters, load_parameters, to_jsonable

DAY = dt.date(2024, 6, 1)

# Every number of 《安徽省专精特新中小企业倍增行动方案》 and the clause it comes from.
PLAN_NUMBERS = {
    "targets.horizon_year": ("一(二)", 2025),
    "targets.provincial_srdi.stock": ("一(二)", 5000),
    "targets.little_giant.stock": ("一(二)", 500),
    "targets.single_champion.stock": ("一(二)", 50),
    "targets.innovative.yearly": ("二(一)2", 2000),
    "targets.provincial_srdi.yearly": ("二(一)2", 500),
    "awards.provincial_champion.amount": ("二(一)2", 80),
    "awards.little_giant.amount": ("二(一)2", 100),
    "awards.single_champion.amount": ("二(一)2", 200),
    "awards.little_giant_relocated.amount": ("二(一)2", 100),
    "awards.single_champion_relocated.amount": ("二(一)2", 200),
    "targets.industrial_foundation.yearly": ("二(二)4", 100),
    "targets.provincial_new_products.yearly": ("二(二)5、二(六)15", 500),
    "targets.first_set_equipment.yearly": ("二(二)5", 200),
    "targets.first_batch_materials.yearly": ("二(二)5", 40),
    "targets.first_version_software.yearly": ("二(二)5", 100),
    "awards.industrial_internet_platform.amount": ("二(三)6", 100),
    "targets.cloud_enterprises.yearly": ("二(三)6", 6000),
    "awards.cloud_service_provider.cap": ("二(三)6", 100),
    "awards.digital_assessment.amount_3a": ("二(三)7", 50),
    "awards.digital_assessment.amount_4a": ("二(三)7", 100),
    "awards.digital_assessment.amount_5a": ("二(三)7", 150),
    "awards.network_security.rate": ("二(三)7", 50),
    "awards.network_security.cap": ("二(三)7", 100),
    "awards.four_transformations.rate": ("二(三)8", 10),
    "awards.four_transformations.cap": ("二(三)8", 500),
    "targets.demo_lines.yearly": ("二(三)8", 100),
    "targets.industrial_robots.yearly": ("二(三)8", 8000),
    "targets.smart_factories.yearly": ("二(三)8", 200),
    "targets.green_factories_national.cumulative": ("二(三)8", 50),
    "targets.green_factories_provincial.cumulative": ("二(三)8", 300),
    "targets.special_credit.yearly": ("二(四)9", 4000),
    "finance.receivable_confirmation.days": ("二(四)9", 30),
    "targets.listed_companies.new": ("二(四)11", 50),
    "targets.listed_companies.horizon_years": ("二(四)11", 5),
    "awards.srdi_board_listing.amount": ("二(四)11", 20),
    "targets.sme_innovation_bases.cumulative": ("二(五)13", 200),
    "targets.three_products_demo.yearly": ("二(六)15", 100),
    "targets.industrial_quality_products.yearly": ("二(六)15", 100),
    "awards.publicity.province_rate": ("二(六)15", 50),
    "awards.publicity.city_rate": ("二(六)15", 30),
    "targets.service_activities.yearly": ("二(六)16", 1000),
    "targets.enterprises_served.yearly": ("二(六)16", 10000),
    "awards.public_service_platform_national.amount": ("二(六)16", 100),
    "services.officers_per_enterprise": ("三20", 1),
}


@pytest.mark.parametrize(("parameter_id", "clause_value"), PLAN_NUMBERS.items())
def test_every_plan_number_is_a_parameter_with_its_clause(
    parameter_id: str, clause_value: tuple[str, int]
) -> None:
    params = load_parameters()
    clause, value = clause_value
    assert params[parameter_id].clause == clause
    assert params.value(parameter_id, DAY) == Decimal(value)
    assert params[parameter_id].values[0].confirmed


# Parameters that cite a clause of the plan without being one of its numbers: the clause is where the
# plan speaks of the matter, and the value (marked unconfirmed where it is not the plan's) refines it.
PLAN_DERIVED = {
    "awards.cloud_service_provider.amount_by_rank",  # 二(三)6 择优给予一次性奖补，最高100万元
    "awards.upgrade_policy",  # 二(三)7 按评估等级分别奖补
    "criteria.provincial_champion.conditions",  # 二(一)2 省培育认定的专精特新冠军企业
    "province.emerging_industries",  # 二(一)1 十大新兴产业
    "tiers.validity_years.provincial_champion",  # 二(一)2 省专精特新冠军企业
}


def test_a_parameter_cites_a_clause_of_the_plan_only_where_the_plan_speaks_of_it() -> None:
    """Workflow figures the plan does not set (公示期, 专家人数, 免申即享 …) say so, rather than cite a
    clause an officer would look up in vain."""
    citing = {p.id for p in load_parameters().values() if re.search(r"(^|方案)[一二三]", p.clause)}
    assert citing - set(PLAN_NUMBERS) == PLAN_DERIVED


def test_every_parameter_is_complete() -> None:
    params = load_parameters()
    assert len(params) > 140
    for parameter in params.values():
        assert parameter.clause and parameter.label and parameter.unit and parameter.values, parameter.id


def test_every_award_has_its_own_name() -> None:
    """Awards are named by meta.award_label (a parameter label names a rate or cap), with Chinese quotes,
    each grade of the 3A/4A/5A ladder by its grade."""
    awards = [p for p in load_parameters().values() if "award" in p.meta]
    labels = {str(p.meta["award"]): str(p.meta.get("award_label") or "") for p in awards}
    assert all(labels.values()) and len(set(labels.values())) == len(labels), labels
    assert not any('"' in label or "比例" in label or "（" in label for label in labels.values())
    for grade in ("3A", "4A", "5A"):
        assert labels[f"digital_assessment.{grade}"] == f"数字化转型评估{grade}级一次性奖补"


def test_units_and_funding_levels() -> None:
    params = load_parameters()
    assert params["awards.little_giant.amount"].unit == "万元"
    assert params["targets.special_credit.yearly"].unit == "亿元"
    assert params["awards.publicity.city_rate"].funding_level == "市级"
    assert params["awards.publicity.province_rate"].funding_level == "省级"
    assert params.value("awards.upgrade_policy", DAY) == "difference"


def test_summary_only_figures_are_flagged_unconfirmed() -> None:
    params = load_parameters()
    for parameter_id in (
        "criteria.2026.srdi.min_revenue",
        "criteria.2026.little_giant.min_dev_score",
        "criteria.provincial_champion.conditions",
        "criteria.band_edges",
        "awards.cloud_service_provider.amount_by_rank",
        "criteria.2022.srdi.net_margin_points",
    ):
        assert not params[parameter_id].values[-1].confirmed, parameter_id
    assert params["criteria.2022.srdi.min_rd_expense"].values[0].confirmed


def test_criteria_set_is_chosen_by_date_and_review_mode() -> None:
    params = load_parameters()
    assert params.value("criteria.selection.first", dt.date(2026, 3, 31)) == "2022"
    assert params.value("criteria.selection.first", dt.date(2026, 4, 1)) == "2026"
    assert params.value("criteria.selection.re_review.little_giant", dt.date(2026, 6, 1)) == "2022"
    assert params.value("criteria.2022.srdi.min_revenue", DAY) == Decimal(1000)
    assert params.value("criteria.2026.srdi.min_revenue", dt.date(2026, 4, 1)) == Decimal(1500)


def test_no_value_before_the_first_date() -> None:
    params = load_parameters()
    with pytest.raises(ParameterError, match="没有生效的值"):
        params.value("criteria.2026.srdi.min_revenue", dt.date(2025, 1, 1))
    assert params.value_or_none("criteria.2026.srdi.min_revenue", dt.date(2025, 1, 1)) is None


def test_history_keeps_every_dated_value() -> None:
    history = load_parameters().history("criteria.single_champion.new_product_min_years")
    assert [(e.start, e.value) for e in history] == [(dt.date(2016, 3, 1), 3), (dt.date(2023, 8, 1), 5)]


def test_overlay_returns_a_new_set_and_keeps_the_past() -> None:
    base = load_parameters()
    reform = base.with_overlay({"awards.little_giant.amount": 150}, dt.date(2025, 1, 1), "提高奖补")
    assert base.value("awards.little_giant.amount", dt.date(2025, 6, 1)) == 100
    assert reform.value("awards.little_giant.amount", dt.date(2025, 6, 1)) == 150
    assert reform.value("awards.little_giant.amount", dt.date(2024, 6, 1)) == 100
    assert reform.fingerprint() != base.fingerprint()
    assert reform.overlays[0].name == "提高奖补"
    with pytest.raises(ParameterError, match="未知参数"):
        base.with_overlay({"awards.no_such": 1}, dt.date(2025, 1, 1))


def test_list_parameters_is_plain_and_jsonable() -> None:
    rows = list_parameters(load_parameters(), DAY)
    row = next(r for r in rows if r["id"] == "awards.four_transformations.cap")
    assert row["clause"] == "二(三)8"
    assert row["label"].startswith("“四化”改造")
    assert row["unit"] == "万元"
    assert row["value"] == Decimal(500)
    assert row["in_force_from"] == dt.date(2022, 2, 17)
    assert row["confirmed"] is True
    assert row["history"][0]["start"] == dt.date(2022, 2, 17)
    json.dumps(to_jsonable(rows), ensure_ascii=False)


def test_malformed_definitions_are_rejected_with_a_clear_message() -> None:
    params = load_parameters()
    with pytest.raises(ParameterError, match="缺少字段 clause"):
        params.with_definitions({"x.y": {"label": "x", "unit": "万元", "values": {"2024-01-01": 1}}})
    with pytest.raises(ParameterError, match="生效日期"):
        params.with_definitions({"x.y": {"clause": "c", "label": "x", "unit": "万元", "values": {"soon": 1}}})
    with pytest.raises(ParameterError, match="未知字段"):
        params.with_definitions(
            {"x.y": {"clause": "c", "label": "x", "unit": "万", "values": {"2024-01-01": 1}, "amount": 3}}
        )


def test_decimal_values_stay_exact() -> None:
    params = load_parameters().with_definitions(
        {"x.rate": {"clause": "c", "label": "x", "unit": "%", "values": {"2024-01-01": 0.1}}}
    )
    assert params.value("x.rate", DAY) == Decimal("0.1")


def test_every_shipped_value_passes_the_checks_of_new_values():
    from zjtx.policy.engine.checks import value_problem

    problems = {(p.id, e.start): value_problem(p, e.value) for p in load_parameters().values() for e in p.values
                if e.value is not None}
    assert {k: v for k, v in problems.items() if v} == {}


def test_a_value_the_plan_does_not_give_is_marked_unconfirmed() -> None:
    """How an upgrade is paid (difference or full) is a practice, not a number of 二(三)7: 待核实."""
    params = load_parameters()
    for parameter_id in ("awards.upgrade_policy", "awards.cloud_service_provider.amount_by_rank"):
        assert not params[parameter_id].values[0].confirmed, parameter_id
