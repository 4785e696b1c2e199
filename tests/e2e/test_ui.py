"""The web UI in a real browser: query page, search, action lines, pictures, no-JS, narrow."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

Shot = Callable[[Page, str], Path]
YASR = ".yasr:visible"
ROWS = YASR + " table.dataTable tbody tr"
SEARCH_LABEL = "Find an actor, an instrument, or words in an action line"


def go(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"


def open_query_page(page: Page) -> None:
    go(page, "/sparql")
    expect(page.locator(".yasgui .yasqe")).to_be_visible()


def test_named_query_runs_in_yasgui_and_shows_the_result_table(
    page: Page, problems: list[str], shot: Shot
) -> None:
    open_query_page(page)
    page.get_by_role("button", name="Examples").click()
    example = page.locator("#example-actor-section-matrix")
    expect(example.locator("h3")).to_have_text("Actor by section matrix")
    expect(example).to_contain_text("For each actor and section")
    example.get_by_role("link", name="Open in the editor").click()
    expect(page.locator(".yasgui .tabsList")).to_contain_text("Actor by section matrix")
    # it opens as a heatmap (its "# view: heatmap" line); the table is one click away
    expect(page.locator(YASR + " .result-view-heatmap")).to_be_visible(timeout=20_000)
    page.locator(YASR + " .yasr_btn.select_table").click()
    expect(page.locator(ROWS).first).to_be_visible(timeout=20_000)
    headers = {
        h.strip() for h in page.locator(YASR + " table.dataTable thead th").all_inner_texts()
    }
    assert {"section", "actor", "lines"} <= headers
    assert page.locator(ROWS).count() > 5
    expect(page.locator(YASR)).to_contain_text("AICHR")
    shot(page, "query-named-query-results")
    assert problems == []


def test_own_query_runs_and_its_shared_link_reopens_it(
    page: Page, open_page: Callable[..., Page], problems: list[str], shot: Shot
) -> None:
    open_query_page(page)
    query = (
        "PREFIX akg: <https://w3id.org/aseankg/ontology#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?notation WHERE { ?l a akg:ActionLine ; skos:notation ?notation "
        'FILTER(STRSTARTS(?notation, "3.1.")) } ORDER BY ?notation'
    )
    page.evaluate("q => { window.aseankgYasgui.getTab().setQuery(q); }", query)
    page.locator(".yasqe_queryButton").click()
    expect(page.locator(ROWS).first).to_be_visible(timeout=20_000)
    expect(page.locator(YASR)).to_contain_text("3.1.1")
    page.locator(".yasqe_share").click()
    field = page.locator(".yasqe_sharePopup input, .yasqe_sharePopup textarea").first
    expect(field).to_be_visible()
    shared = field.input_value()
    assert "/sparql#" in shared and "query=" in shared
    shot(page, "query-share-link")
    other = open_page()
    response = other.goto(shared)
    assert response is not None and response.ok
    expect(other.locator(".yasgui .yasqe")).to_be_visible()
    assert other.evaluate("() => window.aseankgYasgui.getTab().getQuery()") == query
    assert problems == []


def test_download_link_saves_the_open_tab_results_as_csv(page: Page, problems: list[str]) -> None:
    open_query_page(page)
    page.evaluate(
        "q => { window.aseankgYasgui.getTab().setQuery(q); }",
        "PREFIX akg: <https://w3id.org/aseankg/ontology#>\n"
        "SELECT (COUNT(?l) AS ?lines) WHERE { ?l a akg:ActionLine }",
    )
    expect(page.locator("#downloads")).to_be_visible()
    with page.expect_download() as info:
        page.locator("#downloads a[data-format=csv]").click()
    body = Path(info.value.path()).read_text(encoding="utf-8")
    assert body.split() == ["lines", "106"]
    assert problems == []


def test_search_aichr_by_keyboard_opens_its_page_with_line_1_5_1(
    page: Page, problems: list[str], shot: Shot
) -> None:
    go(page, "/")
    box = page.get_by_label(SEARCH_LABEL)
    box.click()
    box.press_sequentially("AICHR", delay=30)
    option = page.get_by_role("option").first
    expect(option).to_contain_text("ASEAN Intergovernmental Commission on Human Rights")
    shot(page, "search-suggestions")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "?")
    box.press("Enter")
    page.wait_for_url("**/id/actor/aichr")
    expect(page.locator("h1")).to_contain_text("ASEAN Intergovernmental Commission on Human Rights")
    line = page.locator("main a[href$='/line/1.5.1']").first
    expect(line).to_be_visible()
    shot(page, "actor-aichr")
    line.click()
    page.wait_for_url("**/line/1.5.1")
    expect(page.locator("main")).to_contain_text("Intergovernmental Commission on Human Rights")
    assert problems == []


def test_action_line_3_1_1_highlights_the_aha_centre(
    page: Page, problems: list[str], shot: Shot
) -> None:
    go(page, "/id/plan/asean-canada-2021-2025/line/3.1.1")
    expect(page.locator("main")).to_contain_text("AHA Centre")
    shot(page, "action-line-3.1.1")
    highlighted = page.evaluate(
        """() => Array.from(document.querySelectorAll('main mark')).filter(m => {
               const link = m.closest('a') || m.querySelector('a');
               return m.textContent.includes('AHA Centre') && link !== null
                   && link.getAttribute('href').endsWith('/id/actor/aha-centre');
           }).length"""
    )
    assert highlighted >= 1, "the AHA Centre mention is not highlighted and linked"
    assert problems == []


def test_heatmap_renders_with_counts_and_opens_its_query(
    page: Page, problems: list[str], shot: Shot, artifacts: Path
) -> None:
    go(page, "/")
    heatmap = page.locator("svg[data-picture=heatmap]")
    expect(heatmap).to_be_visible()
    box = heatmap.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    counts = [
        int(c) for c in heatmap.locator("g.cell").evaluate_all("gs => gs.map(g => g.dataset.count)")
    ]
    assert len(counts) >= 8 * 10
    assert max(counts) >= 2
    expect(heatmap.locator("a[aria-label='Open the query Actor by section matrix']")).to_have_count(
        1
    )
    expect(page.locator("svg[data-picture=instrument-types] rect.segment").first).to_be_visible()
    shot(page, "home")
    heatmap.screenshot(path=str(artifacts / "heatmap.png"))
    page.locator("#heatmap figcaption a", has_text="Open the query").click()
    page.wait_for_url("**/sparql**")
    expect(page.locator(".yasgui .tabsList")).to_contain_text("Actor by section matrix")
    query = page.evaluate("() => window.aseankgYasgui.getTab().getQuery()")
    assert 'VALUES ?plan { "asean-canada-2021-2025" }' in query
    assert problems == []


def test_graph_view_of_an_entity_links_its_lines(
    page: Page, problems: list[str], artifacts: Path
) -> None:
    go(page, "/pictures/graph.svg?iri=/id/actor/aichr")
    expect(page.locator("svg g.node[data-kind=ActionLine]").first).to_be_visible()
    hrefs = page.locator("svg a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any(unquote(h).endswith("/line/1.5.1") for h in hrefs)
    assert any(h.startswith("/sparql#") for h in hrefs)
    page.locator("svg").first.screenshot(path=str(artifacts / "graph-aichr.png"))
    assert problems == []


def test_search_and_browse_work_without_javascript(
    open_page: Callable[..., Page], problems: list[str], shot: Shot
) -> None:
    page = open_page(java_script_enabled=False)
    go(page, "/")
    expect(page.locator("svg[data-picture=heatmap]")).to_be_visible()
    page.get_by_label(SEARCH_LABEL).fill("AICHR")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url("**/search?q=AICHR")
    entity = page.locator("main a[href='/id/actor/aichr']")
    expect(entity).to_contain_text("ASEAN Intergovernmental Commission on Human Rights")
    expect(page.locator("main mark").first).to_have_text("AICHR")
    shot(page, "search-no-javascript")
    entity.click()
    page.wait_for_url("**/id/actor/aichr")
    expect(page.locator("main a[href$='/line/1.5.1']").first).to_be_visible()
    go(page, "/sparql")
    expect(page.locator("form.plain-query textarea")).to_be_visible()
    assert problems == []


def test_home_fits_a_narrow_screen_and_its_search_is_reached_by_tab(
    open_page: Callable[..., Page], problems: list[str], shot: Shot
) -> None:
    page = open_page(viewport={"width": 360, "height": 740})
    go(page, "/")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the home page scrolls sideways by {overflow}px at 360px"
    shot(page, "home-narrow")
    reached = []
    for _ in range(8):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => document.activeElement.id"))
    assert "home-search-q" in reached
    assert problems == []


def test_pages_load_without_console_errors_or_outside_requests(
    page: Page, problems: list[str], shot: Shot
) -> None:
    for path in (
        "/",
        "/sparql",
        "/id/actor/aha-centre",
        "/id/plan/asean-canada-2021-2025/section/3",
        "/pictures/heatmap.svg",
        "/pictures/instrument-types.svg",
        "/search?q=disaster management",
    ):
        go(page, path)
        page.wait_for_load_state("networkidle")
    expect(page.locator("main mark").first).to_be_visible()
    shot(page, "search-disaster-management")
    assert problems == []
