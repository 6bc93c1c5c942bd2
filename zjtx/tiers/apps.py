from django.apps import AppConfig


class TiersConfig(AppConfig):
    name = "zjtx.tiers"
    label = "tiers"
    verbose_name = "梯度培育"
    default_auto_field = "django.db.models.BigAutoField"
