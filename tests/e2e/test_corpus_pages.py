"""A corpus in a real browser: a store of two partnerships (the seed, ASEAN–Canada, and the
ASEAN–Australia test plan) built by ``aseankg build`` and served by ``aseankg serve``;
mentions highlighted by their offsets (compared with ``aseankg export --format csv``), the
home page's partnerships, plan picker and timeline, an entity's lines by partnership and
edition, a line's breadcrumb, the 404 page."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.cli_server import CLI, cli_build, cli_serve
from tests.e2e.conftest import ROOT, SEED

pytestmark = pytest.mark.e2e

AUSTRALIA = ROOT / "tests" / "data" / "plans" / "asean-australia-poa-2025-2029.txt"
CANADA = "asean-canada-2021-2025"


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and the ASEAN–Australia plan, built into one store by the CLI."""
    return cli_build(tmp_path_factory.mktemp("e2e-corpus") / "store", SEED, AUSTRALIA)


@pytest.fixture(scope="module")
def corpus_server(corpus_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``aseankg serve`` on the two-partnership store, on a free loopback port."""
    log_path = tmp_path_factory.mktemp("e2e-corpus-log") / "serve.log"
    with cli_serve(corpus_store, log_path) as url:
        yield url


@pytest.fixture
def corpus_page(
    browser: Browser, corpus_server: str, problems: list[str]
) -> Iterator[Callable[..., Page]]:
    """Open a page on the corpus server; requests elsewhere are aborted and, with console
    and page errors, land in ``problems``."""
    contexts: list[BrowserContext] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url == corpus_server or url.startswith((corpus_server + "/", "data:")):
            route.continue_()
        else:
            problems.append(f"outside request: {url}")
            route.abort()

    def opener(path: str, **options: Any) -> Page:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=corpus_server, **options)
        contexts.append(context)
        context.route("**/*", guard)
        page = context.new_page()
        page.on(
            "console",
            lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        response = page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def mentions(corpus_store: Path) -> dict[str, set[tuple[int, int, str]]]:
    """The seed's mentions per line from ``aseankg export --format csv``: (start, end, surface)."""
    exported = subprocess.run(
        [str(CLI), "export", "--store", str(corpus_store), "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found: dict[str, set[tuple[int, int, str]]] = {}
    for row in csv.DictReader(io.StringIO(exported)):
        if row["plan"] == CANADA and row["action_line"]:
            surface = " ".join(row["surface"].split())
            found.setdefault(row["action_line"], set()).add(
                (int(row["start"]), int(row["end"]), surface)
            )
    return found


MARKS = """() => Array.from(document.querySelectorAll('blockquote.line-text mark')).map(m => {
    const outer = m.parentElement.closest('mark');
    return [Number(m.dataset.start), Number(m.dataset.end),
            m.textContent.replace(/\\s+/g, ' ').trim(), outer ? Number(outer.dataset.start) : -1];
})"""


@pytest.mark.parametrize("line", ["2.1.2", "3.1.1"])
def test_mentions_are_marked_at_their_offsets_nested_ones_inside(
    line: str,
    corpus_page: Callable[..., Page],
    mentions: dict[str, set[tuple[int, int, str]]],
    problems: list[str],
    shot: Callable[[Page, str], Path],
) -> None:
    page = corpus_page(f"/id/plan/{CANADA}/line/{line}")
    marks = page.evaluate(MARKS)
    assert {(s, e, text) for s, e, text, _ in marks} == mentions[line]
    for start, _, _, outer in marks:
        assert outer <= start  # a nested mark sits inside a mark that starts before it
    assert any(outer >= 0 for *_, outer in marks), "no nested mention on " + line
    shot(page, f"corpus-line-{line}")
    assert problems == []


def test_a_nested_mentions_link_opens_its_own_page(
    corpus_page: Callable[..., Page], problems: list[str]
) -> None:
    page = corpus_page(f"/id/plan/{CANADA}/line/2.1.2")
    inner = page.locator("blockquote.line-text mark mark a").first
    expect(inner).to_have_text("Canada")
    inner.click()
    page.wait_for_url("**/id/actor/canada")
    expect(page.locator("h1")).to_have_text("Canada")
    assert problems == []


def test_an_action_line_is_titled_with_its_plan_under_a_breadcrumb(
    corpus_page: Callable[..., Page], problems: list[str]
) -> None:
    page = corpus_page(f"/id/plan/{CANADA}/line/2.1.2")
    expect(page.locator("h1")).to_have_text("2.1.2 · ASEAN–Canada 2021–2025")
    crumbs = page.get_by_role("navigation", name="Breadcrumb").get_by_role("listitem")
    assert [c.strip() for c in crumbs.all_inner_texts()] == [
        "ASEAN–Canada",
        "ASEAN–Canada 2021–2025",
        "2. Economic Cooperation",
        "2.1. Trade and Investment",
        "2.1.2",
    ]
    crumbs.nth(1).get_by_role("link").click()
    page.wait_for_url(f"**/id/plan/{CANADA}")
    assert problems == []


def test_home_holds_both_partnerships_and_picks_a_plan(
    corpus_page: Callable[..., Page], problems: list[str], shot: Callable[[Page, str], Path]
) -> None:
    page = corpus_page("/")
    expect(page.locator("h1")).not_to_contain_text("Canada")
    holds = page.locator("table.partnerships tbody tr")
    expect(holds).to_have_count(2)
    assert [t.strip() for t in holds.locator("th").all_inner_texts()] == [
        "ASEAN–Australia",
        "ASEAN–Canada",
    ]
    timeline = page.locator("#timeline svg")
    expect(timeline).to_be_visible()
    bars = timeline.locator("g.edition")
    expect(bars).to_have_count(2)
    shot(page, "corpus-home")
    # the chosen plan's sections and pictures, then the other plan by the picker
    expect(page.locator("section.plan h2")).to_have_text("ASEAN–Canada 2021–2025")
    page.get_by_label("Show the sections and pictures of").select_option(
        "asean-australia-2025-2029"
    )
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/?plan=asean-australia-2025-2029")
    expect(page.locator("section.plan h2")).to_have_text("ASEAN–Australia 2025–2029")
    heat = page.locator("section.plan #heatmap svg")
    expect(heat).to_be_visible()
    assert "asean-australia-2025-2029" in (
        page.locator("section.plan #heatmap a", has_text="SVG").get_attribute("href") or ""
    )
    assert problems == []


def test_an_entity_groups_its_lines_by_partnership_and_edition(
    corpus_page: Callable[..., Page], problems: list[str], shot: Callable[[Page, str], Path]
) -> None:
    page = corpus_page("/id/actor/asean-secretariat")
    groups = page.locator("section.partnership > h3")
    assert [g.strip() for g in groups.all_inner_texts()] == ["ASEAN–Australia", "ASEAN–Canada"]
    editions = page.locator("section.edition h4 a")
    assert editions.all_inner_texts() == ["ASEAN–Australia 2025–2029", "ASEAN–Canada 2021–2025"]
    # every line link names its plan; the timeline counts the lines per edition
    titles = page.locator("section.edition li > a").evaluate_all("as => as.map(a => a.title)")
    assert titles and all(" · " in t and t.startswith("ASEAN–") for t in titles)
    timeline = page.locator("#timeline li")
    expect(timeline).to_have_count(2)
    counts = [int(c) for c in page.locator("#timeline .count").all_inner_texts()]
    per_edition = page.locator("section.edition").evaluate_all(
        "ss => ss.map(s => s.querySelectorAll('li').length)"
    )
    assert sorted(counts) == sorted(per_edition)
    # the graph picture names the plans of its lines and links their pages
    picture = page.locator("figure#graph img")
    expect(picture).to_be_visible()
    svg = httpx.get(
        str(page.url).split("/id/")[0] + (picture.get_attribute("src") or ""), timeout=30
    ).text
    assert 'href="/id/plan/asean-australia-2025-2029"' in svg
    assert 'href="/id/plan/asean-canada-2021-2025"' in svg
    assert "ASEAN–Canada 2021–2025 · action line" in svg
    shot(page, "corpus-entity")
    assert problems == []


def test_a_browser_gets_a_not_found_page(
    corpus_page: Callable[..., Page], browser: Browser, corpus_server: str
) -> None:
    context = browser.new_context(base_url=corpus_server)
    try:
        page = context.new_page()
        response = page.goto("/id/actor/nobody-at-all")
        assert response is not None and response.status == 404
        expect(page.locator("h1")).to_have_text("Not found")
        page.get_by_role("link", name="the home page").click()
        page.wait_for_url(corpus_server + "/")
    finally:
        context.close()
