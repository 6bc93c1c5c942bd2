"""A programme event was recorded (e.g. a recognition): create what it entitles the enterprise to, at once
(免申即享), inside the same transaction as the event."""

from __future__ import annotations

from typing import Any

from zjtx.awards import services
from zjtx.policy.models import ProgrammeEvent
from zjtx.tiers import clock


def on_programme_event(sender: Any, *, event: ProgrammeEvent, user: Any = None, **kwargs: Any) -> None:
    today = max(clock.today(), event.date)
    services.entitlements_for_events(actor=user, codes=[event.enterprise.credit_code], today=today)
