from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "zjtx.services"
    label = "services"
    verbose_name = "服务专员与诉求"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zjtx.core.audit import register_visibility
        from zjtx.core.navigation import register_opener, register_todos
        from zjtx.services.access import may_open, may_read_record
        from zjtx.services.todos import todos

        register_opener("services", may_open)
        register_todos(todos)
        for target_type in ("servicerequest", "visit"):
            register_visibility(target_type, may_read_record)
