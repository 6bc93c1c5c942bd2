"""Entitlements from recognitions and programme events, through the policy engine, to the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction

from tests.factories import logged_in, make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.awards import services
from zjtx.awards.models import Budget, Entitlement, LedgerEntry
from zjtx.awards.tests.conftest import national_entitlement
from zjtx.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from zjtx.core.models import AuditEvent
from zjtx.policy.events import programme_event_announce, programme_event_record
from zjtx.tiers.tests.conftest import TODAY, through
from zjtx.tiers.workflow import IllegalTransitionError

pytestmark = pytest.mark.django_db
S = Entitlement.Status


def test_provincial_champion_recognition_creates_its_award_without_application(people, applicant, enterprise):
    application = through("recognized", people, applicant)
    entitlement = Entitlement.objects.get()
    assert entitlement.award == "provincial_champion" and entitlement.amount == Decimal("80")
    assert entitlement.funding_level == "省级" and entitlement.clause == "二(一)2"
    assert entitlement.no_application and entitlement.status == S.AWAITING_ACCOUNT
    assert entitlement.batch == application.batch and entitlement.once_key == "provincial_champion"
    assert "80万元" in entitlement.reason
    assert AuditEvent.objects.filter(action="awards.entitlement_create").count() == 1


def test_generation_is_idempotent(people, enterprise):
    national_entitlement(people, enterprise)
    assert services.entitlements_generate(user=people["province"], today=TODAY) == []
    assert Entitlement.objects.count() == 1
    with pytest.raises(PermissionDeniedError):
        services.entitlements_generate(user=people["city"])


def test_once_only_award_is_not_granted_again_for_a_second_event(people, enterprise):
    national_entitlement(people, enterprise)
    event = programme_event_record(user=people["province"], enterprise=enterprise, kind="relocated_little_giant",
                                   date=TODAY)
    programme_event_announce(user=people["province"], event=event)
    assert Entitlement.objects.count() == 1  # same once_key "little_giant": the engine says 已享受


def assess(user, enterprise, grade: str, day: dt.date) -> None:
    """A digital-transformation assessment of ``grade`` on ``day``, recorded and announced."""
    event = programme_event_record(user=user, enterprise=enterprise, kind="digital_assessment", date=day, grade=grade)
    programme_event_announce(user=user, event=event)


def assess_3a_then_4a(user, enterprise) -> None:
    """3A on 1 March, then the 4A upgrade on 1 May (which nets the 3A)."""
    assess(user, enterprise, "3A", dt.date(2026, 3, 1))
    assess(user, enterprise, "4A", dt.date(2026, 5, 1))


def test_grade_upgrade_pays_the_difference(people, enterprise):
    assess_3a_then_4a(people["province"], enterprise)
    amounts = dict(Entitlement.objects.values_list("award", "amount"))
    assert amounts == {"digital_assessment.3A": Decimal("50"), "digital_assessment.4A": Decimal("50")}
    labels = set(Entitlement.objects.values_list("award_label", flat=True))
    assert labels == {"数字化转型评估3A级一次性奖补", "数字化转型评估4A级一次性奖补"}
    assert Entitlement.objects.get(award="digital_assessment.4A").once_key == "digital_assessment.4A"


def test_a_grade_lists_only_the_parameters_it_used(people, enterprise):
    """A 3A award read no 4A or 5A amount; a 4A upgrade paying the difference read its own and the 3A's."""
    from django.test import Client
    from django.urls import reverse

    assess_3a_then_4a(people["province"], enterprise)
    used = dict(Entitlement.objects.values_list("award", "parameter_ids"))
    amount = "awards.digital_assessment.amount_{}".format
    assert used == {"digital_assessment.3A": f"awards.upgrade_policy,{amount('3a')}",
                    "digital_assessment.4A": f"awards.upgrade_policy,{amount('4a')},{amount('3a')}"}
    client = Client()
    client.force_login(people["province"])
    three_a = Entitlement.objects.get(award="digital_assessment.3A")
    page = client.get(reverse("awards:entitlement", args=[three_a.pk])).content.decode()
    shown = page.split('data-testid="parameters"')[1].split("</ul>")[0]
    assert amount("3a") in shown and amount("4a") not in shown and amount("5a") not in shown


