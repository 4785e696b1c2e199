"""The UI routes on the real seed graph: home, search, suggestions, pictures, query page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, unquote

import httpx

from aseankg.queries.loader import list_queries

SVG = "{http://www.w3.org/2000/svg}"
HTML = {"Accept": "text/html"}


def test_home_shows_sections_with_line_counts_and_top_entities(client: httpx.Client) -> None:
    page = client.get("/", headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    sections = page.text[page.text.index('<table class="sections">') :]
    counts = re.findall(r'<td class="num">(\d+)</td>', sections[: sections.index("</table>")])
    assert len(counts) == 8 and sum(map(int, counts)) == 106
    # what the graph holds: the partnership, its edition, named, and the plan picker
    assert '<a href="/partnerships/asean-canada">ASEAN–Canada</a>' in page.text
    assert ">ASEAN–Canada 2021–2025</a>" in page.text and 'id="plan-picker"' in page.text
    assert "ASEAN–Canada commitments" not in page.text
    assert 'href="/id/plan/asean-canada-2021-2025/section/3"' in page.text
    assert 'data-picture="heatmap"' in page.text and 'data-picture="instrument-types"' in page.text
    assert "Actors named most often" in page.text and "Instruments named most often" in page.text
    for query in list_queries():
        assert query.title in page.text


def test_pages_load_nothing_from_other_hosts(client: httpx.Client) -> None:
    for path in ("/", "/search?q=AICHR"):
        html = client.get(path, headers=HTML).text
        loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
        assert loaded and all(u.startswith(("/", "data:")) for u in loaded), loaded


def test_search_finds_the_body_and_the_lines_that_name_it(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "AICHR"}, headers=HTML)
    assert page.status_code == 200
    assert '<a href="/id/actor/aichr">ASEAN Intergovernmental Commission' in page.text
    assert 'href="/id/plan/asean-canada-2021-2025/line/1.5.1"' in page.text
    assert "<mark>AICHR</mark>" in page.text


def test_search_without_words_asks_for_some(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "  "}, headers=HTML)
    assert page.status_code == 200 and "Type a name" in page.text


def test_suggestions_rank_the_exact_acronym_first(client: httpx.Client) -> None:
    body = client.get("/api/suggest", params={"q": "aichr"}).json()
    first = body["suggestions"][0]
    assert (first["acronym"], first["href"], first["kind"]) == ("AICHR", "/id/actor/aichr", "Actor")
    aha = client.get("/api/suggest", params={"q": "AHA"}).json()["suggestions"]
    assert aha and aha[0]["href"] == "/id/actor/aha-centre"
    assert client.get("/api/suggest", params={"q": ""}).json()["suggestions"] == []


def test_pictures_are_svg_and_link_to_their_named_query(client: httpx.Client) -> None:
    for path, title in (
        ("/pictures/heatmap.svg", "Actor by section matrix"),
        (
            "/pictures/instrument-types.svg?plan=asean-canada-2021-2025",
            "Instrument types by section",
        ),
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
        root = ET.fromstring(response.text)
        links = [a.get("href") or "" for a in root.iter(SVG + "a")]
        query_links = [h for h in links if h.startswith("/sparql#")]
        assert len(query_links) == 1
        fields = parse_qs(query_links[0].split("#", 1)[1])
        assert fields["tabTitle"] == [title]
        assert 'VALUES ?plan { "asean-canada-2021-2025" }' in fields["query"][0]


def test_graph_view_shows_the_lines_around_an_entity(client: httpx.Client) -> None:
    response = client.get("/pictures/graph.svg", params={"iri": "/id/actor/aha-centre"})
    assert response.status_code == 200
    links = [unquote(a.get("href") or "") for a in ET.fromstring(response.text).iter(SVG + "a")]
    assert "/id/plan/asean-canada-2021-2025/line/3.1.1" in links
    assert "/id/instrument/aadmer-work-programme-2021-2025" in links


def test_unknown_plans_and_entities_are_404_problems(client: httpx.Client) -> None:
    for path, params in (
        ("/pictures/heatmap.svg", {"plan": "no-such-plan"}),
        ("/pictures/graph.svg", {"iri": "/id/actor/no-such-body"}),
        ("/pictures/graph.svg", {"iri": "not an iri"}),
    ):
        response = client.get(path, params=params)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


def test_vendored_yasgui_and_ui_assets_are_served(client: httpx.Client) -> None:
    for path, kind in (
        ("/static/yasgui/yasgui.min.js", "javascript"),
        ("/static/yasgui/yasgui.min.css", "text/css"),
        ("/static/ui/query.js", "javascript"),
        ("/static/ui/suggest.js", "javascript"),
        ("/static/ui/ui.css", "text/css"),
    ):
        response = client.get(path)
        assert response.status_code == 200 and kind in response.headers["content-type"], path


def test_a_browser_gets_the_query_page_with_every_named_query(client: httpx.Client) -> None:
    page = client.get("/sparql", headers=HTML)
    assert page.status_code == 200
    assert "/static/yasgui/yasgui.min." in page.text and 'id="yasgui"' in page.text
    for query in list_queries():
        assert f'id="example-{query.name}"' in page.text
        assert query.title in page.text
    assert "Accept" in page.headers["vary"]


def test_home_says_when_no_graph_is_built(make_server: Callable[..., str], tmp_path: Path) -> None:
    root = make_server(store=tmp_path / "empty-store")
    page = httpx.get(root + "/", headers=HTML, timeout=30)
    assert page.status_code == 503
    assert "The graph holds no plan yet" in page.text and "aseankg build" in page.text


def test_search_hits_name_their_plan_and_narrow_by_topic(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "maritime"}, headers=HTML).text
    assert (
        '<a class="plan" href="/id/plan/asean-canada-2021-2025">ASEAN–Canada 2021–2025</a>' in page
    )
    facet = page[page.index('class="facet"') : page.index("</nav>", page.index('class="facet"'))]
    assert 'href="/search?q=maritime&amp;topic=maritime-security"' in facet
    every = len(re.findall(r'<a class="notation"', page))
    narrowed = client.get(
        "/search", params={"q": "maritime", "topic": "maritime-security"}, headers=HTML
    ).text
    kept = len(re.findall(r'<a class="notation"', narrowed))
    assert 0 < kept < every and "topic “maritime security”" in narrowed


def test_topic_and_sdg_pages_list_their_lines_by_edition(client: httpx.Client) -> None:
    topics = client.get("/topics", headers=HTML)
    assert topics.status_code == 200 and 'href="/topics/human-rights"' in topics.text
    topic = client.get("/topics/human-rights", headers=HTML)
    assert topic.status_code == 200 and "<h1>human rights</h1>" in topic.text
    assert 'href="/id/plan/asean-canada-2021-2025/line/1.5.1"' in topic.text
    sdgs = client.get("/sdgs", headers=HTML)
    assert sdgs.status_code == 200 and 'href="/sdgs/16"' in sdgs.text
    goal = client.get("/sdgs/16", headers=HTML)
    assert goal.status_code == 200 and "Goal 16" in goal.text
    # a line's page links its topics and SDGs to these pages
    line = client.get("/id/plan/asean-canada-2021-2025/line/1.5.1", headers=HTML).text
    assert 'href="/topics/human-rights"' in line and 'href="/sdgs/16' in line
    for path in ("/topics/no-such-topic", "/sdgs/99", "/sdgs/x;y"):
        assert client.get(path).status_code == 404


def test_the_dataset_link_opens_a_page(client: httpx.Client) -> None:
    home = client.get("/", headers=HTML).text
    assert '<a href="/dataset">Dataset</a>' in home
    page = client.get("/dataset", headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "content-disposition" not in page.headers
    for link in ("/dumps/aseankg.nq", "/dumps/aseankg.ttl", "/.well-known/void", "/sparql"):
        assert f'href="{link}"' in page.text
    assert "106 action lines" in page.text


def test_a_lines_sdgs_come_from_its_own_words_with_their_evidence(client: httpx.Client) -> None:
    line = client.get("/id/plan/asean-canada-2021-2025/line/3.2.5", headers=HTML).text
    sdgs = line[line.index('id="sdgs-h"') : line.index("</section>", line.index('id="sdgs-h"'))]
    assert '<a href="/sdgs/14.1">' in sdgs
    assert 'data-start="22695" data-end="22757">Bangkok Declaration on Combating Marine' in sdgs
