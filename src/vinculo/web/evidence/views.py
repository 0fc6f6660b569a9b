"""Pages of the Global Report evidence area. The data is public: anyone may read it, signed in or not.

Public pages are cached for visitors who are not signed in (``caching.py``). Submissions of figures
are not public until published: access goes through
``vinculo.web.accounts.access`` only, and a submission the user may not see answers 404.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vinculo.errors import VinculoError
from vinculo.evidence import FLOW_CSV_COLUMNS, Count, flow_matrix_rows, main_flows, origin_countries
from vinculo.web.accounts import access
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.views import form_status

from . import actions
from .caching import cache_public_page
from .downloads import table_response
from .explore import FlowChoice, build_explorer, comparison_view, explore_table, flow_choice, sankey_view
from .forms import ReviewForm, SubmissionForm
from .labels import area_name
from .maps import LEVELS, map_context, victims_map
from .models import FigureSubmission, GlotipRelease, SubmissionStatus
from .services import LoadedRelease, loaded_release, published_submissions, release_by_version
from .tables import Block, profile_blocks, tightened_text
from .views_support import SORTS, country_rows, filter_countries, names_of, origin_rows, region_tree

FLOW_COLUMNS_SHOWN = (
    "year",
    "origin",
    "origin_name",
    "destination",
    "destination_name",
    "flow_class",
    "value",
)


#: Largest file of yearly figures accepted (a country's figures are a few kilobytes).
MAX_FIGURES_BYTES = 20_000_000


def _release(request: HttpRequest) -> tuple[GlotipRelease, LoadedRelease]:
    raw = request.GET.get("release", "")
    version = int(raw) if raw.isdigit() else None
    release = release_by_version(version)
    if release is None:
        raise Http404
    return release, loaded_release(release)


def _context(
    request: HttpRequest, release: GlotipRelease, loaded: LoadedRelease, **extra: Any
) -> dict[str, Any]:
    current = release_by_version(None)
    query = "" if current is not None and current.pk == release.pk else f"?release={release.version}"
    return {
        "release": release,
        "is_current": not query,
        "release_query": query,
        "citation": loaded.dataset.citation,
        "export_date": release.export_date,
        **extra,
    }


def no_release(request: HttpRequest) -> HttpResponse:
    return render(request, "evidence/empty.html", status=200)


@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    if release_by_version(None) is None and not request.GET.get("release"):
        return no_release(request)
    release, loaded = _release(request)
    world = loaded.area_profile("world", None)
    names = names_of(loaded)
    blocks = loaded.page_blocks("world", "World", lambda: profile_blocks(world, names))
    overview = [b for anchor, _h, bs in blocks if anchor in ("trend", "flows") for b in bs]
    return render(
        request,
        "evidence/home.html",
        _context(
            request,
            release,
            loaded,
            profile=world,
            level="world",
            code="World",
            blocks=overview,
            regions=region_tree(loaded),
            n_countries=len(loaded.dataset.countries),
            years=loaded.dataset.years,
            can_submit=access.access_can_submit_figures(request.user),
            can_review=access.access_can_review(request.user),
        ),
    )


@cache_public_page
def country_list(request: HttpRequest) -> HttpResponse:
    """The country list, searchable (``?q=``), by region (``?region=``) and sortable (``?sort=``) without script."""
    release, loaded = _release(request)
    query = request.GET.get("q", "")[:100]
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    all_rows = country_rows(loaded)
    regions = sorted({str(r["region"]) for r in all_rows if r["region"]})
    region = request.GET.get("region", "")
    region = region if region in regions else ""
    chosen = {"query": query, "region": region, "sort": sort}
    countries = filter_countries(all_rows, **chosen)
    base = _context(request, release, loaded)
    world_map = victims_map(
        loaded, "region" if region else "world", region or "World", base["release_query"], request.GET
    )
    origins = filter_countries(origin_rows(loaded), **chosen)
    others = {"q": query, "region": region, "sort": sort if sort != "name" else ""}
    return render(
        request,
        "evidence/countries.html",
        dict(
            base,
            **map_context(world_map, base["release_query"], others),
            countries=countries,
            origins=origins,
            n_countries=len(all_rows),
            filtered=bool(query or region),
            query=query,
            region=region,
            regions=regions,
            sort=sort,
            map=world_map,
        ),
        status=400 if world_map.problems else 200,
    )


def _has_page(loaded: LoadedRelease, code: str) -> bool:
    """A reporting country, or a State that appears in the data only as a country of origin."""
    return code in loaded.dataset.countries or code in origin_countries(loaded.dataset)


def _profile_page(
    request: HttpRequest, release: GlotipRelease, loaded: LoadedRelease, level: str, code: str
) -> HttpResponse:
    try:
        if level == "country":
            profile: Any = loaded.country_profile(code)
        else:
            profile = loaded.area_profile(level, None if level == "world" else code)
    except VinculoError as exc:
        raise Http404 from exc
    names = names_of(loaded)
    sections = loaded.page_blocks(level, code, lambda: profile_blocks(profile, names))
    suppressed = profile.suppressed()
    for item in suppressed:
        t = profile.tightened_value(item["section"], item["year"], item["part"])
        item["shown"] = tightened_text(t) if t is not None else item["display"]
    sources = []
    if level == "country":
        subs = {s.pk: s for s in published_submissions(release)} if release.submissions.exists() else {}
        for (iso3, indicator, dimension, year), sid in sorted(loaded.from_submission.items()):
            if iso3 == code and sid in subs:
                sources.append(
                    {"submission": subs[sid], "indicator": indicator, "dimension": dimension, "year": year}
                )
    base = _context(request, release, loaded)
    world_map = (
        victims_map(loaded, level, code, base["release_query"], request.GET) if level in LEVELS else None
    )
    members: list[tuple[str, str]] = []
    if level in ("region", "subregion"):
        members = sorted(
            (names.get(a.iso3, a.name), a.iso3)
            for a in loaded.dataset.countries.values()
            if (a.region if level == "region" else a.subregion) == code
        )
    explorer = None
    flow_views = []
    if profile.reporting:
        explorer = build_explorer(
            loaded,
            level,
            None if level == "world" else code,
            area_name(profile),
            request.GET,
            base["release_query"],
            country=level == "country",
        )
    if level == "country":
        for key, choice, title in (
            (
                "flows_into",
                FlowChoice(None, code, None, None, []),
                _("Flows into %(name)s: citizenship of the victims detected there"),
            ),
            (
                "flows_out_of",
                FlowChoice(code, None, None, None, []),
                _("Flows out of %(name)s: where its citizens were detected"),
            ),
        ):
            view = sankey_view(
                loaded,
                choice,
                names,
                base["release_query"],
                key=key,
                title=title % {"name": area_name(profile)},
            )
            if not view.empty:
                flow_views.append(view)
    map_extra: dict[str, Any] = {}
    if world_map is not None:
        map_extra = map_context(
            world_map, base["release_query"], explorer.selection.query() if explorer else {}
        )
        if explorer is not None and world_map.query:
            # the explorer's form keeps the map's choice, as the map's form keeps the explorer's
            explorer = replace(explorer, hidden={**explorer.hidden, **world_map.query})
    problems = (explorer is not None and explorer.problems) or (world_map is not None and world_map.problems)
    return render(
        request,
        "evidence/profile.html",
        dict(
            base,
            **map_extra,
            explorer=explorer,
            flow_views=flow_views,
            profile=profile,
            level=level,
            code=code,
            sections=sections,
            suppressed=suppressed,
            n_values=sum(len(p) for by_year in profile.sections.values() for p in by_year.values()),
            figure_sources=sources,
            members=members,
            map=world_map,
        ),
        status=400 if problems else 200,
    )


@cache_public_page
def country_profile(request: HttpRequest, iso3: str) -> HttpResponse:
    release, loaded = _release(request)
    code = iso3.upper()
    if not _has_page(loaded, code):
        raise Http404
    return _profile_page(request, release, loaded, "country", code)


@cache_public_page
def region_profile(request: HttpRequest, name: str) -> HttpResponse:
    release, loaded = _release(request)
    return _profile_page(request, release, loaded, "region", name)


@cache_public_page
def subregion_profile(request: HttpRequest, name: str) -> HttpResponse:
    release, loaded = _release(request)
    return _profile_page(request, release, loaded, "subregion", name)


@cache_public_page
def world_profile(request: HttpRequest) -> HttpResponse:
    release, loaded = _release(request)
    return _profile_page(request, release, loaded, "world", "World")


@cache_public_page
def profile_download(request: HttpRequest, level: str, code: str, key: str, fmt: str) -> HttpResponse:
    release, loaded = _release(request)
    try:
        if level == "country":
            if not _has_page(loaded, code):
                raise Http404
            profile: Any = loaded.country_profile(code)
        elif level in ("region", "subregion", "world"):
            profile = loaded.area_profile(level, None if level == "world" else code)
        else:
            raise Http404
    except VinculoError as exc:
        raise Http404 from exc
    names = names_of(loaded)
    sections = loaded.page_blocks(level, code, lambda: profile_blocks(profile, names))
    table = next((b.table for _a, _h, bs in sections for b in bs if b.table.key == key), None)
    if table is None:
        raise Http404
    return _table_download(
        fmt,
        table,
        loaded,
        f"glotip-{code}-{key}-v{release.version}",
        {"area": profile.name, "level": level, "release": release.version},
    )


@cache_public_page
def map_download(request: HttpRequest, level: str, code: str, fmt: str) -> HttpResponse:
    """The table behind a page's map (every country in view, also those too small to draw)."""
    release, loaded = _release(request)
    if level not in LEVELS:
        raise Http404
    areas = loaded.dataset.countries.values()
    if level != "world" and not any((a.region if level == "region" else a.subregion) == code for a in areas):
        raise Http404
    table = victims_map(loaded, level, code, "", request.GET).table
    return table_response(
        fmt,
        name=f"glotip-{code}-map-v{release.version}",
        title=table.title,
        header=table.download_header(),
        sheet_rows=table.sheet_rows(),
        json_rows=table.json_rows(),
        citation=loaded.dataset.citation,
        extra={"area": code, "level": level, "release": release.version},
    )


