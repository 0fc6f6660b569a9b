"""The ``vinculo`` command line. Each area adds its commands from its own module.

A command's module is imported only when that command runs (or the help lists it): ``vinculo
encode`` then loads the PPRL code alone, not the web platform, the spreadsheet writers and the
HTCDS schema (measured: importing every command module took 0.6 s of each run).
"""

from __future__ import annotations

import importlib

import click

from vinculo import __version__

#: Every command: its name and where it lives (``module:attribute`` under ``vinculo.cli``).
COMMANDS = {
    "serve": "web:serve",
    "demo": "web:demo",
    "worker": "web:worker",
    "createadmin": "web:createadmin",
    "manage": "web:manage",
    "generate-key": "web:generate_key",
    "glotip": "glotip:glotip",
    "validate": "htcds:validate",
    "estimate": "estimate:estimate",
    "import": "cases:import_",
    "report": "report:report",
    "audit": "audit:audit",
    "database-role": "audit:database_role",
    "backup": "backup:backup",
    "restore": "backup:restore",
    "link": "linkage:link",
    "dedupe": "linkage:dedupe",
    "encode": "pprl:encode",
    "match": "pprl:match",
    "release": "release:release",
}


class _LazyGroup(click.Group):
    """A group whose commands are imported when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vinculo")
def main() -> None:
    """vinculo: coordinated data against trafficking in persons.

    Case data on the Human Trafficking Case Data Standard, estimation of hidden victims
    (Multiple Systems Estimation), UNODC Global Report evidence and a coordination registry.
    """
