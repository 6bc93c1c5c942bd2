"""Every write of the awards module: entitlements from the policy engine, budgets, approvals, the ledger.

Never twice: `entitlement_pay` locks the entitlement row, checks it is 已审批待拨付, and inserts one ledger
row that two unique constraints guard (one payment per entitlement; one payment per once-only award and
enterprise). Approval locks the budget row, so two approvals cannot both fit into the last of a budget.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from zjtx.accounts.models import User
from zjtx.awards import access, workflow
from zjtx.awards.models import CLOSED_REASON, Budget, Entitlement, FundingLevel, LedgerEntry
from zjtx.core import regions
from zjtx.core.audit import audit_bulk, audit_record
from zjtx.core.errors import ApplicationError
from zjtx.core.templatetags.money import wan
from zjtx.core.text import clean_text
from zjtx.enterprises.models import Enterprise
from zjtx.policy import frames
from zjtx.policy.engine import ParameterSet, evaluate
from zjtx.policy.engine import awards as engine_awards
from zjtx.policy.engine import reasons as engine_reasons
from zjtx.policy.engine.awards import DIGITAL_PREFIX
from zjtx.policy.engine.schema import EVENT_COLUMNS, MONEY_SCALE, PRIOR_COLUMNS, empty_frame
from zjtx.policy.io import records_frame
from zjtx.policy.models import ProgrammeEvent
from zjtx.policy.services import parameter_set
from zjtx.tiers import clock
from zjtx.tiers.models import Recognition
from zjtx.tiers.params import value as parameter_value

S = Entitlement.Status
# Entitlements that are no grant: a refused award is not a prior grant of once-only awards and upgrades.
NOT_GRANTED = (S.REJECTED,)
# Not yet approved: the amount is not committed and may still be measured again.
UNAPPROVED = (S.AWAITING_ACCOUNT, S.AWAITING_APPLICATION, S.CITY_CHECK, S.PROVINCE_APPROVAL)
SIX_PLACES = Decimal("0.000001")
ACCOUNT_NO = re.compile(r"^[0-9]{8,32}$")
# Bank cards and account slips print the number in groups ("6228 4800 1234 5678", "1302-0100-…").
ACCOUNT_NO_SEPARATORS = re.compile(r"[\s\-－‐–—]")
DEFAULT_LINES = {FundingLevel.PROVINCE: "省中小企业（民营经济）发展专项资金",
                 FundingLevel.CITY: "市级中小企业发展专项资金"}


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


def _audit(user: Any, action: str, obj: Any, enterprise: Enterprise | None, summary: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    audit_record(actor=user, action=f"awards.{action}", target_type=type(obj).__name__.lower(),
                 target_id=str(obj.pk), enterprise_code=enterprise.credit_code if enterprise else "",
                 summary=summary, before=before, after=after)


MONEY_TEXT = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")  # plain decimal digits: no 1e3, no "NaN", no "+5"


def _money(value: Any, field: str, label: str, *, allow_zero: bool = True) -> Decimal:
    text = str(value).strip().replace(",", "")
    if not isinstance(value, Decimal) and not MONEY_TEXT.match(text):
        raise ApplicationError(f"{label}应为数字（万元），如 1234.56", field=field)
    try:
        amount = Decimal(text)
    except (InvalidOperation, AttributeError):
        raise ApplicationError(f"{label}应为数字（万元）", field=field) from None
    if not amount.is_finite():
        raise ApplicationError(f"{label}应为数字（万元）", field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ApplicationError(f"{label}应大于{'或等于' if allow_zero else ''}0", field=field)
    if amount != amount.quantize(SIX_PLACES):
        raise ApplicationError(f"{label}最多保留6位小数（万元）", field=field)
    if amount >= Decimal("10000000000"):
        raise ApplicationError(f"{label}过大", field=field)
    return amount.quantize(SIX_PLACES)


# ---------------------------------------------------------------- budgets

def city_label(code: str) -> str:
    return regions.city_name(code) if regions.is_city(code) else (code or "—")


def _budget_label(budget: Budget) -> str:
    """2026年合肥市市级预算（市级中小企业发展专项资金）: a city's budget is named by its city, one of 16."""
    city = regions.city_name(budget.city_code) if budget.city_code else ""
    return f"{budget.year}年{city}{budget.funding_level}预算（{budget.line}）"


# Owed from a budget and not paid: approved, or reversed and waiting for its reissue (a reversal for 账号有误
# returns the money to the budget, but the award is still owed; the reissue needs it).
OWED = (S.APPROVED, S.REVERSED)


def budget_figures(budget: Budget) -> dict[str, Decimal]:
    """allocated, committed (approved or reversed, not yet (re)paid), paid (ledger net), remaining."""
    committed = budget.entitlements.filter(status__in=OWED).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    paid = budget.ledger_entries.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    return figures_of(budget, committed, paid)


