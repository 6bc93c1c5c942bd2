"""What waits for each role in 奖补兑现, for the home page's 待办事项 (``core.navigation.register_todos``)."""

from __future__ import annotations

from django.urls import reverse

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.awards import access
from zjtx.awards.models import Entitlement
from zjtx.awards.selectors import RECOVERY, TOPUP, awaiting_recovery
from zjtx.core.navigation import Todo

S = Entitlement.Status
WAITING: dict[str, list[tuple[str, str]]] = {
    # A reversal (e.g. 账号有误) waits for the enterprise to check its account and for the province to reissue.
    Role.ENTERPRISE: [(S.AWAITING_ACCOUNT, "奖补待确认收款账户"), (S.AWAITING_APPLICATION, "奖补待提交申请"),
                      (S.REVERSED, "奖补已冲销，请核对或更正收款账户")],
    Role.CITY: [(S.CITY_CHECK, "奖补待市级审核")],
    Role.PROVINCE: [(S.PROVINCE_APPROVAL, "奖补待省级审批"), (S.APPROVED, "奖补已审批待拨付"),
                    (S.REVERSED, "奖补已冲销待更正重拨")],
}


def todos(user: User) -> list[Todo]:
    if not user.is_authenticated or user.role not in WAITING:
        return []
    visible = access.visible_entitlements(user)
    url = reverse("awards:entitlements")
    todos = [Todo(label, visible.filter(status=status).count(), f"{url}?status={status}")
             for status, label in WAITING[user.role]]
    if user.role == Role.PROVINCE:
        to_recover = awaiting_recovery(visible).count()
        todos.append(Todo("已撤销认定的奖补已拨付，待追回处理", to_recover, f"{url}?status={RECOVERY}"))
        short = visible.exclude(topup_note="").count()
        todos.append(Todo("升级奖补所抵扣的等级已不予兑现，待决定是否补差", short, f"{url}?status={TOPUP}"))
    return todos
