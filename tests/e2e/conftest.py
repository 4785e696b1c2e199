"""Browser tests: the real seed graph, a real ``aseankg serve``, Debian's headless Chromium.

Session fixtures build the seed plan with ``aseankg build`` into a temporary store, start
``aseankg serve`` on a free loopback port (as a user would, in its own process) and
launch ``/usr/bin/chromium`` through playwright (never ``playwright install``). Each page
lives in a fresh browser context (empty localStorage) whose requests may only reach the
test server: any other request is aborted and recorded in ``problems``, with every console
error and uncaught page error. Screenshots go to ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Route,
    sync_playwright,
)

from tests.cli_server import cli_build, cli_serve

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed plan built by ``aseankg build`` into a fresh store."""
    return cli_build(tmp_path_factory.mktemp("e2e") / "store", SEED)


@pytest.fixture(scope="session")
def server(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Root URL of ``aseankg serve`` on the seed store, on a free loopback port."""
    with cli_serve(seed_store, tmp_path_factory.mktemp("e2e-log") / "serve.log") as url:
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def problems() -> list[str]:
    """What went wrong in the test's pages: console errors, page errors, outside requests."""
    return []


@pytest.fixture
def open_page(browser: Browser, server: str, problems: list[str]) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh context (``base_url`` = the test server; playwright context
    options as keywords). Requests off the server are aborted; they, console errors and
    page errors land in ``problems``."""
    contexts: list[BrowserContext] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url == server or url.startswith((server + "/", "data:")):
            route.continue_()
        else:
            problems.append(f"outside request: {url}")
            route.abort()

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    def opener(**options: Any) -> Page:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=server, **options)
        contexts.append(context)
        context.route("**/*", guard)
        page = context.new_page()
        page.on("console", record)
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    """A desktop-sized page on the test server."""
    return open_page()


@pytest.fixture
def artifacts() -> Path:
    """``tests/artifacts/``, created."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def shot(artifacts: Path) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot as ``tests/artifacts/NAME.png``; return its path."""

    def save(page: Page, name: str) -> Path:
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