def figures_of(budget: Budget, committed: Decimal, paid: Decimal) -> dict[str, Decimal]:
    """A budget's figures from its committed and paid sums: what remains is what neither has used."""
    return {"allocated": budget.allocated, "committed": committed, "paid": paid,
            "remaining": budget.allocated - committed - paid}


def budget_set(*, user: User, year: int, funding_level: str, allocated: Any, city_code: str = "",
               line: str = "") -> Budget:
    """Set (or change) the money allocated to a year and funding level; never below what is already used."""
    access.require_province(user, "下达预算")
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError("预算年度应为四位年份", field="year")
    if funding_level not in FundingLevel.values:
        raise ApplicationError("资金层级应为省级或市级", field="funding_level")
    city_code = (city_code or "").strip()
    if funding_level == FundingLevel.CITY and not regions.is_city(city_code):
        raise ApplicationError("市级资金请选择所属市（16个设区市之一）", field="city_code")
    if funding_level == FundingLevel.PROVINCE and city_code:
        # Dropping the city would set the province's own budget to the amount meant for one city.
        raise ApplicationError(f"省级资金不分市。为{city_label(city_code)}下达请把资金层级选为市级，"
                               "下达省级资金请不选所属市", field="city_code")
    amount = _money(allocated, "allocated", "下达额度")
    line = (clean_text(line, "line", "预算科目", required=False, max_length=100)
            or DEFAULT_LINES[FundingLevel(funding_level)])
    with transaction.atomic():
        budget = Budget.objects.select_for_update().filter(year=year, funding_level=funding_level,
                                                            city_code=city_code).first()
        before = None
        if budget is not None:
            figures = budget_figures(budget)
            used = figures["committed"] + figures["paid"]
            if amount < used:
                raise ApplicationError(f"下达额度不能低于已审批和已拨付合计 {wan(used)} 万元",
                                       field="allocated")
            before = {"allocated": budget.allocated, "line": budget.line}
            budget.allocated, budget.line, budget.updated_by = amount, line, user
            budget.save(update_fields=["allocated", "line", "updated_by", "updated_at"])
        else:
            budget = Budget.objects.create(year=year, funding_level=funding_level, city_code=city_code, line=line,
                                           allocated=amount, updated_by=user)
        _audit(user, "budget_set", budget, None,
               f"{_budget_label(budget)}下达额度 {wan(amount)} 万元", before,
               {"allocated": amount, "line": line})
    return budget


# ---------------------------------------------------------------- entitlements from the engine

def _no_application(award: str, listed: Sequence[str]) -> bool:
    return any(award == item or award.startswith(f"{item}.") for item in listed)


def _ledger_once_key(row: dict[str, Any]) -> str | None:
    """Graded awards (3A/4A/5A) pay each grade at most once (upgrades pay the difference); others use the
    engine's once_key."""
    if row["method"] == "graded":
        return str(row["award"])
    return str(row["once_key"]) if row["once_key"] else None


def entitlements_generate(*, user: User, codes: Sequence[str] | None = None,
                          today: dt.date | None = None) -> list[Entitlement]:
    """The province's 生成奖补资格 over all (or the given) enterprises' programme events."""
    access.require_province(user, "生成奖补资格")
    return entitlements_for_events(actor=user, codes=codes, today=today)


def entitlements_for_events(*, actor: Any, codes: Sequence[str] | None = None,
                            today: dt.date | None = None) -> list[Entitlement]:
    """Evaluate the programme events (up to today) with the policy engine and create every new entitlement
    it grants. Existing entitlements not refused are the engine's prior grants, so once-only awards and
    upgrades (awards.upgrade_policy) are decided by the engine. Running it again creates nothing new."""
    today = _today(today)
    events_qs = ProgrammeEvent.objects.filter(date__lte=today).select_related("enterprise").order_by("date", "id")
    if codes is not None:
        events_qs = events_qs.filter(enterprise__credit_code__in=list(codes))
    p = parameter_set()
    listed = [str(a) for a in parameter_value(p, "awards.no_application.awards", today)]
    with transaction.atomic():
        locked = _locked_enterprises(events_qs)
        # Read the events, and which recognitions are revoked, only now: a revocation locks the enterprise
        # before it commits, so it has either committed (its recognition reads revoked, its event may be gone)
        # or waits for this run and then refuses what it creates. Read before the lock, they granted from it.
        events = _evaluable([e for e in events_qs if e.enterprise_id in locked])
        if not events:
            return []
        enterprise_codes = sorted({e.enterprise.credit_code for e in events})
        result = _evaluate(enterprise_codes, events, today, p)
        # Read what the rows need once and write them in bulk: a province's first generation creates hundreds
        # of thousands of entitlements, and a few statements for each took an hour.
        existing = set(Entitlement.objects.filter(event__in=events).values_list("event_id", "award"))
        recognitions = _recognitions_of(events)
        created = []
        for row in _granted(result):
            event = events[int(row["event_no"])]
            if (event.pk, row["award"]) in existing:
                continue
            existing.add((event.pk, row["award"]))
            created.append(_new_entitlement(event, row, listed, recognitions.get(event.pk)))
        Entitlement.objects.bulk_create(created, batch_size=2000)
        audit_bulk((_created_record(x) for x in created), actor=actor)
    return created


