"""Admin pages show the records; changes go through the services, which validate and audit them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zjtx.core.models import AuditEvent

admin.site.site_header = "专精特新中小企业培育平台 · 后台管理"
admin.site.site_title = "zjtx 后台管理"
admin.site.index_title = "数据查看与账号管理"


class ReadOnly(admin.ModelAdmin):
    """For every business record: the admin may look, never add, change or delete (that would skip the
    services' checks and the audit trail)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly):
    list_display = ["at", "actor_label", "action", "target_type", "target_id", "summary"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_id", "enterprise_code", "actor_label"]
