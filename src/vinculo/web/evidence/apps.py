from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "vinculo.web.evidence"
    label = "evidence"
    verbose_name = "Global Report evidence"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from vinculo.web.core.areas import Area, register
        from vinculo.web.core.demo import register_loader

        from . import caching  # noqa: F401  (a stored release invalidates the cached public pages)
        from .demo import load_packaged_export

        register_loader(load_packaged_export)
        register(
            Area(
                "evidence:home",
                _("Global Report evidence"),
                _(
                    "Country, regional and global profiles from the UNODC Global Report on Trafficking in "
                    "Persons data: detected victims, forms of exploitation, flows, prosecutions and "
                    "convictions, and yearly figures submitted by Member States."
                ),
                order=30,
            )
        )
