"""Core packages never import Django: each is imported in a fresh interpreter and sys.modules checked."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import vinculo


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(vinculo.__path__, prefix="vinculo."):
        if info.name.startswith(("vinculo.web", "vinculo.cli")):
            continue
        names.append(info.name)
    return sorted(names)


def test_there_are_core_modules_to_check() -> None:
    assert "vinculo.errors" in core_modules()
    assert "vinculo.protect" in core_modules()


@pytest.mark.parametrize("module", core_modules())
def test_importing_a_core_module_does_not_import_django(module: str) -> None:
    code = f"import sys, {module}; print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
