"""The world map: TopoJSON decoding, Equal Earth, classes and the accessible SVG."""

from __future__ import annotations

import itertools
import json
import math
import re
import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from vinculo.charts import (
    MAP_OTHER,
    MAP_PALETTE,
    SUPPRESSED,
    UNCODED_UNITS,
    choropleth_map,
    class_of,
    equal_earth,
    map_classes,
    world_shapes,
)
from vinculo.charts._map import _cut_antimeridian, _decode_arcs, _ring
from vinculo.errors import VinculoError

NS = {"s": "http://www.w3.org/2000/svg"}


def _shapes() -> dict[str, object]:
    shapes, _size = world_shapes()
    return {s.iso3: s for s in shapes}


def test_equal_earth_matches_the_published_extent() -> None:
    # Šavrič et al. 2018: the map is 2.7066 wide and 1.3173 high per half on the unit sphere
    x, y = equal_earth(180, 0)
    assert x == pytest.approx(2.7066, abs=1e-4) and y == 0
    x, y = equal_earth(0, 90)
    assert x == 0 and y == pytest.approx(1.3173, abs=1e-4)

    # symmetric and equal-area: a 10-degree cell near the equator and one at 60N have areas in the ratio
    # of their areas on the sphere
    def cell(lat: float) -> float:
        (x0, y0), (x1, y1) = equal_earth(0, lat), equal_earth(10, lat + 10)
        return abs(x1 - x0) * abs(y1 - y0)

    sphere = (math.sin(math.radians(70)) - math.sin(math.radians(60))) / math.sin(math.radians(10))
    assert cell(60) / cell(0) == pytest.approx(sphere, rel=0.05)
    assert equal_earth(-30, -40) == pytest.approx(tuple(-c for c in equal_earth(30, 40)))


def test_arcs_are_delta_decoded_and_reversed_arcs_read_backwards() -> None:
    topology = {
        "transform": {"scale": [0.5, 2.0], "translate": [10, -5]},
        "arcs": [[[0, 0], [2, 0], [0, 1]], [[2, 1], [-2, -1]]],
    }
    arcs = _decode_arcs(topology)
    assert arcs[0] == [(10.0, -5.0), (11.0, -5.0), (11.0, -3.0)]
    assert arcs[1] == [(11.0, -3.0), (10.0, -5.0)]
    # a ring joins arcs and keeps shared end points once; ~1 is arc 1 reversed
    assert _ring(arcs, [0, 1]) == [(10.0, -5.0), (11.0, -5.0), (11.0, -3.0), (10.0, -5.0)]
    assert _ring(arcs, [~1]) == [(10.0, -5.0), (11.0, -3.0)]