def _flow_filters(request: HttpRequest, loaded: LoadedRelease) -> tuple[str | None, int | None]:
    regions = sorted({a.region for a in loaded.dataset.countries.values()})
    region = request.GET.get("region") or None
    if region is not None and region not in regions:
        region = None
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and int(raw) in loaded.dataset.years else None
    return region, year


def _flow_choice(request: HttpRequest, loaded: LoadedRelease) -> FlowChoice:
    names = names_of(loaded)
    ds = loaded.dataset
    return flow_choice(
        request.GET,
        origins={c: names.get(c, c) for c in origin_countries(ds)},
        destinations={c: names.get(c, c) for c in ds.countries},
        regions=sorted({a.region for a in ds.countries.values()}),
        years=ds.years,
    )


@cache_public_page
def flows(request: HttpRequest) -> HttpResponse:
    release, loaded = _release(request)
    choice = _flow_choice(request, loaded)
    region, year = choice.region, choice.year
    names = names_of(loaded)
    if region:
        profile = loaded.area_profile("region", region)
    else:
        profile = loaded.area_profile("world", None)
    sections = loaded.page_blocks(
        "region" if region else "world", region or "World", lambda: profile_blocks(profile, names)
    )
    blocks: list[Block] = [b for anchor, _h, bs in sections if anchor in ("flows", "origins") for b in bs]
    out_of: list[tuple[str, str, Any]] = []
    if region:
        years = None if year is None else [year]
        out_of = [
            (code, names.get(code, code), c)
            for code, c in main_flows(
                loaded.dataset, level="region", area=region, direction="out_of", years=years
            )
        ]
    rows = flow_matrix_rows(loaded.dataset, region=region, years=None if year is None else [year])
    ctx = _context(request, release, loaded)
    sankey = sankey_view(loaded, choice, names, ctx["release_query"])
    fold = {c: names.get(c, c) for c in origin_countries(loaded.dataset)}
    return render(
        request,
        "evidence/flows.html",
        _context(
            request,
            release,
            loaded,
            profile=profile,
            level="region" if region else "world",
            code=region or "World",
            blocks=blocks,
            region=region,
            year=year,
            regions=sorted({a.region for a in loaded.dataset.countries.values()}),
            years=loaded.dataset.years,
            out_of=out_of,
            n_flows=len(rows),
            preview=[[r[c] for c in FLOW_COLUMNS_SHOWN] for r in rows[:50]],
            sankey=sankey,
            choice=choice,
            origin_choices=sorted(((n, c) for c, n in fold.items()), key=lambda nc: nc[0]),
            destination_choices=sorted(
                ((names.get(c, c), c) for c in loaded.dataset.countries), key=lambda nc: nc[0]
            ),
        ),
        status=400 if choice.problems else 200,
    )


