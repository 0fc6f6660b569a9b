"""Render profiles as JSON text, Markdown or a self-contained HTML fragment."""

from __future__ import annotations

import html
import json
from typing import Literal

from vinculo.evidence._count import Count
from vinculo.evidence._profiles import PROFILE_SECTIONS, AreaProfile, CountryProfile

__all__ = ["render_profile"]

Format = Literal["json", "md", "html"]


def render_profile(profile: CountryProfile | AreaProfile, fmt: Format = "json") -> str:
    """Render a profile as ``json``, ``md`` (Markdown) or ``html`` (an escaped fragment)."""
    if fmt == "json":
        return json.dumps(profile.to_dict(), ensure_ascii=False, indent=2, sort_keys=False)
    tables = _tables(profile)
    if fmt == "md":
        return _markdown(profile, tables)
    if fmt == "html":
        return _html(profile, tables)
    raise ValueError(f"Unknown format {fmt!r}; use json, md or html.")


def _tables(profile: CountryProfile | AreaProfile) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) per section: one row per part, one column per year."""
    out = []
    for key, by_year in profile.sections.items():
        if not by_year:
            continue
        years = sorted(by_year)
        parts: list[str] = []
        for y in years:
            for p in by_year[y]:
                if p not in parts:
                    parts.append(p)
        rows = []
        for p in sorted(parts, key=lambda x: (x != "Total", x)):
            cells: list[str] = []
            for y in years:
                c: Count | None = by_year[y].get(p)
                t = profile.tightened_value(key, y, p)
                cells.append("" if c is None else (t.render() if t is not None else c.render()))
            rows.append([p, *cells])
        out.append((PROFILE_SECTIONS[key][3], ["", *map(str, years)], rows))
    for key, rates in profile.rates.items():
        if rates:
            years = sorted(rates)
            title = PROFILE_SECTIONS[key][3] + " per 100,000 population"
            out.append((title, ["", *map(str, years)], [["Rate", *(rates[y].render() for y in years)]]))
    return out


def _heading(profile: CountryProfile | AreaProfile) -> str:
    where = ", ".join(x for x in (profile.subregion, profile.region) if x and x != profile.name)
    return profile.name + (f" ({where})" if where else "")


def _flow_lists(profile: CountryProfile | AreaProfile) -> list[tuple[str, tuple[tuple[str, Count], ...]]]:
    """The ranked flow lists of a profile that are not empty, with their titles."""
    lists = [
        ("Main origins of detected victims (all years)", profile.main_origins),
        ("Main countries where citizens were detected abroad (all years)", profile.main_destinations),
    ]
    return [(title, flows) for title, flows in lists if flows]


def _derived(profile: CountryProfile | AreaProfile) -> list[str]:
    """One sentence per narrowed suppressed value: where, the range, and the identity it follows from."""
    return [
        f"{PROFILE_SECTIONS[key][3]}, {year}, {part}: {t.render()}, from {t.explain()}."
        for key, by_year in profile.tightened.items()
        for year, parts in sorted(by_year.items())
        for part, t in parts.items()
    ]


def _markdown(
    profile: CountryProfile | AreaProfile, tables: list[tuple[str, list[str], list[list[str]]]]
) -> str:
    lines = [f"# {_heading(profile)}", "", f"Source: {profile.citation}.", ""]
    for title, header, rows in tables:
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        lines.append("")
    for title, flows in _flow_lists(profile):
        lines += [f"## {title}", ""]
        lines += [f"- {o}: {c.render()}" for o, c in flows]
        lines.append("")
    sup = profile.suppressed()
    lines += ["## Notes", "", f'- {len(sup)} values are, or include, suppressed cells ("<5").']
    lines += [f"- {n}" for n in profile.notes]
    lines += [f"- {d}" for d in _derived(profile)]
    return "\n".join(lines) + "\n"


def _html(profile: CountryProfile | AreaProfile, tables: list[tuple[str, list[str], list[list[str]]]]) -> str:
    e = html.escape
    parts = [
        f'<section class="glotip-profile" data-code="{e(profile.code)}">',
        f"<h1>{e(_heading(profile))}</h1>",
    ]
    parts.append(f'<p class="source">Source: {e(profile.citation)}.</p>')
    for title, header, rows in tables:
        parts.append(f"<h2>{e(title)}</h2>")
        parts.append(
            "<table><thead><tr>"
            + "".join(f'<th scope="col">{e(h)}</th>' for h in header)
            + "</tr></thead><tbody>"
        )
        for row in rows:
            parts.append(
                f'<tr><th scope="row">{e(row[0])}</th>'
                + "".join(f"<td>{e(c)}</td>" for c in row[1:])
                + "</tr>"
            )
        parts.append("</tbody></table>")
    for title, flows in _flow_lists(profile):
        parts.append(f"<h2>{e(title)}</h2><ol>")
        parts += [f"<li>{e(o)}: {e(c.render())}</li>" for o, c in flows]
        parts.append("</ol>")
    parts.append("<h2>Notes</h2><ul>")
    parts.append(f"<li>{len(profile.suppressed())} values are, or include, suppressed cells (&lt;5).</li>")
    parts += [f"<li>{e(n)}</li>" for n in profile.notes]
    parts += [f"<li>{e(d)}</li>" for d in _derived(profile)]
    parts.append("</ul></section>")
    return "\n".join(parts) + "\n"
