"""Demo recognitions and one open batch, so that 梯度培育 has something to show in ``make run``.

The synthetic registry gives enterprises a tier; here each tier held gets the recognition that stands
behind it (certificate, validity from the parameters, the recognition event of the programme where the
demo has one), a few of them close to expiry so that 复核 has work. One 省级 batch is open and the demo
enterprise user has applied to it, waiting for the city's review, so the whole workflow can be walked
through by hand. Reproducible by seed; only for demo databases, and only when no recognition exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.enterprises.models import Enterprise, Tier
from zjtx.policy.models import ProgrammeEvent
from zjtx.tiers import clock, services
from zjtx.tiers.models import NATIONAL_TIERS, Batch, Recognition, tier_rank
from zjtx.tiers.services import CERTIFICATE_PREFIX, EVENT_FOR_TIER, TIER_LABELS, add_years, validity

NATIONAL_PREFIX = {Tier.LITTLE_GIANT.value: "工信部企业函", Tier.SINGLE_CHAMPION.value: "工信部联企业"}
NEAR_EXPIRY_SHARE = 0.06  # of the recognitions the province itself grants: due for 复核 within 90 days


@dataclass(frozen=True)
class DemoTiers:
    recognitions: int
    batch: Batch | None
    application_enterprise: str


def load_demo_tiers(seed: int, today: dt.date | None = None) -> DemoTiers | None:
    """Recognitions for every tier held, one open batch and the demo enterprise's application; None when
    recognitions exist already (the demo is loaded once)."""
    if Recognition.objects.exists():
        return None
    today = today or clock.today()
    province = User.objects.filter(role=Role.PROVINCE).order_by("id").first()
    rng = np.random.default_rng(seed)
    with transaction.atomic():
        recognitions = _recognitions(rng, today, province)
        Recognition.objects.bulk_create(recognitions, batch_size=2000)
    batch, code = _open_batch_and_apply(province, today)
    return DemoTiers(len(recognitions), batch, code)


def _recognitions(rng: np.random.Generator, today: dt.date, province: User | None) -> list[Recognition]:
    events = {(e.enterprise_id, e.kind): e for e in ProgrammeEvent.objects.filter(kind__in=EVENT_FOR_TIER.values())}
    parameters = services.parameter_set()
    numbers: dict[tuple[str, int], int] = {}
    found = []
    held = Enterprise.objects.exclude(tier="").order_by("id").values_list("id", "tier")
    for enterprise_id, tier in held:
        event = events.get((enterprise_id, EVENT_FOR_TIER.get(tier, "")))
        years, parameter_id = validity(parameters, tier, today)
        start = event.date if event else _start(rng, today, years, tier)
        years, parameter_id = validity(parameters, tier, start)
        numbers[(tier, start.year)] = numbers.get((tier, start.year), 0) + 1
        found.append(Recognition(
            enterprise_id=enterprise_id, tier=tier, event=event, start_date=start,
            source=Recognition.Source.NATIONAL if tier in NATIONAL_TIERS else Recognition.Source.PROVINCE,
            certificate_no=_certificate(tier, start.year, numbers[(tier, start.year)]),
            validity_years=years, validity_parameter=parameter_id,
            expires_on=add_years(start, years) - dt.timedelta(days=1), created_by=province))
    return found


def _start(rng: np.random.Generator, today: dt.date, years: int, tier: str) -> dt.date:
    """A start date that keeps the recognition in force today; a few expire within 90 days."""
    span = (add_years(today, years) - today).days
    if tier not in NATIONAL_TIERS and rng.random() < NEAR_EXPIRY_SHARE:
        return today - dt.timedelta(days=span - int(rng.integers(15, 90)))
    return today - dt.timedelta(days=int(rng.integers(20, span - 120)))


def _certificate(tier: str, year: int, number: int) -> str:
    prefix = CERTIFICATE_PREFIX.get(tier) or NATIONAL_PREFIX[tier]
    return f"{prefix}〔{year}〕{number:05d}号"


def _open_batch_and_apply(province: User | None, today: dt.date) -> tuple[Batch | None, str]:
    """An open batch for the rung above the demo enterprise's tier, and its application to it."""
    applicant = User.objects.filter(role=Role.ENTERPRISE).exclude(credit_code="").order_by("id").first()
    if province is None or applicant is None:
        return None, ""
    enterprise = Enterprise.objects.get(credit_code=applicant.credit_code)
    provincial = [Tier.INNOVATIVE.value, Tier.PROVINCIAL.value, Tier.PROVINCIAL_CHAMPION.value]
    above = [t for t in provincial if tier_rank(t) > tier_rank(enterprise.tier)]
    tier = above[0] if above else Tier.PROVINCIAL.value
    batch = services.batch_open(user=province, tier=tier, year=today.year, title=f"{today.year}年度{TIER_LABELS[tier]}"
                                f"申报", opens_on=today - dt.timedelta(days=14),
                                closes_on=today + dt.timedelta(days=30))
    if not above:
        return batch, ""
    services.application_submit(user=applicant, batch=batch, contact_name="刘洋", contact_phone="0551-62345678",
                                statement="主导产品深耕细分市场多年，研发投入逐年增长，特申请认定。", today=today)
    return batch, enterprise.credit_code
