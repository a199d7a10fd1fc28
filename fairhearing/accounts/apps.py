from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fairhearing.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.core.checks import register

        from fairhearing.accounts.checks import check_two_factor_middleware

        register(check_two_factor_middleware, "fairhearing")
