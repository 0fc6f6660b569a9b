"""Browser tests: the platform served with demo data, driven by Debian's Chromium through Playwright.

Nothing is downloaded at run time. Playwright starts ``/usr/bin/chromium`` (``scripts/setup.sh --tests``
installs it; ``VINCULO_CHROMIUM`` names another binary), every request for a host other than the server is
refused and fails the test, and axe-core is the copy vendored in ``vendor/axe-core/``. Without Chromium or
Playwright the folder is skipped with one line, except under ``CI=true``, where every test fails.

One server and one browser serve a whole test session (one of each per xdist worker): the platform runs
``vinculo demo`` in a child process on its own SQLite file, so the pages show what a visitor of the demo
sees. Each test opens a fresh browser context (cookies, size, language) on that one browser.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).resolve().parent
AXE = HERE / "vendor" / "axe-core" / "axe.min.js"
# The WCAG 2.2 AA rule set: every A and AA rule of WCAG 2.0, 2.1 and 2.2 (2.2 added no level A rule in axe).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DEMO_PASSWORD = "demo-password-not-secret"
SERVER_START_SECONDS = 180


@dataclass(frozen=True)
class Screen:
    width: int
    height: int
    mobile: bool


SCREENS = {
    "desktop": Screen(1366, 900, mobile=False),
    "phone": Screen(390, 844, mobile=True),
}


@dataclass(frozen=True)
class Language:
    locale: str  # what the browser asks for (Accept-Language)
    html_lang: str  # what the page must declare in <html lang>
    direction: str


LANGUAGES = {
    "en": Language("en-GB", "en", "ltr"),
    "ar": Language("ar", "ar", "rtl"),
    "zh": Language("zh-CN", "zh-hans", "ltr"),
}


def chromium_executable() -> str | None:
    candidate = os.environ.get("VINCULO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return candidate if os.access(candidate, os.X_OK) else None


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if chromium_executable() is None:
        return "no Chromium at /usr/bin/chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a browser (outside CI) the whole folder comes down to one skipped test: one line, not 100."""
    missing = missing_browser()
    ours = [item for item in items if HERE in item.path.parents]
    if missing is None or not ours or os.environ.get("CI") == "true":
        return
    first, rest = ours[0], ours[1:]
    reason = f"browser tests ({len(ours)}) not run: {missing} (scripts/setup.sh --tests installs it)"
    first.add_marker(pytest.mark.skip(reason=reason))
    config.hook.pytest_deselected(items=rest)
    left_out = {id(item) for item in rest}
    items[:] = [item for item in items if id(item) not in left_out]


@pytest.fixture(scope="session")
def chromium() -> str:
    """The browser binary; in CI a missing browser fails the tests (setup must have installed it)."""
    missing = missing_browser()
    if missing:
        pytest.fail(f"browser tests: {missing} (scripts/setup.sh --tests installs it)")
    executable = chromium_executable()
    assert executable is not None
    return executable


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _platform_env(var_dir: Path) -> dict[str, str]:
    """The demo's own settings on a private SQLite file, untouched by the test settings of this process."""
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("VINCULO_") and k != "DJANGO_SETTINGS_MODULE"
    }
    return {**base, "DJANGO_SETTINGS_MODULE": "vinculo.web.settings.dev", "VINCULO_VAR_DIR": str(var_dir)}


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the platform exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(
        f"the platform did not answer {url} within {SERVER_START_SECONDS} s:\n{log.read_text()[-3000:]}"
    )


@dataclass(frozen=True)
class Platform:
    base: str  # http://127.0.0.1:PORT
    log: Path  # what ``vinculo demo`` printed


