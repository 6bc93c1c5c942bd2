"""Two people acting at once on one request cannot both succeed: many simultaneous routings (province and city)
route it once; many simultaneous answers and hand-backs by the department settle it once. Real PostgreSQL
transactions, one connection per thread (the row is locked before its state is checked)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from zjtx.core.errors import ApplicationError
from zjtx.core.models import AuditEvent
from zjtx.services import services
from zjtx.services.models import ServiceRequest
from zjtx.services.tests.conftest import filed, routed

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 20


def _run_together(work: list[Callable[[], Any]]) -> Counter[str]:
    """Start every callable at the same instant, each in its own thread with its own connection (as awards'
    concurrency test does; services may not import awards, not even its tests)."""
    barrier = threading.Barrier(len(work))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def worker(job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            job()
            result = "done"
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


def _postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("the concurrency test needs PostgreSQL (DATABASE_URL)")


def test_simultaneous_routings_route_once(world):
    _postgres()
    request = filed(world)
    people = [world["province"], world["city"]] * (WORKERS // 2)
    departments = ["sci_tech", "finance"] * (WORKERS // 2)

    def route(user, department):
        return lambda: services.request_route(user=user, request=ServiceRequest(pk=request.pk), department=department)

    outcomes = _run_together([route(u, d) for u, d in zip(people, departments, strict=True)])
    assert outcomes == Counter({"done": 1, "illegal_transition": WORKERS - 1})
    assert AuditEvent.objects.filter(action="services.request_route").count() == 1


def test_simultaneous_answers_and_hand_backs_settle_once(world):
    _postgres()
    request = routed(world)

    def answer(n: int):
        target = ServiceRequest(pk=request.pk)
        if n % 2:
            return lambda: services.request_hand_back(user=world["keji"], request=target, reason=f"退回{n}")
        return lambda: services.request_answer(user=world["keji"], request=target, answer=f"答复{n}")

    outcomes = _run_together([answer(n) for n in range(WORKERS)])
    assert outcomes == Counter({"done": 1, "illegal_transition": WORKERS - 1})
    request.refresh_from_db()
    assert request.status in ("answered", "returned")
    settled = AuditEvent.objects.filter(action__in=["services.request_answer", "services.request_hand_back"])
    assert settled.count() == 1
