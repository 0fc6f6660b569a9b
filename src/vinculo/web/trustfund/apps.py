from django.apps import AppConfig


class TrustfundConfig(AppConfig):
    name = "vinculo.web.trustfund"
    label = "trustfund"
    verbose_name = "Voluntary Trust Fund"

    def ready(self) -> None:
        from vinculo.web.core.demo import register_loader

        from .demo import load_demo

        register_loader(load_demo)
