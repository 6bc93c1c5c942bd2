from django.apps import AppConfig


class TiersConfig(AppConfig):
    name = "zjtx.tiers"
    label = "tiers"
    verbose_name = "梯度培育"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zjtx.core.audit import register_batch_describer, register_visibility
        from zjtx.core.navigation import register_todos
        from zjtx.tiers.access import may_read_record
        from zjtx.tiers.describe import MODELS, describers
        from zjtx.tiers.todos import todos

        register_todos(todos)

        for target_type in ("application", "expertconflict"):
            register_visibility(target_type, may_read_record)
        register_batch_describer(MODELS, describers)
