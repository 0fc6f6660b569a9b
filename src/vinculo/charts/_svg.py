"""Shared pieces of the SVG charts: escaping, the accessible document shell, scales and text."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "AXIS",
    "GRID",
    "PALETTE",
    "SUPPRESSED",
    "TEXT",
    "Anchor",
    "ChartValue",
    "Suppressed",
    "attr",
    "default_format",
    "document",
    "el",
    "escape_text",
    "group",
    "nice_ticks",
    "no_data_chart",
    "number_format",
    "text",
    "text_units",
    "title_lines",
    "truncate",
    "wrap_text",
]

#: Okabe & Ito colour-blind-safe colours, adjusted so each has a contrast ratio of at least
#: 3:1 against white (WCAG 2.1, 1.4.11 non-text contrast). Yellow and sky blue are left out.
PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#9C6B00", "#4D4D4D")
TEXT = "#1A1A1A"
AXIS = "#595959"
GRID = "#D9D9D9"

Anchor = Literal["left", "right", "middle"]


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A cell withheld for disclosure control (fewer than ``threshold`` cases).

    It carries no value on purpose: a chart can only say that the cell is small, never how
    small. Charts draw it as a hatched, outlined bar labelled ``label``.
    """

    threshold: int = 5
    #: Text shown instead of the default, e.g. for a cell withheld so that another cannot be derived.
    text: str | None = None

    @property
    def label(self) -> str:
        """The text shown instead of a number, e.g. ``"<5 suppressed"``."""
        return self.text if self.text is not None else f"<{self.threshold} suppressed"


#: The usual marker: fewer than 5 cases.
SUPPRESSED = Suppressed()

#: What a chart accepts for one value: a number, ``None`` (no data) or :class:`Suppressed`.
ChartValue = float | int | Suppressed | None

