"""The README documents every CLI command and every environment variable the settings read."""

from __future__ import annotations

import re
from pathlib import Path

import click

from vinculo.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_paths(group: click.Group, prefix: str = "vinculo") -> list[str]:
    paths = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, path))
        else:
            paths.append(path)
    return paths


def test_every_cli_command_is_in_the_readme() -> None:
    missing = [path for path in command_paths(main) if f"`{path}" not in README]
    assert missing == []


def test_every_setting_read_from_the_environment_is_in_the_readme() -> None:
    names = set()
    for path in (ROOT / "src" / "vinculo" / "web" / "settings").glob("*.py"):
        names |= set(
            re.findall(r'env_(?:str|list|bool)\("(VINCULO_[A-Z_]+)"', path.read_text(encoding="utf-8"))
        )
    assert names, "no settings found"
    missing = sorted(n for n in names if n not in README)
    assert missing == []
