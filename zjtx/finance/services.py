"""Every write of 金融服务: pushing lists, loans, receivable requests and their steps, the listing reserve.
Each in one transaction with one audit record; a receivable's or candidate's row is locked before its state is
checked, so two people acting at once cannot both succeed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import clock
from zjtx.core.audit import audit_record
from zjtx.core.errors import ApplicationError, NotFoundError
from zjtx.core.templatetags.money import wan
from zjtx.core.text import clean_text
from zjtx.enterprises.models import Enterprise
from zjtx.finance import access, params, selectors, workflow
from zjtx.finance.models import ListedEnterprise, ListingCandidate, ListRecipient, Loan, PushedList, Receivable

S = Receivable.Status
Stage = ListingCandidate.Stage
MAX_WAN = Decimal("999999999999.99")  # what the amount columns hold (14 digits, 2 decimals)


def _audit(user: User, action: str, obj: Any, summary: str, enterprise: Enterprise | None = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    audit_record(actor=user, action=f"finance.{action}", target_type=type(obj).__name__.lower(),
                 target_id=str(obj.pk), enterprise_code=enterprise.credit_code if enterprise else "",
                 summary=summary, before=before, after=after)


def _choice(value: str, choices: Any, field: str, label: str) -> str:
    if value not in dict(choices):
        raise ApplicationError(f"请选择{label}", field=field)
    return value


def amount_wan(value: Any, field: str, label: str) -> Decimal:
    """An amount of 万元 as typed: a positive number with at most two decimals."""
    raw = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    if not raw:
        raise ApplicationError(f"请填写{label}", field=field)
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise ApplicationError(f"{label}“{raw[:20]}”不是数字，请以万元为单位填写，如 500 或 12.5",
                               field=field) from None
    if not amount.is_finite() or amount <= 0:
        raise ApplicationError(f"{label}应大于 0", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ApplicationError(f"{label}最多保留两位小数（万元）", field=field)
    if amount > MAX_WAN:
        raise ApplicationError(f"{label}超出可记录的范围，请核对单位（万元）", field=field)
    return amount


def _date(value: dt.date | None, field: str, label: str, *, not_after_today: bool = True) -> dt.date:
    if value is None:
        raise ApplicationError(f"请填写{label}", field=field)
    if not_after_today and value > clock.today():
        raise ApplicationError(f"{label}不能晚于今天（{clock.today()}）", field=field)
    return value


# ---------------------------------------------------------------- 名单推送

def list_push(*, user: User, title: str, banks: list[str], enterprises: QuerySet[Enterprise], criteria: str,
              note: str = "") -> PushedList:
    """Push the chosen enterprises (all in the pusher's place) to one or more partner banks."""
    scope = access.pushable_enterprises(user)
    title = clean_text(title, "title", "名单名称", max_length=60)
    known = set(selectors.partner_banks())
    chosen = sorted({b for b in banks if b})
    if not chosen:
        raise ApplicationError("请至少选择一家合作银行", field="banks")
    unknown = [b for b in chosen if b not in known]
    if unknown:
        raise ApplicationError(f"“{'、'.join(unknown)}”不是合作银行", field="banks")
    ids = list(enterprises.filter(pk__in=scope.values("pk")).order_by("pk").values_list("pk", flat=True))
    if not ids:
        raise ApplicationError("按所选条件没有企业，名单不能为空", field="enterprises")
    with transaction.atomic():
        pushed = PushedList.objects.create(
            title=title, criteria=criteria[:300], note=clean_text(note, "note", "推送说明", required=False),
            city_code="" if user.role == Role.PROVINCE else user.city_code, pushed_by=user, pushed_on=clock.today())
        ListRecipient.objects.bulk_create(ListRecipient(pushed_list=pushed, bank=b) for b in chosen)
        ListedEnterprise.objects.bulk_create((ListedEnterprise(pushed_list=pushed, enterprise_id=i) for i in ids),
                                             batch_size=2000)
        _audit(user, "list_push", pushed, f"推送名单《{title}》（{len(ids)} 家企业）至{'、'.join(chosen)}",
               after={"title": title, "banks": chosen, "criteria": pushed.criteria, "enterprises": len(ids)})
    return pushed


def codes_selection(user: User, codes: str) -> QuerySet[Enterprise]:
    """Enterprises typed or pasted as credit codes, one a line; each unknown or out-of-scope line named."""
    scope = access.pushable_enterprises(user)
    wanted: list[str] = []
    problems: list[str] = []
    for line in codes.splitlines():
        code = line.strip().upper()
        if code:
            wanted.append(code)
    found = set(scope.filter(credit_code__in=wanted).values_list("credit_code", flat=True))
    for n, code in enumerate(wanted, start=1):
        if code not in found:
            problems.append(f"第{n}个代码 {code[:20]}")
    if problems:
        raise ApplicationError(f"统一社会信用代码：{'；'.join(problems[:10])} 不在您可推送的企业中", field="codes")
    return scope.filter(credit_code__in=wanted)


# ---------------------------------------------------------------- 贷款

def loan_record(*, user: User, enterprise: Enterprise | None, granted_on: dt.date | None, amount: Any,
                term_months: Any, rate: Any = None, special: bool = False) -> Loan:
    """A loan the user's bank granted to an enterprise on the lists pushed to it."""
    bank = access.bank_of(user)
    if user.role == Role.BANK and not bank:
        raise ApplicationError("您的账号未填写所属银行，请联系管理员", field="enterprise")
    allowed = access.bank_enterprises(user)
    if enterprise is None or not allowed.filter(pk=enterprise.pk).exists():
        raise ApplicationError("只能为推送至本行名单中的企业记录贷款", field="enterprise")
    loan = Loan(bank=bank, enterprise=enterprise, recorded_by=user, special=bool(special),
                granted_on=_date(granted_on, "granted_on", "放款日期"),
                amount=amount_wan(amount, "amount", "贷款金额"), term_months=_term(term_months),
                rate=_rate(rate))
    with transaction.atomic():
        loan.save()
        kind = "专精特新专项贷款" if loan.special else "贷款"
        _audit(user, "loan_record", loan,
               f"{bank}发放{kind} {wan(loan.amount)} 万元（{loan.granted_on}，{loan.term_months}个月）", enterprise,
               after={"bank": bank, "granted_on": loan.granted_on, "amount": loan.amount,
                      "term_months": loan.term_months, "rate": loan.rate, "special": loan.special})
    return loan


def _term(value: Any) -> int:
    raw = str(value if value is not None else "").strip()
    if not raw:
        raise ApplicationError("请填写贷款期限（月）", field="term_months")
    if not raw.isdigit() or not 0 < int(raw) < 1000:
        raise ApplicationError(f"贷款期限“{raw[:10]}”应为正整数（月）", field="term_months")
    return int(raw)


def _rate(value: Any) -> Decimal | None:
    raw = str(value if value is not None else "").strip().removesuffix("%")
    if not raw:
        return None
    try:
        rate = Decimal(raw)
    except InvalidOperation:
        raise ApplicationError(f"年利率“{raw[:10]}”不是数字，请填写百分数，如 3.45", field="rate") from None
    if not rate.is_finite() or not 0 < rate < 100 or rate != rate.quantize(Decimal("0.001")):
        raise ApplicationError("年利率应为大于 0、小于 100 的百分数，最多三位小数", field="rate")
    return rate


# ---------------------------------------------------------------- 应收账款确权

def deadline_for(filed_on: dt.date) -> dt.date:
    """The last day for the debtor: the parameter's days (calendar days, 日) counted from the day after the
    request, as 民法典第二百零一条 counts a period (开始的当日不计入)."""
    return filed_on + dt.timedelta(days=params.receivable_days(filed_on))


def receivable_file(*, user: User, debtor: str, debtor_kind: str, amount: Any, document_no: str,
                    arose_on: dt.date | None) -> Receivable:
    """The enterprise asks that its debtor confirm a receivable: 待转送, the deadline runs from today."""
    enterprise = access.fileable_enterprise(user)
    today = clock.today()
    receivable = Receivable(
        enterprise=enterprise, filed_by=user, debtor=clean_text(debtor, "debtor", "债务人名称", max_length=100),
        debtor_kind=_choice(debtor_kind, Receivable.DebtorKind.choices, "debtor_kind", "债务人类型"),
        amount=amount_wan(amount, "amount", "应收账款金额"),
        document_no=clean_text(document_no, "document_no", "发票或合同编号", max_length=60),
        arose_on=_date(arose_on, "arose_on", "应收账款形成日期"), filed_on=today, deadline=deadline_for(today))
    with transaction.atomic():
        receivable.save()
        _audit(user, "receivable_file", receivable,
               f"请求{receivable.debtor}确认应收账款 {wan(receivable.amount)} 万元，确权期限 {receivable.deadline}",
               enterprise, after={"status": receivable.status, "debtor": receivable.debtor,
                                  "amount": receivable.amount, "deadline": receivable.deadline})
    return receivable


def _locked_receivable(receivable: Receivable) -> Receivable:
    # of=self: the request's row only, not the enterprise joined to it
    return Receivable.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=receivable.pk)


