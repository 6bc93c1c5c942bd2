"""Transition tables: for each action, the role that owns it, the states it may start from and the state
it leads to. Services call `check` after locking the row, so a refused action changes nothing and two
people acting at once cannot both pass. See docs/adr/0003-workflow.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.tiers.models import Application, Batch, Recognition

ROLE_LABELS = dict(Role.choices)


class IllegalTransitionError(ApplicationError):
    code = "illegal_transition"
    status = 409


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    roles: frozenset[str]
    sources: frozenset[str]
    target: str | None  # None: the state does not change (a score, an objection …)


def table(*rows: tuple[str, str, set[str], set[str], str | None]) -> dict[str, Transition]:
    return {a: Transition(a, label, frozenset(roles), frozenset(src), dst) for a, label, roles, src, dst in rows}


def check(transitions: Mapping[str, Transition], action: str, *, user: User, state: str,
          state_labels: Mapping[str, str]) -> Transition:
    """The transition, or a Chinese refusal naming who may do it and in which state."""
    t = transitions[action]
    if not user.is_authenticated or user.role not in t.roles:
        who = "、".join(ROLE_LABELS[r] for r in sorted(t.roles))
        raise PermissionDeniedError(f"只有{who}可以{t.label}")
    if state not in t.sources:
        allowed = "、".join(f"“{state_labels[s]}”" for s in sorted(t.sources))
        raise IllegalTransitionError(
            f"当前状态为“{state_labels.get(state, state)}”，不能{t.label}；只有处于{allowed}状态时才可以{t.label}")
    return t


A = Application.Status
APPLICATION = table(
    ("resubmit", "重新提交申报", {Role.ENTERPRISE}, {A.RETURNED}, A.SUBMITTED),
    ("city_approve", "市级审核通过", {Role.CITY}, {A.SUBMITTED}, A.CITY_APPROVED),
    ("city_return", "市级退回", {Role.CITY}, {A.SUBMITTED}, A.RETURNED),
    ("assign_experts", "分配评审专家", {Role.PROVINCE}, {A.CITY_APPROVED, A.EXPERT_REVIEW}, A.EXPERT_REVIEW),
    ("expert_score", "专家评分", {Role.EXPERT}, {A.EXPERT_REVIEW}, None),
    ("decide_approve", "作出认定（推荐）决定", {Role.PROVINCE}, {A.EXPERT_REVIEW}, A.IN_NOTICE),
    ("decide_reject", "作出不予认定决定", {Role.PROVINCE}, {A.EXPERT_REVIEW}, A.REJECTED),
    ("file_objection", "提出公示异议", {Role.PROVINCE, Role.CITY, Role.DEPARTMENT, Role.ENTERPRISE, Role.OFFICER,
                                      Role.EXPERT, Role.BANK}, {A.IN_NOTICE}, None),
    ("resolve_objection", "处理公示异议", {Role.PROVINCE}, {A.IN_NOTICE}, None),
    ("recognize", "公示期满后认定", {Role.PROVINCE}, {A.IN_NOTICE}, A.RECOGNIZED),
)
APPLICATION_LABELS = dict(A.choices)

B = Batch.Status
BATCH = table(("close", "截止申报", {Role.PROVINCE}, {B.OPEN}, B.CLOSED))
BATCH_LABELS = dict(B.choices)

R = Recognition.Status
RECOGNITION = table(
    ("re_review", "复核", {Role.PROVINCE}, {R.VALID}, None),
    ("revoke", "撤销认定", {Role.PROVINCE}, {R.VALID}, R.REVOKED),
)
RECOGNITION_LABELS = dict(R.choices)


def application_check(action: str, *, user: User, application: Application) -> Transition:
    return check(APPLICATION, action, user=user, state=application.status, state_labels=APPLICATION_LABELS)


def available(transitions: Mapping[str, Transition], *, user: User, state: str) -> set[str]:
    """The actions this user could take now (for showing buttons; services check again)."""
    return {a for a, t in transitions.items() if user.role in t.roles and state in t.sources}
