from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "vinculo.web.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from vinculo.web.core.areas import Area, register

        register(
            Area(
                "reports:index",
                _("Reports"),
                _(
                    "Reports generated from the platform's public data: the report on the implementation of "
                    "resolution 74/176 (§26) for each year and the appraisal of the Global Plan of Action for "
                    "each cycle (§3–§5), as web pages and PDF, in the six languages."
                ),
                order=90,
            )
        )
