"""The request's transition table (same machinery as tiers.workflow): who may take which step from which state."""

from __future__ import annotations

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.services.models import ServiceRequest
from zjtx.tiers.workflow import Transition, available, check, table

__all__ = ["LABELS", "REQUEST", "available", "request_check"]

S = ServiceRequest.Status
REQUEST = table(
    # A request handed back is routed again (to the department it belongs to).
    ("route", "分派诉求", {Role.PROVINCE, Role.CITY}, {S.PENDING, S.RETURNED}, S.IN_PROGRESS),
    ("answer", "答复诉求", {Role.DEPARTMENT}, {S.IN_PROGRESS}, S.ANSWERED),
    ("hand_back", "退回诉求", {Role.DEPARTMENT}, {S.IN_PROGRESS}, S.RETURNED),
    ("rate", "评价办理满意度", {Role.ENTERPRISE}, {S.ANSWERED}, S.RATED),
)
LABELS = dict(S.choices)


def request_check(action: str, *, user: User, request: ServiceRequest) -> Transition:
    return check(REQUEST, action, user=user, state=request.status, state_labels=LABELS)
