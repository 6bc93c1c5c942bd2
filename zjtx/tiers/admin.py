"""Read-only admin views: every change goes through services (audited), never through the admin."""

from __future__ import annotations

from django.contrib import admin

from zjtx.core.admin import ReadOnly
from zjtx.tiers.models import Application, Batch, ExpertConflict, Holiday, Recognition


@admin.register(Batch)
class BatchAdmin(ReadOnly):
    list_display = ("title", "tier", "year", "opens_on", "closes_on", "status")


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ("enterprise", "batch", "status", "flagged", "expert_score")
    list_filter = ("status", "flagged")


@admin.register(Recognition)
class RecognitionAdmin(ReadOnly):
    list_display = ("certificate_no", "enterprise", "tier", "start_date", "expires_on", "status")
    list_filter = ("tier", "status")


@admin.register(Holiday)
class HolidayAdmin(ReadOnly):
    list_display = ("date", "is_workday", "name")


@admin.register(ExpertConflict)
class ExpertConflictAdmin(ReadOnly):
    list_display = ("expert", "enterprise", "reason")
