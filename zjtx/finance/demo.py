"""Demo partner banks, pushed lists, loans, receivable requests and a listing reserve, so that 金融服务 has
something to show in ``make run``.

The demo ``bank`` (徽商银行) and five more partner banks (accounts without a password); the province pushes its
专精特新 enterprises to three banks and a 十大新兴产业 list to two more, 合肥 its 创新型 enterprises; loans of the
last two years, most of them 专项贷款; receivable requests in every state across the cities (some past their
30 days), two of them the demo enterprise's; a reserve of candidates at every stage, some listed since 2022.
Reproducible by seed; only for demo databases, and only when no list exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import clock
from zjtx.core.audit import audit_bulk
from zjtx.core.models import AuditEvent
from zjtx.core.templatetags.money import wan
from zjtx.enterprises.models import Enterprise, Tier
from zjtx.finance.models import ListedEnterprise, ListingCandidate, ListRecipient, Loan, PushedList, Receivable
from zjtx.finance.selectors import SRDI_TIERS
from zjtx.finance.services import deadline_for
from zjtx.tiers.models import LADDER

BANKS = [("bank-icbc", "中国工商银行安徽省分行"), ("bank-ccb", "中国建设银行安徽省分行"),
         ("bank-abc", "中国农业银行安徽省分行"), ("bank-boc", "中国银行安徽省分行"),
         ("bank-bocom", "交通银行安徽省分行")]
DEMO_BANK = "徽商银行"
DEBTORS = [("安徽省交通控股集团有限公司", "large"), ("合肥市轨道交通集团有限公司", "large"),
           ("奇瑞汽车股份有限公司", "large"), ("国网安徽省电力有限公司", "large"),
           ("安徽江淮汽车集团股份有限公司", "large"), ("合肥市第一人民医院", "institution"),
           ("安徽大学", "institution"), ("芜湖市公共交通集团有限责任公司", "large"),
           ("合肥市数据资源局", "authority"), ("马鞍山市住房和城乡建设局", "authority")]
S = Receivable.Status
Stage = ListingCandidate.Stage
# (status, days since filed, days until the debtor answered): overdue ones still wait after 30 days
RECEIVABLE_STAGES = [(S.FILED, 3, None), (S.SENT, 12, None), (S.SENT, 45, None), (S.CONFIRMED, 40, 18),
                     (S.REFUSED, 60, 25), (S.FILED, 38, None), (S.CONFIRMED, 20, 9), (S.CONFIRMED, 90, 41)]
BOARD_CODES = {"star": 688000, "chinext": 301000, "bse": 920000, "sse_main": 603000, "szse_main": 1000}


@dataclass(frozen=True)
class DemoFinance:
    lists: int
    listed: int
    loans: int
    receivables: int
    candidates: int


def load_demo_finance(seed: int, today: dt.date | None = None) -> DemoFinance | None:
    if PushedList.objects.exists():
        return None
    today = today or clock.today()
    rng = np.random.default_rng(seed)
    province = User.objects.filter(role=Role.PROVINCE).order_by("id").first()
    if province is None:
        return None
    with transaction.atomic():
        banks = _banks()
        lists, listed = _lists(province, banks, today)
        loans = _loans(rng, banks, today)
        receivables = _receivables(rng, province, today)
        candidates = _reserve(rng, province, today)
    return DemoFinance(lists, listed, loans, receivables, candidates)


def _banks() -> list[str]:
    for username, name in BANKS:
        user, _ = User.objects.get_or_create(username=username, defaults={"role": Role.BANK})
        user.role, user.organisation, user.full_name = Role.BANK, name, f"{name} 普惠金融部"
        user.set_unusable_password()
        user.save()
    return [DEMO_BANK, *(name for _, name in BANKS)]


def _push(by: User, title: str, criteria: str, banks: list[str], enterprises: Any, on: dt.date) -> int:
    pushed = PushedList.objects.create(title=title, criteria=criteria, pushed_by=by, pushed_on=on,
                                       city_code="" if by.role == Role.PROVINCE else by.city_code)
    ListRecipient.objects.bulk_create(ListRecipient(pushed_list=pushed, bank=b) for b in banks)
    ids = list(enterprises.order_by("id").values_list("id", flat=True))
    ListedEnterprise.objects.bulk_create((ListedEnterprise(pushed_list=pushed, enterprise_id=i) for i in ids),
                                         batch_size=5000)
    _history(by, "list_push", pushed, "", f"推送名单《{title}》（{len(ids)} 家企业）至{'、'.join(banks)}", on)
    return len(ids)


def _lists(province: User, banks: list[str], today: dt.date) -> tuple[int, int]:
    srdi = Enterprise.objects.filter(tier__in=SRDI_TIERS)
    listed = _push(province, f"{today.year}年全省专精特新企业名单（第一批）", "全省，省专精特新企业及以上",
                   banks[:3], srdi, dt.date(today.year, 3, 15))
    listed += _push(province, "新能源汽车和智能网联汽车产业专精特新企业",
                    "全省，省专精特新企业及以上，新能源汽车和智能网联汽车", [banks[3], banks[4]],
                    srdi.filter(emerging_industry="nev_icv"), dt.date(today.year, 6, 1))
    hefei = User.objects.filter(username="hefei", role=Role.CITY).first()
    made = 2
    if hefei:
        innovative = Enterprise.objects.filter(city_code=hefei.city_code,
                                               tier__in=LADDER[LADDER.index(Tier.INNOVATIVE):])
        listed += _push(hefei, "合肥市创新型中小企业融资需求名单", "合肥市，创新型中小企业及以上",
                        [DEMO_BANK, banks[5]], innovative, today - dt.timedelta(days=20))
        made += 1
    return made, listed


def _loans(rng: np.random.Generator, banks: list[str], today: dt.date) -> int:
    """30–80 loans per bank over this year and last, to enterprises on its lists."""
    loans = []
    lender = User.objects.filter(role=Role.BANK).order_by("id").first()
    start = dt.date(today.year - 1, 1, 1)
    for bank in banks:
        ids = list(ListedEnterprise.objects.filter(pushed_list__recipients__bank=bank)
                   .values_list("enterprise_id", flat=True).distinct()[:2000])
        if not ids:
            continue
        for _ in range(int(rng.integers(30, 80))):
            granted = start + dt.timedelta(days=int(rng.integers(0, (today - start).days + 1)))
            amount = Decimal(int(rng.choice([100, 200, 300, 500, 800, 1000, 1500, 2000, 3000, 5000])))
            loans.append(Loan(bank=bank, enterprise_id=int(rng.choice(ids)), granted_on=granted, amount=amount,
                              term_months=int(rng.choice([6, 12, 12, 24, 36, 60])),
                              rate=Decimal(str(round(float(rng.uniform(2.6, 4.2)), 2))),
                              special=bool(rng.random() < 0.7), recorded_by=lender))
    Loan.objects.bulk_create(loans, batch_size=2000)
    return len(loans)


def _receivables(rng: np.random.Generator, province: User, today: dt.date) -> int:
    firms = list(Enterprise.objects.filter(tier__in=SRDI_TIERS).order_by("id")[:600])
    if not firms:
        return 0
    made = 0
    for n in range(24):
        firm = firms[int(rng.integers(len(firms)))]
        status, ago, answered_after = RECEIVABLE_STAGES[n % len(RECEIVABLE_STAGES)]
        _receivable(rng, firm, None, province, today, status, ago + int(rng.integers(0, 3)), answered_after)
        made += 1
    qiye = User.objects.filter(username="qiye", role=Role.ENTERPRISE).first()
    own = Enterprise.objects.filter(credit_code=qiye.credit_code).first() if qiye else None
    if qiye and own:
        _receivable(rng, own, qiye, province, today, S.SENT, 8, None)
        _receivable(rng, own, qiye, province, today, S.CONFIRMED, 50, 21)
        made += 2
    return made


def _receivable(rng: np.random.Generator, firm: Enterprise, filer: User | None, province: User, today: dt.date,
                status: str, ago: int, answered_after: int | None) -> None:
    filer = filer or User.objects.filter(role=Role.ENTERPRISE, credit_code=firm.credit_code).first()
    # an enterprise without an account in the demo: its name stands for it in the history
    label: Any = filer or SimpleNamespace(pk=None, display_name=firm.name)
    debtor, kind = DEBTORS[int(rng.integers(len(DEBTORS)))]
    filed_on = today - dt.timedelta(days=ago)
    x = Receivable(enterprise=firm, filed_by=filer or province, debtor=debtor, debtor_kind=kind, status=status,
                   amount=Decimal(int(rng.integers(20, 900))) + Decimal("0.50"),
                   document_no=f"HT{filed_on:%Y%m}{int(rng.integers(1000, 9999))}",
                   arose_on=filed_on - dt.timedelta(days=int(rng.integers(30, 200))), filed_on=filed_on,
                   deadline=deadline_for(filed_on))
    asked = f"请求{debtor}确认应收账款 {wan(x.amount)} 万元，确权期限 {x.deadline}"
    steps = [(label, "receivable_file", asked, filed_on)]
    if status != S.FILED:
        x.sent_on = filed_on + dt.timedelta(days=2)
        steps.append((province, "receivable_send", f"转送{debtor}确认", x.sent_on))
    if answered_after is not None:
        x.answered_on = filed_on + dt.timedelta(days=answered_after)
        x.answer = "经核对，债务人对该笔应收账款无异议" if status == S.CONFIRMED else "合同约定的验收尚未完成，暂不确认"
        word = "确权" if status == S.CONFIRMED else "不予确认"
        steps.append((province, f"receivable_{'confirm' if status == S.CONFIRMED else 'refuse'}",
                      f"{debtor}{word}（{x.answered_on}）", x.answered_on))
    x.save()
    for actor, action, summary, day in steps:
        _history(actor, action, x, firm.credit_code, summary, day)


def _reserve(rng: np.random.Generator, province: User, today: dt.date) -> int:
    """About 40 candidates: most in 后备培育 or 辅导备案, a few further on, a handful listed in each year."""
    firms = list(Enterprise.objects.filter(tier__in=SRDI_TIERS[1:]).order_by("id")[:1500]) or \
        list(Enterprise.objects.filter(tier__in=SRDI_TIERS).order_by("id")[:1500])
    if not firms:
        return 0
    picks = [firms[int(i)] for i in rng.choice(len(firms), size=min(40, len(firms)), replace=False)]
    # every stage among the first ten, so that a small demo has listings too
    stages = [Stage.RESERVE, Stage.TUTORING, Stage.LISTED, Stage.RESERVE, Stage.FILED, Stage.TUTORING, Stage.LISTED,
              Stage.APPROVED, Stage.RESERVE, Stage.LISTED]
    for n, firm in enumerate(picks):
        stage = stages[n % len(stages)]
        added = dt.date(2022, 3, 1) + dt.timedelta(days=int(rng.integers(0, (today - dt.date(2022, 3, 1)).days - 400)))
        board = str(rng.choice(["star", "chinext", "bse", "bse", "sse_main", "szse_main"]))
        c = ListingCandidate(enterprise=firm, board=board, stage=stage, added_on=added, added_by=province)
        day, steps = added, [(province, "candidate_add", f"纳入上市后备资源库（拟{c.get_board_display()}）", added)]
        for later, field in ((Stage.TUTORING, "tutoring_on"), (Stage.FILED, "filed_on"),
                             (Stage.APPROVED, "approved_on"), (Stage.LISTED, "listed_on")):
            if list(Stage.values).index(later) > list(Stage.values).index(stage):
                break
            day = min(today, day + dt.timedelta(days=int(rng.integers(60, 200))))
            setattr(c, field, day)
            steps.append((province, "candidate_advance", f"上市进展：{later.label}（{day}）", day))
        if stage == Stage.LISTED:
            c.stock_code = f"{BOARD_CODES.get(board, 600000) + n * 7:06d}"
        c.save()
        for actor, action, summary, on in steps:
            _history(actor, action, c, firm.credit_code, summary, on)
    return len(picks)


def _history(actor: Any, action: str, obj: Any, code: str, summary: str, day: dt.date) -> None:
    audit_bulk([{"action": f"finance.{action}", "target_type": type(obj).__name__.lower(), "target_id": str(obj.pk),
                 "enterprise_code": code, "summary": summary}], actor=actor)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    AuditEvent.objects.filter(target_type=type(obj).__name__.lower(), target_id=str(obj.pk),
                              action=f"finance.{action}", summary=summary).update(at=at)
