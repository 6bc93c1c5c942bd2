from __future__ import annotations

from copy import copy
from decimal import Decimal
from typing import Any

import pytest

from zjtx.tiers.tests.conftest import _pinned_clock, applicant, enterprise, people

__all__ = ["_pinned_clock", "applicant", "enterprise", "people"]


def national_entitlement(people: dict[str, Any], enterprise: Any, tier: str = "little_giant") -> Any:
    from zjtx.awards.models import Entitlement
    from zjtx.tiers import services as tiers_services
    from zjtx.tiers.tests.conftest import TODAY

    recognition = tiers_services.recognition_record_national(
        user=people["province"], enterprise=enterprise, tier=tier, certificate_no=f"工信部〔2026〕{enterprise.pk}号",
        start_date=TODAY)
    return Entitlement.objects.get(recognition=recognition)


@pytest.fixture
def ready(people: dict[str, Any], enterprise: Any, applicant: Any) -> Any:
    """A 小巨人 entitlement confirmed by the enterprise and passed by the city: 待省级审批."""
    from zjtx.awards import services

    entitlement = national_entitlement(people, enterprise)
    services.entitlement_confirm_account(user=applicant, entitlement=entitlement, account_name=enterprise.name,
                                         bank_name="徽商银行合肥分行", account_no="6228480012345678")
    return services.entitlement_city_check(user=people["city"], entitlement=entitlement, approve=True)


def plan_with_city_award() -> Any:
    """The plan with a city's 配套奖补 added (合肥市, 50万 on a 小巨人): an award the engine grants on the events
    of recognitions recorded before it was added, once 生成奖补资格 runs."""
    from zjtx.awards import services

    return services.parameter_set().with_definitions({"awards.city.340100.little_giant.amount": {
        "clause": "二(一)2", "label": "合肥市配套奖补", "unit": "万元", "scope": "340100", "funding_level": "市级",
        "meta": {"award": "city.340100.little_giant", "event": "recognized_little_giant",
                 "once_key": "city.340100.little_giant"}, "values": {"2023-01-01": 50}}})


def paid_reversed_and_reissued(people: dict[str, Any], ready: Any, enterprise: Any, applicant: Any) -> Any:
    """Paid, reversed because the account was wrong, the account corrected, and reissued: the ledger entry
    of the first payment."""
    from zjtx.awards import services

    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="500")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    services.ledger_reverse(user=people["province"], entry=entry, reason="账号有误")
    services.entitlement_correct_account(user=applicant, entitlement=ready, account_name=enterprise.name,
                                         bank_name="建设银行", account_no="6217000099998888", note="原账号已销户")
    services.ledger_reissue(user=people["province"], entitlement=ready, amount="100", reason="更正账号后重拨")
    return entry


def more_paid_lines(entry: Any, count: int) -> list[Any]:
    """``count`` more paid lines like ``entry`` (a payment), each of its own copy of the entitlement, with
    amounts 1, 2, 3 … and the funding source alternating 市级, 省级: a long list, written in bulk."""
    from zjtx.awards.models import Entitlement, FundingLevel, LedgerEntry

    source, line = Entitlement.objects.get(pk=entry.entitlement_id), LedgerEntry.objects.get(pk=entry.pk)
    copies = [copy(source) for _ in range(count)]
    for n, entitlement in enumerate(copies):
        entitlement.pk, entitlement.award = None, f"{source.award}.{n}"  # an event's award is entitled once
    Entitlement.objects.bulk_create(copies, batch_size=2000)
    lines = [copy(line) for _ in range(count)]
    for n, (paid, entitlement) in enumerate(zip(lines, copies, strict=True), start=1):
        paid.pk, paid.entitlement, paid.once_key, paid.amount = None, entitlement, None, Decimal(n)
        paid.funding_level = FundingLevel.CITY if n % 2 else FundingLevel.PROVINCE
    return LedgerEntry.objects.bulk_create(lines, batch_size=2000)
