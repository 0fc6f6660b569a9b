from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "vinculo.web.cases"
    label = "cases"
    verbose_name = "Case data"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from vinculo.web.core.areas import Area, register
        from vinculo.web.core.demo import register_loader
        from vinculo.web.jobs import runner

        from . import actions
        from .demo import load_demo_cases
        from .jobs import run_import_job, run_validation_job

        runner.register(actions.VALIDATE_JOB, run_validation_job)
        runner.register(actions.IMPORT_JOB, run_import_job)
        register_loader(load_demo_cases)
        register(
            Area(
                "cases:list",
                _("Case data"),
                _(
                    "Case records on the Human Trafficking Case Data Standard: organisations submit checked "
                    "files, identifiers stay encrypted, and partners browse counts they may see "
                    "(resolution 74/176, paragraphs 13 and 25)."
                ),
                order=15,
            )
        )
