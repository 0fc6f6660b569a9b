from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "vinculo.web.network"
    label = "network"
    verbose_name = "National rapporteurs"

    def ready(self) -> None:
        from vinculo.web.core.demo import register_loader

        from .demo import load_demo

        register_loader(load_demo)
