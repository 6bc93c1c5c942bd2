from django.contrib import admin

from zjtx.core.admin import ReadOnly
from zjtx.enterprises.models import Enterprise, ImportJob, Indicator

# The registry is edited on its own pages (checked by field, audited with before and after) and by import.


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnly):
    list_display = ["credit_code", "name", "city_code", "industry_code", "tier", "size_class"]
    list_filter = ["city_code", "tier", "size_class"]
    search_fields = ["credit_code", "name"]
    show_full_result_count = False
    raw_id_fields = ["service_officer"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnly):
    list_display = ["enterprise", "year", "revenue", "employees", "size_class"]
    raw_id_fields = ["enterprise"]
    show_full_result_count = False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnly):
    list_display = ["id", "file_name", "kind", "mode", "status", "created_by", "created_at"]
    list_filter = ["status", "kind"]
