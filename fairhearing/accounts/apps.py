from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fairhearing.accounts"
    label = "accounts"
    verbose_name = "Accounts"
