from django.contrib import admin

from zjtx.policy.models import ParameterValue, PolicyRun, ProgrammeEvent


@admin.register(ParameterValue)
class ParameterValueAdmin(admin.ModelAdmin):
    list_display = ["parameter_id", "start", "value", "reference", "created_by", "created_at"]
    readonly_fields = [f.name for f in ParameterValue._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # added through the policy page, which validates and audits


@admin.register(ProgrammeEvent)
class ProgrammeEventAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "kind", "date", "grade", "amount", "rank"]
    list_filter = ["kind"]
    raw_id_fields = ["enterprise"]


@admin.register(PolicyRun)
class PolicyRunAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "name", "as_of", "status", "enterprises", "fingerprint", "created_at"]
    readonly_fields = [f.name for f in PolicyRun._meta.fields]
