"""Two people acting at once on one receivable or one reserve entry cannot both succeed: many simultaneous
sends send it once; simultaneous confirmations and refusals settle it once; simultaneous admissions of one
enterprise admit it once. Real PostgreSQL transactions, one connection per thread."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.concurrency import require_postgres, run_together
from zjtx.core.models import AuditEvent
from zjtx.finance import services
from zjtx.finance.models import ListingCandidate, Receivable
from zjtx.finance.tests.conftest import TODAY, filed

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 20


def test_simultaneous_sends_send_once(world):
    require_postgres()
    receivable = filed(world)
    people = [world["province"], world["city"]] * (WORKERS // 2)

    def send(user):
        return lambda: services.receivable_act(user=user, receivable=Receivable(pk=receivable.pk), action="send")

    assert run_together([send(u) for u in people]) == Counter({"done": 1, "illegal_transition": WORKERS - 1})
    assert AuditEvent.objects.filter(action="finance.receivable_send").count() == 1


def test_simultaneous_confirmations_and_refusals_settle_once(world):
    require_postgres()
    receivable = filed(world)
    services.receivable_act(user=world["city"], receivable=receivable, action="send")

    def answer(n: int):
        action = "refuse" if n % 2 else "confirm"
        return lambda: services.receivable_act(user=world["city"], receivable=Receivable(pk=receivable.pk),
                                               action=action, answered_on=TODAY, answer=f"答复{n}")

    assert run_together([answer(n) for n in range(WORKERS)]) == Counter(
        {"done": 1, "illegal_transition": WORKERS - 1})
    settled = AuditEvent.objects.filter(action__in=["finance.receivable_confirm", "finance.receivable_refuse"])
    assert settled.count() == 1


def test_simultaneous_admissions_admit_once(world):
    require_postgres()

    def admit(user):
        return lambda: services.candidate_add(user=user, enterprise=world["A"], board="bse", added_on=TODAY)

    outcomes = run_together([admit(u) for u in [world["province"], world["city"]] * (WORKERS // 2)])
    assert outcomes == Counter({"done": 1, "invalid": WORKERS - 1})  # each refused by field, none an error
    assert ListingCandidate.objects.count() == 1
    assert AuditEvent.objects.filter(action="finance.candidate_add").count() == 1
