"""A choropleth world map drawn on the server as accessible SVG.

The country outlines are Natural Earth's 1:110m Admin 0 countries as packaged by ``world-atlas``
(``data/countries-110m.json``, see ``data/README.md``). The TopoJSON is decoded here (quantised,
delta-encoded arcs; https://github.com/topojson/topojson-specification) and projected once per process
with the Equal Earth projection (Šavrič, Patterson & Jenny 2018, "The Equal Earth map projection",
International Journal of Geographical Information Science 33(3)). Nothing is simplified at run time.

Each country with a value is a link (when the caller gives one) holding a ``<title>`` with its name and
value, so hovering shows it; a hidden caption inside the link appears on hover and on keyboard focus
(``vinculo-map`` rules in the page stylesheet). The legend and the data table are the caller's HTML:
:func:`map_classes` gives the classes so both agree with the colours.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pycountry

from vinculo.charts._svg import (
    AXIS,
    ChartValue,
    Suppressed,
    attr,
    chart_id,
    default_format,
    escape_text,
    numeric,
    text,
    value_text,
)
from vinculo.errors import VinculoError

__all__ = [
    "MAP_NO_DATA",
    "MAP_OTHER",
    "MAP_PALETTE",
    "UNCODED_UNITS",
    "MapClass",
    "MapShape",
    "choropleth_map",
    "class_of",
    "equal_earth",
    "map_classes",
    "world_shapes",
]

#: Sequential, colour-blind-safe classes, light (low) to dark (high): ColorBrewer "YlGnBu"
#: (Brewer & Harrower, colorbrewer2.org), 5 classes. Outlines are drawn in a dark grey so that each
#: shape keeps a 3:1 edge against the white sea whatever its fill.
MAP_PALETTE: tuple[str, ...] = ("#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494")
#: Fill of countries with no value (with a hatch, named in the legend).
MAP_NO_DATA = "#E0E0E0"
#: Fill of countries outside the area the map is about (a region page's other countries).
MAP_OTHER = "#F2F2F2"
OUTLINE = "#6B6B6B"
SEA = "#FFFFFF"

#: Natural Earth units without an ISO 3166-1 numeric code in world-atlas, and the code vinculo draws
#: them under. Kosovo has the user-assigned code vinculo's evidence data uses (XKX, "Kosovo under
#: UNSCR 1244"); Northern Cyprus and Somaliland are not recognised by the United Nations as States
#: and are drawn as part of Cyprus and of Somalia.
UNCODED_UNITS: dict[str, str] = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}

#: Left out of the map: it has no data and takes a fifth of the height.
_LEFT_OUT = frozenset({"ATA"})

# Equal Earth constants (Šavrič et al. 2018, equations 1-2).
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2

#: Width of the map's coordinate system; the page scales it to its container.
MAP_WIDTH = 960


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Project longitude and latitude in degrees to Equal Earth ``(x, y)`` on the unit sphere (y north)."""
    lam = math.radians(lon)
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * lam
        * math.cos(theta)
        / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    )
    y = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)
    return x, y


@dataclass(frozen=True, slots=True)
class MapShape:
    """One country (or area) as drawn: its ISO3 code, Natural Earth name, SVG path and bounding box."""

    iso3: str
    name: str
    path: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in map units

    @property
    def area(self) -> float:
        return (self.box[2] - self.box[0]) * (self.box[3] - self.box[1])