@cache_public_page
def sankey_download(request: HttpRequest, fmt: str) -> HttpResponse:
    release, loaded = _release(request)
    choice = _flow_choice(request, loaded)
    view = sankey_view(loaded, choice, names_of(loaded), "")
    return _view_download(
        fmt, view.block.table, loaded, release, "flows-" + "-".join(choice.query().values())
    )


def _table_download(
    fmt: str, table: Any, loaded: LoadedRelease, name: str, extra: dict[str, Any]
) -> HttpResponse:
    return table_response(
        fmt,
        name=name,
        title=table.title,
        header=table.download_header(),
        sheet_rows=table.sheet_rows(),
        json_rows=table.json_rows(),
        citation=loaded.dataset.citation,
        extra=extra,
    )


def _view_download(
    fmt: str, table: Any, loaded: LoadedRelease, release: GlotipRelease, name: str
) -> HttpResponse:
    return _table_download(
        fmt, table, loaded, f"glotip-{table.key}-{name}-v{release.version}", {"release": release.version}
    )


@cache_public_page
def explore_download(request: HttpRequest, level: str, code: str, fmt: str) -> HttpResponse:
    """The explorer's table for the selection in the query string (the same parameters as the page)."""
    release, loaded = _release(request)
    if level == "country" and code not in loaded.dataset.countries:
        raise Http404
    if level not in ("country", "region", "subregion", "world"):
        raise Http404
    area = None if level == "world" else code
    try:
        explorer = build_explorer(loaded, level, area, code, request.GET, "")
    except VinculoError as exc:
        raise Http404 from exc
    if explorer.problems:
        return HttpResponse(
            "\n".join(explorer.problems), status=400, content_type="text/plain; charset=utf-8"
        )
    sel = explorer.selection
    name = "-".join([code, *sel.query().values()])
    return _view_download(fmt, explore_table(loaded, level, area, sel), loaded, release, name)


