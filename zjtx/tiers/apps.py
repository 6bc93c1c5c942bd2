from django.apps import AppConfig


class TiersConfig(AppConfig):
    name = "zjtx.tiers"
    label = "tiers"
    verbose_name = "梯度培育"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zjtx.core.audit import register_describer, register_visibility
        from zjtx.core.navigation import register_todos
        from zjtx.tiers import models
        from zjtx.tiers.access import may_read_record
        from zjtx.tiers.describe import describer
        from zjtx.tiers.todos import todos

        register_todos(todos)

        for target_type in ("application", "expertconflict"):
            register_visibility(target_type, may_read_record)
        # Audit target types are the model names (services._audit).
        for model in (models.Application, models.Batch, models.Recognition, models.ExpertConflict, models.Holiday,
                      models.Objection):
            register_describer(model._meta.model_name or "", describer(model))
