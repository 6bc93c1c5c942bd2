"""Read-only admin views: every change goes through services (checked and audited)."""

from __future__ import annotations

from django.contrib import admin

from zjtx.core.admin import ReadOnly
from zjtx.services.models import ServiceRequest, Visit


@admin.register(Visit)
class VisitAdmin(ReadOnly):
    list_display = ("visited_on", "enterprise", "officer", "way")
    list_filter = ("way",)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnly):
    list_display = ("created_at", "enterprise", "category", "title", "status", "department", "deadline", "rating")
    list_filter = ("status", "category", "department")
