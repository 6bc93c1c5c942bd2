"""Recording programme events (a recognition, an assessment grade …) from other modules.

`programme_event_record` writes the event and its audit record; `programme_event_announce` tells the
modules that turn events into money (awards) that a new event exists. They are two steps so that the
caller can link the event to its own records first. Receivers run inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from zjtx.core.audit import audit_record
from zjtx.core.errors import ApplicationError
from zjtx.enterprises.models import Enterprise
from zjtx.policy.engine.schema import EVENT_KINDS, GRADES
from zjtx.policy.models import EVENT_KIND_LABELS, ProgrammeEvent

# Sent with: event (ProgrammeEvent), user (who recorded it).
programme_event_recorded = Signal()


def programme_event_record(*, user: Any, enterprise: Enterprise, kind: str, date: dt.date, grade: str = "",
                           amount: Decimal | None = None, rank: int | None = None, note: str = "") -> ProgrammeEvent:
    if kind not in EVENT_KINDS:
        raise ApplicationError(f"事件类型不正确：{kind}", field="kind")
    if grade and grade not in GRADES:
        raise ApplicationError(f"评估等级应为 {'、'.join(GRADES)} 之一", field="grade")
    if amount is not None and amount < 0:
        raise ApplicationError("金额不能为负数", field="amount")
    with transaction.atomic():
        event = ProgrammeEvent.objects.create(enterprise=enterprise, kind=kind, date=date, grade=grade,
                                              amount=amount, rank=rank)
        audit_record(actor=user, action="programme_event", target_type="programme_event", target_id=str(event.pk),
                     enterprise_code=enterprise.credit_code,
                     summary=f"记录专项事件：{EVENT_KIND_LABELS[kind]}（{date}）{note}",
                     after={"kind": kind, "date": date, "grade": grade, "amount": amount, "rank": rank})
    return event


def programme_event_announce(*, user: Any, event: ProgrammeEvent) -> None:
    programme_event_recorded.send(sender=ProgrammeEvent, event=event, user=user)
