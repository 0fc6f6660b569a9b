"""``vinculo release``: k-anonymised microdata, DP counts and DP synthetic data from a case file.

Each subcommand lives in its own module and is imported only when it runs (as the top-level
commands are, see :mod:`vinculo.cli`).
"""

from __future__ import annotations

import importlib
import importlib.util

import click

#: Subcommand name -> ``module:attribute`` under ``vinculo.cli``.
SUBCOMMANDS = {
    "kanon": "release_kanon:kanon",
    "counts": "release_counts:counts",
    "synthesize": "release_synthesize:synthesize",
}


class _LazyReleaseGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in SUBCOMMANDS if self._available(name)) or sorted(
            super().list_commands(ctx)
        )

    @staticmethod
    def _available(name: str) -> bool:
        module = SUBCOMMANDS[name].split(":")[0]
        return importlib.util.find_spec(f"vinculo.cli.{module}") is not None

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in SUBCOMMANDS and self._available(cmd_name):
            module, attribute = SUBCOMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(f"vinculo.cli.{module}"), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyReleaseGroup)
def release() -> None:
    """Release case data safely: k-anonymised microdata, DP counts, DP synthetic data."""
