"""Take the screenshots that the guides and the README show, from the demo platform in Chromium.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only NAME ...]

Starts ``vinculo demo`` on a free port with its own SQLite file in a temporary folder (as the
browser tests do), signs in with the demo accounts by typing, does each task the guides describe by
clicking, and writes ``NAME-SCREEN-LANGUAGE.png`` (screen: desktop 1366×900 or phone 390×844;
language: en or ar). Needs Chromium (``scripts/setup.sh --tests``); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402 - the browser tests' screens, languages and demo set-up
    DEMO_PASSWORD,
    LANGUAGES,
    SCREENS,
    _free_port,
    _platform_env,
    chromium_executable,
)



@dataclass(frozen=True)
class Shot:
    name: str
    take: Callable[[Any, str], None]  # (page, base URL): navigate and scroll to what the picture shows
    user: str | None = None
    combos: tuple[tuple[str, str], ...] = (
        ("desktop", "en"),
        ("desktop", "ar"),
        ("phone", "en"),
        ("phone", "ar"),
    )


def _goto(page: Any, url: str) -> None:
    response = page.goto(url)
    if response is None or response.status != 200:
        raise SystemExit(f"{url}: HTTP {response and response.status}")
    page.wait_for_load_state("networkidle")


def _show(page: Any, selector: str) -> None:
    """Scroll so that the first element matching ``selector`` starts near the top of the window."""
    element = page.locator(selector).first
    element.wait_for(state="visible", timeout=60_000)
    element.evaluate("e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -16); }")
    page.wait_for_timeout(200)


def profile(page: Any, base: str) -> None:
    _goto(page, f"{base}/evidence/countries/ARG/")
    _show(page, "#explore")


def world_map(page: Any, base: str) -> None:
    _goto(page, f"{base}/evidence/countries/")
    _show(page, "main svg.vinculo-map")


def flows(page: Any, base: str) -> None:
    _goto(page, f"{base}/evidence/flows/")
    _show(page, "#chart-sankey")


def import_upload(page: Any, base: str) -> None:
    _goto(page, f"{base}/cases/submissions/new/")


def import_mapping(page: Any, base: str) -> None:
    """Upload the page's own example file, then open the mapping step from the submission's page."""
    example = _WORK[0] / "example-cases.csv"
    if not example.exists():
        answer = page.request.get(f"{base}/cases/submissions/example.csv")
        if not answer.ok:
            raise SystemExit(f"the example case file: HTTP {answer.status}")
        example.write_bytes(answer.body())
    _goto(page, f"{base}/cases/submissions/new/")
    page.set_input_files("input[type=file][name=file]", str(example))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.locator("main a[href$='/mapping/']").first.click()
    page.wait_for_load_state("networkidle")


def estimate_form(page: Any, base: str) -> None:
    _goto(page, f"{base}/estimates/new/")


def _estimate_table(folder: Path) -> Path:
    path = folder / "example-estimate.csv"
    if not path.exists():
        with urllib.request.urlopen(f"{_BASE[0]}/estimates/example.csv") as answer:  # noqa: S310 - our server
            path.write_bytes(answer.read())
    return path


_BASE: list[str] = []
_WORK: list[Path] = []
_ESTIMATE_URL: list[str] = []


def estimate_result(page: Any, base: str) -> None:
    if not _ESTIMATE_URL:
        _goto(page, f"{base}/estimates/new/")
        page.locator("#id_title").fill("Five lists, United Kingdom 2013 (example)")
        page.set_input_files("#id_file", str(_estimate_table(_WORK[0])))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        page.locator(".headline").wait_for(timeout=300_000)
        _ESTIMATE_URL.append(page.url)
    _goto(page, _ESTIMATE_URL[0])
    page.locator(".headline").wait_for(timeout=300_000)


def _figures_file(folder: Path) -> Path:
    """A small Global Report file of the Netherlands (the demo rapporteur's country): its rows of the export."""
    from vinculo.evidence import COLUMNS
    from vinculo.evidence._packaged import packaged_export_path

    path = folder / "nld-figures.csv"
    with gzip.open(packaged_export_path(), "rt", encoding="utf-8", newline="") as fh:
        lines = fh.read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Iso3_code"))
    rows = [row for row in csv.DictReader(io.StringIO("\n".join(lines[start:]))) if row["Iso3_code"] == "NLD"]
    latest = max(int(row["Year"]) for row in rows)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(row for row in rows if int(row["Year"]) == latest)
    return path


_SUBMISSION_URL: list[str] = []


def review(page: Any, base: str) -> None:
    _goto(page, _SUBMISSION_URL[0])


def audit(page: Any, base: str) -> None:
    _goto(page, f"{base}/audit/")


SHOTS = [
    Shot("profile", profile),
    Shot("map", world_map),
    Shot("flows", flows),
    Shot("import-upload", import_upload, user="ngo.manager", combos=(("desktop", "en"),)),
    Shot("import-mapping", import_mapping, user="ngo.manager"),
    Shot("estimate-form", estimate_form, user="rapporteur.analyst", combos=(("desktop", "en"),)),
    Shot("estimate-result", estimate_result, user="rapporteur.analyst"),
    Shot("review", review, user="unodc.reviewer", combos=(("desktop", "en"),)),
    Shot("audit", audit, user="admin", combos=(("desktop", "en"),)),
]


def _sign_in(context: Any, base: str, username: str) -> None:
    page = context.new_page()
    _goto(page, f"{base}/accounts/sign-in/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if "/accounts/sign-in/" in page.url:
        raise SystemExit(f"{username} could not sign in")
    page.close()


def _submit_figures(browser: Any, base: str, folder: Path) -> None:
    """The demo rapporteur submits the Netherlands' latest figures, so that a reviewer has one to review."""
    context = browser.new_context(locale="en-GB")
    _sign_in(context, base, "rapporteur.analyst")
    page = context.new_page()
    _goto(page, f"{base}/evidence/submissions/new/")
    page.set_input_files("input[type=file]", str(_figures_file(folder)))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    if "/evidence/submissions/new/" in page.url:
        raise SystemExit("the demo figures were refused:\n" + page.locator("main").inner_text()[:2000])
    _SUBMISSION_URL.append(page.url)
    context.close()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the platform exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - our server
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"the platform did not answer {url}:\n{log.read_text()[-3000:]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="*", default=None, help="names of the shots to take (default: all)")
    args = parser.parse_args(argv)
    chromium = chromium_executable()
    if chromium is None:
        raise SystemExit("no Chromium: run scripts/setup.sh --tests")
    from playwright.sync_api import sync_playwright

    shots = [shot for shot in SHOTS if args.only is None or shot.name in args.only]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _WORK.append(work)
        port = _free_port()
        log = work / "server.log"
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, "-c", "from vinculo.cli import main; main()", "demo", "--port", str(port)],
                env=_platform_env(work),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        _BASE.append(base)
        try:
            _wait_until_up(f"{base}/health", process, log)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, headless=True)
                if any(shot.name == "review" for shot in shots):
                    _submit_figures(browser, base, work)
                for shot in shots:
                    for screen_name, language_name in shot.combos:
                        screen, language = SCREENS[screen_name], LANGUAGES[language_name]
                        context = browser.new_context(
                            viewport={"width": screen.width, "height": screen.height},
                            is_mobile=screen.mobile,
                            has_touch=screen.mobile,
                            locale=language.locale,
                        )
                        if shot.user:
                            _sign_in(context, base, shot.user)
                        page = context.new_page()
                        shot.take(page, base)
                        target = args.out / f"{shot.name}-{screen_name}-{language_name}.png"
                        page.screenshot(path=str(target))
                        print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
                        context.close()
                browser.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
