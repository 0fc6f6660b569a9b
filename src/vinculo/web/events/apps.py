from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "vinculo.web.events"
    label = "events"
    verbose_name = "Events calendar"

    def ready(self) -> None:
        from vinculo.web.core.demo import register_loader

        from .demo import load_demo

        register_loader(load_demo)
