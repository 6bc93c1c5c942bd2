"""Never twice, under load: 50 simultaneous approvals in real PostgreSQL transactions pay exactly once; 50
simultaneous reversals and reissues of one payment correct it once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from zjtx.awards import services
from zjtx.awards.models import Entitlement, LedgerEntry
from zjtx.core.errors import ApplicationError
from zjtx.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 50


def run_together(work: list[Callable[[], Any]]) -> Counter[str]:
    """Start every callable at the same instant, each in its own thread with its own connection."""
    barrier = threading.Barrier(len(work))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def worker(job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            job()
            result = "paid"
        except ApplicationError as exc:
            result = exc.code
        finally:
            connection.close()
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=worker, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_fifty_concurrent_approvals_of_one_entitlement_pay_once(people, ready):
    if connection.vendor != "postgresql":
        pytest.fail("the concurrency test needs PostgreSQL (DATABASE_URL)")
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="1000")
    province = people["province"]

    def approve_and_pay() -> None:
        services.entitlement_approve_and_pay(user=province, entitlement=Entitlement(pk=ready.pk))

    outcomes = run_together([approve_and_pay] * WORKERS)
    assert outcomes == Counter({"paid": 1, "illegal_transition": WORKERS - 1})
    assert LedgerEntry.objects.filter(entitlement_id=ready.pk).count() == 1
    assert AuditEvent.objects.filter(action="awards.pay").count() == 1
    budget.refresh_from_db()
    assert services.budget_figures(budget)["paid"] == Decimal("100")
    assert Entitlement.objects.get(pk=ready.pk).status == Entitlement.Status.PAID


def test_the_unique_constraint_holds_when_the_row_locks_do_not_help(people, ready, enterprise):
    """50 different entitlement rows for the same once-only award: each payment locks only its own row,
    so only the database's unique constraint stands between them and 50 payments."""
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="100000")
    services.entitlement_approve(user=people["province"], entitlement=ready)
    template = Entitlement.objects.get(pk=ready.pk)
    twins = Entitlement.objects.bulk_create([
        Entitlement(enterprise=enterprise, event=template.event, award=f"little_giant.copy{i}", award_label="复制",
                    once_key="little_giant", amount=Decimal("100"), funding_level="省级",
                    city_code=enterprise.city_code, clause="二(一)2", parameter_ids="", reason="",
                    no_application=True, status=Entitlement.Status.APPROVED, account_name=enterprise.name,
                    bank_name="徽商银行", account_no="6228480012345678", budget=budget)
        for i in range(WORKERS - 1)])
    province = people["province"]
    jobs = [lambda pk=e.pk: services.entitlement_pay(user=province, entitlement=Entitlement(pk=pk))
            for e in [template, *twins]]
    outcomes = run_together(jobs)
    assert outcomes == Counter({"paid": 1, "already_paid": WORKERS - 1})
    assert LedgerEntry.objects.filter(enterprise=enterprise, once_key="little_giant").count() == 1


def test_fifty_concurrent_reversals_and_reissues_reverse_once_and_reissue_once(people, ready):
    """Never twice covers corrections too: the same payment reversed, and the reversal reissued, by 50 at once
    leaves one reversal and one reissue, and the entitlement's net is its amount, not 50 times it."""
    if connection.vendor != "postgresql":
        pytest.fail("the concurrency test needs PostgreSQL (DATABASE_URL)")
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="100000")
    province = people["province"]
    payment = services.entitlement_approve_and_pay(user=province, entitlement=ready)

    def reverse() -> None:
        services.ledger_reverse(user=province, entry=LedgerEntry(pk=payment.pk, entitlement_id=ready.pk),
                                reason="账号有误")

    def reissue() -> None:
        services.ledger_reissue(user=province, entitlement=Entitlement(pk=ready.pk), amount="100", reason="更正重拨")

    assert run_together([reverse] * WORKERS) == Counter({"paid": 1, "illegal_transition": WORKERS - 1})
    assert run_together([reissue] * WORKERS) == Counter({"paid": 1, "illegal_transition": WORKERS - 1})
    kinds = Counter(LedgerEntry.objects.filter(entitlement_id=ready.pk).values_list("kind", flat=True))
    assert kinds == Counter({"payment": 1, "reversal": 1, "reissue": 1})
    assert AuditEvent.objects.filter(action="awards.reissue").count() == 1
    assert services.budget_figures(budget)["paid"] == Decimal("100")
    # Without the row lock, the database still holds: one reissue per reversal.
    reissue_row = LedgerEntry.objects.get(kind="reissue")
    with pytest.raises(IntegrityError), transaction.atomic():
        fields = [f.attname for f in LedgerEntry._meta.concrete_fields if f.attname not in ("id", "created_at")]
        LedgerEntry.objects.create(**{name: getattr(reissue_row, name) for name in fields})
