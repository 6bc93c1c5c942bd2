"""Demo facts and programme events for the synthetic province, so that criteria and awards have inputs.

Facts are drawn per enterprise with NumPy, better on higher rungs of the ladder (a 小巨人 has more IP,
a higher-level R&D institution, a better digital level …); events follow the tiers already held and add a
few assessments and projects. Reproducible by seed. Only for demo databases.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import polars as pl
from django.db import transaction

from zjtx.core import clock
from zjtx.enterprises.models import Enterprise
from zjtx.policy import services
from zjtx.policy.models import EnterpriseFacts, PolicyRun, ProgrammeEvent

TIER_STRENGTH = {"": 0.0, "innovative": 0.3, "provincial": 0.55, "provincial_champion": 0.7, "little_giant": 0.85,
                 "single_champion": 0.95}
RECOGNITION_EVENTS = {"provincial_champion": "recognized_provincial_champion",
                      "little_giant": "recognized_little_giant", "single_champion": "recognized_single_champion"}


def _registry() -> pl.DataFrame:
    rows = Enterprise.objects.order_by("id").values_list("id", "tier", "founded_on", "emerging_industry")
    return pl.DataFrame(list(rows), schema={"id": pl.Int64, "tier": pl.String, "founded_on": pl.Date,
                                            "emerging": pl.String}, orient="row")


def _facts(frame: pl.DataFrame, rng: np.random.Generator, today: dt.date) -> list[dict[str, Any]]:
    n = frame.height
    strength = frame["tier"].replace_strict(TIER_STRENGTH, default=0.0).to_numpy()
    good = np.clip(strength + rng.normal(0, 0.2, n), 0, 1)
    founded_years = np.array([(today.year - d.year) if d else 5 for d in frame["founded_on"].to_list()])
    chance = rng.random((12, n))
    levels = np.array(["national", "provincial", "city", "county", "none"])
    level_index = np.clip((4 - good * 4.6 + rng.normal(0, 0.6, n)).round(), 0, 4).astype(int)
    two_years = np.where(chance[2] < 0.08 + 0.2 * good, (rng.lognormal(7, 1.2, n)).round(1), 0.0)
    columns: dict[str, Any] = {
        "niche_years": np.minimum(founded_years, 2 + rng.poisson(2 + 8 * good)),
        "ip_i_high_value": rng.binomial(3, good * 0.5),
        "ip_i_own": rng.binomial(6, good * 0.6),
        "ip_ii_count": rng.poisson(2 + 6 * good),
        "rd_institution_level": levels[level_index],
        # the national 数字化水平评测 has four levels (the facts form allows no more)
        "digital_level": np.clip((1 + good * 3 + rng.normal(0, 0.5, n)).round(), 1, 4).astype(int),
        "quality_items": rng.binomial(4, 0.3 + 0.6 * good),
        "strategic_emerging_field": frame["emerging"].is_not_null().to_numpy() | (chance[0] < 0.2),
        "key_chain_field": np.where(chance[1] < good * 0.5, "key_chain",
                                    np.where(chance[1] < 0.7, "supporting", "none")),
        "local_feature_score": np.clip((good * 15 + rng.normal(0, 3, n)).round(), 0, 15).astype(int),
        "equity_financing_2y": two_years,
        # three years include the last two: what was raised in the year before them comes on top
        "equity_financing_3y": (two_years + np.where(chance[3] < 0.1, rng.lognormal(6.5, 1.2, n), 0.0)).round(1),
        "st_award_national_rank": np.where(chance[4] < 0.03 * good, rng.integers(1, 10, n), 0),
        "st_award_provincial_rank": np.where(chance[5] < 0.12 * good, rng.integers(1, 8, n), 0),
        "maker_china_rank": np.where(chance[6] < 0.02, rng.integers(1, 500, n), 0),
        "has_honour": chance[7] < 0.15 + 0.7 * good,
        "has_info_system": chance[8] < 0.4 + 0.6 * good,
        "has_certification": chance[9] < 0.5 + 0.5 * good,
        "has_brand": chance[10] < 0.4 + 0.6 * good,
        "chain_role_ok": chance[11] < good,
        "key_field_ok": chance[11] < good * 0.9,
        "niche_share_leading": good > 0.6,
        "national_market_rank": np.maximum(1, (30 * (1 - good) + rng.normal(0, 4, n)).round()).astype(int),
        "global_market_rank": np.maximum(1, (20 * (1 - good) + rng.normal(0, 3, n)).round()).astype(int),
        "main_product_is_new": chance[0] < 0.5,
        "profit_above_industry": chance[2] < 0.3 + 0.6 * good,
        "standard_setting": chance[3] < 0.1 + 0.8 * good,
        "compliance_ok": chance[4] > 0.02,
        "is_production_service": chance[5] < 0.05,
        "dev_eval_score": np.clip(40 + 45 * good + rng.normal(0, 8, n), 0, 100).round(1),
        "dev_eval_score_prev": np.clip(38 + 45 * good + rng.normal(0, 8, n), 0, 100).round(1),
    }
    names = list(columns)
    values = [columns[k].tolist() for k in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]


def _events(frame: pl.DataFrame, rng: np.random.Generator, today: dt.date) -> list[ProgrammeEvent]:
    events = []
    for enterprise_id, tier in frame.select("id", "tier").iter_rows():
        if tier in RECOGNITION_EVENTS:
            events.append(ProgrammeEvent(enterprise_id=enterprise_id, kind=RECOGNITION_EVENTS[tier],
                                         date=today - dt.timedelta(days=int(rng.integers(30, 700)))))
    picks = rng.random((5, frame.height))
    for i, enterprise_id in enumerate(frame["id"].to_list()):
        when = today - dt.timedelta(days=int(rng.integers(10, 500)))
        if picks[0, i] < 0.04:
            grade = ["3A", "4A", "5A"][int(rng.choice(3, p=[0.6, 0.3, 0.1]))]
            events.append(ProgrammeEvent(enterprise_id=enterprise_id, kind="digital_assessment", date=when,
                                         grade=grade))
        if picks[1, i] < 0.02:
            events.append(ProgrammeEvent(enterprise_id=enterprise_id, kind="four_transformations_project",
                                         date=when, amount=round(float(rng.lognormal(7.5, 0.9)), 2)))
        if picks[2, i] < 0.01:
            events.append(ProgrammeEvent(enterprise_id=enterprise_id, kind="network_security_project",
                                         date=when, amount=round(float(rng.lognormal(5, 0.7)), 2)))
        if picks[3, i] < 0.008:
            events.append(ProgrammeEvent(enterprise_id=enterprise_id, kind="srdi_board_listing", date=when))
        if picks[4, i] < 0.01:
            events.append(ProgrammeEvent(enterprise_id=enterprise_id, kind="publicity", date=when,
                                         amount=round(float(rng.lognormal(3.5, 0.6)), 2)))
    return events


@transaction.atomic
def load_demo_policy_data(seed: int, today: dt.date | None = None) -> tuple[int, int]:
    """Replace demo facts and events for every enterprise; returns (facts, events) written."""
    today = today or dt.date.today()
    rng = np.random.default_rng(seed)
    frame = _registry()
    facts = _facts(frame, rng, today)
    EnterpriseFacts.objects.all().delete()
    EnterpriseFacts.objects.bulk_create(
        [EnterpriseFacts(enterprise_id=i, data=json.loads(json.dumps(f)))
         for i, f in zip(frame["id"].to_list(), facts, strict=True)], batch_size=5000)
    ProgrammeEvent.objects.all().delete()
    events = _events(frame, rng, today)
    ProgrammeEvent.objects.bulk_create(events, batch_size=5000)
    return len(facts), len(events)


def store_demo_run(user: Any) -> PolicyRun:
    """A finished province run of today, evaluated here rather than by the worker: its result page and the
    lists built from it (政策计算器's 免申即享 / 潜在培育对象) have content as soon as the demo is served."""
    today = clock.today()
    run = PolicyRun.objects.create(kind=PolicyRun.Kind.EVALUATE, as_of=today, name=f"全省测算 {today}（演示）",
                                   created_by=user)
    return services.run_execute(run)


def give_demo_enterprise_an_assessment(enterprise: Enterprise) -> None:
    """The demo enterprise (login qiye) gets a 4A digital-transformation assessment a month ago when it has no
    event: its 政策计算器 then shows a 免申即享 award, not yet generated in 奖补兑现."""
    if not ProgrammeEvent.objects.filter(enterprise=enterprise).exists():
        ProgrammeEvent.objects.create(enterprise=enterprise, kind="digital_assessment", grade="4A",
                                      date=clock.today() - dt.timedelta(days=30))
