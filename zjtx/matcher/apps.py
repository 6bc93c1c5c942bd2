from django.apps import AppConfig


class MatcherConfig(AppConfig):
    name = "zjtx.matcher"
    label = "matcher"
    verbose_name = "政策计算器"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from zjtx.core.navigation import register_opener
        from zjtx.matcher import receivers
        from zjtx.matcher.access import can_open
        from zjtx.policy.models import PolicyRun

        register_opener("matcher", can_open)
        post_save.connect(receivers.on_run_saved, sender=PolicyRun, dispatch_uid="matcher.on_run_saved")
