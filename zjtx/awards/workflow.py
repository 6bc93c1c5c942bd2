"""The entitlement's transition table (same machinery as tiers.workflow)."""

from __future__ import annotations

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.awards.models import Entitlement
from zjtx.tiers.workflow import Transition, available, check, table

__all__ = ["ENTITLEMENT", "LABELS", "available", "entitlement_check"]

S = Entitlement.Status
ENTITLEMENT = table(
    ("confirm_account", "确认收款账户", {Role.ENTERPRISE}, {S.AWAITING_ACCOUNT}, S.CITY_CHECK),
    ("apply", "提交奖补申请", {Role.ENTERPRISE}, {S.AWAITING_APPLICATION}, S.CITY_CHECK),
    ("city_pass", "市级审核通过", {Role.CITY}, {S.CITY_CHECK}, S.PROVINCE_APPROVAL),
    ("city_reject", "市级审核不通过", {Role.CITY}, {S.CITY_CHECK}, S.REJECTED),
    ("approve", "省级审批", {Role.PROVINCE}, {S.PROVINCE_APPROVAL}, S.APPROVED),
    ("reject", "省级不予兑现", {Role.PROVINCE}, {S.PROVINCE_APPROVAL}, S.REJECTED),
    ("pay", "拨付", {Role.PROVINCE}, {S.APPROVED}, S.PAID),
    ("reverse", "冲销拨付", {Role.PROVINCE}, {S.PAID}, S.REVERSED),
    ("correct_account", "更正收款账户", {Role.ENTERPRISE, Role.PROVINCE}, {S.REVERSED}, None),
    ("reissue", "更正重拨", {Role.PROVINCE}, {S.REVERSED}, S.PAID),
    ("close_reversal", "不再补发", {Role.PROVINCE}, {S.REVERSED}, S.REJECTED),
)
LABELS = dict(S.choices)


def entitlement_check(action: str, *, user: User, entitlement: Entitlement) -> Transition:
    return check(ENTITLEMENT, action, user=user, state=entitlement.status, state_labels=LABELS)
