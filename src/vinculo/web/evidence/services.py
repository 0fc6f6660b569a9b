"""Read stored releases back as in-memory datasets, cached per release and checksum.

Pages and API routes call :func:`loaded_release`; the first call for a release reads its figures
(about 58,000 rows for the 2025 export) and builds a :class:`~vinculo.evidence.GlotipDataset`;
later calls reuse it, together with the profiles already built from it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from vinculo.evidence import (
    ROW_FIELDS,
    Area,
    AreaProfile,
    CountryProfile,
    GlotipDataset,
    build_area_profile,
    build_country_profile,
    citizenship_flows,
)
from vinculo.population import PopulationTable, load_population

from .models import FigureSubmission, GlotipFigure, GlotipRelease, ReleaseKind, ReleaseStatus

FIGURE_FIELDS = ROW_FIELDS
#: Figures of a submission replace the base figures of the same group (country, indicator, dimension, year).
GroupKey = tuple[str, str, str, int]

_CACHE_SIZE = 4
_BLOCKS_KEPT = 300
_lock = threading.Lock()
_cache: OrderedDict[tuple[int, str], LoadedRelease] = OrderedDict()


@dataclass
class LoadedRelease:
    """A release as a dataset, with where each replaced group of figures came from."""

    release_id: int
    version: int
    dataset: GlotipDataset
    #: (iso3, indicator, dimension, year) -> submission id, for figures that came from a submission.
    from_submission: dict[GroupKey, int]
    population: PopulationTable
    profiles: dict[tuple[str, str], CountryProfile | AreaProfile] = field(default_factory=dict)
    #: Charts and tables of a page, by (level, code, language); the most recent ones are kept.
    blocks: OrderedDict[tuple[str, str, str], Any] = field(default_factory=OrderedDict)

    def page_blocks(self, level: str, code: str, make: Callable[[], Any]) -> Any:
        """The page's blocks for the active language, built by ``make`` on first use."""
        key = (level, code, get_language() or "")
        with _lock:
            found = self.blocks.get(key)
            if found is not None:
                self.blocks.move_to_end(key)
                return found
        built = make()
        with _lock:
            self.blocks[key] = built
            while len(self.blocks) > _BLOCKS_KEPT:
                self.blocks.popitem(last=False)
        return built

    def country_profile(self, iso3: str) -> CountryProfile:
        key = ("country", iso3)
        found = self.profiles.get(key)
        if found is None:
            found = build_country_profile(self.dataset, iso3, population=self.population)
            self.profiles[key] = found
        assert isinstance(found, CountryProfile)
        return found

    def area_profile(self, level: str, area: str | None) -> AreaProfile:
        key = (level, area or "World")
        found = self.profiles.get(key)
        if found is None:
            found = build_area_profile(
                self.dataset,
                level,  # type: ignore[arg-type]
                None if level == "world" else area,
                population=self.population,
            )
            self.profiles[key] = found
        assert isinstance(found, AreaProfile)
        return found

    def submissions_for(self, iso3: str) -> list[int]:
        return sorted({sid for (code, *_rest), sid in self.from_submission.items() if code == iso3})


def current_release() -> GlotipRelease | None:
    """The release the pages show by default (the newest current one)."""
    return GlotipRelease.objects.filter(status=ReleaseStatus.CURRENT).order_by("-version").first()


def release_by_version(version: int | None) -> GlotipRelease | None:
    if version is None:
        return current_release()
    return GlotipRelease.objects.filter(version=version).first()


def areas_of(release: GlotipRelease) -> list[Area]:
    return [Area(*row) for row in release.countries]


def rows_of_export(release: GlotipRelease) -> list[dict[str, Any]]:
    return list(GlotipFigure.objects.filter(release=release).order_by().values(*FIGURE_FIELDS))


def rows_of_submission(submission_id: int) -> list[dict[str, Any]]:
    return list(GlotipFigure.objects.filter(submission_id=submission_id).order_by().values(*FIGURE_FIELDS))


def combine_rows(
    base: Iterable[dict[str, Any]], submissions: Iterable[tuple[int, list[dict[str, Any]]]]
) -> tuple[list[dict[str, Any]], dict[GroupKey, int]]:
    """Base rows with each submission's groups replacing the base's (later submissions win)."""
    groups: dict[GroupKey, list[dict[str, Any]]] = {}
    for row in base:
        groups.setdefault((row["iso3"], row["indicator"], row["dimension"], row["year"]), []).append(row)
    origin: dict[GroupKey, int] = {}
    for sid, rows in submissions:
        replaced: dict[GroupKey, list[dict[str, Any]]] = {}
        for row in rows:
            replaced.setdefault((row["iso3"], row["indicator"], row["dimension"], row["year"]), []).append(
                row
            )
        for key, new_rows in replaced.items():
            groups[key] = new_rows
            origin[key] = sid
    return [row for rows in groups.values() for row in rows], origin


def published_submissions(release: GlotipRelease) -> list[FigureSubmission]:
    return list(release.submissions.select_related("owner", "country").order_by("published_at", "id"))


def _build(release: GlotipRelease) -> LoadedRelease:
    if release.kind == ReleaseKind.EXPORT:
        rows = rows_of_export(release)
        origin: dict[GroupKey, int] = {}
        areas = areas_of(release)
    else:
        assert release.base is not None
        subs = [(s.pk, rows_of_submission(s.pk)) for s in published_submissions(release)]
        rows, origin = combine_rows(rows_of_export(release.base), subs)
        areas = areas_of(release)
    dataset = GlotipDataset.from_rows(
        rows, areas, export_date=release.export_date, source_name=release.source_name
    )
    # Build the flow indexes now (once per release) so that the first profile page is fast too.
    for indicator in ("Detected trafficking victims", "Persons convicted"):
        citizenship_flows(dataset, indicator=indicator, destinations=())
    return LoadedRelease(release.pk, release.version, dataset, origin, load_population())


def loaded_release(release: GlotipRelease) -> LoadedRelease:
    """The dataset of ``release``, read from the database once and then kept in memory."""
    key = (release.pk, release.checksum)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    built = _build(release)
    with _lock:
        _cache[key] = built
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return built


def clear_cache() -> None:
    with _lock:
        _cache.clear()
