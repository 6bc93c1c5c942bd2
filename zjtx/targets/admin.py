"""Read-only admin view: figures are reported through the page, which checks and audits them."""

from __future__ import annotations

from django.contrib import admin

from zjtx.core.admin import ReadOnly
from zjtx.targets.models import ReportedFigure


@admin.register(ReportedFigure)
class ReportedFigureAdmin(ReadOnly):
    list_display = ("target", "year", "city_code", "kind", "value", "reported_by", "reported_at")
    list_filter = ("kind", "year")