def test_stored_grades_are_narrowed_to_the_parameters_they_used(people, enterprise):
    """Entitlements stored before the engine named each grade's own parameters are corrected by migration."""
    import importlib

    from django.apps import apps

    assess_3a_then_4a(people["province"], enterprise)
    every = ",".join(["awards.upgrade_policy", *(f"awards.digital_assessment.amount_{g}" for g in ("3a", "4a", "5a"))])
    expected = dict(Entitlement.objects.values_list("award", "parameter_ids"))
    Entitlement.objects.update(parameter_ids=every)
    importlib.import_module("zjtx.awards.migrations.0003_graded_parameters_used").narrow(apps, None)
    assert dict(Entitlement.objects.values_list("award", "parameter_ids")) == expected


def test_project_awards_need_an_application(people, enterprise, applicant):
    event = programme_event_record(user=people["province"], enterprise=enterprise, kind="four_transformations_project",
                                   date=TODAY, amount=Decimal("1200"))
    programme_event_announce(user=people["province"], event=event)
    entitlement = Entitlement.objects.get()
    assert entitlement.amount == Decimal("120") and not entitlement.no_application
    assert entitlement.status == S.AWAITING_APPLICATION
    entitlement = services.entitlement_confirm_account(user=applicant, entitlement=entitlement,
                                                       account_name=enterprise.name, bank_name="建设银行",
                                                       account_no="6217000012345678", note="项目已验收")
    assert entitlement.status == S.CITY_CHECK


def test_account_confirmation_checks_each_field(people, enterprise, applicant):
    entitlement = national_entitlement(people, enterprise)
    with pytest.raises(ApplicationError, match="收款户名必须与企业名称") as exc:
        services.entitlement_confirm_account(user=applicant, entitlement=entitlement, account_name="别的公司",
                                             bank_name="徽商银行", account_no="6228480012345678")
    assert exc.value.field == "account_name"
    with pytest.raises(ApplicationError, match="银行账号应为8到32位数字") as exc:
        services.entitlement_confirm_account(user=applicant, entitlement=entitlement, account_name=enterprise.name,
                                             bank_name="徽商银行", account_no="12ab")
    assert exc.value.field == "account_no"
    other = make_user(Role.ENTERPRISE, credit_code="91340100MA2N0000XX")
    with pytest.raises(NotFoundError):
        services.entitlement_confirm_account(user=other, entitlement=entitlement, account_name=enterprise.name,
                                             bank_name="徽商银行", account_no="6228480012345678")
    entitlement.refresh_from_db()
    assert entitlement.status == S.AWAITING_ACCOUNT and entitlement.account_no == ""


@pytest.mark.parametrize("typed", ["6228 4800 1234 5678", "6228-4800-1234-5678", "6228\u30004800\u00a01234 5678",
                                   " 6228－4800－1234－5678 "])
def test_account_number_printed_in_groups_is_stored_as_its_digits(people, enterprise, applicant, typed):
    entitlement = national_entitlement(people, enterprise)
    services.entitlement_confirm_account(user=applicant, entitlement=entitlement, account_name=enterprise.name,
                                         bank_name="徽商银行", account_no=typed)
    entitlement.refresh_from_db()
    assert entitlement.account_no == "6228480012345678" and entitlement.status == S.CITY_CHECK


def test_city_check_only_in_scope(people, enterprise, applicant):
    entitlement = national_entitlement(people, enterprise)
    with pytest.raises(IllegalTransitionError, match="当前状态为“待企业确认收款账户”"):
        services.entitlement_city_check(user=people["city"], entitlement=entitlement, approve=True)
    services.entitlement_confirm_account(user=applicant, entitlement=entitlement, account_name=enterprise.name,
                                         bank_name="徽商银行", account_no="6228480012345678")
    with pytest.raises(NotFoundError):
        services.entitlement_city_check(user=people["other_city"], entitlement=entitlement, approve=True)
    with pytest.raises(ApplicationError, match="请填写不通过的原因"):
        services.entitlement_city_check(user=people["city"], entitlement=entitlement, approve=False)


