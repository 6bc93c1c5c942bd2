from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "zjtx.duties"
    label = "duties"
    verbose_name = "任务分工"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zjtx.core.audit import register_visibility
        from zjtx.core.navigation import register_opener, register_todos
        from zjtx.duties.access import may_open, may_read_record
        from zjtx.duties.todos import todos

        register_opener("duties", may_open)
        register_todos(todos)
        for target_type in ("dutyreport", "dutyperiod"):
            register_visibility(target_type, may_read_record)
