from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "vinculo.web.linkage"
    label = "linkage"
    verbose_name = "Linkage exercises"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from vinculo.web.cases.actions import register_encrypted
        from vinculo.web.core.areas import Area, register
        from vinculo.web.jobs import runner

        from .jobs import run_linkage
        from .models import LinkedRecord, Participant

        runner.register("linkage", run_linkage)
        # Key rotation (manage.py rotate_keys) re-encrypts the stored encodings files and the
        # encrypted record ids of PPRL results with the case data.
        register_encrypted(Participant, ("encodings",), files=True, name="encodings files")
        register_encrypted(LinkedRecord, ("record_token",), files=False, name="linked record ids")
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
