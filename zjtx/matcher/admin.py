"""Read-only admin views: the list is built from a province run, never typed in."""

from __future__ import annotations

from django.contrib import admin

from zjtx.core.admin import ReadOnly
from zjtx.matcher.models import Candidate, CandidateList


@admin.register(CandidateList)
class CandidateListAdmin(ReadOnly):
    list_display = ("run", "status", "built_at", "message")


@admin.register(Candidate)
class CandidateAdmin(ReadOnly):
    list_display = ("enterprise", "kind", "tier", "gap", "condition", "award_label", "amount")
    list_filter = ("kind", "tier", "gap")
    raw_id_fields = ("enterprise",)
