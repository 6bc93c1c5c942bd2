from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "zjtx.finance"
    label = "finance"
    verbose_name = "金融服务"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zjtx.core.audit import register_visibility
        from zjtx.core.navigation import register_opener, register_todos
        from zjtx.finance.access import may_open, may_read_record
        from zjtx.finance.todos import todos

        register_opener("finance", may_open)
        register_todos(todos)
        for target_type in ("pushedlist", "loan", "receivable", "listingcandidate"):
            register_visibility(target_type, may_read_record)
