"""Browser tests: the real seed graph, a real ``aseankg serve``, Debian's headless Chromium.

Session fixtures build the seed plan with ``aseankg build`` into a temporary store, start
``aseankg serve`` on a free loopback port (as a user would, in its own process) and
launch ``/usr/bin/chromium`` through playwright (never ``playwright install``). Each page
lives in a fresh browser context (empty localStorage) whose requests may only reach the
test server: any other request is aborted and recorded in ``problems``, with every console
error and uncaught page error. Screenshots go to ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
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
CLI = Path(sys.executable).with_name("aseankg")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed plan built by ``aseankg build`` into a fresh store."""
    store = tmp_path_factory.mktemp("e2e") / "store"
    done = subprocess.run(
        [str(CLI), "build", str(SEED), "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return store


@pytest.fixture(scope="session")
def server(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Root URL of ``aseankg serve`` on the seed store, on a free loopback port."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("e2e-log") / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(CLI), "serve", "--store", str(seed_store), "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, log_path.read_text(errors="replace")
                try:
                    if httpx.get(url + "/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "aseankg serve did not start in 60 s"
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)


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
