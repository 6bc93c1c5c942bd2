"""Never twice, under load: 50 simultaneous approvals in real PostgreSQL transactions pay exactly once; 50
simultaneous reversals and reissues of one payment correct it once."""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from tests import concurrency
from zjtx.awards import services
from zjtx.awards.models import Entitlement, LedgerEntry
from zjtx.awards.tests.conftest import national_entitlement, plan_with_city_award
from zjtx.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 50


run_together = partial(concurrency.run_together, success="paid")


def test_fifty_concurrent_approvals_of_one_entitlement_pay_once(people, ready):
    concurrency.require_postgres()
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="1000")
    province = people["province"]

    def approve_and_pay() -> None:
        services.entitlement_approve_and_pay(user=province, entitlement=Entitlement(pk=ready.pk))

    outcomes = run_together([approve_and_pay] * WORKERS)
    assert outcomes == Counter({"paid": 1, "illegal_transition": WORKERS - 1})
    assert LedgerEntry.objects.filter(entitlement_id=ready.pk).count() == 1
    assert AuditEvent.objects.filter(action="awards.pay").count() == 1
    budget.refresh_from_db()
    assert services.budget_figures(budget)["paid"] == Decimal("100")
    assert Entitlement.objects.get(pk=ready.pk).status == Entitlement.Status.PAID


def test_the_unique_constraint_holds_when_the_row_locks_do_not_help(people, ready, enterprise):
    """50 different entitlement rows for the same once-only award: each payment locks only its own row,
    so only the database's unique constraint stands between them and 50 payments."""
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="100000")
    services.entitlement_approve(user=people["province"], entitlement=ready)
    template = Entitlement.objects.get(pk=ready.pk)
    twins = Entitlement.objects.bulk_create([
        Entitlement(enterprise=enterprise, event=template.event, award=f"little_giant.copy{i}", award_label="复制",
                    once_key="little_giant", amount=Decimal("100"), funding_level="省级",
                    city_code=enterprise.city_code, clause="二(一)2", parameter_ids="", reason="",
                    no_application=True, status=Entitlement.Status.APPROVED, account_name=enterprise.name,
                    bank_name="徽商银行", account_no="6228480012345678", budget=budget)
        for i in range(WORKERS - 1)])
    province = people["province"]
    jobs = [lambda pk=e.pk: services.entitlement_pay(user=province, entitlement=Entitlement(pk=pk))
            for e in [template, *twins]]
    outcomes = run_together(jobs)
    assert outcomes == Counter({"paid": 1, "already_paid": WORKERS - 1})
    assert LedgerEntry.objects.filter(enterprise=enterprise, once_key="little_giant").count() == 1


def test_fifty_concurrent_reversals_and_reissues_reverse_once_and_reissue_once(people, ready):
    """Never twice covers corrections too: the same payment reversed, and the reversal reissued, by 50 at once
    leaves one reversal and one reissue, and the entitlement's net is its amount, not 50 times it."""
    concurrency.require_postgres()
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="100000")
    province = people["province"]
    payment = services.entitlement_approve_and_pay(user=province, entitlement=ready)

    def reverse() -> None:
        services.ledger_reverse(user=province, entry=LedgerEntry(pk=payment.pk, entitlement_id=ready.pk),
                                reason="账号有误")

    def reissue() -> None:
        services.ledger_reissue(user=province, entitlement=Entitlement(pk=ready.pk), amount="100", reason="更正重拨")

    assert run_together([reverse] * WORKERS) == Counter({"paid": 1, "illegal_transition": WORKERS - 1})
    assert run_together([reissue] * WORKERS) == Counter({"paid": 1, "illegal_transition": WORKERS - 1})
    kinds = Counter(LedgerEntry.objects.filter(entitlement_id=ready.pk).values_list("kind", flat=True))
    assert kinds == Counter({"payment": 1, "reversal": 1, "reissue": 1})
    assert AuditEvent.objects.filter(action="awards.reissue").count() == 1
    assert services.budget_figures(budget)["paid"] == Decimal("100")
    # Without the row lock, the database still holds: one reissue per reversal.
    reissue_row = LedgerEntry.objects.get(kind="reissue")
    with pytest.raises(IntegrityError), transaction.atomic():
        fields = [f.attname for f in LedgerEntry._meta.concrete_fields if f.attname not in ("id", "created_at")]
        LedgerEntry.objects.create(**{name: getattr(reissue_row, name) for name in fields})


