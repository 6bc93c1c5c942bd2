"""The report's transition table (same machinery as tiers.workflow): who may take which step from which state."""

from __future__ import annotations

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.duties.models import Report
from zjtx.tiers.workflow import Transition, available, check, table

__all__ = ["LABELS", "REPORT", "available", "report_check"]

S = Report.Status
EDITABLE: set[str] = {S.DRAFT, S.RETURNED}
REPORT = table(
    ("save", "保存调度报告", {Role.DEPARTMENT}, EDITABLE, None),
    ("submit", "报送调度报告", {Role.DEPARTMENT}, EDITABLE, S.SUBMITTED),
    ("accept", "审核通过调度报告", {Role.PROVINCE}, {str(S.SUBMITTED)}, S.ACCEPTED),
    ("send_back", "退回调度报告", {Role.PROVINCE}, {str(S.SUBMITTED)}, S.RETURNED),
)
LABELS = dict(S.choices)


def report_check(action: str, *, user: User, report: Report) -> Transition:
    return check(REPORT, action, user=user, state=report.status, state_labels=LABELS)
