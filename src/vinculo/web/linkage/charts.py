"""The overlap of lists as an UpSet-style chart (Lex et al. 2014), server-side SVG with its data table.

One column per combination of lists that holds at least one person: a bar with the number of
persons (clusters) on exactly that combination, and under it a dot matrix with a filled dot for each
list of the combination, joined by a line. Combinations are sorted by size, largest first. The SVG
follows the conventions of :mod:`vinculo.charts`: ``role="img"``, ``<title>``/``<desc>``, escaped
labels, no ``style`` attribute.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from vinculo.charts import PALETTE, escape_text

BAR_HEIGHT = 160
ROW = 22
COLUMN = 34
LABEL_WIDTH = 150
TOP = 24


def combinations(
    sources: Sequence[str], histories: Sequence[Mapping[str, Any]]
) -> list[tuple[tuple[str, ...], int]]:
    """(lists of the combination, persons) for each non-empty capture history, largest first."""
    out = []
    for row in histories:
        members = tuple(s for s in sources if int(row.get(s, 0)))
        if members and int(row.get("count", 0)) > 0:
            out.append((members, int(row["count"])))
    out.sort(key=lambda item: (-item[1], -len(item[0]), [sources.index(s) for s in item[0]]))
    return out


def overlap_table(
    sources: Sequence[str], histories: Sequence[Mapping[str, Any]], *, lists_header: str, count_header: str
) -> list[list[str]]:
    """The data behind the chart: header row, then (lists joined by " + ", persons)."""
    return [[lists_header, count_header]] + [
        [" + ".join(members), str(count)] for members, count in combinations(sources, histories)
    ]


def upset_chart(
    sources: Sequence[str], histories: Sequence[Mapping[str, Any]], *, title: str, description: str
) -> str:
    combos = combinations(sources, histories)
    uid = "vc-upset-" + hashlib.sha256(repr((sources, combos)).encode()).hexdigest()[:10]
    width = LABEL_WIDTH + COLUMN * max(1, len(combos)) + 20
    height = TOP + BAR_HEIGHT + 12 + ROW * len(sources) + 10
    top = max((count for _m, count in combos), default=1)
    body: list[str] = []
    matrix_top = TOP + BAR_HEIGHT + 12
    for i, name in enumerate(sources):
        y = matrix_top + i * ROW + ROW / 2
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 4:.1f}" text-anchor="end" direction="ltr">{escape_text(name[:22])}</text>'
        )
    for j, (members, count) in enumerate(combos):
        x = LABEL_WIDTH + j * COLUMN + COLUMN / 2
        h = BAR_HEIGHT * count / top
        label = f"{' + '.join(members)}: {count}"
        body.append(
            f'<rect x="{x - 10:.1f}" y="{TOP + BAR_HEIGHT - h:.1f}" width="20" height="{h:.1f}" '
            f'fill="{PALETTE[0]}"><title>{escape_text(label)}</title></rect>'
        )
        body.append(
            f'<text x="{x:.1f}" y="{TOP + BAR_HEIGHT - h - 4:.1f}" text-anchor="middle" direction="ltr">{count}</text>'
        )
        ys = []
        for i, name in enumerate(sources):
            y = matrix_top + i * ROW + ROW / 2
            filled = name in members
            if filled:
                ys.append(y)
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{PALETTE[0] if filled else "#d9d9d9"}"/>'
            )
        if len(ys) > 1:
            body.append(
                f'<line x1="{x:.1f}" y1="{min(ys):.1f}" x2="{x:.1f}" y2="{max(ys):.1f}" '
                f'stroke="{PALETTE[0]}" stroke-width="3"/>'
            )
    if not combos:
        body.append(f'<text x="{LABEL_WIDTH}" y="{TOP + BAR_HEIGHT / 2}" direction="ltr">no data</text>')
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{uid}-title {uid}-desc" direction="ltr" '
        f'font-family="system-ui, sans-serif" font-size="12" class="vinculo-chart">'
    )
    return "\n".join(
        [
            head,
            f'<title id="{uid}-title">{escape_text(title)}</title>',
            f'<desc id="{uid}-desc">{escape_text(description)}</desc>',
            *body,
            "</svg>",
        ]
    )