def _locked_enterprises(events: QuerySet[ProgrammeEvent]) -> set[int]:
    """Lock the enterprises that have these events (in pk order, as every writer does), so two generations
    cannot both create the same entitlement and a revocation waits for (or is waited for by) generation."""
    locked = Enterprise.objects.select_for_update().filter(pk__in=events.values("enterprise_id")).order_by("pk")
    return set(locked.values_list("pk", flat=True))


def _recognitions_of(events: list[ProgrammeEvent]) -> dict[int, Recognition]:
    """event id → the recognition recorded with it (the first, should there be more)."""
    found = Recognition.objects.filter(event__in=events).select_related("batch").order_by("-pk")
    return {r.event_id: r for r in found if r.event_id is not None}


def _evaluable(events: list[ProgrammeEvent]) -> list[ProgrammeEvent]:
    """The events the engine grants from: not those whose every entitlement was refused, nor those of a
    revoked recognition (kept only as the record that explains what was already paid from them)."""
    revoked = {r.event_id for r in Recognition.objects.filter(event__in=events, status=Recognition.Status.REVOKED)
               if r.revoked_for_cause()}
    return [e for e in _without_refused(events) if e.pk not in revoked]


def _without_refused(events: list[ProgrammeEvent]) -> list[ProgrammeEvent]:
    """Leave out the events whose every entitlement was refused (不予兑现). The engine nets an upgrade
    against the grades of earlier events, and a refused grade paid nothing: a later 4A must pay in full.
    The refused entitlement is not created again for its event (the refusal stands); a new event is
    evaluated afresh."""
    with_entitlements = Entitlement.objects.filter(event__in=events)
    refused = set(with_entitlements.filter(status__in=NOT_GRANTED).values_list("event_id", flat=True))
    live = set(with_entitlements.exclude(status__in=NOT_GRANTED).values_list("event_id", flat=True))
    return [e for e in events if e.pk not in refused - live]


def _granted(result: Any) -> list[dict[str, Any]]:
    return (result.awards_raw.filter(pl.col("status") == engine_awards.GRANTED)
            .with_columns(engine_reasons.award_reason().alias("reason")).to_dicts())


def _evaluate(codes: list[str], events: list[ProgrammeEvent], today: dt.date, p: ParameterSet,
              measured_again: Sequence[int] = ()) -> Any:
    """The engine over the events, with the enterprises' entitlements (not refused, and not those being
    ``measured_again``) as prior grants."""
    ents, inds, _ = frames.registry_frames(codes)
    event_rows = [{"credit_code": e.enterprise.credit_code, "kind": e.kind, "date": e.date, "grade": e.grade or None,
                   "amount": float(e.amount) if e.amount is not None else None, "rank": e.rank} for e in events]
    prior_rows = [{"credit_code": code, "award": award} for code, award in
                  Entitlement.objects.filter(enterprise__credit_code__in=codes).exclude(status__in=NOT_GRANTED)
                  .exclude(pk__in=measured_again).values_list("enterprise__credit_code", "award")]
    prior = records_frame(prior_rows, PRIOR_COLUMNS) if prior_rows else empty_frame(PRIOR_COLUMNS)
    return evaluate(ents, inds, records_frame(event_rows, EVENT_COLUMNS), today, p, prior)


def _wan(row: dict[str, Any]) -> Decimal:
    return (Decimal(int(row["amount"])) / MONEY_SCALE).quantize(SIX_PLACES)


def _new_entitlement(event: ProgrammeEvent, row: dict[str, Any], listed: list[str],
                     recognition: Recognition | None) -> Entitlement:
    """The entitlement the engine's granted row stands for, not saved yet."""
    amount = _wan(row)
    no_application = _no_application(str(row["award"]), listed)
    return Entitlement(
        enterprise=event.enterprise, event=event, recognition=recognition,
        batch=recognition.batch if recognition else None, award=row["award"], award_label=row["label"][:120],
        once_key=_ledger_once_key(row), amount=amount, funding_level=row["funding_level"],
        city_code=event.enterprise.city_code, clause=row["clause"] or "", parameter_ids=(row["params"] or "")[:300],
        reason=(row["reason"] or "")[:300], no_application=no_application,
        status=S.AWAITING_ACCOUNT if no_application else S.AWAITING_APPLICATION)


def _created_record(x: Entitlement) -> dict[str, Any]:
    """The audit record of a generated entitlement (as ``_audit`` writes one)."""
    return {"action": "awards.entitlement_create", "target_type": "entitlement", "target_id": str(x.pk),
            "enterprise_code": x.enterprise.credit_code,
            "summary": f"生成奖补资格：{x.award_label} {wan(x.amount)} 万元（{x.funding_level}，方案{x.clause}）"
                       + ("，免申即享" if x.no_application else ""),
            "after": {"award": x.award, "amount": x.amount, "status": x.status, "event": x.event_id}}


