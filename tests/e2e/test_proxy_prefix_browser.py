"""Issue 18, in a real browser: the query page and the search suggestions of a
path-prefix deployment, behind the strip-prefix proxy of
``tests/integration/test_proxy_prefix.py``, make every request under the prefix.

``aseankg serve --public-url http://127.0.0.1:P/aseankg/`` runs in its own process; the
proxy publishes it at ``/aseankg/``. Any request of the page outside the prefix (where the
proxy answers 404) is a problem, like a console error.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect

from tests.cli_server import CLI
from tests.e2e.test_query_page import EDITOR, RUN, YASR, set_query
from tests.e2e.test_ui import SEARCH_LABEL
from tests.integration.test_proxy_prefix import PREFIX, StripPrefixProxy, free_socket, serving


@pytest.fixture(scope="module")
def proxied(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``http://127.0.0.1:P/aseankg``: the proxy in front of a prefixed ``aseankg serve``."""
    sock, backend = free_socket(), free_socket()
    port, backend_port = sock.getsockname()[1], backend.getsockname()[1]
    backend.close()
    public = f"http://127.0.0.1:{port}{PREFIX}/"
    log = (tmp_path_factory.mktemp("proxy-e2e") / "serve.log").open("wb")
    command = [str(CLI), "serve", "--store", str(seed_store), "--port", str(backend_port)]
    process = subprocess.Popen(
        [*command, "--public-url", public],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{backend_port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "aseankg serve ended"
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "aseankg serve did not start in 60 s"
            time.sleep(0.2)
        with serving(StripPrefixProxy(url), sock):
            yield public.rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _page(browser: Browser, root: str, problems: list[str]) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith((root + "/", "data:")):
            route.continue_()
        else:
            problems.append(f"request outside the prefix: {url}")
            route.abort()

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", record)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    return page


def test_query_page_and_suggestions_stay_under_the_prefix(browser: Browser, proxied: str) -> None:
    problems: list[str] = []
    page = _page(browser, proxied, problems)
    page.goto(proxied + "/sparql")
    expect(page.locator(EDITOR)).to_be_visible()
    set_query(page, "SELECT ?s WHERE { ?s a <https://w3id.org/aseankg/ontology#ActionLine> }")
    page.locator(RUN).click()
    rows = page.locator(YASR + " table.dataTable tbody tr")
    expect(rows.nth(5)).to_be_visible(timeout=30_000)  # YASGUI posted to /aseankg/sparql
    expect(page.locator(YASR)).to_contain_text("/line/")
    page.goto(proxied + "/")
    box = page.get_by_label(SEARCH_LABEL)
    box.click()
    box.press_sequentially("AICHR", delay=30)
    option = page.get_by_role("option").first
    expect(option).to_contain_text("ASEAN Intergovernmental Commission on Human Rights")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(proxied + "/id/actor/aichr")
    expect(page.locator("h1")).to_contain_text("ASEAN Intergovernmental Commission on Human Rights")
    page.context.close()
    assert problems == []
