"""Fixtures of the evidence tests: the real 2025 export, stored once per session, and a raw reader.

The expected values in these tests come from the raw file read with the csv module, never from
``vinculo.evidence``: repeated keys are added up and Sark (empty Iso3_code) is XSK, as the README
of the data set says.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from vinculo.web.evidence import services
from vinculo.web.evidence.actions import import_release
from vinculo.web.evidence.models import GlotipFigure, GlotipRelease


def shared_data() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


def glotip_file(name: str = "data_glotip_2025-04-14__derived.csv.gz") -> Path:
    root = shared_data()
    path = None if root is None else root / "glotip" / name
    if path is None or not path.is_file():
        pytest.skip("shared/data/glotip is not available")
    return path


RawKey = tuple[str, str, str, str, str, str, int]


def read_raw() -> tuple[dict[RawKey, list[str]], dict[str, tuple[str, str, str]]]:
    """key -> the txtVALUE texts of its rows; iso3 -> (name, region, subregion)."""
    values: dict[RawKey, list[str]] = defaultdict(list)
    areas: dict[str, tuple[str, str, str]] = {}
    with gzip.open(glotip_file(), "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            iso3 = row["Iso3_code"].strip() or ("XSK" if row["Country"].strip() == "Sark" else "")
            key = (
                iso3,
                row["Indicator"].strip(),
                row["Dimension"].strip(),
                row["Category"].strip(),
                row["Sex"].strip(),
                row["Age"].strip(),
                int(row["Year"]),
            )
            values[key].append(row["txtVALUE"].strip())
            areas[iso3] = (row["Country"].strip(), row["Region"].strip(), row["Subregion"].strip())
    return dict(values), areas


_RAW: list[Any] = []


@pytest.fixture(scope="session")
def raw() -> tuple[dict[RawKey, list[str]], dict[str, tuple[str, str, str]]]:
    if not _RAW:
        _RAW.append(read_raw())
    return _RAW[0]  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def full_release(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The real export stored once for the session (outside the per-test transactions)."""
    path = glotip_file()
    with django_db_blocker.unblock():
        outcome = import_release(path, None)
        release_id = outcome.release.pk
    yield release_id
    with django_db_blocker.unblock():
        GlotipFigure.objects.filter(release_id=release_id).delete()
        GlotipRelease.objects.filter(pk=release_id).delete()
        services.clear_cache()


@pytest.fixture(autouse=True)
def empty_page_cache() -> Any:
    """Each test starts without cached public pages (the local-memory cache outlives a test)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def release(full_release: Any, db: Any) -> GlotipRelease:
    return GlotipRelease.objects.get(pk=full_release)


class TableParser(HTMLParser):
    """Collects every ``<table data-table=...>`` as rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._key: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            key = dict(attrs).get("data-table")
            if key:
                self._key = key
                self.tables[key] = []
        elif self._key and tag == "caption":
            self._in_caption = True
        elif self._key and tag == "tr":
            self._row = []
        elif self._key and tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._key = None
        elif tag == "caption":
            self._in_caption = False
        elif tag == "tr" and self._key and self._row is not None:
            self.tables[self._key].append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._in_caption:
            self._cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = TableParser()
    parser.feed(html)
    return parser.tables


def expected_text(texts: list[str]) -> str:
    """How a key of the raw file must be shown: the number with thousands commas, or "<5"."""
    if len(texts) == 1:
        t = texts[0]
        return t if t == "<5" else f"{int(t.replace(',', '')):,}"
    exact = sum(int(t.replace(",", "")) for t in texts if t != "<5")
    n_sup = sum(1 for t in texts if t == "<5")
    if n_sup == 0:
        return f"{exact:,}"
    if n_sup == len(texts):
        return f"{n_sup} cells <5"
    return f"≥ {exact:,} ({exact:,}–{exact + 4 * n_sup:,})"


HEADER = [
    "Iso3_code",
    "Country",
    "Region",
    "Subregion",
    "Indicator",
    "Dimension",
    "Category",
    "Sex",
    "Age",
    "Year",
    "Unit of measurement",
    "txtVALUE",
    "Source",
]


def raw_rows(codes: set[str]) -> list[list[str]]:
    """The raw rows of some countries, in file order (Iso3_code as in the file)."""
    out = []
    with gzip.open(glotip_file(), "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        assert header == HEADER
        for row in reader:
            if row[0] in codes:
                out.append(row)
    return out


def write_csv(
    path: Path, rows: list[list[str]], *, header: list[str] | None = None, banner: bool = False
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        if banner:
            writer.writerow(["UNODC"])
            writer.writerow(["14/04/2025"])
        writer.writerow(header or HEADER)
        writer.writerows(rows)
    return path


def figure_row(
    iso3: str, name: str, region: str, subregion: str, indicator: str, year: int, value: str, **kw: str
) -> list[str]:
    return [
        iso3,
        name,
        region,
        subregion,
        indicator,
        kw.get("dimension", "Total"),
        kw.get("category", "Total"),
        kw.get("sex", "Total"),
        kw.get("age", "Total"),
        str(year),
        "Counts",
        value,
        "GLOTIP",
    ]
