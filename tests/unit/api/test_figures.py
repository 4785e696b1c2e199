"""Pictures from query rows: the right cells and bars, links to pages and to the query."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs

from aseankg.api.pages.browse import SectionSummary
from aseankg.api.pages.figures import (
    draw_heatmap,
    draw_instrument_types,
    draw_neighbourhood,
    named_query_link,
    query_page_link,
)
from aseankg.api.pages.pictures import Label

SVG = "{http://www.w3.org/2000/svg}"
BASE = "https://w3id.org/aseankg/id/"
PLAN = BASE + "plan/p"
SECTIONS = [
    SectionSummary(f"{PLAN}/section/{n}", PLAN, n, f"Section {n}", 1) for n in ("1", "2", "3")
]
LINK = named_query_link("Actor by section matrix", "SELECT * WHERE { ?s ?p ?o }")


def hrefs(svg: str) -> list[str]:
    return [a.get("href") or "" for a in ET.fromstring(svg).iter(SVG + "a")]


def test_a_query_page_link_carries_the_exact_query_and_title() -> None:
    query = 'SELECT ?x WHERE { ?x ?p "a & b#c" }'
    link = query_page_link(query, "Mine")
    assert link.startswith("/sparql#")
    fields = parse_qs(link.split("#", 1)[1])
    assert fields == {"query": [query], "tabTitle": ["Mine"]}


def test_heatmap_keeps_the_most_named_actors_and_links_the_known_ones() -> None:
    rows = [
        {"section": "1", "actor": "AICHR", "lines": "3"},
        {"section": "2", "actor": "AICHR", "lines": "1"},
        {"section": "1", "actor": "UN", "lines": "2"},
        {"section": "3", "actor": "ARF", "lines": "1"},
    ]
    figure = draw_heatmap(
        rows, SECTIONS, BASE, LINK, actor_iris={"AICHR": BASE + "actor/aichr"}, limit=2
    )
    root = ET.fromstring(figure.svg)
    rows_shown = {t.text for t in root.iter(SVG + "text") if t.get("text-anchor") == "end"}
    assert rows_shown == {"AICHR", "UN"}
    cells = [g for g in root.iter(SVG + "g") if g.get("class") == "cell"]
    assert len(cells) == 2 * 3
    assert sorted(int(g.get("data-count") or 0) for g in cells) == [0, 0, 0, 1, 2, 3]
    links = hrefs(figure.svg)
    assert "/id/actor/aichr" in links and "/id/plan/p/section/1" in links
    assert LINK.href in links and figure.query_href == LINK.href


def test_heatmap_reads_the_named_query_iri_and_label_columns() -> None:
    rows = [{"section": "1", "actor": BASE + "actor/acmw", "actorLabel": "ACMW", "lines": "2"}]
    figure = draw_heatmap(rows, SECTIONS, BASE, LINK, actor_iris={})
    root = ET.fromstring(figure.svg)
    assert "ACMW" in {t.text for t in root.iter(SVG + "text") if t.get("text-anchor") == "end"}
    assert "/id/actor/acmw" in hrefs(figure.svg)


def test_instrument_types_merge_the_rarest_types_into_one_series() -> None:
    types = ["Treaty", "Convention", "Protocol", "Agreement", "Charter", "Declaration",
             "Plan", "WorkPlan", "TermsOfReference", "Vision", "unknown"]  # fmt: skip
    rows = [
        {"section": "1", "type": t, "binding": "true", "instruments": str(20 - i), "lines": "1"}
        for i, t in enumerate(types)
    ]
    figure = draw_instrument_types(rows, SECTIONS, BASE, LINK)
    root = ET.fromstring(figure.svg)
    legend = [t.text for t in root.iter(SVG + "text") if t.text and t.get("font-size") == "12"]
    assert "Treaty" in legend and "Work plan" in legend
    assert "other types" in legend and "Terms of reference" not in legend
    segments = [r for r in root.iter(SVG + "rect") if r.get("class") == "segment"]
    assert len(segments) == 9
    assert sum(int(r.get("data-count") or 0) for r in segments) == sum(20 - i for i in range(11))


def test_neighbourhood_limits_lines_and_keeps_the_most_shared_entities() -> None:
    rows = [
        {"line": f"{BASE}plan/p/line/1.{n}.1", "notation": f"1.{n}.1", "other": other,
         "kind": "Actor", "label": label, "acronym": label}
        for n in range(1, 16)
        for other, label in ((BASE + "actor/un", "UN"), (BASE + f"actor/x{n}", f"X{n}"))
    ]  # fmt: skip
    centre = Label(BASE + "actor/aichr", "AICHR", "AICHR", "/id/actor/aichr", "Actor")
    figure = draw_neighbourhood(rows, centre, BASE, "SELECT", max_lines=12, max_neighbours=5)
    root = ET.fromstring(figure.svg)
    nodes = [g.get("data-kind") for g in root.iter(SVG + "g") if g.get("class") == "node"]
    assert nodes.count("ActionLine") == 12
    assert nodes.count("Actor") == 1 + 5
    texts = set(root.itertext())
    assert "UN" in texts and "1.12.1" in texts and "1.13.1" not in texts
    assert "/id/plan/p/line/1.2.1" in hrefs(figure.svg)