@cache_public_page
def compare_download(request: HttpRequest, iso3: str, fmt: str) -> HttpResponse:
    """A country beside its region for the selection in the query string."""
    release, loaded = _release(request)
    code = iso3.upper()
    if code not in loaded.dataset.countries:
        raise Http404
    name = names_of(loaded).get(code, code)
    explorer = build_explorer(loaded, "country", code, name, request.GET, "")
    if explorer.problems:
        return HttpResponse(
            "\n".join(explorer.problems), status=400, content_type="text/plain; charset=utf-8"
        )
    view = comparison_view(loaded, code, name, explorer.selection, "")
    return _view_download(
        fmt, view.block.table, loaded, release, "-".join([code, *explorer.selection.query().values()])
    )


@cache_public_page
def flow_matrix_download(request: HttpRequest, fmt: str) -> HttpResponse:
    release, loaded = _release(request)
    region, year = _flow_filters(request, loaded)
    rows = flow_matrix_rows(loaded.dataset, region=region, years=None if year is None else [year])
    header = list(FLOW_CSV_COLUMNS)
    return table_response(
        fmt,
        name=f"glotip-flows-{region or 'world'}-{year or 'all'}-v{release.version}",
        title="flows",
        header=header,
        sheet_rows=[[r[c] for c in header] for r in rows],
        json_rows=rows,
        citation=loaded.dataset.citation,
        extra={"region": region, "year": year, "release": release.version},
    )


@cache_public_page
def releases(request: HttpRequest) -> HttpResponse:
    items = GlotipRelease.objects.select_related("base").order_by("-version")
    return render(request, "evidence/releases.html", {"releases": items})


