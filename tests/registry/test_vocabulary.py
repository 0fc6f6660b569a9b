from __future__ import annotations

import vinculo.registry as registry
from vinculo.registry import PILLARS, check_codes


def test_unknown_codes_name_the_field_and_the_allowed_codes() -> None:
    issues = check_codes("pillars", ["prevention", "punishment"], PILLARS)
    assert len(issues) == 1
    assert issues[0].location.field == "pillars"
    assert "prosecution" in (issues[0].fix or "")


def test_all_public_names_are_exported() -> None:
    public = {n for n in dir(registry) if not n.startswith("_")}
    assert set(registry.__all__) == public - {"annotations"}
