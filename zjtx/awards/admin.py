"""Read-only admin views: the ledger is append-only and every change goes through services."""

from __future__ import annotations

from django.contrib import admin

from zjtx.awards.models import Budget, Entitlement, LedgerEntry
from zjtx.core.admin import ReadOnly


@admin.register(Budget)
class BudgetAdmin(ReadOnly):
    list_display = ("year", "funding_level", "city_code", "line", "allocated")


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnly):
    list_display = ("enterprise", "award_label", "amount", "funding_level", "status")
    list_filter = ("status", "funding_level", "no_application")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ("id", "created_at", "kind", "enterprise", "award", "amount", "funding_level", "budget_year")
    list_filter = ("kind", "funding_level", "budget_year")
