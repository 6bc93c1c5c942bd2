"""Demo reported figures, so that 目标监测 has a record to show in ``make run``.

The ladder targets need none: they are counted from the demo recognitions. For the others the public
sources found (shared/reference/anhui-figures.md) give no yearly figures, so these are plausible ones of
the plan's order of magnitude, some met, some missed, some 左右 within and outside the tolerance, the
current year only partly reported. Each province figure is split over the 16 cities by 2022 GDP (the
reference's weights) with a little noise, and the province has set the cities' shares (分解目标) of three
yearly targets. Only for demo databases, and only when no figure exists.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from django.db import transaction

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import clock, regions
from zjtx.policy.services import parameter_set
from zjtx.targets import plan
from zjtx.targets.models import ReportedFigure

NOTE = "演示数据"
# target → province figures from 2022 on (a cumulative target: each year's new ones; the current year so far).
PROVINCE_FIGURES: dict[str, list[float]] = {
    "targets.industrial_foundation.yearly": [112, 118, 105, 121],
    "targets.provincial_new_products.yearly": [689, 742, 801, 836],
    "targets.first_set_equipment.yearly": [214, 196, 188, 205],
    "targets.first_batch_materials.yearly": [38, 43, 41, 39],
    "targets.first_version_software.yearly": [96, 104, 92, 108],
    "targets.cloud_enterprises.yearly": [6512, 7035, 6240, 5870, 5210],
    "targets.demo_lines.yearly": [108, 115, 97, 110],
    "targets.industrial_robots.yearly": [9120, 10350, 11200, 12100, 10800],
    "targets.smart_factories.yearly": [262, 318, 305, 330],
    "targets.green_factories_national.cumulative": [18, 21, 16, 14],
    "targets.green_factories_provincial.cumulative": [86, 92, 75, 58],
    "targets.special_credit.yearly": [4210.5, 4585.2, 4920.8, 5160.3],
    "targets.listed_companies.new": [14, 9, 6, 5, 3],
    "targets.sme_innovation_bases.cumulative": [152, 171, 186, 197],
    "targets.three_products_demo.yearly": [104, 112, 109, 118],
    "targets.industrial_quality_products.yearly": [126, 131, 140, 152],
    "targets.service_activities.yearly": [1280, 1415, 1530, 1610],
    "targets.enterprises_served.yearly": [12500, 13800, 14600, 15200],
}
ALLOCATED = ("targets.provincial_new_products.yearly", "targets.industrial_robots.yearly",
             "targets.cloud_enterprises.yearly")


def load_demo_targets(seed: int) -> int | None:
    """The demo's reported figures and shares; None when figures exist already (loaded once)."""
    if ReportedFigure.objects.exists():
        return None
    p = parameter_set()
    province = User.objects.filter(role=Role.PROVINCE).order_by("id").first()
    city_users = {u.city_code: u for u in User.objects.filter(role=Role.CITY, county_code="").order_by("-id")}
    rng = np.random.default_rng(seed)
    rows: list[ReportedFigure] = []
    current = clock.today().year
    for target_id, values in PROVINCE_FIGURES.items():
        t = plan.target(p, target_id)
        if t is None:
            continue
        for year, total in zip(range(t.start_year, current + 1), values, strict=False):
            rows.append(_figure(t, year, "", Decimal(str(total)), province))
            for code, share in _split(t, Decimal(str(total)), rng).items():
                rows.append(_figure(t, year, code, share, city_users.get(code, province)))
            if target_id in ALLOCATED:
                goal = plan.value(p, t, year)
                for code, share in _split(t, goal or Decimal(0), None).items():
                    rows.append(_figure(t, year, code, share, province, ReportedFigure.Kind.ALLOCATION))
    with transaction.atomic():
        ReportedFigure.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _figure(t: plan.Target, year: int, city_code: str, value: Decimal, user: User | None,
            kind: str = ReportedFigure.Kind.ACTUAL) -> ReportedFigure:
    return ReportedFigure(target=t.id, year=year, city_code=city_code, kind=kind, value=value, note=NOTE,
                          reported_by=user)


def _split(t: plan.Target, total: Decimal, rng: np.random.Generator | None) -> dict[str, Decimal]:
    """`total` over the cities by GDP weight (times some noise), whole numbers where the unit counts, the
    remainder given to the largest shares so the cities add up to the province."""
    weights = regions.city_gdp_weights()
    noise = rng.uniform(0.75, 1.25, len(weights)) if rng is not None else np.ones(len(weights))
    raw = np.array(list(weights.values())) * noise
    shares = raw / raw.sum() * float(total)
    step = Decimal(1) if t.whole else Decimal("0.01")
    floors = [Decimal(str(s)).quantize(step, rounding="ROUND_FLOOR") for s in shares]
    left = int((total - sum(floors)) / step)
    for i in np.argsort(-shares)[:left]:
        floors[i] += step
    return dict(zip(weights, floors, strict=True))
