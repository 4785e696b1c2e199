"""The query page in a real browser, as a researcher uses it: the home page's heatmap link
opens as a heatmap; charts and graphs; a parameter form filled through a picker; a result
row's link to the body's page; an error shown in full and marked; completion of ontology
terms and entity names; the examples dialog; the page at 390 px."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

Shot = Callable[[Page, str], Path]
YASR = ".yasr:visible"
RUN = ".yasqe_queryButton:visible"
EDITOR = ".yasqe:visible .CodeMirror"


def open_query_page(page: Page, path: str = "/sparql") -> None:
    response = page.goto(path)
    assert response is not None and response.ok
    expect(page.locator(EDITOR)).to_be_visible()


def set_query(page: Page, query: str) -> None:
    page.evaluate("q => { window.aseankgYasgui.getTab().setQuery(q); }", query)


def open_example(page: Page, search: str, title: str) -> None:
    page.get_by_role("button", name="Examples").click()
    dialog = page.locator("#examples-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Search the examples").fill(search)
    item = dialog.locator("li.example:visible").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )
    expect(item).to_have_count(1)
    item.get_by_role("link", name="Open in the editor").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".yasgui .tabsList")).to_contain_text(title)


def test_the_home_pages_heatmap_link_opens_as_a_heatmap(
    page: Page, problems: list[str], shot: Shot
) -> None:
    response = page.goto("/")
    assert response is not None and response.ok
    page.locator("#heatmap figcaption a", has_text="Open the query").click()
    page.wait_for_url("**/sparql**")
    heatmap = page.locator(YASR + " .result-view-heatmap")
    expect(heatmap).to_be_visible(timeout=20_000)
    assert int(heatmap.get_attribute("data-rows") or 0) >= 20
    assert int(heatmap.get_attribute("data-columns") or 0) >= 6
    assert int(heatmap.get_attribute("data-cells") or 0) >= 30
    expect(heatmap.locator("svg").first).to_contain_text("AICHR")
    expect(page.locator(YASR + " .yasr_btn.select_heatmap")).to_have_class(
        "yasr_btn select_heatmap selected"
    )
    shot(page, "query-heatmap")
    # switchable: the same results as a table
    page.locator(YASR + " .yasr_btn.select_table").click()
    expect(page.locator(YASR + " table.dataTable tbody tr").first).to_be_visible()
    assert problems == []


def test_a_count_per_section_shows_as_a_chart_and_pairs_as_a_graph(
    page: Page, problems: list[str], shot: Shot
) -> None:
    open_query_page(page)
    open_example(page, "lines per section", "Lines per section")
    chart = page.locator(YASR + " .result-view-chart")
    expect(chart).to_be_visible(timeout=20_000)
    assert chart.get_attribute("data-categories") == "8"
    assert chart.get_attribute("data-series") == "2"  # lines, linked
    expect(chart.locator("svg path").first).to_be_attached()
    shot(page, "query-chart")
    chart.get_by_role("button", name="Lines").click()
    expect(page.locator(YASR + " .result-view-chart button[aria-pressed=true]")).to_have_text(
        "Lines"
    )
    open_example(page, "co-occurrence", "Actor co-occurrence")
    graph = page.locator(YASR + " .result-view-graph")
    expect(graph).to_be_visible(timeout=20_000)
    assert int(graph.get_attribute("data-nodes") or 0) >= 10
    assert int(graph.get_attribute("data-edges") or 0) >= 10
    assert problems == []


def test_describe_shows_as_a_graph_around_the_entity(
    page: Page, problems: list[str], shot: Shot
) -> None:
    open_query_page(page)
    set_query(page, "DESCRIBE <https://w3id.org/aseankg/id/actor/aichr>")
    page.locator(RUN).click()
    graph = page.locator(YASR + " .result-view-graph")
    expect(graph).to_be_visible(timeout=20_000)
    assert int(graph.get_attribute("data-nodes") or 0) >= 3
    expect(graph.locator("svg").first).to_contain_text("AICHR")
    shot(page, "query-graph")
    assert problems == []


def test_a_required_parameter_is_picked_in_the_form_and_a_row_links_to_the_body(
    page: Page, problems: list[str], shot: Shot
) -> None:
    open_query_page(page)
    open_example(page, "by actor", "Action lines by actor")
    field = page.get_by_label("actor (required)")
    expect(field).to_be_focused()
    page.locator(RUN).click()
    message = page.locator("#query-params .query-params-message")
    expect(message).to_have_text("Fill in actor first: it is required.")
    expect(page.locator(YASR + " table.dataTable tbody tr")).to_have_count(0)
    page.locator("#downloads a[data-format=csv]").click()  # no download: the form says why
    expect(field).to_be_focused()
    field.press_sequentially("aich", delay=40)
    option = page.get_by_role("option", name="AICHR — ASEAN Intergovernmental Commission")
    expect(option).to_be_visible()
    shot(page, "query-form-picker")
    field.press("ArrowDown")
    field.press("Enter")
    expect(field).to_have_value("AICHR")
    query = page.evaluate("() => window.aseankgYasgui.getTab().getQuery()")
    assert "VALUES ?actor { <https://w3id.org/aseankg/id/actor/aichr> }" in query
    page.locator(RUN).click()
    link = page.locator(YASR + " table.dataTable tbody a.entity-link").first
    expect(link).to_have_text("ASEAN Intergovernmental Commission on Human Rights", timeout=20_000)
    assert link.get_attribute("title") == "https://w3id.org/aseankg/id/actor/aichr"
    expect(page.locator(YASR + " table.dataTable tbody tr").first).to_contain_text("1.5.1")
    shot(page, "query-row-links")
    link.click()
    page.wait_for_url("**/id/actor/aichr")
    expect(page.locator("h1")).to_contain_text("ASEAN Intergovernmental Commission on Human Rights")
    assert problems == []


def test_a_syntax_error_is_shown_in_full_and_marked_in_the_editor(
    page: Page, problems: list[str], shot: Shot
) -> None:
    open_query_page(page)
    set_query(
        page,
        "PREFIX akg: <https://w3id.org/aseankg/ontology#>\nSELECT * WHERE {\n"
        "  ?line a akg:ActionLine\n} LIMT 3",
    )
    page.locator(RUN).click()
    error = page.locator(YASR + " .query-error")
    expect(error).to_be_visible(timeout=20_000)
    detail = error.locator(".query-error-detail")
    expect(detail).to_contain_text("error at 4:9: expected one of HAVING, OFFSET, OPTIONAL, VALUES")
    expect(error).to_contain_text("Bad request (HTTP 400)")
    expect(error).to_contain_text("Line 4, column 9 (marked in the editor)")
    expect(error.locator(".query-error-line-text")).to_contain_text("} LIMT 3")
    overflow = detail.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 1, "the message is cut at the box's edge"
    expect(page.locator(EDITOR + " .query-error-line")).to_have_count(1)
    expect(page.locator(EDITOR + " .query-error-mark")).to_have_count(1)
    shot(page, "query-error")
    set_query(page, "SELECT (1 AS ?one) WHERE {}")
    page.locator(RUN).click()
    expect(page.locator(YASR + " table.dataTable tbody tr")).to_have_count(1, timeout=20_000)
    expect(page.locator(EDITOR + " .query-error-mark")).to_have_count(0)
    # the browser logs the refused request itself; nothing else may go wrong
    assert [p for p in problems if "status of 400" not in p] == []


def test_ontology_terms_and_entity_names_complete_with_their_labels(
    page: Page, problems: list[str], shot: Shot
) -> None:
    open_query_page(page)
    set_query(page, "PREFIX akg: <https://w3id.org/aseankg/ontology#>\nSELECT * WHERE {\n  ?l a ")
    page.locator(EDITOR).click()
    page.keyboard.press("Control+End")
    page.keyboard.type("akg:Act", delay=40)
    hints = page.locator(".CodeMirror-hints")
    expect(hints).to_contain_text("akg:ActionLine  — action line", timeout=10_000)
    shot(page, "query-completion")
    page.keyboard.press("Enter")
    assert page.evaluate("() => window.aseankgYasgui.getTab().getQuery()").endswith(
        "?l a akg:ActionLine"
    )
    page.keyboard.type(' ; akg:hasActorLink/akg:linkedActor ?a . VALUES ?a { "aichr', delay=10)
    page.keyboard.press("Control+Space")
    expect(hints).to_contain_text("ASEAN Intergovernmental Commission on Human Rights")
    page.keyboard.press("Enter")
    query = page.evaluate("() => window.aseankgYasgui.getTab().getQuery()")
    assert "VALUES ?a { <https://w3id.org/aseankg/id/actor/aichr>" in query
    term = page.locator(EDITOR + " span.cm-string-2", has_text="akg:ActionLine").first
    term.hover()
    expect(page.locator("#iri-tooltip")).to_contain_text("action line")
    assert problems == []


def test_examples_filter_by_tag_and_search(page: Page, problems: list[str]) -> None:
    open_query_page(page)
    page.get_by_role("button", name="Examples").click()
    dialog = page.locator("#examples-dialog")
    total = dialog.locator("li.example").count()
    dialog.get_by_role("button", name="instruments", exact=True).click()
    shown = dialog.locator("li.example:visible")
    assert 0 < shown.count() < total
    for tags in shown.evaluate_all("lis => lis.map(li => li.dataset.tags)"):
        assert "instruments" in tags.split()
    expect(dialog.locator(".examples-count")).to_have_text(f"{shown.count()} of {total} queries")
    dialog.get_by_label("Search the examples").fill("role")
    expect(shown.locator("h3")).to_have_text(["Action lines by instrument", "Instruments by role"])
    dialog.get_by_role("button", name="Close the examples").click()
    expect(dialog).to_be_hidden()
    assert problems == []


def test_the_query_stays_readable_at_390_px(
    open_page: Callable[..., Page], problems: list[str], shot: Shot
) -> None:
    page = open_page(viewport={"width": 390, "height": 844})
    open_query_page(page)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the query page scrolls sideways by {overflow}px at 390px"
    lines = page.locator(EDITOR + " .CodeMirror-line").evaluate_all(
        "ls => ls.map(l => { const r = l.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })"
    )
    for selector in (RUN, ".yasqe_share:visible"):
        box = page.locator(selector).bounding_box()
        assert box is not None
        for left, top, right, bottom in lines:
            covers = (
                box["x"] < right
                and box["x"] + box["width"] > left
                and box["y"] < bottom
                and box["y"] + box["height"] > top
            )
            assert not covers, f"{selector} covers a line of the query"
    page.locator(RUN).click()
    expect(page.locator(YASR + " table.dataTable tbody tr").first).to_be_visible(timeout=20_000)
    shot(page, "query-narrow")
    assert problems == []
