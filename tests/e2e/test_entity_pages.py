"""Entity pages in a real browser: they fit a 360 px phone screen and an actor's or an
instrument's page shows the small graph around it, with the query that drew it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

NARROW = {"width": 360, "height": 740}
LINE = "/id/plan/asean-canada-2021-2025/line/3.1.1"
ACTOR = "/id/actor/aichr"
INSTRUMENT = "/id/instrument/unclos"
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def go(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"


@pytest.mark.parametrize("path", [LINE, ACTOR, INSTRUMENT, "/id/plan/asean-canada-2021-2025"])
def test_entity_page_does_not_scroll_sideways_at_360px(
    path: str, open_page: Callable[..., Page], problems: list[str]
) -> None:
    page = open_page(viewport=NARROW)
    go(page, path)
    expect(page.locator("h1")).to_be_visible()
    overflow = page.evaluate(SIDEWAYS)
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
    assert problems == []


def test_main_nav_links_are_separate_and_wrap_on_a_narrow_screen(
    open_page: Callable[..., Page],
) -> None:
    page = open_page(viewport=NARROW)
    go(page, ACTOR)
    nav = page.get_by_role("navigation", name="Main")
    names = [n.strip() for n in nav.get_by_role("link").all_inner_texts()]
    assert names == ["aseankg", "SPARQL", "Ontology", "API", "Dataset"]
    # Read as text (screen readers, text browsers, copy-paste), the names do not run together.
    assert "SPARQLOntology" not in (nav.text_content() or "")
    boxes = [
        b
        for b in nav.get_by_role("link").evaluate_all(
            "as => as.map(a => a.getBoundingClientRect().toJSON())"
        )
    ]
    assert all(b["right"] <= 360 for b in boxes)


@pytest.mark.parametrize(("path", "name"), [(ACTOR, "AICHR"), (INSTRUMENT, "UNCLOS")])
def test_actor_and_instrument_pages_show_their_graph_and_its_query(
    path: str, name: str, page: Page, problems: list[str]
) -> None:
    go(page, path)
    figure = page.locator("figure#graph")
    picture = figure.get_by_role("img")
    expect(picture).to_be_visible()
    alt = picture.get_attribute("alt") or ""
    assert name in alt and "action lines" in alt
    loaded = picture.evaluate("img => img.decode().then(() => img.naturalWidth > 0, () => false)")
    assert loaded, "the graph picture did not load"
    query_link = figure.get_by_role("link", name="Open the query that drew it")
    href = unquote(query_link.get_attribute("href") or "")
    assert href.startswith("/sparql#") and "referencesActor|akg:referencesInstrument" in href
    assert f"VALUES ?entity {{ <https://w3id.org/aseankg{path}> }}" in href
    query_link.click()
    expect(page.locator(".yasgui .yasqe")).to_be_visible()
    query = page.evaluate("() => window.aseankgYasgui.getTab().getQuery()")
    assert path[len("/id/") :] in query
    assert problems == []


def test_an_action_line_page_has_no_graph_picture(page: Page) -> None:
    go(page, LINE)
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("figure#graph")).to_have_count(0)
