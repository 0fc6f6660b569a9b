from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vinculo.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from vinculo.web.core.areas import Area, register

        register(
            Area(
                "accounts:organisations",
                _("Organisations"),
                _(
                    "The directory of Member State authorities, national rapporteurs, ICAT members and partners, "
                    "regional organisations, civil society, the private sector and research institutions."
                ),
                order=90,
            )
        )
