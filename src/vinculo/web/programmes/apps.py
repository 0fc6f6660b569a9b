from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "vinculo.web.programmes"
    label = "programmes"
    verbose_name = "Programmes and practices"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from vinculo.web.core.areas import Area, register
        from vinculo.web.core.demo import register_loader

        from .demo import load_demo_programmes

        register_loader(load_demo_programmes)
        register(
            Area(
                "programmes:list",
                _("Programmes and practices"),
                _(
                    "Counter-trafficking programmes and what their evaluations found, curated by reviewers "
                    "and searchable in the six UN languages (resolution 74/176, paragraph 19)."
                ),
                order=30,
            )
        )