def test_a_ring_across_the_antimeridian_is_cut_into_two_closed_pieces() -> None:
    ring = [(170.0, 0.0), (-170.0, 0.0), (-170.0, 10.0), (170.0, 10.0), (170.0, 0.0)]
    pieces = _cut_antimeridian(ring)
    assert len(pieces) == 2
    for piece in pieces:
        lons = {lon for lon, _lat in piece}
        assert all(lon >= 170 for lon in lons) or all(lon <= -170 for lon in lons)
    assert _cut_antimeridian([(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]) == [[(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]]


def test_world_shapes_cover_the_countries_and_the_odd_ids() -> None:
    shapes = _shapes()
    topology = json.loads(
        resources.files("vinculo.charts").joinpath("data", "countries-110m.json").read_text()
    )
    n_units = len(topology["objects"]["countries"]["geometries"])
    # every unit is drawn: Antarctica is left out, N. Cyprus joins Cyprus and Somaliland Somalia
    assert len(shapes) == n_units - 3
    assert {"XKX", "CYP", "SOM", "TWN", "PSE", "ESH", "FRA", "RUS", "FJI"} <= set(shapes)
    assert "ATA" not in shapes
    assert set(UNCODED_UNITS) == {"Kosovo", "N. Cyprus", "Somaliland"}
    # Cyprus is drawn from two units: two closed sub-paths at least
    assert shapes["CYP"].path.count("M") >= 2  # type: ignore[attr-defined]
    # small states vanish at 1:110m: they are not shapes (pages list them in the table)
    assert "MLT" not in shapes and "SGP" not in shapes


def _rings(path: str) -> list[list[tuple[float, float]]]:
    """The absolute points of each closed sub-path of path data written with M, l and z."""
    rings = []
    for command, numbers in re.findall(r"([Mlz])([^MlzZ]*)", path):
        values = [float(v) for v in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", numbers)]
        pairs = list(zip(values[0::2], values[1::2], strict=True))
        if command == "M":
            rings.append([pairs[0]])
        elif command == "l":
            for dx, dy in pairs:
                x, y = rings[-1][-1]
                rings[-1].append((x + dx, y + dy))
    return rings


def test_path_data_is_compact_and_decodes_to_the_projected_outline() -> None:
    shapes, _size = world_shapes()
    total = sum(len(s.path) for s in shapes)
    assert total < 80_000  # absolute coordinates with one decimal took 115,698 characters
    for s in shapes:
        x0, y0, x1, y1 = s.box
        for ring in _rings(s.path):
            assert len(ring) >= 1
            for x, y in ring:  # the drawn outline stays within the shape's box (0.1 px rounding)
                assert x0 - 0.11 <= x <= x1 + 0.11 and y0 - 0.11 <= y <= y1 + 0.11, s.iso3
    usa = next(s for s in shapes if s.iso3 == "USA")
    assert len(_rings(usa.path)) >= 3  # mainland, Alaska, Hawaii at least


def test_projected_shapes_stay_inside_the_map_and_nothing_spans_it() -> None:
    shapes, (width, height) = world_shapes()
    for s in shapes:
        x0, y0, x1, y1 = s.box
        assert 0 <= x0 <= x1 <= width and 0 <= y0 <= y1 <= height, s.iso3
    # Russia and Fiji cross 180 degrees: after cutting, no edge of theirs runs across the map
    for code in ("RUS", "FJI"):
        path = next(s.path for s in shapes if s.iso3 == code)
        for pts in _rings(path):
            assert all(abs(b[0] - a[0]) < width / 2 for a, b in itertools.pairwise(pts)), code
    assert world_shapes() is world_shapes()  # projected once per process


def test_quantile_classes_hold_about_the_same_number_of_values() -> None:
    values = [float(v) for v in range(1, 101)]
    classes = map_classes(values)
    assert len(classes) == 5
    counts = [sum(1 for v in values if class_of(v, classes) is c) for c in classes]
    assert counts == [20, 20, 20, 20, 20]
    assert [c.color for c in classes] == list(MAP_PALETTE)
    assert classes[0].low == 1 and classes[-1].high == 100
    # bounds are values that occur; ties never give empty classes
    skewed = map_classes([1, 1, 1, 1, 1, 1, 2, 50, 1000])
    assert all(c.low <= c.high for c in skewed)
    assert len({c.high for c in skewed}) == len(skewed)
    assert map_classes([]) == []
    one = map_classes([7, 7])
    assert len(one) == 1 and one[0].color == MAP_PALETTE[-1]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_map_links_titles_and_no_data() -> None:
    svg = choropleth_map(
        {"FRA": 10, "DEU": 200, "BRA": 5000, "USA": None, "CHN": SUPPRESSED, "MLT": 3},
        title="Detected victims",
        description="Detected victims, latest year.",
        names={"FRA": "France <fr>"},
        links={"FRA": "/evidence/countries/FRA/", "DEU": "/evidence/countries/DEU/"},
    )
    root = _parse(svg)
    assert root.get("role") == "group"
    ids = root.get("aria-labelledby", "").split()
    assert {e.get("id") for e in root.iter() if e.get("id")} >= set(ids)
    links = root.findall(".//s:a", NS)
    assert sorted(a.get("href") for a in links) == ["/evidence/countries/DEU/", "/evidence/countries/FRA/"]
    fra = next(a for a in links if a.get("data-iso3") == "FRA")
    assert fra.get("aria-label") == "France <fr>: 10"  # escaped in the markup, read back here
    assert fra.find("s:title", NS).text == "France <fr>: 10"
    # Brazil has a value but no page: a group, still titled
    bra = next(g for g in root.iter() if g.get("data-iso3") == "BRA")
    assert bra.tag.endswith("g") and bra.find("s:title", NS).text.endswith(": 5,000")
    usa = next(g for g in root.iter() if g.get("data-iso3") == "USA")
    assert usa.get("class") == "map-nodata" and usa.find("s:title", NS).text.endswith(": no data")
    assert usa.find("s:path", NS).get("fill").startswith("url(#")
    chn = next(g for g in root.iter() if g.get("data-iso3") == "CHN")
    assert chn.get("class") == "map-suppressed" and "<5" in chn.find("s:title", NS).text
    # the highest value gets the darkest class
    assert bra.find("s:path", NS).get("fill") == MAP_PALETTE[-1]


def test_focus_colours_only_the_region() -> None:
    svg = choropleth_map(
        {"FRA": 10, "DEU": 200, "BRA": 5000},
        title="t",
        description="d",
        focus=["FRA", "DEU"],
        links={"FRA": "/f", "BRA": "/b"},
    )
    root = _parse(svg)
    assert [a.get("data-iso3") for a in root.findall(".//s:a", NS)] == ["FRA"]
    others = [p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("class") == "map-other"]
    assert len(others) == len(world_shapes()[0]) - 2
    assert all(p.get("fill") == MAP_OTHER for p in others)
    # classes come from the region's values only: Germany, not Brazil, is the darkest
    deu = next(g for g in root.iter() if g.get("data-iso3") == "DEU")
    assert deu.find("s:path", NS).get("fill") == MAP_PALETTE[-1]


def test_captions_are_hidden_until_hover_and_follow_the_label_direction() -> None:
    svg = choropleth_map({"EGY": 12}, title="t", description="d", names={"EGY": "مصر"}, links={"EGY": "/e"})
    root = _parse(svg)
    egy = root.find(".//s:a", NS)
    cap = egy.find("s:g", NS)
    assert cap.get("class") == "map-caption" and cap.get("visibility") == "hidden"
    assert cap.get("aria-hidden") == "true"
    assert cap.find("s:text", NS).get("direction") == "rtl"


def test_a_link_label_without_the_name_is_refused() -> None:
    with pytest.raises(VinculoError, match="does not name the country"):
        choropleth_map({}, title="t", description="d", link_label="{value}")
