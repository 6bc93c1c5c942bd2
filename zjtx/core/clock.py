"""Today's date for the whole site. Settings may pin it (ZJTX_TODAY = "2027-01-15") for demos and tests,
so that a notice period can be seen to end without waiting for it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    fixed = getattr(settings, "ZJTX_TODAY", None)
    if isinstance(fixed, dt.date):
        return fixed
    if fixed:
        return dt.date.fromisoformat(str(fixed))
    return timezone.localdate()


def now() -> dt.datetime:
    """The time stamp of a workflow step: the real time of day on the workflow's today, so that a step
    stamped with a time (decided, revoked …) and one dated by today (复核, start of a recognition) agree
    on the day when settings pin it."""
    real = timezone.localtime()
    return dt.datetime.combine(today(), real.timetz())
