from django.apps import AppConfig


class TreatiesConfig(AppConfig):
    name = "vinculo.web.treaties"
    label = "treaties"
    verbose_name = "Treaty status"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from vinculo.web.core.areas import Area, register
        from vinculo.web.core.demo import register_loader

        from .demo import load_demo

        register_loader(load_demo)
        register(
            Area(
                "treaties:hub",
                _("Coordination registry"),
                _(
                    "Treaty status of every State, national rapporteurs, the appraisal of the Global Plan of "
                    "Action, the Voluntary Trust Fund and the events calendar (resolution 74/176)."
                ),
                order=30,
            )
        )
