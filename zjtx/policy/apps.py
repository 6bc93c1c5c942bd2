from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "zjtx.policy"
    label = "policy"
    verbose_name = "政策引擎"
