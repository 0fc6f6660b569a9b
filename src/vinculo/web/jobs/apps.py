from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "vinculo.web.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
