"""Two people acting at once on one request cannot both succeed: many simultaneous routings (province and city)
route it once; many simultaneous answers and hand-backs by the department settle it once. Real PostgreSQL
transactions, one connection per thread (the row is locked before its state is checked)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.concurrency import require_postgres, run_together
from zjtx.core.models import AuditEvent
from zjtx.services import services
from zjtx.services.models import ServiceRequest
from zjtx.services.tests.conftest import filed, routed

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 20


def test_simultaneous_routings_route_once(world):
    require_postgres()
    request = filed(world)
    people = [world["province"], world["city"]] * (WORKERS // 2)
    departments = ["sci_tech", "finance"] * (WORKERS // 2)

    def route(user, department):
        return lambda: services.request_route(user=user, request=ServiceRequest(pk=request.pk), department=department)

    outcomes = run_together([route(u, d) for u, d in zip(people, departments, strict=True)])
    assert outcomes == Counter({"done": 1, "illegal_transition": WORKERS - 1})
    assert AuditEvent.objects.filter(action="services.request_route").count() == 1


def test_simultaneous_answers_and_hand_backs_settle_once(world):
    require_postgres()
    request = routed(world)

    def answer(n: int):
        target = ServiceRequest(pk=request.pk)
        if n % 2:
            return lambda: services.request_hand_back(user=world["keji"], request=target, reason=f"退回{n}")
        return lambda: services.request_answer(user=world["keji"], request=target, answer=f"答复{n}")

    outcomes = run_together([answer(n) for n in range(WORKERS)])
    assert outcomes == Counter({"done": 1, "illegal_transition": WORKERS - 1})
    request.refresh_from_db()
    assert request.status in ("answered", "returned")
    settled = AuditEvent.objects.filter(action__in=["services.request_answer", "services.request_hand_back"])
    assert settled.count() == 1
