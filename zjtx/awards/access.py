"""Who may see and act on entitlements, budgets and the ledger. One condition per line."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.awards.models import Budget, Entitlement, LedgerEntry
from zjtx.core import regions
from zjtx.core.errors import NotFoundError, PermissionDeniedError

VIEW_ROLES = {Role.PROVINCE, Role.CITY, Role.ENTERPRISE}


def require_view(user: User) -> None:
    if not user.is_authenticated or user.role not in VIEW_ROLES:
        raise PermissionDeniedError("您的角色无权查看奖补兑现")


def require_province(user: User, what: str) -> None:
    if not user.is_authenticated or user.role != Role.PROVINCE:
        raise PermissionDeniedError(f"只有省级管理员可以{what}")


def visible_entitlements(user: User) -> QuerySet[Entitlement]:
    require_view(user)
    qs = Entitlement.objects.select_related("enterprise", "batch", "budget")
    if user.role == Role.PROVINCE:
        return qs
    if user.role == Role.CITY:
        qs = qs.filter(enterprise__city_code=user.city_code)
        return qs.filter(enterprise__county_code=user.county_code) if user.county_code else qs
    return qs.filter(enterprise__credit_code=user.credit_code)


def access_entitlement(user: User, pk: int) -> Entitlement:
    entitlement = visible_entitlements(user).filter(pk=pk).first()
    if entitlement is None:
        raise NotFoundError("奖补资格不存在或不在您的范围内")
    return entitlement


def readable_entitlement(user: User, pk: int) -> tuple[Entitlement, bool]:
    """The entitlement for its page, and whether the user may act on it. Besides its own, a city reads
    (only) the entitlements its ledger lists: an enterprise that moved away left its paid lines on the old
    city's ledger and payment lists, and their links led to 404."""
    entitlement = visible_entitlements(user).filter(pk=pk).first()
    if entitlement is not None:
        return entitlement, True
    booked = visible_ledger(user).filter(entitlement_id=pk).values("entitlement_id")
    entitlement = Entitlement.objects.select_related("enterprise", "batch", "budget").filter(pk__in=booked).first()
    if entitlement is None:
        raise NotFoundError("奖补资格不存在或不在您的范围内")
    return entitlement, False


def visible_ledger(user: User) -> QuerySet[LedgerEntry]:
    require_view(user)
    qs = LedgerEntry.objects.select_related("enterprise", "entitlement", "batch")
    if user.role == Role.PROVINCE:
        return qs
    if user.role == Role.CITY:
        # The city the line was booked for (its payment lists and its budget's 已拨付), not where the
        # enterprise is now: a line of an enterprise that moved away would drop out of both cities' lists.
        qs = qs.filter(city_code=user.city_code)
        return qs.filter(enterprise__county_code=user.county_code) if user.county_code else qs
    return qs.filter(enterprise__credit_code=user.credit_code)


def sees_full_account(user: User) -> bool:
    """Lists of payments show whole account numbers to the province, which pays from them; the others read
    the last four digits, enough to tell a reissue to a corrected account from the original line."""
    return user.role == Role.PROVINCE


def filter_cities(user: User) -> list[tuple[str, str]]:
    """The cities a list may be filtered by: all for the province, its own for a city, none for an enterprise."""
    if user.role == Role.PROVINCE:
        return list(regions.CITIES)
    if user.role == Role.CITY:
        return [(user.city_code, regions.city_name(user.city_code))]
    return []


def visible_budgets(user: User) -> QuerySet[Budget]:
    if not user.is_authenticated or user.role not in (Role.PROVINCE, Role.CITY):
        raise PermissionDeniedError("只有省级、市级管理员可以查看预算")
    qs = Budget.objects.all()
    return qs if user.role == Role.PROVINCE else qs.filter(city_code=user.city_code)


def require_city_scope(user: User, entitlement: Entitlement) -> None:
    enterprise = entitlement.enterprise
    if user.role != Role.CITY:
        return
    if enterprise.city_code != user.city_code or (user.county_code and enterprise.county_code != user.county_code):
        raise NotFoundError("奖补资格不存在或不在您的范围内")


def require_own(user: User, entitlement: Entitlement) -> None:
    if user.role == Role.ENTERPRISE and entitlement.enterprise.credit_code != user.credit_code:
        raise NotFoundError("奖补资格不存在或不在您的范围内")


def may_read_record(user: User, event: Any) -> bool:
    """An audit record of the award ledger (amounts, bank and account tails): for the roles that see the
    awards at all, where records are listed together (the enterprise's change history)."""
    return user.role in VIEW_ROLES
