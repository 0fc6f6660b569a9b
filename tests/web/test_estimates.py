"""The Estimates area end to end: upload, background job with progress, result page, API, access, audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vinculo.mse import MSESettings, estimate, read_histories
from vinculo.web.audit.models import AuditEntry
from vinculo.web.estimates.models import Estimate
from vinculo.web.jobs import runner
from vinculo.web.jobs.models import Job, JobStatus

from .conftest import ROLES, World

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "mse"
KOREA = "b,c,d,count\n1,0,0,77\n0,1,0,5\n1,1,0,14\n0,0,1,9\n1,0,1,15\n0,1,1,0\n1,1,1,3\n"


def upload(world: World, who: str = "owner_manager", text: str = KOREA, **fields: object):  # type: ignore[no-untyped-def]
    data = {
        "title": "Korea test",
        "method": "main",
        "ci": "wald",
        "level": "0.95",
        "pthresh": "0.02",
        "max_order": "2",
        "nboot": "200",
        "seed": "1",
        "sensitivity": "restricted",
        "file": SimpleUploadedFile("korea.csv", text.encode(), content_type="text/csv"),
    }
    data.update({k: v for k, v in fields.items()})
    return world.client_for(who).post(reverse("estimates:create"), data)


def test_an_uploaded_table_is_estimated_in_the_background_and_matches_the_core(world: World) -> None:
    response = upload(world)
    assert response.status_code == 302
    record = Estimate.objects.get()
    assert record.job is not None and record.job.status == JobStatus.QUEUED
    assert record.lists == ["b", "c", "d"] and record.n_observed == 123
    page = world.client_for("owner_manager").get(response["Location"])
    assert "job-progress" in page.content.decode()
    assert runner.run_pending() == 1
    record.refresh_from_db()
    assert record.job is not None and record.job.status == JobStatus.DONE
    expected = estimate(
        read_histories(
            [
                dict(zip("bcd", map(int, r[:3]), strict=True)) | {"count": int(r[3])}
                for r in (line.split(",") for line in KOREA.splitlines()[1:])
            ]
        ),
        MSESettings(method="main", ci="wald", level=0.95),
    )
    assert record.result is not None
    assert record.result["estimate"] == pytest.approx(expected.estimate, rel=1e-9)
    assert record.result["interval"]["lower"] == pytest.approx(expected.interval.lower, rel=1e-9)
    page = world.client_for("owner_manager").get(response["Location"]).content.decode()
    assert f"{expected.estimate:.0f}" in page
    assert "Closed population" in page


def test_bootstrap_progress_is_recorded_and_plots_are_drawn(world: World) -> None:
    upload(world, method="stepwise", ci="bca", nboot="60")
    assert runner.run_pending() == 1
    record = Estimate.objects.get()
    job = Job.objects.get(pk=record.job_id)
    assert job.status == JobStatus.DONE, job.error
    assert job.progress_total >= 60 and job.progress_done == job.progress_total
    page = (
        world.client_for("owner_manager").get(reverse("estimates:detail", args=[record.pk])).content.decode()
    )
    assert page.count("<svg") >= 1
    assert "Bootstrap distribution" in page


def test_a_bad_table_is_refused_with_row_and_column_and_nothing_is_written(world: World) -> None:
    response = upload(world, text="A,B,count\n1,0,5\n0,2,3\n1,1,2\n")
    assert response.status_code == 400
    text = response.content.decode()
    assert "row 3" in text and "B" in text
    assert Estimate.objects.count() == 0 and Job.objects.count() == 0


def test_status_survives_a_reload_and_reports_failure_in_plain_words(world: World) -> None:
    upload(world)
    record = Estimate.objects.get()
    status_url = reverse("estimates:status", args=[record.pk])
    assert world.client_for("owner_manager").get(status_url).json()["status"] == "queued"
    Job.objects.filter(pk=record.job_id).update(kind="no-such-kind")
    runner.run_pending()
    body = world.client_for("owner_manager").get(status_url).json()
    assert body["status"] == "failed" and "cannot run jobs" in body["error"]


def test_api_creates_and_returns_an_estimate(world: World) -> None:
    client = world.client_for("owner_analyst")
    response = client.post(
        "/api/estimates",
        data=json.dumps({"title": "via api", "csv": KOREA, "method": "main", "country": "KOR", "year": 2020}),
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    estimate_id = response.json()["id"]
    assert response.json()["status"] == "queued"
    runner.run_pending()
    body = client.get(f"/api/estimates/{estimate_id}").json()
    assert body["status"] == "done" and body["country"] == "KOR"
    assert body["result"]["n_observed"] == 123
    assert AuditEntry.objects.filter(action="create", object_type="estimates.estimate").exists()


def test_api_reports_a_bad_table_in_the_error_shape(world: World) -> None:
    response = world.client_for("owner_analyst").post(
        "/api/estimates",
        data=json.dumps({"title": "bad", "csv": "A,count\n1,4\n"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and body["code"].startswith("mse.")
    assert Estimate.objects.count() == 0


SEES_RESTRICTED = {"owner_manager", "owner_author", "owner_analyst"}


@pytest.mark.parametrize("who", ROLES)
def test_restricted_estimates_follow_the_access_rules(world: World, who: str) -> None:
    upload(world)
    runner.run_pending()
    record = Estimate.objects.get()
    client = world.client_for(who)
    visible = who in SEES_RESTRICTED
    for url in [
        reverse("estimates:detail", args=[record.pk]),
        reverse("estimates:status", args=[record.pk]),
        reverse("estimates:download", args=[record.pk]),
        f"/api/estimates/{record.pk}",
    ]:
        assert client.get(url).status_code == (200 if visible else 404), url
    listed = {e["id"] for e in client.get("/api/estimates").json()}
    assert (record.pk in listed) is visible
    assert ("Korea test" in client.get(reverse("estimates:list")).content.decode()) is visible
    delete = client.post(reverse("estimates:delete", args=[record.pk]))
    assert Estimate.objects.filter(pk=record.pk).exists() is (who != "owner_manager")
    if who == "owner_manager":
        assert delete.status_code == 302


def test_viewing_and_downloading_a_restricted_estimate_is_audited(world: World) -> None:
    upload(world)
    runner.run_pending()
    record = Estimate.objects.get()
    client = world.client_for("owner_analyst")
    client.get(reverse("estimates:detail", args=[record.pk]))
    client.get(reverse("estimates:download", args=[record.pk]))
    actions = list(
        AuditEntry.objects.filter(object_id=str(record.pk), actor_username="owner_analyst").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["export", "view"]


@pytest.mark.skipif(not SHARED.exists(), reason="shared data not present")
def test_a_real_dataset_runs_end_to_end_with_stepwise_selection(world: World) -> None:
    text = (SHARED / "NewOrl_5.csv").read_text()
    upload(world, text=text, method="stepwise", ci="wald")
    runner.run_pending()
    record = Estimate.objects.get()
    assert record.result is not None
    expected = estimate(read_histories(SHARED / "NewOrl_5.csv"), MSESettings(method="stepwise", ci="wald"))
    assert record.result["estimate"] == pytest.approx(expected.estimate, rel=1e-9)
    assert record.result["model_terms"] == list(expected.model_terms)


def test_the_result_page_says_the_estimate_in_words_and_compares_the_models(world: World) -> None:
    text = (SHARED / "UKdat_5.csv").read_text()
    upload(world, text=text, method="bic", ci="wald")
    runner.run_pending()
    record = Estimate.objects.get()
    expected = estimate(read_histories(SHARED / "UKdat_5.csv"), MSESettings(method="bic", ci="wald"))
    page = (
        world.client_for("owner_manager").get(reverse("estimates:detail", args=[record.pk])).content.decode()
    )
    digits = 3 - len(str(int(expected.estimate)))
    about = f"{round(expected.estimate, digits):,.0f}"
    assert f"About {about} victims in all (95% range " in page
    unlisted = round(100 * expected.dark_figure / expected.estimate)
    assert f"about {unlisted}% were on no list" in page
    assert expected.model_terms and expected.candidates
    for term in expected.model_terms:
        a, b = term.split(":")
        assert f"{a} and {b}: a victim on one of these lists" in page
    assert "Models compared" in page and page.count(">chosen<") == 1
    assert "Wald interval" in page
    # The candidates drawn with their own intervals, the chosen one marked; the table has the deltas.
    chosen_label = ", ".join(t.replace(":", " × ") for t in expected.model_terms)
    assert f"{chosen_label} (chosen)</text>" in page
    assert "ΔBIC" in page and ">0.00<" in page
    best_aic = min(c.aic for c in expected.candidates)
    worst = expected.candidates[-1]
    assert f">{worst.aic - best_aic:,.2f}<" in page
    assert f"{worst.lower:,.0f} – {worst.upper:,.0f}" in page
    # The overlap of the five lists and the observed against fitted counts, with their data.
    assert "How the lists overlap" in page and "Observed and fitted cases per combination of lists" in page
    cells = {c.pattern: c for c in expected.cells}
    np_ = cells[(0, 1, 1, 0, 0)]
    assert f"<td>NG + PFNCA</td><td>{np_.observed}</td><td>{np_.fitted:,.1f}</td>" in page
    french = world.client_for("owner_manager")
    french.cookies["vinculo_language"] = "fr"
    page_fr = french.get(reverse("estimates:detail", args=[record.pk])).content.decode()
    assert about.replace(",", "\u202f") in page_fr


def test_strata_are_estimated_separately_and_summed(world: World) -> None:
    rows = ["year,A,B,count"]
    for year, scale in (("2021", 1), ("2022", 2)):
        for a, b, n in ((1, 0, 60), (0, 1, 40), (1, 1, 20)):
            rows.append(f"{year},{a},{b},{n * scale}")
    response = upload(world, text="\n".join(rows) + "\n", stratum_column="year")
    assert response.status_code == 302, response.content
    record = Estimate.objects.get()
    assert record.n_observed == 360 and record.lists == ["A", "B"]
    runner.run_pending()
    record.refresh_from_db()
    assert record.result is not None
    strata = record.result["strata"]
    assert set(strata) == {"2021", "2022"}
    # Two independent lists: N = n_A * n_B / n_AB per stratum (Lincoln-Petersen), 240 and 480.
    assert strata["2021"]["estimate"] == pytest.approx(240)
    assert record.result["estimate"] == pytest.approx(720)
    page = (
        world.client_for("owner_manager").get(reverse("estimates:detail", args=[record.pk])).content.decode()
    )
    assert "Estimates by year" in page
    # The overlap chart sums the strata: 60 + 120 on A alone.
    assert "How the lists overlap" in page and "<td>A</td><td>180</td>" in page


def test_bayesian_averaging_runs_from_the_platform(world: World) -> None:
    upload(world, method="bayes")
    runner.run_pending()
    record = Estimate.objects.get()
    assert record.result is not None, Job.objects.get(pk=record.job_id).error
    assert record.result["interval"]["method"] == "bayes_credible"
    assert record.result["n_observed"] == 123


def test_an_estimate_with_country_and_year_is_also_given_per_100000_population(world: World) -> None:
    from vinculo.population import load_population
    from vinculo.web.core.models import Country

    korea = Country.objects.get(iso3="KOR")
    upload(world, country=str(korea.pk), year="2020")
    runner.run_pending()
    record = Estimate.objects.get()
    assert record.result is not None
    population = load_population().get("KOR", 2020)
    assert population is not None
    body = world.client_for("owner_manager").get(f"/api/estimates/{record.pk}").json()
    rates = body["rate_per_100k"]
    assert rates["population"] == population
    assert rates["estimate"] == pytest.approx(record.result["estimate"] * 100_000 / population)
    assert rates["ci_upper"] == pytest.approx(record.result["interval"]["upper"] * 100_000 / population)
    page = (
        world.client_for("owner_manager").get(reverse("estimates:detail", args=[record.pk])).content.decode()
    )
    assert f"{rates['estimate']:.2f}" in page and "SDG 16.2.2" in page


def test_one_file_per_list_is_matched_into_histories_and_no_identifier_is_stored(world: World) -> None:
    files = [
        SimpleUploadedFile("Police.csv", b"id\nX-1\nX-2\nX-3\nX-4\n", content_type="text/csv"),
        SimpleUploadedFile("Shelter.csv", b"case_id,other\nx-2,a\nX-5,b\n", content_type="text/csv"),
        SimpleUploadedFile("Labour.csv", b"id\nX-3\nX-2\nX-6\n", content_type="text/csv"),
    ]
    client = world.client_for("owner_manager")
    response = client.post(
        reverse("estimates:create"),
        {
            "title": "From lists",
            "method": "main",
            "ci": "wald",
            "level": "0.95",
            "pthresh": "0.02",
            "max_order": "2",
            "nboot": "200",
            "seed": "1",
            "sensitivity": "restricted",
            "list_files": files,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Estimate.objects.get()
    assert record.lists == ["Police", "Shelter", "Labour"] and record.n_observed == 6
    assert "X-1" not in record.source_csv and "x-2" not in record.source_csv.lower()
    assert record.source_csv.splitlines()[0] == "Police,Shelter,Labour,count"
    runner.run_pending()
    record.refresh_from_db()
    assert record.result is not None and record.result["n_observed"] == 6


def test_a_table_and_list_files_together_or_a_single_list_file_are_refused(world: World) -> None:
    client = world.client_for("owner_manager")
    base = {"title": "t", "method": "main", "ci": "wald", "level": "0.95", "pthresh": "0.02",
            "max_order": "2", "nboot": "200", "seed": "1", "sensitivity": "restricted"}  # fmt: skip
    one = client.post(
        reverse("estimates:create"), {**base, "list_files": [SimpleUploadedFile("A.csv", b"id\n1\n")]}
    )
    assert one.status_code == 400 and "at least two list files" in one.content.decode()
    both = client.post(
        reverse("estimates:create"),
        {
            **base,
            "file": SimpleUploadedFile("t.csv", KOREA.encode()),
            "list_files": [SimpleUploadedFile("A.csv", b"id\n1\n"), SimpleUploadedFile("B.csv", b"id\n1\n")],
        },
    )
    assert both.status_code == 400 and "not both" in both.content.decode()
    nocol = client.post(
        reverse("estimates:create"),
        {
            **base,
            "list_files": [
                SimpleUploadedFile("A.csv", b"x,y\n1,2\n"),
                SimpleUploadedFile("B.csv", b"id\n1\n"),
            ],
        },
    )
    assert nocol.status_code == 400 and "no identifier column" in nocol.content.decode()
    assert Estimate.objects.count() == 0


def test_the_form_offers_a_real_example_and_keeps_the_statistics_behind_advanced(world: World) -> None:
    client = world.client_for("owner_manager")
    form = client.get(reverse("estimates:create")).content.decode()
    assert reverse("estimates:example") in form
    head, _sep, advanced = form.partition('<details class="advanced">')
    assert advanced, "the statistical settings are grouped"
    assert 'name="title"' in head and 'name="file"' in head
    for name in ("method", "ci", "level", "pthresh", "max_order", "nboot", "seed"):
        assert f'name="{name}"' in advanced.split("</details>")[0] and f'name="{name}"' not in head
    example = client.get(reverse("estimates:example"))
    assert example.status_code == 200 and example["Content-Type"].startswith("text/csv")
    table = read_histories(
        [
            dict(zip(rows[0], map(int, r), strict=True))
            for rows in [[line.split(",") for line in example.content.decode().split()]]
            for r in rows[1:]
        ]
    )
    assert table.lists == ("LA", "NG", "PFNCA", "GO", "GP") and table.n_observed == 2744
    # An error in an advanced field opens the group, so it is not hidden.
    response = upload(world, nboot="5")
    assert response.status_code == 400
    assert '<details class="advanced" open>' in response.content.decode()


def test_progress_text_names_the_state_and_shows_a_share_only_while_running(world: World) -> None:
    """A queued job left at 99 % by an interrupted attempt read "Waiting to start — 99 %" (issue 11)."""
    upload(world)
    record = Estimate.objects.get()
    Job.objects.filter(pk=record.job_id).update(progress_done=99, progress_total=100)
    client = world.client_for("owner_manager")
    status_url = reverse("estimates:status", args=[record.pk])
    body = client.get(status_url).json()
    assert body["status"] == "queued" and body["text"] == "Waiting to start"
    page = client.get(reverse("estimates:detail", args=[record.pk])).content.decode()
    assert (
        '<span id="job-state">Waiting to start</span>' in page and "99" not in page.split("job-state")[1][:40]
    )
    Job.objects.filter(pk=record.job_id).update(status=JobStatus.RUNNING, progress_done=42)
    assert client.get(status_url).json()["text"] == "Running — 42 %"
    assert (
        '<span id="job-state">Running — 42 %</span>'
        in client.get(reverse("estimates:detail", args=[record.pk])).content.decode()
    )
    arabic = client.get(status_url, HTTP_ACCEPT_LANGUAGE="ar").json()["text"]
    assert arabic == "قيد التشغيل — 42 %"
    Job.objects.filter(pk=record.job_id).update(status=JobStatus.QUEUED)
    runner.run_pending()
    assert client.get(status_url).json()["text"] == "Finished"
