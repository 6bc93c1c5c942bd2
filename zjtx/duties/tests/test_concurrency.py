"""Two people acting at once cannot both succeed: simultaneous submissions of one report file it once;
simultaneous reviews (accept and send back) settle it once; simultaneous openings open a period once.
Real PostgreSQL transactions, one connection per thread (the report's row is locked before its state is
checked; a period is unique by its start)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.concurrency import require_postgres, run_together
from zjtx.core.models import AuditEvent
from zjtx.duties import services
from zjtx.duties.models import Period, Report
from zjtx.duties.tests.conftest import WRITTEN, opened, report, submitted

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 16


def test_simultaneous_submissions_file_once(world):
    require_postgres()
    target = report(opened(world), 1, "sci_tech")

    def submit(n: int):
        return lambda: services.report_submit(user=world["keji"], report=Report(pk=target.pk),
                                              data={**WRITTEN, "progress": f"进展{n}"})

    outcomes = run_together([submit(n) for n in range(WORKERS)])
    assert outcomes == Counter({"done": 1, "illegal_transition": WORKERS - 1})
    assert AuditEvent.objects.filter(action="duties.report_submit").count() == 1


def test_simultaneous_reviews_settle_once(world):
    require_postgres()
    filed = submitted(world, opened(world))

    def review(n: int):
        target = Report(pk=filed.pk)
        if n % 2:
            return lambda: services.report_send_back(user=world["province"], report=target, reason=f"退回{n}")
        return lambda: services.report_accept(user=world["province"], report=target)

    outcomes = run_together([review(n) for n in range(WORKERS)])
    assert outcomes == Counter({"done": 1, "illegal_transition": WORKERS - 1})
    filed.refresh_from_db()
    assert filed.status in ("accepted", "returned")
    assert AuditEvent.objects.filter(action__in=["duties.report_accept", "duties.report_send_back"]).count() == 1


def test_simultaneous_openings_open_a_period_once(world):
    require_postgres()
    outcomes = run_together([lambda: services.period_open(user=world["province"], key="2026-3")] * 8)
    assert outcomes["done"] == 1 and sum(outcomes.values()) == 8
    assert Period.objects.count() == 1 and Report.objects.count() == 69
    assert AuditEvent.objects.filter(action="duties.period_open").count() == 1