def test_approval_needs_a_budget_that_fits(people, ready):
    with pytest.raises(ApplicationError, match="尚未下达2026年省级奖补预算"):
        services.entitlement_approve(user=people["province"], entitlement=ready)
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="60")
    with pytest.raises(ApplicationError, match=r"超出预算：2026年省级预算（.*）剩余 60.00 万元，本笔 100.00 万元"):
        services.entitlement_approve(user=people["province"], entitlement=ready)
    ready.refresh_from_db()
    assert ready.status == S.PROVINCE_APPROVAL and ready.budget is None
    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="1000")
    approved = services.entitlement_approve(user=people["province"], entitlement=ready)
    assert approved.status == S.APPROVED
    budget.refresh_from_db()
    assert services.budget_figures(budget) == {"allocated": Decimal("1000"), "committed": Decimal("100"),
                                               "paid": Decimal("0"), "remaining": Decimal("900")}
    with pytest.raises(ApplicationError, match=r"下达额度不能低于已审批和已拨付合计 100\.00 万元"):
        services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="50")


def test_budget_input_is_checked(people):
    with pytest.raises(ApplicationError, match="下达额度应为数字") as exc:
        services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="一百")
    assert exc.value.field == "allocated"
    with pytest.raises(ApplicationError, match="下达额度应大于或等于0"):
        services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="-5")
    for text in ("1e3", "+5", "Infinity", "5."):  # plain decimal digits only
        with pytest.raises(ApplicationError, match=r"下达额度应为数字（万元），如 1234\.56"):
            services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated=text)
    with pytest.raises(ApplicationError, match="请选择所属市"):
        services.budget_set(user=people["province"], year=2026, funding_level="市级", allocated="5", city_code="999")
    with pytest.raises(PermissionDeniedError):
        services.budget_set(user=people["city"], year=2026, funding_level="省级", allocated="5")
    assert Budget.objects.count() == 0


def test_pay_once_then_refuse(people, ready):
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="1000")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    assert entry.kind == "payment" and entry.amount == Decimal("100") and entry.budget_year == 2026
    assert entry.budget_line == "省中小企业（民营经济）发展专项资金" and entry.funding_level == "省级"
    assert entry.clause == "二(一)2" and entry.account_no == "6228480012345678"
    assert services.budget_figures(budget)["paid"] == Decimal("100")
    assert services.budget_figures(budget)["committed"] == Decimal("0")
    with pytest.raises(IllegalTransitionError, match="当前状态为“已拨付”，不能省级审批"):
        services.entitlement_approve(user=people["province"], entitlement=ready)
    with pytest.raises(IllegalTransitionError):
        services.entitlement_pay(user=people["province"], entitlement=ready)
    assert LedgerEntry.objects.count() == 1


def test_database_refuses_a_second_payment_of_a_once_only_award(people, ready, enterprise):
    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="1000")
    first = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    # A second entitlement row for the same once-only award (e.g. typed in by hand) cannot be paid.
    twin = Entitlement.objects.create(
        enterprise=enterprise, event=ready.event, award="little_giant_relocated", award_label="迁入小巨人",
        once_key="little_giant", amount=Decimal("100"), funding_level="省级", city_code=enterprise.city_code,
        clause="二(一)2", parameter_ids="", reason="", no_application=True, status=S.APPROVED,
        account_name=enterprise.name, bank_name="徽商银行", account_no="6228480012345678", budget=first.budget)
    with pytest.raises(ApplicationError, match="已经拨付过，不能重复拨付"):
        services.entitlement_pay(user=people["province"], entitlement=twin)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(**{f.name: getattr(first, f.name) for f in LedgerEntry._meta.concrete_fields
                                      if f.name not in ("id", "entitlement")}, entitlement=twin)
    assert LedgerEntry.objects.count() == 1
    twin.refresh_from_db()
    assert twin.status == S.APPROVED


