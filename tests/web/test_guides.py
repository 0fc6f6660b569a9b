"""The guides ("How this works"): served inside the platform from docs/guides/, links and pictures rewritten."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from vinculo.web.guides import content

ROOT = Path(__file__).resolve().parents[2]
GUIDES = ROOT / "docs" / "guides"
SCREENSHOTS = ROOT / "docs" / "screenshots"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")


def test_every_listed_guide_is_a_file_of_docs_guides_and_the_package_reads_that_folder() -> None:
    assert content.CONTENT.resolve() == GUIDES.resolve()
    assert {guide.slug for guide in content.GUIDES} == {path.stem for path in GUIDES.glob("*.md")}


@pytest.mark.parametrize("guide", content.GUIDES, ids=lambda guide: guide.slug)
def test_every_picture_a_guide_shows_is_committed(guide: content.Guide) -> None:
    text = guide.path.read_text(encoding="utf-8")
    pictures = IMAGE.findall(text)
    assert pictures, f"{guide.slug} shows no screenshot"
    for picture in pictures:
        assert picture.startswith("../screenshots/"), picture
        assert (GUIDES / picture).resolve().is_file(), f"{guide.slug}: {picture} is missing"


@pytest.mark.django_db
def test_the_list_names_each_guide_and_its_reader() -> None:
    page = Client().get(reverse("guides:list")).content.decode()
    for guide in content.GUIDES:
        assert reverse("guides:detail", args=[guide.slug]) in page
        assert str(guide.audience) in page


@pytest.mark.django_db
@pytest.mark.parametrize("guide", content.GUIDES, ids=lambda guide: guide.slug)
def test_a_guide_page_shows_its_pictures_through_the_platform(guide: content.Guide) -> None:
    client = Client()
    response = client.get(reverse("guides:detail", args=[guide.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert sources and all(src.startswith("/guides/screenshots/") for src in sources), sources
    picture = client.get(sources[0])
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert b"".join(picture.streaming_content).startswith(b"\x89PNG")
    assert "../screenshots/" not in page and '.md"' not in page


def test_links_are_rewritten_for_the_platform_and_raw_html_is_escaped() -> None:
    title, html = content.render_markdown(
        "# A title\n\nSee [the reviewer guide](reviewer.md), [the estimates](/estimates/), "
        "[the method](../methods/mse.md) and [UNODC](https://www.unodc.org/).\n\n"
        "<script>alert(1)</script>\n\n![x](../screenshots/some-picture.png)\n"
    )
    assert title == "A title"
    assert '<a href="/guides/reviewer/">the reviewer guide</a>' in html
    assert '<a href="/estimates/">the estimates</a>' in html
    assert '<a href="https://www.unodc.org/">UNODC</a>' in html
    # A document of the repository that the platform does not serve keeps its words, not a dead link.
    assert "the method" in html and "mse.md" not in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'src="/guides/screenshots/some-picture.png"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["../settings.py", "nope.png", "x.PNG", ".png", "a/b.png"])
def test_only_committed_screenshots_are_served(name: str) -> None:
    assert Client().get(f"/guides/screenshots/{name}").status_code == 404


@pytest.mark.django_db
def test_an_unknown_guide_is_not_found_and_every_page_links_to_the_guides() -> None:
    client = Client()
    assert client.get("/guides/no-such-guide/").status_code == 404
    assert f'href="{reverse("guides:list")}"' in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "slug"),
    [
        ("/evidence/countries/", "reading-a-country-profile"),
        ("/evidence/countries/ARG/", "reading-a-country-profile"),
    ],
)
def test_the_pages_a_guide_explains_link_to_it(path: str, slug: str) -> None:
    from vinculo.web.evidence.demo import load_packaged_export

    load_packaged_export()
    page = Client().get(path).content.decode()
    assert f'href="{reverse("guides:detail", args=[slug])}"' in page