# Characters XML 1.0 forbids (C0 controls other than tab, newline, carriage return,
# lone surrogates, U+FFFE and U+FFFF). User data may carry them; drop them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape_text(value: object) -> str:
    """Escape any value for use as SVG text content or an attribute value.

    ``&``, ``<``, ``>``, ``"`` and ``'`` become entities and characters that XML forbids are
    removed, so labels taken from user data can never inject markup.
    """
    s = _XML_ILLEGAL.sub("", str(value))
    return (
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def attr(**attrs: object) -> str:
    """Render keyword arguments as escaped XML attributes (``stroke_width`` -> ``stroke-width``)."""
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        parts.append(f'{name}="{escape_text(value)}"')
    return " ".join(parts)


def el(tag: str, **attrs: object) -> str:
    """An empty element ``<tag .../>`` with escaped attributes."""
    return f"<{tag} {attr(**attrs)}/>"


def is_rtl(label: str) -> bool:
    """True when the first strong directional character of ``label`` is right-to-left."""
    for ch in label:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def text(
    x: float,
    y: float,
    label: str,
    *,
    anchor: Anchor = "left",
    size: int | None = None,
    weight: str | None = None,
    fill: str = TEXT,
    rotate: float | None = None,
    extra: str = "",
) -> str:
    """A ``<text>`` element whose *physical* alignment does not depend on the page direction.

    ``anchor`` says which side of the text sits at ``x``. The element gets an explicit
    ``direction`` (``rtl`` when the label starts with Arabic or Hebrew script, else ``ltr``)
    and the logical ``text-anchor`` that gives that physical alignment, so labels stay in
    place and read correctly on both LTR and RTL pages.
    """
    rtl = is_rtl(label)
    if anchor == "middle":
        logical = "middle"
    elif anchor == "left":
        logical = "end" if rtl else "start"
    else:
        logical = "start" if rtl else "end"
    transform = f"rotate({rotate:g} {x:.1f} {y:.1f})" if rotate else None
    a = attr(
        x=round(x, 1),
        y=round(y, 1),
        text_anchor=logical,
        direction="rtl" if rtl else "ltr",
        font_size=size,
        font_weight=weight,
        fill=fill,
        transform=transform,
    )
    return f"<text {a}{extra}>{escape_text(label)}</text>"


def char_units(ch: str) -> float:
    """Width of one character in Latin-character units: East Asian wide characters are 1 em, the
    others about 0.6 em, so a wide one counts 5/3."""
    return 5 / 3 if unicodedata.east_asian_width(ch) in ("W", "F") else 1.0


def text_units(label: str) -> float:
    """Width of ``label`` in Latin-character units (multiply by ``CHAR_WIDTH`` for pixels at 12 px)."""
    return sum(char_units(ch) for ch in label)


def truncate(label: str, max_chars: float) -> str:
    """Shorten ``label`` to ``max_chars`` Latin-character units (a Chinese character counts 5/3) with an
    ellipsis."""
    if max_chars < 2 or text_units(label) <= max_chars:
        return label
    out, used = [], 1.0  # room for the ellipsis
    for ch in label:
        used += char_units(ch)
        if used > max_chars:
            break
        out.append(ch)
    return "".join(out).rstrip() + "…"


def wrap_text(label: str, max_units: float) -> list[str]:
    """Break ``label`` into lines of at most ``max_units`` Latin-character units (see :func:`text_units`).

    Lines break at spaces; a word longer than a line (or a run of Chinese characters, which has no
    spaces) is cut into pieces that fit. Nothing is dropped: the lines joined by spaces give the label
    back (up to runs of spaces).
    """
    limit = max(1.0, max_units)
    lines: list[str] = []
    current = ""
    for word in label.split():
        while text_units(word) > limit:
            room = limit - (text_units(current) + 1 if current else 0.0)
            if room < min(limit, 4.0):
                # too little room left on this line for a piece of the word: start a new line
                if current:
                    lines.append(current)
                current, room = "", limit
            head, used = "", 0.0
            for ch in word:
                if used + char_units(ch) > room and head:
                    break
                head += ch
                used += char_units(ch)
            lines.append(f"{current} {head}" if current else head)
            current, word = "", word[len(head) :]
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if current and text_units(candidate) > limit:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return lines


#: Font size of a chart's drawn title, the height of one of its lines and the baseline of the first.
TITLE_SIZE = 14
TITLE_LINE = 18.0
TITLE_BASELINE = 22.0
#: Width of one title character in units of ``CHAR_WIDTH`` at 12 px: 14 px bold is about 1.25 times wider.
_TITLE_SCALE = 1.25


def title_lines(title: str, width: float, char_width: float = 7.2) -> tuple[list[str], float]:
    """A chart title wrapped to fit ``width`` (10 px margins): the ``<text>`` lines, centred, and the
    vertical room they take from the top of the chart (34 for one line, 18 more for each further line)."""
    lines = wrap_text(title, (width - 20) / (char_width * _TITLE_SCALE))
    out = [
        text(
            width / 2, TITLE_BASELINE + TITLE_LINE * i, line, anchor="middle", size=TITLE_SIZE, weight="bold"
        )
        for i, line in enumerate(lines)
    ]
    return out, TITLE_BASELINE + 12.0 + TITLE_LINE * (len(lines) - 1)


#: How the charts drawn in this context write numbers (the web layer sets one per request language).
_NUMBER_FORMAT: ContextVar[Callable[[float], str] | None] = ContextVar("vinculo_chart_numbers", default=None)


@contextmanager
def number_format(fmt: Callable[[float], str] | None) -> Iterator[None]:
    """Draw the charts of this block with ``fmt`` as the default number format.

    ``fmt`` follows :func:`default_format`'s rules in another language (grouping and decimal
    signs); ``None`` restores the built-in English format. Charts given their own
    ``value_format`` keep it.
    """
    token = _NUMBER_FORMAT.set(fmt)
    try:
        yield
    finally:
        _NUMBER_FORMAT.reset(token)


def group(n: int) -> str:
    """A whole number with the context's grouping (a count in a tooltip or a table)."""
    fmt = _NUMBER_FORMAT.get()
    return fmt(float(n)) if fmt is not None else f"{n:,}"


def default_format(value: float) -> str:
    """Format a number for a label: thousands separators, at most 2 significant decimals.

    Inside :func:`number_format`, the context's format is used instead.
    """
    fmt = _NUMBER_FORMAT.get()
    if fmt is not None:
        return fmt(value)
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 1:
        return f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{value:.2g}"


def with_unit(formatted: str, unit: str | None) -> str:
    """Append a unit ("1,200 cases", "3.4 per 100,000")."""
    return f"{formatted} {unit}" if unit else formatted


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering ``[lo, hi]`` (steps of 1, 2, 2.5 or 5 times a power of ten)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0]
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi = lo + (abs(lo) if lo else 1.0)
    raw = (hi - lo) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(lo / step + 1e-9) * step
    ticks = []
    k = 0
    while True:
        t = start + k * step
        ticks.append(round(t, 12))
        if t >= hi - 1e-9 * step:
            break
        k += 1
    return ticks


