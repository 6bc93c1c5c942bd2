from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "zjtx.awards"
    label = "awards"
    verbose_name = "奖补兑现"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zjtx.awards import receivers
        from zjtx.awards.access import VIEW_ROLES, may_read_record
        from zjtx.awards.describe import MODELS, history_describers
        from zjtx.awards.selectors import revocation_summary
        from zjtx.awards.services import recognition_revoked
        from zjtx.awards.todos import todos
        from zjtx.core.audit import register_batch_describer, register_visibility
        from zjtx.core.navigation import register_opener, register_todos
        from zjtx.policy.events import programme_event_recorded
        from zjtx.tiers import hooks as tiers_hooks

        register_opener("awards", lambda user: user.role in VIEW_ROLES)
        register_todos(todos)
        for target_type in MODELS:
            register_visibility(target_type, may_read_record)
        register_batch_describer(MODELS, history_describers)

        tiers_hooks.register_on_revoke(recognition_revoked)
        tiers_hooks.register_describer(revocation_summary)
        programme_event_recorded.connect(receivers.on_programme_event, dispatch_uid="awards.on_programme_event")
