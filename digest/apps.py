from django.apps import AppConfig


class DigestConfig(AppConfig):
    name = "digest"
    verbose_name = "Digests"

    def ready(self):
        from .signals import connect_model_signals

        connect_model_signals()
