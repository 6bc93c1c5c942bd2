"""Read-only admin views: every change goes through services (checked and audited)."""

from __future__ import annotations

from django.contrib import admin

from zjtx.core.admin import ReadOnly
from zjtx.finance.models import ListingCandidate, Loan, PushedList, Receivable


@admin.register(PushedList)
class PushedListAdmin(ReadOnly):
    list_display = ("pushed_on", "title", "city_code", "pushed_by")


@admin.register(Loan)
class LoanAdmin(ReadOnly):
    list_display = ("granted_on", "bank", "enterprise", "amount", "term_months", "special")
    list_filter = ("special", "bank")


@admin.register(Receivable)
class ReceivableAdmin(ReadOnly):
    list_display = ("filed_on", "enterprise", "debtor", "amount", "status", "deadline")
    list_filter = ("status", "debtor_kind")


@admin.register(ListingCandidate)
class ListingCandidateAdmin(ReadOnly):
    list_display = ("enterprise", "board", "stage", "added_on", "listed_on", "stock_code")
    list_filter = ("stage", "board")