def receivable_act(*, user: User, receivable: Receivable, action: str, answer: str = "",
                   answered_on: dt.date | None = None) -> Receivable:
    """send: the city passes the request to the debtor; confirm / refuse: records the debtor's answer (a
    refusal with its reason) on the day the debtor gave it."""
    with transaction.atomic():
        receivable = _locked_receivable(receivable)
        if not access.visible_receivables(user).filter(pk=receivable.pk).exists():
            raise NotFoundError("确权请求不存在或不在您的范围内")
        t = workflow.receivable_check(action, user=user, receivable=receivable)
        before = {"status": receivable.status}
        receivable.status = t.target or receivable.status
        if action == "send":
            receivable.sent_on = clock.today()
            summary = f"转送{receivable.debtor}确认"
        else:
            day = _date(answered_on, "answered_on", "债务人答复日期")
            if receivable.sent_on and day < receivable.sent_on:
                raise ApplicationError(f"债务人答复日期不能早于转送日期（{receivable.sent_on}）", field="answered_on")
            receivable.answered_on = day
            receivable.answer = clean_text(answer, "answer", "不予确认的理由" if action == "refuse" else "答复说明",
                                           required=action == "refuse")
            late = "（逾期）" if receivable.answered_late else ""
            summary = f"{receivable.debtor}{t.label.removeprefix('记录债务人')}{late}（{day}）"
        receivable.save()
        _audit(user, f"receivable_{action}", receivable, summary, receivable.enterprise, before,
               {"status": receivable.status, "answer": receivable.answer, "answered_on": receivable.answered_on})
    return receivable