def test_ledger_rows_cannot_be_updated_or_deleted(people, ready):
    if connection.vendor != "postgresql":
        pytest.fail("the append-only ledger is a PostgreSQL trigger: run this test on PostgreSQL (DATABASE_URL)")
    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="1000")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))
    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.amount == Decimal("100")


def test_correction_is_a_reversing_entry_then_a_reissue(people, ready):
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="1000")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    with pytest.raises(ApplicationError, match="请填写冲销原因"):
        services.ledger_reverse(user=people["province"], entry=entry, reason=" ")
    with pytest.raises(PermissionDeniedError):
        services.ledger_reverse(user=people["city"], entry=entry, reason="错拨")
    reversal = services.ledger_reverse(user=people["province"], entry=entry, reason="收款账号有误")
    assert reversal.amount == Decimal("-100") and reversal.reverses == entry
    assert services.budget_figures(budget)["paid"] == Decimal("0")
    with pytest.raises(IllegalTransitionError):
        services.ledger_reverse(user=people["province"], entry=entry, reason="再次")
    reissue = services.ledger_reissue(user=people["province"], entitlement=ready, amount="100", reason="更正账号后重拨")
    assert reissue.kind == "reissue" and reissue.reissue_of == reversal
    assert services.budget_figures(budget)["paid"] == Decimal("100")
    assert [e.kind for e in LedgerEntry.objects.order_by("id")] == ["payment", "reversal", "reissue"]
    ready.refresh_from_db()
    assert ready.status == S.PAID


def test_a_reversed_award_keeps_its_money_until_it_is_reissued(people, ready, enterprise, applicant):
    """A reversal for 账号有误 returned the 100 to 剩余: another approval could take it and the reissue still owed
    to the enterprise was then refused as 超出预算."""
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="250")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    services.ledger_reverse(user=people["province"], entry=entry, reason="账号有误")
    assert services.budget_figures(budget) == {"allocated": Decimal("250"), "committed": Decimal("100"),
                                               "paid": Decimal("0"), "remaining": Decimal("150")}
    other = national_entitlement(people, make_enterprise(), "single_champion")  # 200: fits only in the money owed
    services.entitlement_confirm_account(user=make_user(Role.ENTERPRISE, credit_code=other.enterprise.credit_code),
                                         entitlement=other, account_name=other.enterprise.name, bank_name="徽商银行",
                                         account_no="6228480012345678")
    services.entitlement_city_check(user=people["city"], entitlement=other, approve=True)
    with pytest.raises(ApplicationError, match=r"超出预算：.*剩余 150\.00 万元，本笔 200\.00 万元"):
        services.entitlement_approve(user=people["province"], entitlement=other)
    with pytest.raises(ApplicationError, match=r"下达额度不能低于已审批和已拨付合计 100\.00 万元"):
        services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="99")
    services.ledger_reissue(user=people["province"], entitlement=ready, amount="60", reason="更正金额后重拨")
    assert services.budget_figures(budget) == {"allocated": Decimal("250"), "committed": Decimal("0"),
                                               "paid": Decimal("60"), "remaining": Decimal("190")}


def test_reissue_cannot_pay_more_than_the_entitlement(people, ready):
    budget = services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="5000")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    services.ledger_reverse(user=people["province"], entry=entry, reason="收款账号有误")
    with pytest.raises(ApplicationError, match=r"更正后金额不能超过奖补资格金额 100\.00 万元") as exc:
        services.ledger_reissue(user=people["province"], entitlement=ready, amount="2000", reason="更正账号")
    assert exc.value.field == "amount"
    ready.refresh_from_db()
    assert ready.status == S.REVERSED and services.budget_figures(budget)["paid"] == Decimal("0")
    assert LedgerEntry.objects.count() == 2
    reissue = services.ledger_reissue(user=people["province"], entitlement=ready, amount="80", reason="核减后重拨")
    assert reissue.amount == Decimal("80")