def graded_awards(people: dict[str, Any], grades: tuple[str, ...]) -> dict[str, int]:
    """A new enterprise's 数字化转型评估 grades (3A in March, 4A in April, 5A in May of 2026), each award
    waiting for the city with the account confirmed: grade → entitlement id."""
    import datetime as dt

    from tests.factories import make_enterprise, make_user
    from zjtx.accounts.roles import Role
    from zjtx.policy.events import programme_event_announce, programme_event_record

    enterprise = make_enterprise()
    owner = make_user(Role.ENTERPRISE, credit_code=enterprise.credit_code)
    pks = {}
    for grade in grades:
        event = programme_event_record(user=people["province"], enterprise=enterprise, kind="digital_assessment",
                                       date=dt.date(2026, int(grade[0]), 1), grade=grade)
        programme_event_announce(user=people["province"], event=event)
        entitlement = Entitlement.objects.get(event=event)
        services.entitlement_confirm_account(user=owner, entitlement=entitlement, account_name=enterprise.name,
                                             bank_name="徽商银行", account_no="6228480012345678")
        pks[grade] = entitlement.pk
    return pks


def test_refusing_two_grades_of_one_enterprise_at_once_measures_the_last_grade_in_full(people):
    """3A, 4A and 5A wait; the city refuses the 3A and the 4A at the same moment, for several enterprises.
    The refusals wait for each other (no deadlock, no measuring from a stale prior): the 5A pays in full."""
    concurrency.require_postgres()
    refused, top = [], []
    for _ in range(WORKERS // 5):
        pks = graded_awards(people, ("3A", "4A", "5A"))
        refused += [pks["3A"], pks["4A"]]
        top.append(pks["5A"])
    city = people["city"]
    jobs = [lambda pk=pk: services.entitlement_city_check(user=city, entitlement=Entitlement(pk=pk), approve=False,
                                                          reason="评估报告无效")
            for pk in refused]
    assert run_together(jobs) == Counter({"paid": len(jobs)})
    assert {e.amount for e in Entitlement.objects.filter(pk__in=top)} == {Decimal("150")}


def test_refusing_a_grade_while_its_upgrade_is_approved_neither_deadlocks_nor_loses_the_budget(people):
    """The city refuses a 3A while the province approves the 4A that netted it: whichever goes first, both
    finish (no deadlock) and the budget commits the 4A's amount as it stands (50 if approved first, else 100)."""
    concurrency.require_postgres()
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="100000")
    jobs, upgrades = [], []
    for _ in range(WORKERS // 5):
        pks = graded_awards(people, ("3A", "4A"))
        services.entitlement_city_check(user=people["city"], entitlement=Entitlement(pk=pks["4A"]), approve=True)
        upgrades.append(pks["4A"])
        jobs += [lambda pk=pks["3A"]: services.entitlement_city_check(
                     user=people["city"], entitlement=Entitlement(pk=pk), approve=False, reason="评估报告无效"),
                 lambda pk=pks["4A"]: services.entitlement_approve(user=people["province"],
                                                                   entitlement=Entitlement(pk=pk))]
    assert run_together(jobs) == Counter({"paid": len(jobs)})
    approved = Entitlement.objects.filter(pk__in=upgrades)
    assert {e.status for e in approved} == {Entitlement.Status.APPROVED}
    assert {e.amount for e in approved} <= {Decimal("50"), Decimal("100")}
    assert services.budget_figures(budget)["committed"] == sum(e.amount for e in approved)


def test_a_revocation_racing_payments_never_leaves_a_payment_unflagged(people, ready):
    """撤销认定 and payments of its approved award at once: either the payment comes first and is flagged 待追回,
    or the revocation does and every payment is refused; no deadlock, and never a payment nobody is told of."""
    concurrency.require_postgres()
    from zjtx.tiers import services as tiers_services
    from zjtx.tiers.models import Recognition

    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="1000")
    services.entitlement_approve(user=people["province"], entitlement=ready)
    province = people["province"]

    def pay() -> None:
        services.entitlement_pay(user=province, entitlement=Entitlement(pk=ready.pk))

    def revoke() -> None:
        tiers_services.recognition_revoke(user=province, recognition=Recognition(pk=ready.recognition_id),
                                          reason="提供虚假材料")

    payers = 9
    outcomes = run_together([revoke] + [pay] * payers)
    assert sum(outcomes.values()) == payers + 1  # every job ended with an answer (no deadlock, no crash)
    stored = Entitlement.objects.get(pk=ready.pk)
    assert Recognition.objects.get(pk=ready.recognition_id).status == Recognition.Status.REVOKED
    if LedgerEntry.objects.filter(entitlement_id=ready.pk).exists():
        assert stored.status == Entitlement.Status.PAID and "待追回" in stored.recovery_note
        assert outcomes["paid"] == 2  # the revocation and one payment
    else:
        assert stored.status == Entitlement.Status.REJECTED
        assert outcomes == Counter({"paid": 1, "recognition_revoked": payers})


