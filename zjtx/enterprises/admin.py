from django.contrib import admin

from zjtx.enterprises.models import Enterprise, ImportJob, Indicator


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["credit_code", "name", "city_code", "industry_code", "tier", "size_class"]
    list_filter = ["city_code", "tier", "size_class"]
    search_fields = ["credit_code", "name"]
    show_full_result_count = False
    readonly_fields = ["size_class", "size_year", "tier", "industry_division", "created_job"]
    raw_id_fields = ["service_officer"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "year", "revenue", "employees", "size_class"]
    raw_id_fields = ["enterprise"]
    readonly_fields = ["size_class"]
    show_full_result_count = False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["id", "file_name", "kind", "mode", "status", "created_by", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]