def test_a_refused_grade_is_no_prior_grant_of_an_upgrade(people, enterprise, applicant):
    assess(people["province"], enterprise, "3A", dt.date(2026, 3, 1))
    refused = Entitlement.objects.get(award="digital_assessment.3A")
    services.entitlement_confirm_account(user=applicant, entitlement=refused, account_name=enterprise.name,
                                         bank_name="徽商银行", account_no="6228480012345678")
    services.entitlement_city_check(user=people["city"], entitlement=refused, approve=False, reason="材料不实")
    assess(people["province"], enterprise, "4A", dt.date(2026, 4, 1))
    assess(people["province"], enterprise, "5A", dt.date(2026, 5, 1))
    amounts = dict(Entitlement.objects.values_list("award", "amount"))
    assert amounts == {"digital_assessment.3A": Decimal("50"), "digital_assessment.4A": Decimal("100"),
                       "digital_assessment.5A": Decimal("50")}  # 5A tops up to 150 in all
    assert "50万元" not in Entitlement.objects.get(award="digital_assessment.4A").reason
    # The refusal stands: generating again recreates nothing for the refused event.
    assert services.entitlements_generate(user=people["province"], today=TODAY) == []
    assert Entitlement.objects.get(award="digital_assessment.3A").status == S.REJECTED


@pytest.mark.parametrize("who", ["city", "province"])
def test_an_upgrade_waiting_is_paid_in_full_when_the_grade_it_netted_is_refused(people, enterprise, applicant, who):
    """3A then 4A: the 4A nets the 3A (50万). Refusing the 3A afterwards left the 4A at 50万 — the enterprise
    got 50万 for a 4A worth 100万. The waiting 4A is measured again without the refused grade."""
    assess_3a_then_4a(people["province"], enterprise)
    three_a = Entitlement.objects.get(award="digital_assessment.3A")
    services.entitlement_confirm_account(user=applicant, entitlement=three_a, account_name=enterprise.name,
                                         bank_name="徽商银行", account_no="6228480012345678")
    if who == "city":
        services.entitlement_city_check(user=people["city"], entitlement=three_a, approve=False, reason="评估报告无效")
    else:
        services.entitlement_city_check(user=people["city"], entitlement=three_a, approve=True)
        services.entitlement_reject(user=people["province"], entitlement=three_a, reason="评估报告无效")
    four_a = Entitlement.objects.get(award="digital_assessment.4A")
    assert four_a.amount == Decimal("100") and four_a.status == S.AWAITING_ACCOUNT
    assert "升至" not in four_a.reason and "100万元" in four_a.reason
    assert four_a.parameter_ids == "awards.upgrade_policy,awards.digital_assessment.amount_4a"
    record = AuditEvent.objects.get(action="awards.remeasure", target_id=str(four_a.pk))
    assert "50.00 → 100.00 万元" in record.summary


