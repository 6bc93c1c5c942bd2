"""Who may see and do what in 金融服务. One condition per line; the only place with role checks.

- province: everything; city: its city (a county account its county): the lists it pushed and the province's
  (showing its own enterprises only), its enterprises' loans, receivables and reserve;
- 省地方金融监管局 (department ``local_finance``, a co-lead of 二(四)9–11): reads every finance page, province-wide,
  and changes nothing; other departments have no access;
- bank: only the lists pushed to its unit (``User.organisation``), with the enterprises' public fields needed
  for credit, and its own loans;
- enterprise: its own receivable requests and whether it is in the 上市后备资源库;
- officer, expert: no access (403, no menu entry).

A record outside the user's scope is NotFoundError (404), so its existence is not revealed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import regions
from zjtx.core.errors import NotFoundError, PermissionDeniedError
from zjtx.enterprises.models import Enterprise
from zjtx.finance.models import ListedEnterprise, ListingCandidate, Loan, PushedList, Receivable

FINANCE_DEPARTMENT = "local_finance"
OFFICIALS = {Role.PROVINCE, Role.CITY}  # who push lists, route receivables and keep the reserve


def is_reader(user: Any) -> bool:
    """The 省地方金融监管局: reads everything, province-wide."""
    return user.role == Role.DEPARTMENT and user.department == FINANCE_DEPARTMENT


def may_open(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    return user.role in (Role.PROVINCE, Role.CITY, Role.BANK, Role.ENTERPRISE) or is_reader(user)


def _require(user: User, allowed: bool, what: str) -> None:
    if not may_open(user) or not allowed:
        raise PermissionDeniedError(f"您的角色无权{what}")


def sees_all(user: User) -> bool:
    return user.role == Role.PROVINCE or is_reader(user)


def may_see_lists(user: User) -> bool:
    return may_open(user) and user.role != Role.ENTERPRISE


def may_push(user: User) -> bool:
    return user.is_authenticated and user.role in OFFICIALS


def may_see_credit(user: User) -> bool:
    return may_open(user) and user.role not in (Role.ENTERPRISE, Role.BANK)


def may_act_on_receivables(user: User) -> bool:
    return user.is_authenticated and user.role in OFFICIALS


def bank_of(user: User) -> str:
    """The partner bank a bank account works for; "" when the account names none (it then sees nothing)."""
    return user.organisation.strip() if user.role == Role.BANK else ""


def recipients_shown(user: User, pushed: PushedList) -> list[str]:
    """The banks a list went to; a bank reads only its own name (which other banks got the list is not its
    business)."""
    return [bank_of(user)] if user.role == Role.BANK else [r.bank for r in pushed.recipients.all()]


def enterprise_scope(user: User, prefix: str = "") -> Q:
    """The enterprises of the user's place, as a filter on `prefix`; everything for the province and reader."""
    if sees_all(user):
        return Q()
    if user.role == Role.CITY:
        q = Q(**{f"{prefix}city_code": user.city_code})
        return q & Q(**{f"{prefix}county_code": user.county_code}) if user.county_code else q
    if user.role == Role.ENTERPRISE:
        return Q(**{f"{prefix}credit_code": user.credit_code})
    return Q(pk__in=[])


def scoped_enterprises(user: User) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(enterprise_scope(user))


# ---------------------------------------------------------------- lists and loans

def visible_lists(user: User) -> QuerySet[PushedList]:
    _require(user, may_see_lists(user), "查看推送名单")
    qs = PushedList.objects.select_related("pushed_by")
    if sees_all(user):
        return qs
    if user.role == Role.BANK:
        return qs.filter(recipients__bank=bank_of(user)) if bank_of(user) else qs.none()
    return qs.filter(Q(city_code="") | Q(city_code=user.city_code))


def access_list(user: User, pk: int) -> PushedList:
    found = visible_lists(user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("名单不存在或不在您的范围内")
    return found


def list_enterprises(user: User, pushed: PushedList) -> QuerySet[Enterprise]:
    """The enterprises of a list the user may read: a bank all of its list, a city its own place's."""
    qs = Enterprise.objects.filter(pk__in=pushed.entries.values("enterprise"))
    return qs if user.role == Role.BANK else qs.filter(enterprise_scope(user))


def pushable_enterprises(user: User) -> QuerySet[Enterprise]:
    if not may_push(user):
        raise PermissionDeniedError("只有省级、市级管理员可以推送企业名单")
    return scoped_enterprises(user)


def bank_enterprises(user: User) -> QuerySet[Enterprise]:
    """Every enterprise on a list pushed to the user's bank: the only ones it may record loans for."""
    if user.role != Role.BANK:
        raise PermissionDeniedError("只有合作银行可以记录贷款")
    lists = visible_lists(user)
    return Enterprise.objects.filter(pk__in=ListedEnterprise.objects.filter(pushed_list__in=lists)
                                     .values("enterprise"))


def visible_loans(user: User) -> QuerySet[Loan]:
    _require(user, may_see_lists(user), "查看贷款")
    qs = Loan.objects.select_related("enterprise")
    if user.role == Role.BANK:
        return qs.filter(bank=bank_of(user)) if bank_of(user) else qs.none()
    return qs.filter(enterprise_scope(user, "enterprise__"))


# ---------------------------------------------------------------- receivables and reserve

def visible_receivables(user: User) -> QuerySet[Receivable]:
    _require(user, user.role != Role.BANK, "查看应收账款确权请求")
    return Receivable.objects.select_related("enterprise", "filed_by").filter(
        enterprise_scope(user, "enterprise__"))


def access_receivable(user: User, pk: int) -> Receivable:
    found = visible_receivables(user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("确权请求不存在或不在您的范围内")
    return found


def fileable_enterprise(user: User) -> Enterprise:
    if not user.is_authenticated or user.role != Role.ENTERPRISE:
        raise PermissionDeniedError("只有企业用户可以提交应收账款确权请求")
    found = Enterprise.objects.filter(credit_code=user.credit_code).first()
    if found is None:
        raise PermissionDeniedError("您的账号没有对应的企业，请联系管理员")
    return found


def visible_candidates(user: User) -> QuerySet[ListingCandidate]:
    _require(user, user.role != Role.BANK, "查看上市后备资源库")
    return ListingCandidate.objects.select_related("enterprise").filter(enterprise_scope(user, "enterprise__"))


def access_candidate(user: User, pk: int) -> ListingCandidate:
    found = visible_candidates(user).filter(pk=pk).first()
    if found is None:
        raise NotFoundError("后备企业不存在或不在您的范围内")
    return found


def may_keep_reserve(user: User) -> bool:
    return user.is_authenticated and user.role in OFFICIALS


def filter_cities(user: User) -> list[tuple[str, str]]:
    """Cities a page may be filtered by: all for the province-wide roles, none for the others."""
    return list(regions.CITIES) if sees_all(user) else []


def may_read_record(user: User, event: Any) -> bool:
    """Finance records in an enterprise's change history: for the officials and the reader; the enterprise
    reads those of its own receivables and reserve entry (it sees only its own history)."""
    if user.role in OFFICIALS or is_reader(user):
        return True
    return user.role == Role.ENTERPRISE and event.target_type in ("receivable", "listingcandidate")
