"""The command line loads a command's module only when that command is asked for."""

from __future__ import annotations

import subprocess
import sys

import click

from vinculo.cli import COMMANDS, main


def test_every_listed_command_loads_under_its_own_name() -> None:
    ctx = click.Context(main)
    assert main.list_commands(ctx) == sorted(COMMANDS)
    for name in COMMANDS:
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
    assert main.get_command(ctx, "no-such-command") is None


def test_starting_the_command_line_imports_no_command_module() -> None:
    code = (
        "import sys, vinculo.cli; "
        "print(sorted(m for m in sys.modules if m.startswith('vinculo.cli.') or m in ('openpyxl', 'django')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