def chart_id(kind: str, *parts: object) -> str:
    """A deterministic id prefix so that several charts can share one page."""
    digest = hashlib.sha256(repr((kind, *parts)).encode("utf-8", "surrogatepass")).hexdigest()
    return f"vc-{kind}-{digest[:10]}"


def document(
    uid: str,
    *,
    width: int,
    height: int,
    title: str,
    description: str,
    body: Iterable[str],
    defs: Sequence[str] = (),
) -> str:
    """Wrap chart elements in an accessible ``<svg role="img">`` with ``<title>`` and ``<desc>``.

    ``direction="ltr"`` on the root fixes the geometry on RTL pages; each text element sets
    its own direction (see :func:`text`). No ``style`` attribute, so that pages can forbid inline
    style (Content-Security-Policy): pages scale the chart with the ``vinculo-chart`` class.
    """
    head = attr(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        role="img",
        aria_labelledby=f"{uid}-title {uid}-desc",
        direction="ltr",
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif",
        font_size=12,
        class_="vinculo-chart",
    )
    out = [f"<svg {head}>"]
    out.append(f'<title id="{uid}-title">{escape_text(title)}</title>')
    out.append(f'<desc id="{uid}-desc">{escape_text(description)}</desc>')
    if defs:
        out.append("<defs>" + "".join(defs) + "</defs>")
    out.extend(body)
    out.append("</svg>")
    return "\n".join(out)


def hatch_pattern(uid: str) -> str:
    """A diagonal hatch used to draw suppressed cells."""
    return (
        f'<pattern id="{uid}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#FFFFFF"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{AXIS}" stroke-width="2"/></pattern>'
    )


def no_data_chart(
    kind: str, *, title: str, description: str, width: int, height: int, message: str = "No data to show"
) -> str:
    """A chart with only its title and a "no data" message, for empty inputs."""
    uid = chart_id(kind, title, description, width, "empty")
    heading, room = title_lines(title, width)
    height = max(height, int(room + 40))
    body = [
        el("rect", x=0.5, y=0.5, width=width - 1, height=height - 1, fill="none", stroke=GRID),
        *heading,
        text(width / 2, max(height / 2, room + 20), message, anchor="middle", size=14, fill=AXIS),
    ]
    return document(uid, width=width, height=height, title=title, description=description, body=body)


def value_text(value: ChartValue, fmt: Callable[[float], str], unit: str | None, missing: str) -> str:
    """The label for one value: a formatted number, the missing text or the suppressed label."""
    if value is None:
        return missing
    if isinstance(value, Suppressed):
        return value.label
    return with_unit(fmt(float(value)), unit)


def numeric(value: ChartValue) -> float | None:
    """The number in ``value``, or None for missing, suppressed and NaN values."""
    if value is None or isinstance(value, Suppressed):
        return None
    f = float(value)
    return f if math.isfinite(f) else None
