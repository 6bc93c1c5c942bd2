from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zjtx.accounts"
    label = "accounts"
    verbose_name = "用户与角色"