@pytest.fixture(scope="session")
def platform(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """``vinculo demo`` (migrations, demo data, the web server and its job worker) on a free port."""
    var_dir = tmp_path_factory.mktemp("platform")
    port = _free_port()
    log = var_dir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", "from vinculo.cli import main; main()", "demo", "--port", str(port)],
            env=_platform_env(var_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/health", process, log)
        yield Platform(base=base, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def server(platform: Platform) -> str:
    return platform.base


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, headless=True)
        yield instance
        instance.close()


@dataclass
class Tab:
    """One browser context at one size and language, with the guards every page must pass."""

    page: Any
    base: str
    screen: Screen
    language: Language
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def open(self, path: str) -> Any:
        """Load a page and wait until its network is quiet, so what scripts fetch and draw is there too."""
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
        self.page.wait_for_load_state("networkidle")
        return response

    def check_language(self) -> None:
        lang, direction = self.page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
        assert (lang.lower(), direction or "ltr") == (self.language.html_lang, self.language.direction)

    def axe_violations(self) -> list[str]:
        """axe-core's WCAG 2.2 AA violations, one line each: rule, impact and the first elements hit.

        The file is evaluated through the DevTools protocol rather than added as a ``<script>`` element:
        the site's Content-Security-Policy (``script-src 'self'``) rightly refuses inline script, and it
        stays in force while the page is tested.
        """
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = self.page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                    resultTypes: ['violations']});
                return result.violations.map(v => ({id: v.id, impact: v.impact,
                    targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }""",
            AXE_TAGS,
        )
        return [f"{v['id']} ({v['impact']}): {'; '.join(v['targets'])}" for v in violations]

    def overflow(self) -> int:
        """How many CSS pixels the page is wider than the window (0: no horizontal scrolling).

        The window is the layout viewport, ``documentElement.clientWidth``, not ``innerWidth``: a phone
        browser zooms out to fit a page that is too wide, and ``innerWidth`` then grows with the page, so
        an overflowing page would measure as none.
        """
        width, window = self.page.evaluate(
            "[document.scrollingElement.scrollWidth, document.documentElement.clientWidth]"
        )
        return max(0, int(width) - int(window))

    def assert_clean(self) -> None:
        """The checks of issue 11 for the page now shown."""
        self.check_language()
        problems = {
            "axe": self.axe_violations(),
            "horizontal overflow (px)": [str(px) for px in [self.overflow()] if px],
            "requests to other hosts": self.foreign_requests,
            "console errors": self.console_errors,
        }
        found = {name: items for name, items in problems.items() if items}
        assert not found, f"{self.page.url}: {found}"


def _guard(tab: Tab, context: Any) -> None:
    """Refuse, and note, every request for another origin; note script errors (CSP refusals among them)."""
    origin = urlsplit(tab.base)

    def route(request_route: Any) -> None:
        url = urlsplit(request_route.request.url)
        if (url.scheme, url.netloc) == (origin.scheme, origin.netloc):
            request_route.continue_()
        else:
            tab.foreign_requests.append(f"{url.scheme}://{url.netloc}")
            request_route.abort()

    context.route("**/*", route)
    tab.page.on(
        "console", lambda message: message.type == "error" and tab.console_errors.append(message.text)
    )
    tab.page.on("pageerror", lambda error: tab.console_errors.append(str(error)))


OpenTab = Callable[..., Tab]


@pytest.fixture
def open_tab(browser: Any, server: str) -> Iterator[OpenTab]:
    """Opens tabs: ``open_tab("phone", "ar", storage_state=...)``; each is closed after the test."""
    contexts: list[Any] = []

    def make(screen_name: str, language_name: str, storage_state: Any = None) -> Tab:
        screen, language = SCREENS[screen_name], LANGUAGES[language_name]
        context = browser.new_context(
            viewport={"width": screen.width, "height": screen.height},
            is_mobile=screen.mobile,
            has_touch=screen.mobile,
            locale=language.locale,
            storage_state=storage_state,
        )
        contexts.append(context)
        tab = Tab(page=context.new_page(), base=server, screen=screen, language=language)
        _guard(tab, context)
        return tab

    yield make
    for context in contexts:
        context.close()


def open_menu(tab: Tab) -> None:
    """On a phone the navigation is behind the header's Menu button: press it (nothing to do on a desktop)."""
    button = tab.page.locator("header summary.menu-button")
    if button.is_visible() and not tab.page.evaluate("document.querySelector('header .phone-menu').open"):
        button.click()


def sign_in(tab: Tab, username: str) -> None:
    """Sign in as a person does: follow the header's link, type the name and password, press the button."""
    tab.open("/")
    open_menu(tab)
    tab.page.locator("header a[href^='/accounts/sign-in/']:visible").first.click()
    tab.page.locator("#id_username").press_sequentially(username)
    tab.page.locator("#id_password").press_sequentially(DEMO_PASSWORD)
    with tab.page.expect_navigation():
        tab.page.locator("main form button[type=submit]").click()
    assert "/accounts/sign-in/" not in tab.page.url, f"{username} could not sign in"


@pytest.fixture(scope="session")
def manager_state(browser: Any, server: str) -> Any:
    """The cookies of the demo's data manager, signed in once per session (with the form, by typing)."""
    context = browser.new_context(locale="en-GB")
    tab = Tab(page=context.new_page(), base=server, screen=SCREENS["desktop"], language=LANGUAGES["en"])
    _guard(tab, context)
    sign_in(tab, "ngo.manager")
    state = context.storage_state()
    context.close()
    return state