# Approved or paid (or reversed, owed its reissue): the amount is decided, a change to it is a new decision.
SETTLED = (S.APPROVED, S.PAID, S.REVERSED)


def _remeasure_upgrades(user: Any, refused: Entitlement) -> None:
    """就高不重复 nets an upgrade against the grade granted before it. When that grade is refused after the
    upgrade was measured, the upgrades not yet approved are measured again without it: a refused grade paid
    nothing, so a 4A after a refused 3A pays in full. Approved or paid upgrades keep their amount: the ones
    that now fall short are marked for the province to decide a top-up (_mark_short). The caller holds the
    enterprise's lock (_locked_for_refusal)."""
    if not refused.award.startswith(f"{DIGITAL_PREFIX}."):
        return
    enterprise = refused.enterprise
    later = {e.pk: e for e in Entitlement.objects.select_for_update().filter(
        enterprise=enterprise, award__startswith=f"{DIGITAL_PREFIX}.", status__in=(*UNAPPROVED, *SETTLED),
        event__date__gte=refused.event.date).exclude(pk=refused.pk)}
    if not later:
        return
    today = clock.today()
    events = _evaluable(list(ProgrammeEvent.objects.filter(enterprise=enterprise, date__lte=today)
                             .select_related("enterprise").order_by("date", "id")))
    result = _evaluate([enterprise.credit_code], events, today, parameter_set(), list(later))
    by_event = {(events[int(row["event_no"])].pk, row["award"]): row for row in _granted(result)}
    for entitlement in later.values():
        row = by_event.get((entitlement.event_id, entitlement.award))
        if row is None or _wan(row) == entitlement.amount:
            continue
        if entitlement.status in SETTLED:
            _mark_short(user, entitlement, refused, _wan(row))
            continue
        before = {"amount": entitlement.amount, "reason": entitlement.reason}
        entitlement.amount, entitlement.reason = _wan(row), (row["reason"] or "")[:300]
        entitlement.parameter_ids = (row["params"] or "")[:300]
        entitlement.save(update_fields=["amount", "reason", "parameter_ids", "updated_at"])
        _audit(user, "remeasure", entitlement, enterprise,
               f"{refused.award_label}不予兑现，按就高不重复重新测算：{wan(before['amount'])} → "
               f"{wan(entitlement.amount)} 万元（{entitlement.reason}）", before,
               {"amount": entitlement.amount, "reason": entitlement.reason})


def _mark_short(user: Any, entitlement: Entitlement, refused: Entitlement, measured: Decimal) -> None:
    """An upgrade approved or paid at the netted amount, whose netted grade is now refused: its amount stays
    (the budget committed it, the ledger may have paid it); the province decides a top-up of the difference."""
    if measured < entitlement.amount:
        return  # a refusal only takes a netted grade away: the upgrade can only come out larger
    short = measured - entitlement.amount
    note = (f"{refused.award_label}已不予兑现，按就高不重复应为 {wan(measured)} 万元；本项按 {wan(entitlement.amount)} "
            f"万元{entitlement.get_status_display()}，差额 {wan(short)} 万元待省级决定是否补拨")[:300]
    before = {"topup_note": entitlement.topup_note}
    entitlement.topup_note = note
    entitlement.save(update_fields=["topup_note", "updated_at"])
    _audit(user, "topup_flag", entitlement, entitlement.enterprise, note, before, {"topup_note": note})


def entitlement_topup_decide(*, user: User, entitlement: Entitlement, decision: str) -> Entitlement:
    """The province's decision on an upgrade marked short (_mark_short), recorded as text (a top-up is paid, if
    at all, outside this award: its amount and ledger stay); the mark and its to-do go."""
    access.require_province(user, "决定升级奖补补差")
    decision = clean_text(decision, "decision", "补差决定")
    with transaction.atomic():
        entitlement = _locked(entitlement)
        if not entitlement.topup_note:
            raise ApplicationError("本项奖补没有待决定的补差", field="decision")
        before = {"topup_note": entitlement.topup_note}
        entitlement.topup_note = ""
        entitlement.save(update_fields=["topup_note", "updated_at"])
        _audit(user, "topup_decided", entitlement, entitlement.enterprise,
               f"补差决定：{decision}（{before['topup_note']}）", before, {"topup_note": "", "decision": decision})
    return entitlement


# ---------------------------------------------------------------- the enterprise's part

def _account(entitlement: Entitlement, account_name: str, bank_name: str, account_no: str) -> tuple[str, str, str]:
    account_name = clean_text(account_name, "account_name", "收款户名", max_length=100)
    bank_name = clean_text(bank_name, "bank_name", "开户银行", max_length=100)
    account_no = ACCOUNT_NO_SEPARATORS.sub("", account_no or "")
    if not ACCOUNT_NO.match(account_no):
        raise ApplicationError("银行账号应为8到32位数字", field="account_no")
    if account_name != entitlement.enterprise.name:
        raise ApplicationError(f"收款户名必须与企业名称“{entitlement.enterprise.name}”一致"
                               "（奖补资金只拨付到企业对公账户）", field="account_name")
    return account_name, bank_name, account_no


