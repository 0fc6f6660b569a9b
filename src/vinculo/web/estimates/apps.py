from django.apps import AppConfig


class EstimatesConfig(AppConfig):
    name = "vinculo.web.estimates"
    label = "estimates"
    verbose_name = "Estimates of hidden victims"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from vinculo.web.core.areas import Area, register
        from vinculo.web.jobs import runner

        from .jobs import run_estimate

        runner.register("estimate", run_estimate)
        register(
            Area(
                "estimates:list",
                _("Estimates of hidden victims"),
                _(
                    "Multiple Systems Estimation of the number of victims no agency has detected, from the "
                    "overlaps between agencies' lists, for SDG indicator 16.2.2 (resolution 74/176, §25)."
                ),
                order=20,
            )
        )
