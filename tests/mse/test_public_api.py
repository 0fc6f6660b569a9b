from __future__ import annotations

import subprocess
import sys

import vinculo.mse


def test_every_public_name_is_exported() -> None:
    public = {n for n in dir(vinculo.mse) if not n.startswith("_")}
    modules = {"bayes", "bootstrap", "estimate", "existence", "profile", "result", "settings", "strata"}
    assert public - modules - {"annotations"} <= set(vinculo.mse.__all__) | modules
    for name in vinculo.mse.__all__:
        assert hasattr(vinculo.mse, name)


def test_importing_mse_does_not_import_django() -> None:
    code = "import sys, vinculo.mse, vinculo.cli.estimate; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