def _locked(entitlement: Entitlement) -> Entitlement:
    # of=self: the entitlement's row only. Locking its enterprise too (PostgreSQL locks every joined row) took
    # entitlement-then-enterprise, against the enterprise-then-entitlement order of refusals: a deadlock.
    return Entitlement.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=entitlement.pk)


def _locked_for_refusal(entitlement: Entitlement) -> Entitlement:
    """A refusal may measure the enterprise's later grades again (_remeasure_upgrades): lock the enterprise
    first, as generation does, then the entitlement, so two refusals of one enterprise's grades, or a refusal
    and a generation, wait for each other instead of deadlocking or measuring from a stale prior."""
    list(Enterprise.objects.select_for_update(of=("self",)).filter(entitlements=entitlement.pk))
    return _locked(entitlement)


def entitlement_confirm_account(*, user: User, entitlement: Entitlement, account_name: str, bank_name: str,
                                account_no: str, note: str = "") -> Entitlement:
    """免申即享: the enterprise only confirms where the money goes (or, for others, applies with it)."""
    with transaction.atomic():
        entitlement = _locked(entitlement)
        access.require_own(user, entitlement)
        waiting = entitlement.status == S.AWAITING_ACCOUNT or entitlement.no_application
        action = "confirm_account" if waiting else "apply"
        t = workflow.entitlement_check(action, user=user, entitlement=entitlement)
        name, bank, number = _account(entitlement, account_name, bank_name, account_no)
        note = clean_text(note, "note", "申请说明", required=False, max_length=500)
        before = {"status": entitlement.status}
        entitlement.account_name, entitlement.bank_name, entitlement.account_no = name, bank, number
        entitlement.application_note, entitlement.confirmed_at = note, timezone.now()
        entitlement.status = t.target or entitlement.status
        entitlement.save(update_fields=["account_name", "bank_name", "account_no", "application_note", "confirmed_at",
                                        "status", "updated_at"])
        _audit(user, action, entitlement, entitlement.enterprise,
               f"{'确认收款账户' if action == 'confirm_account' else '提交奖补申请'}：{bank} 尾号{number[-4:]}", before,
               {"status": entitlement.status, "bank_name": bank, "account_tail": number[-4:]})
    return entitlement


def entitlement_correct_account(*, user: User, entitlement: Entitlement, account_name: str, bank_name: str,
                                account_no: str, note: str) -> Entitlement:
    """After a reversal (e.g. 账号有误), the enterprise or the province corrects where the reissue goes."""
    with transaction.atomic():
        entitlement = _locked(entitlement)
        access.require_own(user, entitlement)
        workflow.entitlement_check("correct_account", user=user, entitlement=entitlement)
        name, bank, number = _account(entitlement, account_name, bank_name, account_no)
        reason = clean_text(note, "note", "更正原因", max_length=300)
        before = {"bank_name": entitlement.bank_name, "account_tail": entitlement.account_no[-4:]}
        entitlement.account_name, entitlement.bank_name, entitlement.account_no = name, bank, number
        entitlement.save(update_fields=["account_name", "bank_name", "account_no", "updated_at"])
        _audit(user, "correct_account", entitlement, entitlement.enterprise,
               f"更正收款账户：{before['bank_name']} 尾号{before['account_tail']} → {bank} 尾号{number[-4:]}：{reason}",
               before, {"bank_name": bank, "account_tail": number[-4:]})
    return entitlement


# ---------------------------------------------------------------- review, approval, payment

def entitlement_city_check(*, user: User, entitlement: Entitlement, approve: bool, reason: str = "") -> Entitlement:
    action = "city_pass" if approve else "city_reject"
    with transaction.atomic():
        entitlement = _locked(entitlement) if approve else _locked_for_refusal(entitlement)
        access.require_city_scope(user, entitlement)
        if approve:
            _require_recognition_standing(entitlement, "报省级审批")
        t = workflow.entitlement_check(action, user=user, entitlement=entitlement)
        entitlement.city_checked_by, entitlement.city_checked_at = user, timezone.now()
        if not approve:
            reason = clean_text(reason, "reason", "不通过的原因")
            _refuse(user, entitlement, action, f"市级审核不通过：{reason}", f"市级审核不通过：{reason}",
                    also=("city_checked_by", "city_checked_at"))
            return entitlement
        before = {"status": entitlement.status}
        entitlement.status, entitlement.reject_reason = t.target or entitlement.status, ""
        entitlement.save(update_fields=["status", "city_checked_by", "city_checked_at", "reject_reason", "updated_at"])
        _audit(user, action, entitlement, entitlement.enterprise, "市级审核通过，报省级审批", before,
               {"status": entitlement.status})
    return entitlement


