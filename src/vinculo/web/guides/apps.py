from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "vinculo.web.guides"
    label = "guides"
    verbose_name = "Guides"
