from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "vinculo.web.linkage"
    label = "linkage"
    verbose_name = "Linkage exercises"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from vinculo.web.core.areas import Area, register
        from vinculo.web.jobs import runner

        from .jobs import run_linkage

        runner.register("linkage", run_linkage)
        register(
            Area(
                "linkage:list",
                _("Linkage exercises"),
                _(
                    "Find the same victim on several organisations' lists without sharing identities, "
                    "and hand the capture histories to an estimate (resolution 74/176, §13 and §25)."
                ),
                order=25,
                visible=lambda user: bool(getattr(user, "is_authenticated", False)),
            )
        )
