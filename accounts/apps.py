from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and API tokens"

    def ready(self):
        from . import roles  # noqa: F401  (connects the Editors-are-staff signal)
