from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "vinculo.web.exchange"
    label = "exchange"
    verbose_name = "Information exchange"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from vinculo.web.core.areas import Area, register

        register(
            Area(
                "exchange:list",
                _("Information exchange"),
                _(
                    "Alerts, requests for information and briefings shared between agencies and countries with "
                    "privacy and confidentiality (resolution 74/176, paragraph 13)."
                ),
                order=10,
            )
        )
