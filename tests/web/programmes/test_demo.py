from __future__ import annotations

from typing import Any

from vinculo.web.core import demo
from vinculo.web.programmes.models import Programme


def test_the_demo_loader_adds_about_thirty_labelled_programmes_once(db: Any) -> None:
    lines = demo.load_demo()
    assert any("synthetic programmes" in line for line in lines)
    programmes = Programme.objects.all()
    assert 25 <= programmes.count() <= 35
    assert all(p.synthetic and p.title.startswith("[Synthetic]") for p in programmes)
    assert programmes.filter(status="published").count() >= 20
    demo.load_demo()
    assert Programme.objects.count() == programmes.count()
