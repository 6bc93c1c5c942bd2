from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zjtx.core"
    label = "core"
    verbose_name = "基础"