def _live_awards_of(events: list[int]) -> list[str]:
    """The awards of these events still owed (not 不予兑现)."""
    return list(Entitlement.objects.filter(event_id__in=events).exclude(status=Entitlement.Status.REJECTED)
                .values_list("award", flat=True))


def test_generation_that_read_a_recognition_before_its_revocation_grants_nothing_from_it(people, ready,
                                                                                         monkeypatch):
    """生成奖补资格 reads the events and which recognitions are revoked; a 撤销认定 commits before it writes. The
    award it would grant on the revoked recognition (a city's 配套奖补 added to the plan) must not be left owed:
    either generation reads again after the revocation, or the revocation refuses what generation wrote."""
    concurrency.require_postgres()
    from zjtx.tiers import services as tiers_services
    from zjtx.tiers.models import Recognition
    from zjtx.tiers.tests.conftest import qualifying_enterprise

    in_force = national_entitlement(people, qualifying_enterprise())
    plan = plan_with_city_award()  # added after the recognitions were recorded
    monkeypatch.setattr(services, "parameter_set", lambda: plan)
    province, read, revoked = people["province"], threading.Event(), threading.Event()
    real_evaluable = services._evaluable

    def evaluable_then_let_the_revocation_commit(events: list[Any]) -> list[Any]:
        found = real_evaluable(events)
        if not read.is_set():  # generation's read: the revocation may now run to its commit (if it can)
            read.set()
            revoked.wait(timeout=3)
        return found

    monkeypatch.setattr(services, "_evaluable", evaluable_then_let_the_revocation_commit)

    def generate() -> None:
        services.entitlements_generate(user=province)

    def revoke() -> None:
        read.wait(timeout=30)
        tiers_services.recognition_revoke(user=province, recognition=Recognition(pk=ready.recognition_id),
                                          reason="提供虚假材料")
        revoked.set()

    assert run_together([generate, revoke]) == Counter({"paid": 2})
    assert Recognition.objects.get(pk=ready.recognition_id).status == Recognition.Status.REVOKED
    assert _live_awards_of([ready.event_id]) == []
    # The run did grant the city's award where the recognition stands (so the test could fail).
    assert sorted(_live_awards_of([in_force.event_id])) == ["city.340100.little_giant", "little_giant"]


def test_generation_racing_revocations_neither_deadlocks_nor_grants_from_a_revoked_recognition(people,
                                                                                              monkeypatch):
    """生成奖补资格 over the province while several of its recognitions are revoked at the same moment: every
    job finishes (no deadlock: generation locks the enterprises and its new awards point at recognitions the
    revocations hold), and no award of a revoked recognition is left owed."""
    concurrency.require_postgres()
    from zjtx.tiers import services as tiers_services
    from zjtx.tiers.models import Recognition
    from zjtx.tiers.tests.conftest import qualifying_enterprise

    titles = [national_entitlement(people, qualifying_enterprise()) for _ in range(10)]
    plan = plan_with_city_award()  # added after the recognitions were recorded
    monkeypatch.setattr(services, "parameter_set", lambda: plan)
    province = people["province"]
    jobs = [lambda: services.entitlements_generate(user=province)]
    jobs += [lambda pk=e.recognition_id: tiers_services.recognition_revoke(
        user=province, recognition=Recognition(pk=pk), reason="提供虚假材料") for e in titles]
    assert run_together(jobs) == Counter({"paid": len(jobs)})
    assert set(Recognition.objects.filter(pk__in=[e.recognition_id for e in titles])
               .values_list("status", flat=True)) == {Recognition.Status.REVOKED}
    assert _live_awards_of([e.event_id for e in titles]) == []