# ---------------------------------------------------------------- 上市后备资源库

STAGE_DATES = {Stage.TUTORING: "tutoring_on", Stage.FILED: "filed_on", Stage.APPROVED: "approved_on",
               Stage.LISTED: "listed_on"}
ORDER = list(Stage.values)


def candidate_add(*, user: User, enterprise: Enterprise | None, board: str,
                  added_on: dt.date | None) -> ListingCandidate:
    if not access.may_keep_reserve(user):
        raise ApplicationError("只有省级、市级管理员可以维护上市后备资源库", field="enterprise")
    if enterprise is None or not access.scoped_enterprises(user).filter(pk=enterprise.pk).exists():
        raise ApplicationError("请填写本地区企业的统一社会信用代码", field="enterprise")
    if enterprise.tier not in selectors.SRDI_TIERS:
        raise ApplicationError(f"{enterprise.name}不是省专精特新及以上企业，不能入库", field="enterprise")
    with transaction.atomic():
        # the enterprise's row is the lock: two admissions at once would otherwise both find no entry
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        if ListingCandidate.objects.filter(enterprise=enterprise).exists():
            raise ApplicationError(f"{enterprise.name}已在上市后备资源库中", field="enterprise")
        candidate = ListingCandidate.objects.create(
            enterprise=enterprise, board=_choice(board, ListingCandidate.Board.choices, "board", "拟上市板块"),
            added_on=_date(added_on, "added_on", "入库日期"), added_by=user)
        _audit(user, "candidate_add", candidate, f"纳入上市后备资源库（拟{candidate.get_board_display()}）",
               enterprise, after={"board": candidate.board, "added_on": candidate.added_on})
    return candidate


def candidate_advance(*, user: User, candidate: ListingCandidate, stage: str, on: dt.date | None, board: str = "",
                      stock_code: str = "") -> ListingCandidate:
    """The candidate reached a later stage on `on` (辅导备案, 申报, 过会, 上市); a listing names board and code."""
    if not access.may_keep_reserve(user):
        raise ApplicationError("只有省级、市级管理员可以维护上市后备资源库", field="stage")
    with transaction.atomic():
        candidate = (ListingCandidate.objects.select_for_update(of=("self",)).select_related("enterprise")
                     .get(pk=candidate.pk))
        if not access.visible_candidates(user).filter(pk=candidate.pk).exists():
            raise NotFoundError("后备企业不存在或不在您的范围内")
        if stage not in STAGE_DATES:
            raise ApplicationError("请选择进展阶段", field="stage")
        if ORDER.index(stage) <= ORDER.index(candidate.stage):
            raise ApplicationError(f"当前已是“{candidate.get_stage_display()}”，只能记录其后的阶段", field="stage")
        day = _date(on, "on", f"{Stage(stage).label}日期")
        last = max((d for d in (candidate.added_on, candidate.tutoring_on, candidate.filed_on, candidate.approved_on)
                    if d), default=None)
        if last and day < last:
            raise ApplicationError(f"{Stage(stage).label}日期不能早于上一阶段的日期（{last}）", field="on")
        before = {"stage": candidate.stage, "board": candidate.board}
        if stage == Stage.LISTED:
            candidate.board = _choice(board, ListingCandidate.Board.choices, "board", "上市板块")
            candidate.stock_code = clean_text(stock_code, "stock_code", "证券代码", max_length=12)
        candidate.stage = stage
        setattr(candidate, STAGE_DATES[Stage(stage)], day)
        candidate.save()
        extra = f"，{candidate.get_board_display()} {candidate.stock_code}" if stage == Stage.LISTED else ""
        _audit(user, "candidate_advance", candidate, f"上市进展：{Stage(stage).label}（{day}{extra}）",
               candidate.enterprise, before, {"stage": stage, STAGE_DATES[Stage(stage)]: day,
                                              "board": candidate.board, "stock_code": candidate.stock_code})
    return candidate
