"""撤销认定 stops the awards the recognition triggered: waiting ones are refused, paid ones flagged 待追回."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import logged_in
from zjtx.awards import services
from zjtx.awards.models import Budget, Entitlement, LedgerEntry
from zjtx.awards.selectors import revocation_summary
from zjtx.awards.tests.conftest import plan_with_city_award
from zjtx.core.errors import ApplicationError
from zjtx.core.models import AuditEvent
from zjtx.policy.models import ProgrammeEvent
from zjtx.tiers import services as tiers_services
from zjtx.tiers.models import Recognition
from zjtx.tiers.tests.conftest import TODAY, qualifying_enterprise

pytestmark = pytest.mark.django_db
S = Entitlement.Status
REASON = "提供虚假材料"


def _revoke(people, entitlement: Entitlement) -> Recognition:
    assert entitlement.recognition is not None
    return tiers_services.recognition_revoke(user=people["province"], recognition=entitlement.recognition,
                                             reason=REASON)


def _single_champion(people, enterprise) -> Entitlement:
    """A second title of the same enterprise (national_entitlement numbers certificates by enterprise)."""
    recognition = tiers_services.recognition_record_national(
        user=people["province"], enterprise=enterprise, tier="single_champion",
        certificate_no=f"工信部单项冠军〔2026〕{enterprise.pk}号", start_date=TODAY)
    return Entitlement.objects.get(recognition=recognition)


def _budget(people) -> Budget:
    return services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="500")


def test_revoking_refuses_an_award_waiting_for_approval_and_approval_is_refused(people, ready):
    budget = _budget(people)
    _revoke(people, ready)
    ready.refresh_from_db()
    assert ready.status == S.REJECTED
    assert ready.reject_reason == f"认定已撤销：{REASON}"
    audit = AuditEvent.objects.get(action="awards.revoked_recognition", target_id=str(ready.pk))
    assert audit.before == {"status": "province_approval"} and audit.after == {"status": "rejected"}
    refusal = rf"小巨人.*认定（工信部〔2026〕.*号）已于 .* 撤销（{REASON}），不能审批"
    with pytest.raises(ApplicationError, match=refusal):
        services.entitlement_approve(user=people["province"], entitlement=ready)
    ready.refresh_from_db()
    assert ready.status == S.REJECTED and ready.budget is None
    assert services.budget_figures(budget)["remaining"] == Decimal("500")


def test_an_approved_award_is_refused_its_budget_freed_and_payment_refused(people, ready):
    budget = _budget(people)
    services.entitlement_approve(user=people["province"], entitlement=ready)
    assert services.budget_figures(budget)["committed"] == Decimal("100")
    _revoke(people, ready)
    ready.refresh_from_db()
    assert ready.status == S.REJECTED
    assert services.budget_figures(budget)["committed"] == 0
    with pytest.raises(ApplicationError, match=r"已于 2026-.* 撤销.*不能拨付"):
        services.entitlement_pay(user=people["province"], entitlement=ready)
    assert not LedgerEntry.objects.exists()


def test_approval_of_an_award_revoked_before_this_release_is_refused(people, ready):
    """A revocation recorded before the awards followed it left the award waiting: the gate still holds."""
    _budget(people)
    Recognition.objects.filter(pk=ready.recognition_id).update(status=Recognition.Status.REVOKED,
                                                               revoked_reason="旧撤销")
    with pytest.raises(ApplicationError, match="（旧撤销），不能审批"):
        services.entitlement_approve(user=people["province"], entitlement=ready)
    ready.refresh_from_db()
    assert ready.status == S.PROVINCE_APPROVAL


def test_a_paid_award_is_flagged_for_recovery_not_changed(people, ready):
    _budget(people)
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    recognition = _revoke(people, ready)
    ready.refresh_from_db()
    assert ready.status == S.PAID  # the ledger is append-only: the payment stands until recovered
    assert ready.recovery_note == f"认定（{recognition.certificate_no}）已撤销（{REASON}），已拨付 100.00 万元待追回"
    assert list(LedgerEntry.objects.values_list("pk", "amount")) == [(entry.pk, Decimal("100"))]
    assert AuditEvent.objects.filter(action="awards.recovery_flag", target_id=str(ready.pk)).exists()
    assert revocation_summary(recognition) == "1 项已拨付待追回"
    # The province's 待办事项 lists it, linked to the list of such awards, each marked.
    home = logged_in(people["province"]).get("/").content.decode()
    assert '已撤销认定的奖补已拨付，待追回处理</a> <strong class="count">1</strong>' in home
    listing = logged_in(people["province"]).get("/awards/?status=recovery").content.decode()
    assert ready.enterprise.name in listing and 'data-testid="recovery-mark">待追回' in listing
    page = logged_in(people["province"]).get(f"/awards/entitlements/{ready.pk}/").content.decode()
    assert "已撤销认定的奖补已拨付，待追回" in page and "款项已追回，冲销拨付" in page
    listed = logged_in(people["province"]).get("/api/v1/awards/entitlements").json()
    assert [(x["status"], x["recovery_note"]) for x in listed] == [("paid", ready.recovery_note)]


def test_recording_the_recovery_as_a_reversal_ends_the_award(people, ready):
    _budget(people)
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    recognition = _revoke(people, ready)
    reversal = services.ledger_reverse(user=people["province"], entry=entry, reason="2026-06-20 退回，凭证 123")
    ready.refresh_from_db()
    assert ready.status == S.REJECTED  # not 已冲销 waiting for a reissue: nothing is owed any more
    assert ready.reject_reason == f"认定已撤销：{REASON}（已拨付款项已追回，冲销分录 #{reversal.pk}）"
    assert revocation_summary(recognition) == "1 项奖补资格已不予兑现（其中 1 项已拨付、已追回）"
    home = logged_in(people["province"]).get("/").content.decode()
    assert "待追回处理" not in home and "奖补已冲销待更正重拨" not in home
    with pytest.raises(ApplicationError, match="不能更正重拨"):
        services.ledger_reissue(user=people["province"], entitlement=ready, amount="100", reason="重拨")


def test_an_award_reversed_and_waiting_for_its_reissue_is_refused(people, ready):
    _budget(people)
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    services.ledger_reverse(user=people["province"], entry=entry, reason="账号有误")
    _revoke(people, ready)
    ready.refresh_from_db()
    assert ready.status == S.REJECTED and ready.reject_reason == f"认定已撤销：{REASON}"
    with pytest.raises(ApplicationError, match="不能更正重拨"):
        services.ledger_reissue(user=people["province"], entitlement=ready, amount="100", reason="更正后重拨")
    assert LedgerEntry.objects.count() == 2


def test_awards_of_the_enterprises_other_recognitions_stay(people, ready):
    other = _single_champion(people, ready.enterprise)
    _revoke(people, ready)
    other.refresh_from_db()
    assert other.status == S.AWAITING_ACCOUNT


def test_the_event_stays_while_awards_point_at_it_and_generation_grants_nothing_more(people, ready, monkeypatch):
    """The policy app refuses to withdraw an event the ledger computed from (test_event_references): it stays
    as the record that explains the payment, and no engine run grants from it again — not even an award
    added to the plan after the revocation (a city's 配套奖补)."""
    _budget(people)
    services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    recognition = _revoke(people, ready)
    event = ProgrammeEvent.objects.get(pk=ready.event_id)
    assert recognition.event_id == event.pk
    assert not AuditEvent.objects.filter(action="programme_event_withdraw").exists()
    with_city_award = plan_with_city_award()
    monkeypatch.setattr(services, "parameter_set", lambda: with_city_award)
    # The same plan grants the city's award on a recognition in force (so the test could fail) …
    in_force = tiers_services.recognition_record_national(
        user=people["province"], enterprise=qualifying_enterprise(), tier="little_giant",
        certificate_no="工信部〔2026〕另一家号", start_date=TODAY)
    assert {e.award for e in Entitlement.objects.filter(recognition=in_force)} == {
        "little_giant", "city.340100.little_giant"}
    # … and nothing on the revoked one.
    assert services.entitlements_generate(user=people["province"], today=TODAY) == []
    assert list(Entitlement.objects.filter(event=event).values_list("award", flat=True)) == ["little_giant"]


def test_an_event_no_award_was_computed_from_is_withdrawn_with_the_reason(people, enterprise):
    """A 小巨人 recorded after the enterprise was paid its once-only award: the engine granted nothing, so the
    revocation withdraws the event and no later run can grant from it."""
    recognition = tiers_services.recognition_record_national(
        user=people["province"], enterprise=enterprise, tier="little_giant", certificate_no="工信部〔2026〕补录1号",
        start_date=TODAY)
    Entitlement.objects.filter(recognition=recognition).delete()  # as if the engine had granted nothing
    event_pk = recognition.event_id
    tiers_services.recognition_revoke(user=people["province"], recognition=recognition, reason=REASON)
    recognition.refresh_from_db()
    assert recognition.event_id is None and not ProgrammeEvent.objects.filter(pk=event_pk).exists()
    audit = AuditEvent.objects.get(action="programme_event_withdraw", target_id=str(event_pk))
    assert audit.summary.endswith(f"原因：认定（{recognition.certificate_no}）已撤销：{REASON}")
    assert services.entitlements_generate(user=people["province"], today=TODAY) == []


def test_a_failed_re_review_leaves_the_awards_its_term_earned(people, ready):
    """复核未通过 ends the title from then on; the award earned when it was granted is not withdrawn."""
    recognition = ready.recognition
    Recognition.objects.filter(pk=recognition.pk).update(start_date=TODAY.replace(year=2023),
                                                         expires_on=TODAY.replace(month=9))
    recognition.refresh_from_db()
    tiers_services.recognition_re_review(user=people["province"], recognition=recognition, passed=False,
                                         reason="研发投入不达标")
    ready.refresh_from_db()
    assert ready.status == S.PROVINCE_APPROVAL
    _budget(people)
    services.entitlement_approve(user=people["province"], entitlement=ready)


def test_the_recognition_page_tells_the_revoking_official_what_became_of_the_awards(people, ready, enterprise,
                                                                                      applicant):
    _budget(people)
    paid = _single_champion(people, enterprise)
    services.entitlement_confirm_account(user=applicant, entitlement=paid, account_name=enterprise.name,
                                         bank_name="徽商银行", account_no="6228480012345678")
    services.entitlement_city_check(user=people["city"], entitlement=paid, approve=True)
    services.entitlement_approve_and_pay(user=people["province"], entitlement=paid)
    client = logged_in(people["province"])
    page = client.get(f"/tiers/recognitions/{ready.recognition_id}/").content.decode()
    assert "尚未拨付的不予兑现，已拨付的标记为待追回" in page  # said before the button is pressed
    answer = client.post(f"/tiers/recognitions/{ready.recognition_id}/", {"action": "revoke", "reason": REASON},
                         follow=True).content.decode()
    assert "已撤销认定；1 项奖补资格已不予兑现。" in answer
    assert 'data-testid="revocation-outcome"><div>1 项奖补资格已不予兑现</div>' in answer
    answer = client.post(f"/tiers/recognitions/{paid.recognition_id}/", {"action": "revoke", "reason": REASON},
                         follow=True).content.decode()
    assert "已撤销认定；1 项已拨付待追回。" in answer
    # The refused award's own page says why, and offers no approval.
    page = client.get(f"/awards/entitlements/{ready.pk}/").content.decode()
    assert f"认定已撤销：{REASON}" in page and "审批同意" not in page
    assert 'data-testid="entitlement-recognition">工信部' in page and f"已撤销：{REASON}" in page
    # The city, whose award it is too, sees the refusal on the award; the recognition page's summary is the
    # province's.
    city_page = logged_in(people["city"]).get(f"/tiers/recognitions/{ready.recognition_id}/").content.decode()
    assert "revocation-outcome" not in city_page


def test_approving_a_refused_award_by_the_page_shows_the_reason(people, ready):
    _budget(people)
    _revoke(people, ready)
    client = logged_in(people["province"])
    answer = client.post(f"/awards/entitlements/{ready.pk}/approve/", follow=True).content.decode()
    assert f"撤销（{REASON}），不能审批" in answer
    ready.refresh_from_db()
    assert ready.status == S.REJECTED