def _refuse(user: Any, entitlement: Entitlement, action: str, reject_reason: str, summary: str,
            also: Sequence[str] = ()) -> None:
    """不予兑现, whichever path refuses (city, province, 撤销认定, 不再补发), each with its own reason and audit
    wording: the later grades netted against this one are measured again (_remeasure_upgrades). The caller
    holds the locks of _locked_for_refusal and has set the ``also`` fields it saves with it."""
    before = {"status": entitlement.status}
    entitlement.status, entitlement.reject_reason = S.REJECTED, reject_reason[:300]
    entitlement.save(update_fields=["status", "reject_reason", *also, "updated_at"])
    _audit(user, action, entitlement, entitlement.enterprise, summary, before, {"status": entitlement.status})
    _remeasure_upgrades(user, entitlement)


def _require_recognition_standing(entitlement: Entitlement, doing: str) -> None:
    """An award whose recognition was revoked (撤销认定) is neither approved nor paid, whatever its state."""
    recognition = entitlement.recognition
    if recognition is not None and recognition.revoked_for_cause():
        revoked_on = f"于 {recognition.revoked_at:%Y-%m-%d} " if recognition.revoked_at else ""
        raise ApplicationError(
            f"触发该奖补的{recognition.get_tier_display()}认定（{recognition.certificate_no}）已{revoked_on}撤销"
            f"（{recognition.revoked_reason}），不能{doing}", field="recognition", code="recognition_revoked")


def _budget_for(entitlement: Entitlement, year: int) -> Budget:
    city = entitlement.city_code if entitlement.funding_level == FundingLevel.CITY else ""
    budget = Budget.objects.select_for_update().filter(year=year, funding_level=entitlement.funding_level,
                                                       city_code=city).first()
    if budget is None:
        where = f"{regions.city_name(city)}" if city else ""
        raise ApplicationError(f"尚未下达{year}年{where}{entitlement.funding_level}奖补预算，请先在预算页面下达额度",
                               field="budget")
    return budget


def entitlement_approve(*, user: User, entitlement: Entitlement, today: dt.date | None = None) -> Entitlement:
    """Province approval: commits the amount against this year's budget of the funding level, if it fits."""
    today = _today(today)
    with transaction.atomic():
        entitlement = _locked(entitlement)
        _require_recognition_standing(entitlement, "审批")
        t = workflow.entitlement_check("approve", user=user, entitlement=entitlement)
        budget = _budget_for(entitlement, today.year)
        figures = budget_figures(budget)
        if entitlement.amount > figures["remaining"]:
            raise ApplicationError(
                f"超出预算：{_budget_label(budget)}剩余 "
                f"{wan(figures['remaining'])} 万元，本笔 {wan(entitlement.amount)} 万元，不能审批",
                field="budget", code="over_budget")
        before = {"status": entitlement.status}
        entitlement.status = t.target or entitlement.status
        entitlement.budget, entitlement.approved_by, entitlement.approved_at = budget, user, timezone.now()
        entitlement.save(update_fields=["status", "budget", "approved_by", "approved_at", "updated_at"])
        _audit(user, "approve", entitlement, entitlement.enterprise,
               f"省级审批同意，列支{_budget_label(budget)}"
               f"{wan(entitlement.amount)} 万元", before, {"status": entitlement.status, "budget": budget.pk})
    return entitlement


def entitlement_reject(*, user: User, entitlement: Entitlement, reason: str) -> Entitlement:
    reason = clean_text(reason, "reason", "不予兑现的原因")
    with transaction.atomic():
        entitlement = _locked_for_refusal(entitlement)
        workflow.entitlement_check("reject", user=user, entitlement=entitlement)
        _refuse(user, entitlement, "reject", reason, f"省级不予兑现：{reason}")
    return entitlement


def _ledger_entry(user: User, entitlement: Entitlement, kind: str, amount: Decimal, reason: str = "",
                  **links: Any) -> LedgerEntry:
    budget = entitlement.budget
    assert budget is not None
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(
                kind=kind, entitlement=entitlement, enterprise=entitlement.enterprise, amount=amount,
                funding_level=entitlement.funding_level, budget=budget, budget_year=budget.year,
                budget_line=budget.line, award=entitlement.award, once_key=entitlement.once_key,
                clause=entitlement.clause, city_code=entitlement.city_code, batch=entitlement.batch,
                account_name=entitlement.account_name, bank_name=entitlement.bank_name,
                account_no=entitlement.account_no, reason=reason, created_by=user, **links)
    except IntegrityError as exc:
        raise ApplicationError(
            f"{entitlement.enterprise.name}的“{entitlement.award_label}”已经拨付过，不能重复拨付（一次性奖补只拨付一次；"
            "如需更正，请先冲销原分录）", code="already_paid") from exc


