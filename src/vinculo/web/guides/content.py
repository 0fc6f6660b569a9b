"""The guides: which exist, for whom, and their Markdown turned into safe HTML for the platform.

A guide is written once, in ``docs/guides/<slug>.md``. Its links are written for the code host
(``other-guide.md``, ``../screenshots/x.png``, ``../reference/cases.md``); :func:`render` rewrites
them for the platform: a guide to its page, a screenshot to the screenshot view, a path of the
platform (``/estimates/``) stays as it is, and a link to another document of the repository keeps
its text without the link (the reference documents are not served). Raw HTML in a guide is not
rendered: the text is escaped.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

HERE = Path(__file__).resolve().parent
CONTENT = HERE / "content"
SCREENSHOTS = HERE / "screenshots"

_SCREENSHOT = re.compile(r"^(?:\.\./screenshots/|\.\./\.\./docs/screenshots/)?([a-z0-9][a-z0-9-]*\.png)$")
_GUIDE_LINK = re.compile(r"^(?:\./)?([a-z0-9][a-z0-9-]*)\.md(#[A-Za-z0-9_-]+)?$")
_EXTERNAL = re.compile(r"^(?:https?:|mailto:)")


@dataclass(frozen=True)
class Guide:
    slug: str
    title: Promise
    audience: Promise
    summary: Promise

    @property
    def path(self) -> Path:
        return CONTENT / f"{self.slug}.md"


GUIDES: tuple[Guide, ...] = (
    Guide(
        "rapporteur-estimate",
        _("Producing an SDG 16.2.2 estimate"),
        _("National rapporteurs and statistical offices"),
        _("From the lists of identified victims to an estimate of the hidden number, with its range."),
    ),
    Guide(
        "ngo-sharing-cases",
        _("Sharing case data"),
        _("Data managers of NGOs and agencies"),
        _("Importing a case file, checking it, and deciding who may see what."),
    ),
    Guide(
        "reviewer",
        _("Reviewing submissions"),
        _("Reviewers at UNODC and in the ICAT group"),
        _("Checking what organisations submit before it becomes evidence."),
    ),
    Guide(
        "reading-a-country-profile",
        _("Reading a country profile"),
        _("Members of the public, journalists and researchers"),
        _("What the figures on an evidence page mean, and what they cannot tell."),
    ),
    Guide(
        "administrator",
        _("Deploying and backing up"),
        _("Platform administrators"),
        _("Installing the platform, configuring it safely, backing it up and restoring it."),
    ),
)

BY_SLUG = {guide.slug: guide for guide in GUIDES}


def find(slug: str) -> Guide | None:
    guide = BY_SLUG.get(slug)
    return guide if guide is not None and guide.path.is_file() else None


def screenshot_path(name: str) -> Path | None:
    """The screenshot file called ``name``, or None: only plain ``*.png`` names inside the folder."""
    if not _SCREENSHOT.match(name) or "/" in name:
        return None
    path = SCREENSHOTS / name
    return path if path.is_file() else None


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _rewrite(token: Token) -> None:
    """Point one link or image of a guide at what the platform serves (see the module's docstring)."""
    if token.type == "image":
        src = str(token.attrGet("src") or "")
        match = _SCREENSHOT.match(src)
        if match:
            token.attrSet("src", reverse("guides:screenshot", args=[match.group(1)]))
            token.attrSet("loading", "lazy")
        return
    href = str(token.attrGet("href") or "")
    guide = _GUIDE_LINK.match(href)
    if guide and guide.group(1) in BY_SLUG:
        token.attrSet("href", reverse("guides:detail", args=[guide.group(1)]) + (guide.group(2) or ""))
    elif (
        (href.startswith("/") and not href.startswith("//")) or href.startswith("#") or _EXTERNAL.match(href)
    ):
        return
    else:
        token.attrs.pop("href", None)
        token.meta["unlinked"] = True


def _unlink(tokens: list[Token]) -> list[Token]:
    """Drop the opening and closing tags of links that :func:`_rewrite` left without an address."""
    kept: list[Token] = []
    open_unlinked = 0
    for token in tokens:
        if token.type == "link_open" and token.meta.get("unlinked"):
            open_unlinked += 1
            continue
        if token.type == "link_close" and open_unlinked:
            open_unlinked -= 1
            continue
        kept.append(token)
    return kept


def render_markdown(text: str) -> tuple[str, str]:
    """The guide's first heading (its title as written) and the rest as HTML for the platform."""
    parser = _parser()
    tokens = parser.parse(text)
    title = ""
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        title = tokens[1].content
        tokens = tokens[3:]
    for token in tokens:
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type in {"link_open", "image"}:
                    _rewrite(child)
            token.children = _unlink(token.children)
    html = parser.renderer.render(tokens, parser.options, {})
    return title, html


def render(guide: Guide) -> tuple[str, str]:
    return render_markdown(guide.path.read_text(encoding="utf-8"))
