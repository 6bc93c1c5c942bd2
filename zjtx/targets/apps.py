from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "zjtx.targets"
    label = "targets"
    verbose_name = "目标监测"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zjtx.core.audit import register_visibility
        from zjtx.core.navigation import register_opener
        from zjtx.targets.access import may_open, may_read_record

        register_opener("targets", may_open)
        register_visibility("reportedfigure", may_read_record)
