"""不再补发: a reversed award that will never be reissued ends as 不予兑现 and gives its money back to the budget."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import logged_in, make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.awards import services
from zjtx.awards.models import Budget, Entitlement, LedgerEntry
from zjtx.awards.tests.conftest import national_entitlement
from zjtx.awards.todos import todos
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.models import AuditEvent
from zjtx.tiers.workflow import IllegalTransitionError

pytestmark = pytest.mark.django_db
S = Entitlement.Status


def _reversed(people: dict[str, Any], ready: Entitlement) -> tuple[Budget, LedgerEntry]:
    """The award paid from a 250 budget and reversed: its 100 is still committed for the reissue."""
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="250")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    reversal = services.ledger_reverse(user=people["province"], entry=entry, reason="企业已迁出本省")
    return budget, reversal


def _approvable(people: dict[str, Any]) -> Entitlement:
    """Another enterprise's 单项冠军 (200), waiting for the province: more than the budget has left."""
    other = national_entitlement(people, make_enterprise(), "single_champion")
    services.entitlement_confirm_account(user=make_user(Role.ENTERPRISE, credit_code=other.enterprise.credit_code),
                                         entitlement=other, account_name=other.enterprise.name, bank_name="徽商银行",
                                         account_no="6228480012345678")
    return services.entitlement_city_check(user=people["city"], entitlement=other, approve=True)


def _waiting_reissue(people: dict[str, Any]) -> int:
    """The province's to-do of reversed awards waiting for their reissue."""
    return next(t.count for t in todos(people["province"]) if t.label == "奖补已冲销待更正重拨")


def test_closing_a_reversal_frees_its_committed_money_for_other_awards(people, ready):
    budget, reversal = _reversed(people, ready)
    assert services.budget_figures(budget) == {"allocated": Decimal("250"), "committed": Decimal("100"),
                                               "paid": Decimal("0"), "remaining": Decimal("150")}
    other = _approvable(people)
    with pytest.raises(ApplicationError, match="超出预算"):
        services.entitlement_approve(user=people["province"], entitlement=other)

    assert _waiting_reissue(people) == 1
    services.entitlement_close_reversal(user=people["province"], entitlement=ready, reason="企业已迁出本省，不再补发")
    assert _waiting_reissue(people) == 0

    assert services.budget_figures(budget) == {"allocated": Decimal("250"), "committed": Decimal("0"),
                                               "paid": Decimal("0"), "remaining": Decimal("250")}
    stored = Entitlement.objects.get(pk=ready.pk)
    assert stored.status == S.REJECTED and stored.closed_after_reversal
    assert stored.reject_reason == f"冲销后不再补发：企业已迁出本省，不再补发（冲销分录 #{reversal.pk}）"
    # The ledger keeps both lines as they were; the money freed can now be approved to another award.
    assert list(LedgerEntry.objects.filter(entitlement=ready).values_list("kind", "amount")) == [
        ("payment", Decimal("100")), ("reversal", Decimal("-100"))]
    services.entitlement_approve(user=people["province"], entitlement=other)
    assert services.budget_figures(budget)["committed"] == Decimal("200")
    audit = AuditEvent.objects.get(action="awards.close_reversal", target_id=str(ready.pk))
    assert audit.summary == (f"冲销后不再补发（冲销分录 #{reversal.pk}），释放2026年省级预算"
                             f"（{budget.line}）100.00 万元：企业已迁出本省，不再补发")
    assert audit.before == {"status": "reversed"} and audit.after == {"status": "rejected"}


def test_closing_needs_a_reason_and_the_province_and_is_refused_twice(people, ready):
    budget, _ = _reversed(people, ready)
    with pytest.raises(ApplicationError, match="请填写不再补发的原因") as exc:
        services.entitlement_close_reversal(user=people["province"], entitlement=ready, reason="  ")
    assert exc.value.field == "reason"
    with pytest.raises(PermissionDeniedError, match=r"只有省级.*可以不再补发"):
        services.entitlement_close_reversal(user=people["city"], entitlement=ready, reason="企业已迁出")
    assert Entitlement.objects.get(pk=ready.pk).status == S.REVERSED
    assert services.budget_figures(budget)["committed"] == Decimal("100")
    assert not AuditEvent.objects.filter(action="awards.close_reversal").exists()

    services.entitlement_close_reversal(user=people["province"], entitlement=ready, reason="奖补有误")
    with pytest.raises(IllegalTransitionError, match="当前状态为“不予兑现”，不能不再补发"):
        services.entitlement_close_reversal(user=people["province"], entitlement=ready, reason="再次")
    with pytest.raises(IllegalTransitionError):
        services.ledger_reissue(user=people["province"], entitlement=ready, amount="100", reason="又要重拨")
    assert AuditEvent.objects.filter(action="awards.close_reversal").count() == 1


def test_a_reissued_award_cannot_be_closed(people, ready):
    budget, _ = _reversed(people, ready)
    services.ledger_reissue(user=people["province"], entitlement=ready, amount="100", reason="更正账号后重拨")
    with pytest.raises(IllegalTransitionError, match="当前状态为“已拨付”，不能不再补发"):
        services.entitlement_close_reversal(user=people["province"], entitlement=ready, reason="不再补发")
    assert services.budget_figures(budget) == {"allocated": Decimal("250"), "committed": Decimal("0"),
                                               "paid": Decimal("100"), "remaining": Decimal("150")}


def test_the_province_closes_a_reversal_on_the_award_page_and_the_list_and_api_show_it(people, ready):
    budget, _ = _reversed(people, ready)
    page_url = reverse("awards:entitlement", args=[ready.pk])
    action = reverse("awards:entitlement_act", args=[ready.pk, "close_reversal"])
    city = logged_in(people["city"])
    assert 'data-testid="close-reversal"' not in city.get(page_url).content.decode()
    shown = city.post(action, {"reason": "企业已迁出"}, follow=True).content.decode()
    assert "只有省级" in shown and Entitlement.objects.get(pk=ready.pk).status == S.REVERSED

    province = logged_in(people["province"])
    offered = province.get(page_url).content.decode()
    assert 'data-testid="close-reversal"' in offered and "释放所占预算 100.00 万元" in offered
    shown = province.post(action, {"reason": ""}, follow=True).content.decode()
    assert "请填写不再补发的原因" in shown and Entitlement.objects.get(pk=ready.pk).status == S.REVERSED
    shown = province.post(action, {"reason": "企业已迁出本省"}, follow=True).content.decode()
    assert "已确认不再补发" in shown and 'data-testid="closed-note"' in shown
    assert "冲销后不再补发：企业已迁出本省" in shown and 'data-testid="close-reversal"' not in shown
    listed = province.get(reverse("awards:entitlements")).content.decode()
    assert 'data-testid="closed-mark"' in listed
    row = province.get("/api/v1/awards/entitlements").json()[0]
    assert row["status"] == "rejected" and row["reject_reason"].startswith("冲销后不再补发：企业已迁出本省")
    budgets = province.get("/api/v1/awards/budgets").json()
    assert [(b["line"], b["committed"], b["remaining"]) for b in budgets] == [(budget.line, "0", "250")]
