from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vinculo.web.core"
    label = "core"
    verbose_name = "Platform"
