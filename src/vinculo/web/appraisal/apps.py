from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "vinculo.web.appraisal"
    label = "appraisal"
    verbose_name = "Appraisal of the Global Plan of Action"

    def ready(self) -> None:
        from vinculo.web.core.demo import register_loader

        from .demo import load_demo

        register_loader(load_demo)
