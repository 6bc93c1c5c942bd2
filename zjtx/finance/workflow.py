"""The receivable's transition table (same machinery as tiers.workflow): who may take which step from which state."""

from __future__ import annotations

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.finance.models import Receivable
from zjtx.tiers.workflow import Transition, available, check, table

__all__ = ["LABELS", "RECEIVABLE", "available", "receivable_check"]

S = Receivable.Status
RECEIVABLE = table(
    ("send", "转送债务人", {Role.PROVINCE, Role.CITY}, {S.FILED}, S.SENT),
    ("confirm", "记录债务人确权", {Role.PROVINCE, Role.CITY}, {S.SENT}, S.CONFIRMED),
    ("refuse", "记录债务人不予确认", {Role.PROVINCE, Role.CITY}, {S.SENT}, S.REFUSED),
)
LABELS = dict(S.choices)
OPEN = (S.FILED, S.SENT)  # waiting for the debtor: the deadline runs


def receivable_check(action: str, *, user: User, receivable: Receivable) -> Transition:
    return check(RECEIVABLE, action, user=user, state=receivable.status, state_labels=LABELS)