def entitlement_pay(*, user: User, entitlement: Entitlement) -> LedgerEntry:
    """Pay an approved entitlement: one ledger entry, once."""
    with transaction.atomic():
        entitlement = _locked(entitlement)
        _require_recognition_standing(entitlement, "拨付")
        t = workflow.entitlement_check("pay", user=user, entitlement=entitlement)
        if not entitlement.account_no:
            raise ApplicationError("企业尚未确认收款账户", field="account_no")
        entry = _ledger_entry(user, entitlement, LedgerEntry.Kind.PAYMENT, entitlement.amount)
        before = {"status": entitlement.status}
        entitlement.status = t.target or entitlement.status
        entitlement.save(update_fields=["status", "updated_at"])
        _audit(user, "pay", entitlement, entitlement.enterprise,
               f"拨付 {wan(entitlement.amount)} 万元（台账分录 #{entry.pk}）", before,
               {"status": entitlement.status, "ledger_entry": entry.pk})
    return entry


def entitlement_approve_and_pay(*, user: User, entitlement: Entitlement,
                                today: dt.date | None = None) -> LedgerEntry:
    """The province's one-click 审批并拨付 (the two steps in one transaction)."""
    with transaction.atomic():
        approved = entitlement_approve(user=user, entitlement=entitlement, today=today)
        return entitlement_pay(user=user, entitlement=approved)