def _decode_arcs(topology: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    """Absolute longitude/latitude points of every arc (quantised arcs are delta-encoded)."""
    transform = topology.get("transform")
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        points: list[tuple[float, float]] = []
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            qx = qy = 0
            for dx, dy, *_rest in arc:
                qx += dx
                qy += dy
                points.append((qx * sx + tx, qy * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: Sequence[int]) -> list[tuple[float, float]]:
    """A closed ring from arc indexes; ``~i`` (negative) is arc ``i`` reversed. Shared ends appear once."""
    ring: list[tuple[float, float]] = []
    for k in indexes:
        points = arcs[k] if k >= 0 else arcs[~k][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def _polygons(geometry: Mapping[str, Any]) -> list[list[list[int]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def _iso3(geometry: Mapping[str, Any]) -> str | None:
    name = str((geometry.get("properties") or {}).get("name", ""))
    code = geometry.get("id")
    if code is None:
        return UNCODED_UNITS.get(name)
    country = pycountry.countries.get(numeric=str(code).zfill(3))
    return country.alpha_3 if country is not None else None


def _meridian(lon: float, lat_from: float, lat_to: float) -> list[tuple[float, float]]:
    """Points along the meridian ``lon`` between two latitudes (1 degree apart), both ends excluded."""
    steps = int(abs(lat_to - lat_from))
    return [(lon, lat_from + (lat_to - lat_from) * i / (steps + 1)) for i in range(1, steps + 1)]


def _cut_antimeridian(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Split a ring that crosses the 180th meridian into rings on either side, closed along it.

    Natural Earth's Russia and Fiji cross it; unprojected, their rings jump from +180 to -180 and a
    straight edge would run across the whole map. Each crossing ends a piece at the meridian and starts
    the next one on the other side; a piece is then closed along the meridian.
    """
    if not any(abs(b[0] - a[0]) > 180 for a, b in itertools.pairwise(ring)):
        return [ring]
    pieces: list[list[tuple[float, float]]] = [[ring[0]]]
    for (lon0, lat0), (lon1, lat1) in itertools.pairwise(ring):
        if abs(lon1 - lon0) > 180:
            edge = 180.0 if lon0 > 0 else -180.0
            unwrapped = lon1 + (360.0 if lon0 > 0 else -360.0)
            t = (edge - lon0) / (unwrapped - lon0) if unwrapped != lon0 else 0.0
            lat = lat0 + t * (lat1 - lat0)
            pieces[-1].append((edge, lat))
            pieces.append([(-edge, lat)])
        pieces[-1].append((lon1, lat1))
    if len(pieces) > 1:
        # the ring is closed: its last piece continues into its first
        pieces[0] = pieces.pop()[:-1] + pieces[0]
    out = []
    for piece in pieces:
        (lon_s, lat_s), (lon_e, lat_e) = piece[0], piece[-1]
        if abs(lon_s) == 180.0 and lon_s == lon_e:
            piece = piece + _meridian(lon_e, lat_e, lat_s)
        out.append(piece)
    return out


@functools.cache
def _load_topology() -> dict[str, Any]:
    ref = resources.files("vinculo.charts").joinpath("data", "countries-110m.json")
    with ref.open("r", encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _tenths(value: int) -> str:
    """A coordinate in tenths of a pixel as short SVG number text: 12 -> "1.2", -3 -> "-.3", 40 -> "4"."""
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    if tenth == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def _ring_path(points: Sequence[tuple[float, float]]) -> str:
    """One closed ring as compact path data: ``M`` to the first point, then relative ``l`` steps.

    Points are rounded to 0.1 px; a point closer than :data:`_MIN_STEP` tenths (in both directions)
    to the last one kept is left out, as it cannot be seen at the drawn size. Steps are the differences
    of the rounded points, so the outline does not drift. The result is about half the size of
    absolute coordinates.
    """
    rounded = [(round(x * 10), round(y * 10)) for x, y in points]
    kept = [rounded[0]]
    for point in rounded[1:]:
        last = kept[-1]
        if abs(point[0] - last[0]) < _MIN_STEP and abs(point[1] - last[1]) < _MIN_STEP:
            continue
        kept.append(point)
    if len(kept) < 3:  # a tiny island: keep its outline as it is
        kept = list(dict.fromkeys(rounded)) or rounded[:1]
    out = [f"M{_tenths(kept[0][0])} {_tenths(kept[0][1])}"]
    steps = []
    for (x0, y0), (x1, y1) in itertools.pairwise(kept):
        dx, dy = _tenths(x1 - x0), _tenths(y1 - y0)
        steps.append(dx + ("" if dy.startswith("-") else " ") + dy)
    if steps:  # a step that starts with a minus sign needs no space before it
        out.append(
            "l"
            + "".join(step if i == 0 or step.startswith("-") else " " + step for i, step in enumerate(steps))
        )
    return "".join(out) + "z"


_MIN_STEP = 4  # tenths of a pixel: 0.4 px at the drawn width of 960


@functools.cache
def world_shapes() -> tuple[tuple[MapShape, ...], tuple[float, float]]:
    """Every drawn country, projected and scaled to :data:`MAP_WIDTH`, and the map's (width, height).

    Computed once per process. Units with the same code (Cyprus and Northern Cyprus) become one shape.
    """
    topology = _load_topology()
    arcs = _decode_arcs(topology)
    x_max, _ = equal_earth(180.0, 0.0)
    scale = MAP_WIDTH / (2 * x_max)
    rings: dict[str, list[list[tuple[float, float]]]] = {}
    names: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = _iso3(geometry)
        if code is None or code in _LEFT_OUT:
            continue
        names.setdefault(code, str(geometry["properties"]["name"]))
        for polygon in _polygons(geometry):
            for ring in polygon:
                for piece in _cut_antimeridian(_ring(arcs, ring)):
                    projected = []
                    for lon, lat in piece:
                        x, y = equal_earth(lon, lat)
                        projected.append(((x + x_max) * scale, -y * scale))
                    rings.setdefault(code, []).append(projected)
    y_top = min(y for rs in rings.values() for r in rs for _x, y in r)
    y_bottom = max(y for rs in rings.values() for r in rs for _x, y in r)
    pad = 4.0
    shapes = []
    for code, rs in rings.items():
        parts = []
        xs: list[float] = []
        ys: list[float] = []
        for r in rs:
            pts = [(x, y - y_top + pad) for x, y in r]
            xs += [p[0] for p in pts]
            ys += [p[1] for p in pts]
            parts.append(_ring_path(pts))
        shapes.append(MapShape(code, names[code], "".join(parts), (min(xs), min(ys), max(xs), max(ys))))
    shapes.sort(key=lambda s: s.iso3)
    return tuple(shapes), (float(MAP_WIDTH), round(y_bottom - y_top + 2 * pad, 1))


@dataclass(frozen=True, slots=True)
class MapClass:
    """One class of the legend: values from ``low`` up to ``high`` (inclusive) drawn in ``color``."""

    low: float
    high: float
    color: str


def map_classes(
    values: Sequence[float], *, k: int = 5, palette: Sequence[str] = MAP_PALETTE
) -> list[MapClass]:
    """Quantile classes of ``values`` (at most ``k``, fewer when values repeat), lowest first.

    Each class holds about the same number of countries; its bounds are values that occur in the data,
    so the legend never names a number nobody reported.
    """
    data = sorted(v for v in values if math.isfinite(v))
    if not data:
        return []
    k = max(1, min(k, len(palette), len(set(data))))
    # upper bound of each class: the value at the class's quantile (rank-based, no interpolation)
    uppers: list[float] = []
    for i in range(1, k + 1):
        v = data[min(len(data) - 1, math.ceil(i * len(data) / k) - 1)]
        if not uppers or v > uppers[-1]:
            uppers.append(v)
    # colours spread over the palette so that 3 classes use light, middle and dark
    n = len(uppers)
    picks = [palette[round(i * (len(palette) - 1) / (n - 1))] if n > 1 else palette[-1] for i in range(n)]
    out = []
    low = data[0]
    for upper, color in zip(uppers, picks, strict=True):
        out.append(MapClass(low, upper, color))
        nxt = bisect.bisect_right(data, upper)
        low = data[nxt] if nxt < len(data) else upper
    return out


def class_of(value: float, classes: Sequence[MapClass]) -> MapClass | None:
    """The class ``value`` falls in (values between two classes' bounds go to the upper one)."""
    for c in classes:
        if value <= c.high:
            return c
    return classes[-1] if classes else None


def choropleth_map(
    values: Mapping[str, ChartValue],
    *,
    title: str,
    description: str,
    names: Mapping[str, str] | None = None,
    links: Mapping[str, str] | None = None,
    focus: Sequence[str] | None = None,
    classes: Sequence[MapClass] | None = None,
    value_format: Callable[[float], str] = default_format,
    unit: str | None = None,
    missing: str = "no data",
    link_label: str = "{name}: {value}",
) -> str:
    """A world map, each country coloured by its value in ``values`` (ISO3 -> number, None or Suppressed).

    Parameters
    ----------
    values : mapping of ISO3 code to value
        Countries absent from the mapping, or with ``None``, are drawn hatched grey as "no data";
        suppressed values are drawn hatched too, with their "<5" label in the title.
    names : mapping, optional
        ISO3 -> name in the page's language (Natural Earth's English name otherwise).
    links : mapping, optional
        ISO3 -> URL of the country's page; those countries become links.
    focus : sequence of ISO3, optional
        Only these countries are coloured and linked (a region's countries); the others are drawn light.
    classes : sequence of MapClass, optional
        Classes from :func:`map_classes` (computed from the values of the focused countries otherwise).
    link_label : str
        How a country's accessible name reads, with ``{name}`` and ``{value}``.

    Returns
    -------
    str
        An ``<svg>`` with ``role="group"``, a ``<title>`` and ``<desc>`` and one ``<a>`` or ``<g>`` per country.
    """
    if "{name}" not in link_label:
        raise VinculoError(
            f"The map's link label {link_label!r} does not name the country.",
            code="charts.invalid_option",
            fix='Give a link_label with "{name}" and "{value}", e.g. "{name}: {value}".',
        )
    names = names or {}
    links = links or {}
    shown = set(focus) if focus is not None else None
    if classes is None:
        nums = [numeric(v) for code, v in values.items() if shown is None or code in shown]
        classes = map_classes([v for v in nums if v is not None])
    shapes, (width, height) = world_shapes()
    uid = chart_id(
        "map", title, description, sorted(values.items(), key=lambda kv: kv[0]), sorted(shown or ())
    )
    body: list[str] = []
    for shape in shapes:
        inside = shown is None or shape.iso3 in shown
        name = names.get(shape.iso3, shape.name)
        if not inside:
            body.append(
                f'<path class="map-other" d="{shape.path}" {attr(fill=MAP_OTHER, stroke=OUTLINE)}'
                ' stroke-width="0.5" vector-effect="non-scaling-stroke"/>'
            )
            continue
        v = values.get(shape.iso3)
        f = numeric(v)
        cls = class_of(f, classes) if f is not None else None
        fill = cls.color if cls is not None else f"url(#{uid}-nodata)"
        label = value_text(v, value_format, unit, missing)
        accessible = link_label.format(name=name, value=label)
        path = (
            f'<path d="{shape.path}" {attr(fill=fill, stroke=OUTLINE)} stroke-width="0.6"'
            ' vector-effect="non-scaling-stroke"/>'
        )
        caption = _caption(accessible, height)
        kind = (
            "map-data" if f is not None else ("map-suppressed" if isinstance(v, Suppressed) else "map-nodata")
        )
        head = f"<title>{escape_text(accessible)}</title>"
        href = links.get(shape.iso3)
        if href:
            body.append(
                f'<a {attr(href=href, class_=kind, aria_label=accessible)} data-iso3="{escape_text(shape.iso3)}">'
                f"{head}{path}{caption}</a>"
            )
        else:
            body.append(f'<g class="{kind}" data-iso3="{escape_text(shape.iso3)}">{head}{path}{caption}</g>')
    head_attrs = attr(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width:g} {height:g}",
        width=int(width),
        height=int(height),
        role="group",
        aria_labelledby=f"{uid}-title {uid}-desc",
        direction="ltr",
        class_="vinculo-map",
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif",
    )
    defs = (
        f'<defs><pattern id="{uid}-nodata" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{MAP_NO_DATA}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{AXIS}" stroke-width="1.2"/></pattern></defs>'
    )
    return "\n".join(
        [
            f"<svg {head_attrs}>",
            f'<title id="{uid}-title">{escape_text(title)}</title>',
            f'<desc id="{uid}-desc">{escape_text(description)}</desc>',
            defs,
            f'<rect width="{width:g}" height="{height:g}" fill="{SEA}"/>',
            *body,
            "</svg>",
        ]
    )


def _caption(label: str, height: float) -> str:
    """The name and value shown on hover and focus, in the map's lower-left corner (open sea), hidden
    otherwise.

    The page's stylesheet shows it (``.vinculo-map a:hover .map-caption``) and sizes its text per screen
    width so that it is at least 12 px wherever the map is drawn; a white halo keeps it readable over land.
    """
    return f'<g class="map-caption" aria-hidden="true" visibility="hidden">{text(12, height - 14, label, extra=' class="map-caption-text"')}</g>'
