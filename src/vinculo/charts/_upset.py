"""The overlap of lists as an UpSet-style chart (Lex et al. 2014), with its data table.

One column per combination of lists that holds at least one person: a bar with the number of
persons on exactly that combination, and under it a dot matrix with a filled dot for each list of
the combination, joined by a line. Combinations are sorted by size, largest first. List names are
shown in full (the label column is as wide as the longest name).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vinculo.charts._svg import GRID, PALETTE, chart_id, document, el, escape_text, group, text

__all__ = ["overlap_combinations", "overlap_table", "upset_chart"]

_BAR_HEIGHT = 160
_ROW = 22
_COLUMN = 34
_TOP = 24
#: Approximate advance of one character at 12 px, for sizing the label column.
_CHAR = 7


def overlap_combinations(
    lists: Sequence[str], histories: Sequence[Mapping[str, Any]]
) -> list[tuple[tuple[str, ...], int]]:
    """(lists of the combination, persons) for each non-empty capture history, largest first.

    ``histories`` are mappings with a 0/1 value per list name and a ``count``.
    """
    out = []
    for row in histories:
        members = tuple(s for s in lists if int(row.get(s, 0)))
        if members and int(row.get("count", 0)) > 0:
            out.append((members, int(row["count"])))
    out.sort(key=lambda item: (-item[1], -len(item[0]), [lists.index(s) for s in item[0]]))
    return out


def overlap_table(
    lists: Sequence[str], histories: Sequence[Mapping[str, Any]], *, lists_header: str, count_header: str
) -> list[list[str]]:
    """The data behind the chart: header row, then (lists joined by " + ", persons)."""
    return [[lists_header, count_header]] + [
        [" + ".join(members), group(count)] for members, count in overlap_combinations(lists, histories)
    ]


def upset_chart(
    lists: Sequence[str],
    histories: Sequence[Mapping[str, Any]],
    *,
    title: str,
    description: str,
    missing: str = "no data",
) -> str:
    """An ``<svg role="img">`` UpSet chart of the combinations of ``lists`` in ``histories``."""
    combos = overlap_combinations(lists, histories)
    uid = chart_id("upset", tuple(lists), tuple(combos), title)
    label_width = 16 + _CHAR * max((len(name) for name in lists), default=4)
    # a column holds its count above the bar at 12 px, however many digits it has
    column = max(_COLUMN, max((7.2 * len(group(c)) + 6 for _m, c in combos), default=0.0))
    width = int(label_width + column * max(1, len(combos)) + 20)
    height = _TOP + _BAR_HEIGHT + 12 + _ROW * len(lists) + 10
    top = max((count for _m, count in combos), default=1)
    matrix_top = _TOP + _BAR_HEIGHT + 12
    body: list[str] = []
    for i, name in enumerate(lists):
        y = matrix_top + i * _ROW + _ROW / 2
        body.append(text(label_width - 8, y + 4, name, anchor="right"))
    for j, (members, count) in enumerate(combos):
        x = label_width + j * column + column / 2
        h = _BAR_HEIGHT * count / top
        label = f"{' + '.join(members)}: {group(count)}"
        body.append(
            f'<rect {_attrs(x - 10, _TOP + _BAR_HEIGHT - h, 20, h)} fill="{PALETTE[0]}">'
            f"<title>{escape_text(label)}</title></rect>"
        )
        body.append(text(x, _TOP + _BAR_HEIGHT - h - 4, group(count), anchor="middle", size=12))
        ys = []
        for i, name in enumerate(lists):
            y = matrix_top + i * _ROW + _ROW / 2
            filled = name in members
            if filled:
                ys.append(y)
            body.append(
                el("circle", cx=round(x, 1), cy=round(y, 1), r=6, fill=PALETTE[0] if filled else GRID)
            )
        if len(ys) > 1:
            body.append(
                el(
                    "line",
                    x1=round(x, 1),
                    y1=min(ys),
                    x2=round(x, 1),
                    y2=max(ys),
                    stroke=PALETTE[0],
                    stroke_width=3,
                )
            )
    if not combos:
        body.append(text(label_width, _TOP + _BAR_HEIGHT / 2, missing))
    return document(uid, width=width, height=height, title=title, description=description, body=body)


def _attrs(x: float, y: float, w: float, h: float) -> str:
    return f'x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"'
