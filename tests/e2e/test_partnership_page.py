"""The partnership page in a real browser: two editions of ASEAN-New Zealand built with
``aseankg build`` and served by ``aseankg serve``; the page lists the editions in order,
counts what the newer one changed and shows a revised line's word diff."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.cli_server import cli_build, cli_serve
from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.e2e

PREVIOUS = ROOT / "tests" / "data" / "plans" / "editions" / "nz-previous-edition.txt"
LATEST = ROOT / "tests" / "data" / "plans" / "asean-newzealand-poa-2026-2030.txt"
PAGE = "/partnerships/asean-new-zealand"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``aseankg serve`` on a store holding two editions (this module's own server: the
    ``open_page`` fixture opens its pages here)."""
    folder = tmp_path_factory.mktemp("e2e-editions")
    store = cli_build(folder / "store", LATEST, PREVIOUS)
    with cli_serve(store, folder / "serve.log") as url:
        yield url


def test_partnership_page_shows_editions_in_order_and_the_counts(
    page: Page, problems: list[str], shot: Callable[[Page, str], Path]
) -> None:
    response = page.goto(PAGE)
    assert response is not None and response.ok
    expect(page.locator("h1")).to_have_text("ASEAN–New Zealand")
    editions = page.locator("ol.editions > li")
    expect(editions).to_have_count(2)
    expect(editions.nth(0)).to_contain_text("2021–2025")
    expect(editions.nth(1)).to_contain_text("2026–2030")
    section = page.locator("#changes-asean-new-zealand-2026-2030")
    for relation in ("carried_over", "revised", "new", "dropped"):
        count = section.locator(f'td[data-relation="{relation}"]').inner_text()
        assert int(count) > 0, relation
    # the edition link opens the plan's own page
    page.locator("ol.editions a", has_text="2026-2030").click()
    expect(page).to_have_url(f"{page.url.split('/id/')[0]}/id/plan/asean-new-zealand-2026-2030")
    shot(page, "partnership-plan-link")
    assert problems == []


def test_a_revised_line_shows_its_word_diff(
    page: Page, problems: list[str], shot: Callable[[Page, str], Path]
) -> None:
    page.goto(PAGE)
    revised = page.locator(
        '#changes-asean-new-zealand-2026-2030 ul.revised li[data-line="2.2.1"]'
        '[data-previous="2.2.1"]'
    )
    expect(revised).to_have_count(1)
    expect(revised.locator("del").first).to_have_text("Explore cooperation")
    expect(revised.locator("ins").first).to_have_text("Cooperate")
    # struck out and underlined as the browser draws <del> and <ins>
    decoration = revised.locator("del").first.evaluate(
        "e => getComputedStyle(e).textDecorationLine"
    )
    assert "line-through" in decoration
    shot(page, "partnership-page")
    assert problems == []