def ledger_reverse(*, user: User, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """A correction: a new entry with the opposite amount and the reason; the original stays as it was."""
    reason = clean_text(reason, "reason", "冲销原因")
    with transaction.atomic():
        entitlement = _locked(entry.entitlement)
        t = workflow.entitlement_check("reverse", user=user, entitlement=entitlement)
        entry = LedgerEntry.objects.get(pk=entry.pk)
        if entry.kind == LedgerEntry.Kind.REVERSAL:
            raise ApplicationError("冲销分录不能再冲销", field="entry")
        if LedgerEntry.objects.filter(reverses=entry).exists():
            raise ApplicationError(f"分录 #{entry.pk} 已冲销过", field="entry")
        latest = entitlement.ledger_entries.exclude(kind=LedgerEntry.Kind.REVERSAL).order_by("-id").first()
        if latest is None or latest.pk != entry.pk:
            raise ApplicationError("只能冲销该奖补资格最近一笔有效拨付", field="entry")
        try:
            with transaction.atomic():
                reversal = LedgerEntry.objects.create(
                    kind=LedgerEntry.Kind.REVERSAL, entitlement=entitlement, enterprise=entry.enterprise,
                    amount=-entry.amount, funding_level=entry.funding_level, budget=entry.budget,
                    budget_year=entry.budget_year, budget_line=entry.budget_line, award=entry.award,
                    once_key=entry.once_key, clause=entry.clause, city_code=entry.city_code, batch=entry.batch,
                    account_name=entry.account_name, bank_name=entry.bank_name, account_no=entry.account_no,
                    reverses=entry, reason=reason, created_by=user)
        except IntegrityError as exc:
            raise ApplicationError(f"分录 #{entry.pk} 已冲销过", field="entry") from exc
        before = {"status": entitlement.status}
        entitlement.status = t.target or entitlement.status
        if entitlement.recovery_note:
            # 追回: the money came back to the budget; the award ends, it is not owed for a reissue.
            entitlement.status = S.REJECTED
            recovered = f"（已拨付款项已追回，冲销分录 #{reversal.pk}）"
            entitlement.reject_reason = f"{_revoked_reason(entitlement)}"[:300 - len(recovered)] + recovered
        entitlement.save(update_fields=["status", "reject_reason", "updated_at"])
        doing = "追回并冲销" if entitlement.recovery_note else "冲销"
        _audit(user, "reverse", entitlement, entitlement.enterprise,
               f"{doing}台账分录 #{entry.pk}（{wan(entry.amount)} 万元）：{reason}",
               before, {"status": entitlement.status, "ledger_entry": reversal.pk})
    return reversal


def _ledger_net(entitlement: Entitlement) -> Decimal:
    """What the entitlement's ledger lines add up to: payments less reversals, with reissues."""
    return entitlement.ledger_entries.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def _check_within_entitlement(entitlement: Entitlement, value: Decimal) -> None:
    """A reissue corrects where or how much was paid, never pays more than the engine granted: the net of
    the entitlement's ledger (0 after a reversal) plus the reissue stays within its amount."""
    net = _ledger_net(entitlement)
    if value > entitlement.amount - net:
        paid = f"，已拨付净额 {wan(net)} 万元" if net else ""
        raise ApplicationError(f"更正后金额不能超过奖补资格金额 {wan(entitlement.amount)} 万元{paid}",
                               field="amount")


def ledger_reissue(*, user: User, entitlement: Entitlement, amount: Any, reason: str) -> LedgerEntry:
    """After a reversal, pay the corrected amount (once per reversal), within the budget."""
    value = _money(amount, "amount", "更正后金额", allow_zero=False)
    reason = clean_text(reason, "reason", "更正原因")
    with transaction.atomic():
        entitlement = _locked(entitlement)
        _require_recognition_standing(entitlement, "更正重拨")
        t = workflow.entitlement_check("reissue", user=user, entitlement=entitlement)
        reversal = entitlement.ledger_entries.filter(kind=LedgerEntry.Kind.REVERSAL).order_by("-id").first()
        if reversal is None:
            raise ApplicationError("没有可依据的冲销分录", field="entry")
        _check_within_entitlement(entitlement, value)
        assert entitlement.budget is not None
        budget = Budget.objects.select_for_update().get(pk=entitlement.budget.pk)
        # The reversed award's own amount is committed for it: the reissue may use it.
        available = budget_figures(budget)["remaining"] + entitlement.amount
        if value > available:
            raise ApplicationError(f"超出预算：{_budget_label(budget)}可用于本笔重拨 {wan(available)} 万元",
                                   field="amount")
        entry = _ledger_entry(user, entitlement, LedgerEntry.Kind.REISSUE, value, reason, reissue_of=reversal)
        before = {"status": entitlement.status}
        entitlement.status = t.target or entitlement.status
        entitlement.save(update_fields=["status", "updated_at"])
        _audit(user, "reissue", entitlement, entitlement.enterprise,
               f"更正重拨 {wan(value)} 万元（依据冲销分录 #{reversal.pk}）：{reason}", before,
               {"status": entitlement.status, "ledger_entry": entry.pk})
    return entry


def entitlement_close_reversal(*, user: User, entitlement: Entitlement, reason: str) -> Entitlement:
    """不再补发: a reversed award that will never be reissued (the enterprise moved away, the award was wrong)
    ends as 不予兑现, so the budget no longer holds its amount for the reissue. Its ledger lines stay."""
    reason = clean_text(reason, "reason", "不再补发的原因")
    with transaction.atomic():
        entitlement = _locked_for_refusal(entitlement)
        workflow.entitlement_check("close_reversal", user=user, entitlement=entitlement)
        reversal = entitlement.ledger_entries.filter(kind=LedgerEntry.Kind.REVERSAL).order_by("-id").first()
        assert reversal is not None and entitlement.budget is not None  # 已冲销: approved, paid and reversed
        freed = f"释放{_budget_label(entitlement.budget)}{wan(entitlement.amount)} 万元"
        _refuse(user, entitlement, "close_reversal", f"{CLOSED_REASON}{reason}（冲销分录 #{reversal.pk}）",
                f"冲销后不再补发（冲销分录 #{reversal.pk}），{freed}：{reason}")
    return entitlement


# ---------------------------------------------------------------- a recognition revoked (tiers.hooks)

REVOKED_REASON = "认定已撤销："  # how a refusal for a revoked recognition begins (counted on its page)
# Owed and not paid (a reversed award waits for its reissue): refused when its recognition is revoked.
UNPAID = (*UNAPPROVED, S.APPROVED, S.REVERSED)


def _revoked_reason(entitlement: Entitlement) -> str:
    recognition = entitlement.recognition
    return f"{REVOKED_REASON}{recognition.revoked_reason if recognition else ''}"


def triggered_by(recognition: Recognition) -> QuerySet[Entitlement]:
    """The entitlements a recognition triggered: computed from its programme event."""
    match = Q(recognition=recognition)
    if recognition.event_id:
        match |= Q(event_id=recognition.event_id)
    return Entitlement.objects.filter(match)


def recognition_revoked(user: Any, recognition: Recognition, reason: str) -> None:
    """撤销认定 (inside its transaction): the awards it triggered and not yet paid are refused (不予兑现, the
    revocation's reason), the paid ones flagged 待追回 for the province — the ledger is append-only, so the
    money is recovered by a reversal (ledger_reverse), never by changing the payment."""
    # Enterprise, then entitlements, the order of refusals and generation (_locked_for_refusal), so they wait
    # for each other; FOR NO KEY UPDATE, so a payment holding its award's row can still write its ledger line
    # (which key-shares the enterprise) and finish, instead of deadlocking with this.
    list(Enterprise.objects.select_for_update(of=("self",), no_key=True).filter(pk=recognition.enterprise_id))
    for entitlement in (triggered_by(recognition).select_for_update(of=("self",))
                        .select_related("enterprise", "recognition").order_by("pk")):
        if entitlement.status in UNPAID:
            _refuse(user, entitlement, "revoked_recognition", f"{REVOKED_REASON}{reason}",
                    f"认定（{recognition.certificate_no}）已撤销，不予兑现：{reason}")
        elif entitlement.status == S.PAID:
            _flag_for_recovery(user, entitlement, recognition, reason)


def _flag_for_recovery(user: Any, entitlement: Entitlement, recognition: Recognition, reason: str) -> None:
    net = _ledger_net(entitlement)
    before = {"recovery_note": entitlement.recovery_note}
    entitlement.recovery_note = (f"认定（{recognition.certificate_no}）已撤销（{reason}），"
                                 f"已拨付 {wan(net)} 万元待追回")[:300]
    entitlement.save(update_fields=["recovery_note", "updated_at"])
    _audit(user, "recovery_flag", entitlement, entitlement.enterprise,
           f"认定（{recognition.certificate_no}）已撤销，已拨付 {wan(net)} 万元，待追回：{reason}", before,
           {"recovery_note": entitlement.recovery_note})
