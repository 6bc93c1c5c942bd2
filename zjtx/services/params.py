"""The dated parameters of this module, read through the policy app's parameter set (never a number in code)."""

from __future__ import annotations

import datetime as dt

from zjtx.policy.services import parameter_set
from zjtx.tiers import params

OFFICERS_PER_ENTERPRISE = "services.officers_per_enterprise"
ANSWER_WORKING_DAYS = "services.request.answer_working_days"
SATISFACTION_MAX = "services.request.satisfaction_max"


def officers_per_enterprise(at: dt.date) -> int:
    return int(params.number(parameter_set(), OFFICERS_PER_ENTERPRISE, at))


def answer_working_days(at: dt.date) -> int:
    return int(params.number(parameter_set(), ANSWER_WORKING_DAYS, at))


def satisfaction_max(at: dt.date) -> int:
    return int(params.number(parameter_set(), SATISFACTION_MAX, at))