# -- submissions --------------------------------------------------------------------------------
def _visible_submission(request: HttpRequest, pk: int) -> FigureSubmission:
    record = FigureSubmission.objects.select_related("owner", "country", "created_by").filter(pk=pk).first()
    if record is None or not access.access_can_view_submission(request.user, record):
        raise Http404
    return record


@login_required
def submission_list(request: HttpRequest) -> HttpResponse:
    base = FigureSubmission.objects.select_related("owner", "country")
    if access.access_can_review(request.user):
        items = base.all()
    else:
        items = access.access_visible(request.user, base)
    shown = list(items[:200])
    if shown:
        audit(
            AuditAction.VIEW,
            request=request,
            object_type="evidence.figuresubmission",
            details={"ids": [s.pk for s in shown]},
        )
    return render(
        request,
        "evidence/submissions.html",
        {
            "submissions": shown,
            "can_submit": access.access_can_submit_figures(request.user),
            "can_review": access.access_can_review(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_create(request: HttpRequest) -> HttpResponse:
    if not access.access_can_submit_figures(request.user):
        raise Http404
    form = SubmissionForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        user = request.user
        assert isinstance(user, User)
        try:
            data = upload.read(MAX_FIGURES_BYTES + 1)
            if len(data) > MAX_FIGURES_BYTES:
                raise VinculoError(
                    f"{upload.name}: the file is larger than {MAX_FIGURES_BYTES // 1_000_000} MB.",
                    code="evidence.too_large",
                    fix="A country's yearly figures take a few kilobytes: check that this is the right file.",
                )
            record = actions.submit_figures(actor=user, source=data, name=upload.name, request=request)
        except VinculoError as exc:
            problems = [str(i) for i in exc.issues] or [str(exc)]
            if exc.issues:
                problems.insert(0, str(exc).splitlines()[0])
        else:
            messages.success(request, _("The figures were submitted. A reviewer will check them."))
            return redirect("evidence:submission", pk=record.pk)
    status = form_status(request, invalid=bool(problems) or not form.is_valid())
    return render(
        request, "evidence/submission_form.html", {"form": form, "problems": problems}, status=status
    )


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _visible_submission(request, pk)
    audit(AuditAction.VIEW, request=request, obj=record)
    figures: list[dict[str, Any]] = [
        dict(f)
        for f in record.figures.order_by("year", "indicator", "dimension", "category", "sex", "age")[
            :500
        ].values(
            "year",
            "indicator",
            "dimension",
            "category",
            "sex",
            "age",
            "low",
            "high",
            "suppressed_cells",
            "cells",
        )
    ]
    for f in figures:
        f["display"] = Count(f["low"], f["high"], f["suppressed_cells"], f["cells"]).render()
    can_review = access.access_can_review(request.user)
    return render(
        request,
        "evidence/submission_detail.html",
        {
            "record": record,
            "figures": figures,
            "can_review": can_review
            and record.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.UNDER_REVIEW),
            "form": ReviewForm(),
            "releases": GlotipRelease.objects.filter(submissions=record).order_by("version"),
        },
    )


@login_required
@require_POST
def submission_review(request: HttpRequest, pk: int) -> HttpResponse:
    record = _visible_submission(request, pk)
    if not access.access_can_review(request.user):
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the submission."))
        return redirect("evidence:submission", pk=record.pk)
    user = request.user
    assert isinstance(user, User)
    step = form.cleaned_data["step"]
    try:
        if step == "start_review":
            actions.start_review(actor=user, submission=record, request=request)
            messages.success(request, _("The submission is under review."))
        elif step == "return":
            actions.return_submission(
                actor=user, submission=record, comments=form.cleaned_data["comments"], request=request
            )
            messages.success(request, _("The submission was returned with your comments."))
        else:
            release = actions.publish_submission(actor=user, submission=record, request=request)
            messages.success(
                request, _("The figures are published in release %(version)d.") % {"version": release.version}
            )
    except VinculoError as exc:
        messages.error(request, str(exc))
    return redirect("evidence:submission", pk=record.pk)