@pytest.mark.parametrize("settled", ["approved", "paid"])
def test_an_upgrade_settled_short_is_marked_for_the_province_when_its_netted_grade_is_refused(
        people, enterprise, applicant, settled):
    """3A then 4A: the 4A, netted to 50万, was approved (or paid); then the 3A was refused. The 4A stayed at 50万
    with nothing to say it is 50万 short of a 4A: it is marked, and the province gets a to-do to decide a top-up."""
    from django.test import Client
    from django.urls import reverse

    province = people["province"]
    services.budget_set(user=province, year=2026, funding_level="省级", allocated="500")
    grades = {}
    for grade, day in (("3A", dt.date(2026, 3, 1)), ("4A", dt.date(2026, 5, 1))):
        assess(province, enterprise, grade, day)
        grades[grade] = Entitlement.objects.get(award=f"digital_assessment.{grade}")
        services.entitlement_confirm_account(user=applicant, entitlement=grades[grade], account_name=enterprise.name,
                                             bank_name="徽商银行", account_no="6228480012345678")
        services.entitlement_city_check(user=people["city"], entitlement=grades[grade], approve=True)
    settle = services.entitlement_approve if settled == "approved" else services.entitlement_approve_and_pay
    settle(user=province, entitlement=grades["4A"])
    lines = list(LedgerEntry.objects.values_list("pk", "amount"))
    services.entitlement_reject(user=province, entitlement=grades["3A"], reason="评估报告无效")

    four_a = Entitlement.objects.get(pk=grades["4A"].pk)
    assert four_a.amount == Decimal("50") and four_a.status == settled  # the decided amount stands
    assert list(LedgerEntry.objects.values_list("pk", "amount")) == lines
    assert "应为 100.00 万元" in four_a.topup_note and "差额 50.00 万元待省级决定是否补拨" in four_a.topup_note
    record = AuditEvent.objects.get(action="awards.topup_flag", target_id=str(four_a.pk))
    assert record.after == {"topup_note": four_a.topup_note}
    api = {e["id"]: e for e in logged_in(province).get("/api/v1/awards/entitlements").json()}
    assert api[four_a.pk]["topup_note"] == four_a.topup_note and api[grades["3A"].pk]["topup_note"] == ""
    client = Client()
    client.force_login(province)
    home = client.get("/").content.decode()
    assert "升级奖补所抵扣的等级已不予兑现，待决定是否补差</a> <strong class=\"count\">1</strong>" in home
    listed = client.get(reverse("awards:entitlements") + "?status=topup").content.decode()
    assert "共 1 项" in listed and 'data-testid="topup-mark"' in listed
    page = client.get(reverse("awards:entitlement", args=[four_a.pk])).content.decode()
    assert "差额 50.00 万元待省级决定是否补拨" in page and 'data-testid="topup-form"' in page
    assert "待决定是否补差" not in _home_of(people["city"])

    decide = reverse("awards:entitlement_act", args=[four_a.pk, "topup_decide"])
    assert "请填写补差决定" in client.post(decide, {"decision": " "}, follow=True).content.decode()
    city = Client()
    city.force_login(people["city"])
    refused = city.post(decide, {"decision": "不予补差"}, follow=True).content.decode()
    assert "只有省级管理员可以决定升级奖补补差" in refused
    assert Entitlement.objects.get(pk=four_a.pk).topup_note == four_a.topup_note
    client.post(decide, {"decision": "另行补拨 50 万元"})
    assert Entitlement.objects.get(pk=four_a.pk).topup_note == ""
    decided = AuditEvent.objects.get(action="awards.topup_decided", target_id=str(four_a.pk))
    assert decided.before == {"topup_note": four_a.topup_note} and "另行补拨 50 万元" in decided.summary
    assert "待决定是否补差" not in client.get("/").content.decode()


def _home_of(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def test_account_corrected_after_a_reversal_receives_the_reissue(people, ready, enterprise, applicant):
    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="1000")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    correct = {"account_name": enterprise.name, "bank_name": "建设银行合肥分行", "account_no": "6217000099998888",
               "note": "原账号已销户"}
    with pytest.raises(IllegalTransitionError):  # only a reversed entitlement's account is corrected
        services.entitlement_correct_account(user=applicant, entitlement=ready, **correct)
    services.ledger_reverse(user=people["province"], entry=entry, reason="账号有误")
    with pytest.raises(ApplicationError, match="请填写更正原因") as exc:
        services.entitlement_correct_account(user=applicant, entitlement=ready, **{**correct, "note": ""})
    assert exc.value.field == "note"
    with pytest.raises(PermissionDeniedError):
        services.entitlement_correct_account(user=people["city"], entitlement=ready, **correct)
    services.entitlement_correct_account(user=applicant, entitlement=ready, **correct)
    ready.refresh_from_db()
    assert ready.status == S.REVERSED and ready.account_no == "6217000099998888"
    audit = AuditEvent.objects.get(action="awards.correct_account")
    assert audit.before == {"bank_name": "徽商银行合肥分行", "account_tail": "5678"} and "原账号已销户" in audit.summary
    services.entitlement_correct_account(user=people["province"], entitlement=ready,
                                         **{**correct, "bank_name": "建设银行合肥蜀山支行"})
    reissue = services.ledger_reissue(user=people["province"], entitlement=ready, amount="100", reason="更正账号后重拨")
    assert (reissue.bank_name, reissue.account_no) == ("建设银行合肥蜀山支行", "6217000099998888")
    assert LedgerEntry.objects.get(pk=entry.pk).account_no == "6228480012345678"  # the original line stays
