"""Read-only admin views: every change goes through services (checked and audited)."""

from __future__ import annotations

from django.contrib import admin

from zjtx.core.admin import ReadOnly
from zjtx.duties.models import Period, Report


@admin.register(Period)
class PeriodAdmin(ReadOnly):
    list_display = ("label", "starts", "ends", "due_on", "day_basis")


@admin.register(Report)
class ReportAdmin(ReadOnly):
    list_display = ("period", "task", "department", "status", "progress_status", "submitted_on")
    list_filter = ("status", "progress_status", "department")
