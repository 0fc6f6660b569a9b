"""An origin -> destination (Sankey) diagram: origins in one column, destinations in the other.

The layout is computed here (no library): the ``top`` largest origins and destinations keep their
own node and the rest are added up into one "other" node per side; every node is a bar whose
height is the sum of the widths of its links, and a link's width is proportional to its value.
Each node sits in a slot at least as high as its label, so labels never overlap whatever the
number of nodes or the spread of values. A label that does not fit beside its column (a long name
on a narrow chart: "Democratic Republic of the Congo" at 340 px) wraps onto more lines, and the
slot grows to hold them: no name is cut short. Links and nodes are keyboard-focusable and carry a
``<title>`` ("origin -> destination: value (year)") read on hover and focus.

Values follow the charts' rules: a number, or :class:`Suppressed` (drawn as a thin dashed
link and labelled "<5 suppressed", never as a number). A number marked ``lower_bound`` (a sum
with suppressed cells) is written "≥ n".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from vinculo.charts._axes import CHAR_WIDTH
from vinculo.charts._svg import (
    AXIS,
    PALETTE,
    TEXT,
    Anchor,
    Suppressed,
    attr,
    chart_id,
    default_format,
    document,
    escape_text,
    text,
    text_units,
    wrap_text,
)
from vinculo.errors import VinculoError

__all__ = ["OTHER", "FlowLink", "SankeyLayout", "SankeyLink", "SankeyNode", "sankey_chart", "sankey_layout"]

#: Key of the node that adds up the origins (or destinations) beyond the ``top`` largest.
OTHER = "\x00other"
#: Drawn width of a link whose value is suppressed (it has no number to be proportional to).
SUPPRESSED_WIDTH = 2.0
LABEL_SIZE = 13
#: Label size of a diagram drawn narrower than :data:`NARROW`: a page may show it a little smaller than
#: drawn (a 340 px drawing on a 340 px phone, less the page's padding), and its labels stay >= 12 px.
NARROW_LABEL_SIZE = 14
NARROW = 480
#: Height of one label line: a node's slot is never lower, so labels cannot overlap.
LINE_HEIGHT = 18.0
#: Distance between the baselines of the lines of one wrapped label.
LINE_STEP = 16.0
NODE_GAP = 6.0
BAR_WIDTH = 14.0


@dataclass(frozen=True, slots=True)
class FlowLink:
    """One flow to draw: ``source`` and ``target`` are keys (ISO3 codes), ``value`` a number or Suppressed."""

    source: str
    target: str
    value: float | Suppressed
    #: True when ``value`` is the lower bound of a sum that includes suppressed cells.
    lower_bound: bool = False


@dataclass(frozen=True, slots=True)
class SankeyNode:
    key: str
    label: str
    side: str  # "source" or "target"
    value: float
    lower_bound: bool
    suppressed: bool
    x: float
    y: float
    height: float
    #: The slot the node and its label occupy (y, height); slots of one column never overlap.
    slot: tuple[float, float]


@dataclass(frozen=True, slots=True)
class SankeyLink:
    source: str
    target: str
    value: float
    lower_bound: bool
    suppressed: bool
    width: float
    #: Top of the band at the source bar and at the target bar.
    y_source: float
    y_target: float


@dataclass(frozen=True, slots=True)
class SankeyLayout:
    width: int
    height: int
    nodes: tuple[SankeyNode, ...]
    links: tuple[SankeyLink, ...]
    source_x: float
    target_x: float
    #: Room for labels beside each column (pixels).
    label_room: float


@dataclass
class _Acc:
    value: float = 0.0
    lower_bound: bool = False
    exact_parts: int = 0
    suppressed_parts: int = 0

    def add(self, link: FlowLink) -> None:
        if isinstance(link.value, Suppressed):
            self.suppressed_parts += 1
            self.lower_bound = True
        else:
            self.exact_parts += 1
            self.value += float(link.value)
            self.lower_bound = self.lower_bound or link.lower_bound

    @property
    def suppressed(self) -> bool:
        return self.exact_parts == 0


def _check(links: Sequence[FlowLink]) -> None:
    for i, link in enumerate(links):
        v = link.value
        if not isinstance(v, Suppressed) and not (isinstance(v, int | float) and v >= 0 and v == v):
            raise VinculoError(
                f"Flow {i} ({link.source} -> {link.target}) has the value {v!r}.",
                code="charts.bad_value",
                fix="Give each flow a number of 0 or more, or SUPPRESSED for a withheld cell.",
            )


def _ranked(links: Sequence[FlowLink], side: str, top: int) -> list[str]:
    totals: dict[str, _Acc] = defaultdict(_Acc)
    for link in links:
        totals[link.source if side == "source" else link.target].add(link)
    order = sorted(totals, key=lambda k: (-totals[k].value, -totals[k].exact_parts, k))
    return order[:top]


def sankey_layout(
    links: Sequence[FlowLink],
    *,
    top: int = 8,
    width: int = 640,
    body_height: float = 320.0,
    label_room: float | None = None,
    rtl: bool = False,
    label_lines: Callable[[str, str], int] | None = None,
    line_step: float = 16.0,
) -> SankeyLayout:
    """Place the nodes and links of an origin -> destination diagram (see the module docstring).

    ``top`` origins and ``top`` destinations keep their own node; the others become one
    :data:`OTHER` node per side. ``rtl`` puts the origins on the right, for right-to-left pages.
    ``label_lines(side, key)`` is the number of lines of a node's label (1 when not given); its slot
    is at least that high, ``line_step`` being the distance between two lines.
    """
    if top < 1:
        raise VinculoError(
            f"top={top} keeps no node.", code="charts.bad_top", fix="Use top=1 or more (8 by default)."
        )
    _check(links)
    kept_s = set(_ranked(links, "source", top))
    kept_t = set(_ranked(links, "target", top))
    grouped: dict[tuple[str, str], _Acc] = defaultdict(_Acc)
    for link in links:
        s = link.source if link.source in kept_s else OTHER
        t = link.target if link.target in kept_t else OTHER
        grouped[(s, t)].add(link)
    node_acc: dict[tuple[str, str], _Acc] = {}
    for (s, t), acc in grouped.items():
        for node_key in (("source", s), ("target", t)):
            n = node_acc.setdefault(node_key, _Acc())
            n.value += acc.value
            n.lower_bound = n.lower_bound or acc.lower_bound
            n.exact_parts += acc.exact_parts
            n.suppressed_parts += acc.suppressed_parts
    total = sum(a.value for a in grouped.values())
    # Scale: the numbers fill body_height less what the suppressed links take (each is in both columns).
    supp_room = SUPPRESSED_WIDTH * sum(1 for a in grouped.values() if a.suppressed)
    scale = max(body_height - supp_room, body_height / 4) / total if total > 0 else 0.0

    def link_width(a: _Acc) -> float:
        return SUPPRESSED_WIDTH if a.suppressed else a.value * scale

    room = label_room if label_room is not None else max(120.0, width * 0.3)
    left_x = room
    right_x = width - room - BAR_WIDTH
    source_x, target_x = (right_x, left_x) if rtl else (left_x, right_x)

    def order(side: str) -> list[str]:
        keys = [k for sd, k in node_acc if sd == side]
        return sorted(keys, key=lambda k: (k == OTHER, -node_acc[(side, k)].value, k))

    nodes: dict[tuple[str, str], SankeyNode] = {}
    top_margin = 8.0
    bottoms = []
    for side, x in (("source", source_x), ("target", target_x)):
        y = top_margin
        for key in order(side):
            acc = node_acc[(side, key)]
            h = sum(link_width(a) for (s, t), a in grouped.items() if (s if side == "source" else t) == key)
            n_lines = max(1, label_lines(side, key)) if label_lines is not None else 1
            slot_h = max(h, LINE_HEIGHT + line_step * (n_lines - 1))
            node_y = y + (slot_h - h) / 2
            nodes[(side, key)] = SankeyNode(
                key, key, side, acc.value, acc.lower_bound, acc.suppressed, x, node_y, h, (y, slot_h)
            )
            y += slot_h + NODE_GAP
        bottoms.append(y)
    height = int(max(bottoms) + top_margin)
    # Bands: at a source, in the order of its targets' nodes; at a target, in the order of the sources.
    rank_t = {k: i for i, k in enumerate(order("target"))}
    rank_s = {k: i for i, k in enumerate(order("source"))}
    cursor_s = {k: n.y for (sd, k), n in nodes.items() if sd == "source"}
    cursor_t = {k: n.y for (sd, k), n in nodes.items() if sd == "target"}
    y_at_source: dict[tuple[str, str], float] = {}
    for s, t in sorted(grouped, key=lambda st: (rank_s[st[0]], rank_t[st[1]])):
        y_at_source[(s, t)] = cursor_s[s]
        cursor_s[s] += link_width(grouped[(s, t)])
    out_links = []
    for s, t in sorted(grouped, key=lambda st: (rank_t[st[1]], rank_s[st[0]])):
        a = grouped[(s, t)]
        w = link_width(a)
        out_links.append(
            SankeyLink(s, t, a.value, a.lower_bound, a.suppressed, w, y_at_source[(s, t)], cursor_t[t])
        )
        cursor_t[t] += w
    return SankeyLayout(
        width=width,
        height=height,
        nodes=tuple(nodes.values()),
        links=tuple(sorted(out_links, key=lambda lk: (rank_s[lk.source], rank_t[lk.target]))),
        source_x=source_x,
        target_x=target_x,
        label_room=room,
    )


def _label_lines(label: str, value: str, chars: float) -> list[str]:
    """A node's label and value wrapped into lines of ``chars`` units; the value ends the last line
    when it fits there, else it gets a line of its own."""
    lines = wrap_text(label, chars)
    if text_units(f"{lines[-1]} {value}") <= chars:
        lines[-1] = f"{lines[-1]} {value}"
    else:
        lines.append(value)
    return lines


def _node_totals(links: Sequence[FlowLink], top: int) -> dict[tuple[str, str], tuple[float, bool, bool]]:
    """(value, lower bound, suppressed) of each node, keyed by (side, key), as :func:`sankey_layout`
    adds them up (the ones beyond ``top`` in :data:`OTHER`)."""
    _check(links)
    kept = {"source": set(_ranked(links, "source", top)), "target": set(_ranked(links, "target", top))}
    acc: dict[tuple[str, str], _Acc] = defaultdict(_Acc)
    for link in links:
        acc[("source", link.source if link.source in kept["source"] else OTHER)].add(link)
        acc[("target", link.target if link.target in kept["target"] else OTHER)].add(link)
    return {k: (a.value, a.lower_bound, a.suppressed) for k, a in acc.items()}


def _value_text(value: float, lower_bound: bool, suppressed: bool, fmt: Callable[[float], str]) -> str:
    if suppressed:
        return Suppressed().label
    return f"≥ {fmt(value)}" if lower_bound else fmt(value)


def sankey_chart(
    links: Sequence[FlowLink],
    *,
    title: str,
    description: str,
    source_labels: Mapping[str, str],
    target_labels: Mapping[str, str],
    when: str = "",
    other_source: str = "Other origins",
    other_target: str = "Other destinations",
    arrow: str = "→",
    top: int = 8,
    width: int = 640,
    value_format: Callable[[float], str] = default_format,
    rtl: bool = False,
    no_data: str = "No flows to show",
) -> str:
    """An origin -> destination diagram as an accessible SVG string.

    Parameters
    ----------
    links : sequence of FlowLink
        One per (origin, destination); keys are looked up in ``source_labels`` / ``target_labels``.
    when : str
        Added to each link's title in brackets, e.g. the year ("2021") or range ("2018–2021").
    other_source, other_target : str
        Labels of the nodes that add up the origins / destinations beyond the ``top`` largest.
    rtl : bool
        Origins on the right (right-to-left pages); every label keeps its own direction.

    Returns
    -------
    str
        ``<svg role="group">`` whose nodes and links are focusable images with a title each.
    """
    uid = chart_id("sankey", title, description, tuple(links), top, width, rtl)
    if not links:
        empty = [text(width / 2, 40, no_data, anchor="middle", size=14, fill=AXIS)]
        return _svg(uid, width, 80, title, description, empty)

    def label_of(side: str, key: str) -> str:
        if key == OTHER:
            return other_source if side == "source" else other_target
        return (source_labels if side == "source" else target_labels).get(key, key)

    room = max(120.0, width * 0.3)
    size = NARROW_LABEL_SIZE if width < NARROW else LABEL_SIZE
    step = LINE_STEP * size / LABEL_SIZE
    # Latin-character units that fit beside a column at the label size.
    chars = max(4.0, (room - 10) / (CHAR_WIDTH * size / 12))
    node_totals = _node_totals(links, top)

    def lines_of(side: str, key: str) -> list[str]:
        value, lower, supp = node_totals[(side, key)]
        return _label_lines(label_of(side, key), _value_text(value, lower, supp, value_format), chars)

    lay = sankey_layout(
        links,
        top=top,
        width=width,
        rtl=rtl,
        label_room=room,
        label_lines=lambda sd, k: len(lines_of(sd, k)),
        line_step=step,
    )

    colour = {
        n.key: PALETTE[i % len(PALETTE)] if n.key != OTHER else AXIS
        for i, n in enumerate(n for n in lay.nodes if n.side == "source")
    }
    suffix = f" ({when})" if when else ""
    body: list[str] = ['<g class="sankey-links">']
    x_from = lay.source_x + BAR_WIDTH if not rtl else lay.source_x
    x_to = lay.target_x if not rtl else lay.target_x + BAR_WIDTH
    mid = (x_from + x_to) / 2
    for lk in lay.links:
        name = (
            f"{label_of('source', lk.source)} {arrow} {label_of('target', lk.target)}: "
            f"{_value_text(lk.value, lk.lower_bound, lk.suppressed, value_format)}{suffix}"
        )
        y0, y1, w = lk.y_source + lk.width / 2, lk.y_target + lk.width / 2, lk.width
        d = f"M{x_from:.1f},{y0:.2f} C{mid:.1f},{y0:.2f} {mid:.1f},{y1:.2f} {x_to:.1f},{y1:.2f}"
        extra = ' stroke-dasharray="4 3"' if lk.suppressed else ""
        a = attr(
            d=d,
            fill="none",
            stroke=colour[lk.source],
            stroke_opacity=0.55 if not lk.suppressed else 0.9,
            stroke_width=round(max(w, 1.0), 2),
            tabindex=0,
            role="img",
            aria_label=name,
            class_="sankey-link",
        )
        a += f' data-source="{escape_text(lk.source)}" data-target="{escape_text(lk.target)}"'
        a += f' data-width="{w:.4f}"'
        body.append(f"<path {a}{extra}><title>{escape_text(name)}</title></path>")
    body.append("</g>")
    body.append('<g class="sankey-nodes">')
    for n in lay.nodes:
        full = label_of(n.side, n.key)
        val = _value_text(n.value, n.lower_bound, n.suppressed, value_format)
        name = f"{full}: {val}{suffix}"
        lines = lines_of(n.side, n.key)
        outside_left = (n.side == "source") != rtl
        tx = n.x - 6 if outside_left else n.x + BAR_WIDTH + 6
        ty = n.slot[0] + n.slot[1] / 2 + size * 0.35 - step * (len(lines) - 1) / 2
        anchor: Anchor = "right" if outside_left else "left"
        a = attr(tabindex=0, role="img", aria_label=name, class_="sankey-node")
        a += f' data-side="{n.side}" data-key="{escape_text(n.key)}"'
        body.append(
            f"<g {a}><title>{escape_text(name)}</title>"
            + f"<rect {attr(x=round(n.x, 2), y=round(n.y, 2), width=BAR_WIDTH, height=round(max(n.height, 1.0), 2))}"
            + f' fill="{colour.get(n.key, AXIS) if n.side == "source" else TEXT}"'
            + f' data-height="{n.height:.4f}"/>'
            + "".join(text(tx, ty + step * i, line, anchor=anchor, size=size) for i, line in enumerate(lines))
            + "</g>"
        )
    body.append("</g>")
    return _svg(uid, lay.width, lay.height, title, description, body)


def _svg(uid: str, width: int, height: int, title: str, description: str, body: Sequence[str]) -> str:
    """The charts' document shell with role="group" (not "img"): the nodes and links inside are focusable."""
    svg = document(uid, width=width, height=height, title=title, description=description, body=body)
    head, rest = svg.split(">", 1)
    head = head.replace('role="img"', 'role="group"').replace(
        'class="vinculo-chart"', 'class="vinculo-chart sankey"'
    )
    return head + ">" + rest
