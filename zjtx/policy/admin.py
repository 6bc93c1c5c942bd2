from django.contrib import admin

from zjtx.core.admin import ReadOnly
from zjtx.policy.models import ParameterValue, PolicyRun, ProgrammeEvent

# Parameter values, events and runs are recorded on the policy pages, which check and audit them.


@admin.register(ParameterValue)
class ParameterValueAdmin(ReadOnly):
    list_display = ["parameter_id", "start", "value", "reference", "created_by", "created_at"]


@admin.register(ProgrammeEvent)
class ProgrammeEventAdmin(ReadOnly):
    list_display = ["enterprise", "kind", "date", "grade", "amount", "rank"]
    list_filter = ["kind"]
    raw_id_fields = ["enterprise"]


@admin.register(PolicyRun)
class PolicyRunAdmin(ReadOnly):
    list_display = ["id", "kind", "name", "as_of", "status", "enterprises", "fingerprint", "created_at"]
