"""Core packages never import Django: every core module is imported in one fresh interpreter, and
sys.modules is read after each import, so the first module that pulls Django in is named."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import vinculo

# Imports each module named on stdin in turn; after each, reports whether Django is loaded and any
# import error. Importing is cumulative, so "Django appeared after X" means X (or something X imports
# that no earlier module imported) pulled it in; a module that imports cleanly alone also does here.
PROBE = """
import importlib, json, sys, traceback
report = []
for name in json.load(sys.stdin):
    try:
        importlib.import_module(name)
        error = None
    except Exception:
        error = traceback.format_exc(limit=3)
    django = any(m == "django" or m.startswith("django.") for m in sys.modules)
    report.append([name, error, django])
json.dump(report, sys.stdout)
"""


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
    assert len(core_modules()) > 50


def _probe(modules: list[str]) -> list[tuple[str, str | None, bool]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        input=json.dumps(modules),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [tuple(row) for row in json.loads(result.stdout)]  # type: ignore[misc]


def test_no_core_module_imports_django() -> None:
    report = _probe(core_modules())
    assert len(report) == len(core_modules())
    errors = {name: error for name, error, _ in report if error}
    assert not errors, errors
    pulled = [name for name, _, django in report if django]
    assert not pulled, f"{pulled[0]} imports Django"


def test_the_probe_names_a_module_that_imports_django() -> None:
    # The check above can fail: a module that imports Django is named, and the ones before it are not.
    report = _probe(["vinculo.errors", "django.conf", "vinculo.protect"])
    assert [(name, django) for name, _, django in report] == [
        ("vinculo.errors", False),
        ("django.conf", True),
        ("vinculo.protect", True),
    ]
