"""The browse reads: document order, local links, name suggestions, line search."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aseankg.api.pages.browse import (
    local_href,
    notation_key,
    read_plans,
    read_sections,
    read_top_entities,
    suggest_entities,
)
from aseankg.graph.query import select_table
from aseankg.queries.loader import load_query

BASE = "https://w3id.org/aseankg/id/"
AKG = "https://w3id.org/aseankg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def run_select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """The rows of a SELECT on ``store`` as the executor gives them to the pages."""
    table = select_table(store, query)
    return [dict(zip(table.variables, row, strict=True)) for row in table.rows]


def node(path: str) -> ox.NamedNode:
    return ox.NamedNode(BASE + path)


def akg(name: str) -> ox.NamedNode:
    return ox.NamedNode(AKG + name)


@pytest.fixture
def store() -> ox.Store:
    """Two sections of one plan, three lines, two actors and an instrument."""
    graph = node("graph/p")
    plan = node("plan/p")
    quads: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (plan, RDF_TYPE, akg("PlanOfAction")),
        (plan, ox.NamedNode(DCT + "title"), ox.Literal("Plan P")),
        (plan, ox.NamedNode(DCT + "identifier"), ox.Literal("p")),
    ]
    for n in ("2", "10"):
        section = node(f"plan/p/section/{n}")
        quads += [
            (section, RDF_TYPE, akg("Section")),
            (section, akg("plan"), plan),
            (section, ox.NamedNode(SKOS + "notation"), ox.Literal(n)),
            (section, ox.NamedNode(DCT + "title"), ox.Literal(f"Section {n}")),
        ]
    actors = {"aichr": ("ASEAN Intergovernmental Commission on Human Rights", "AICHR"),
              "acwc": ("ASEAN Commission on Women and Children", "ACWC")}  # fmt: skip
    for slug, (label, acronym) in actors.items():
        quads += [
            (node(f"actor/{slug}"), ox.NamedNode(SKOS + "prefLabel"), ox.Literal(label)),
            (node(f"actor/{slug}"), akg("acronym"), ox.Literal(acronym)),
        ]
    quads.append(
        (node("instrument/tac"), ox.NamedNode(SKOS + "prefLabel"), ox.Literal("Treaty of Amity"))
    )
    lines = {"2.1.1": ["aichr", "acwc"], "2.1.2": ["aichr"], "10.1.1": []}
    for n, named in lines.items():
        line = node(f"plan/p/line/{n}")
        quads += [
            (line, RDF_TYPE, akg("ActionLine")),
            (line, akg("plan"), plan),
            (line, akg("section"), node(f"plan/p/section/{n.split('.')[0]}")),
            (line, ox.NamedNode(SKOS + "notation"), ox.Literal(n)),
        ]
        quads += [(line, akg("referencesActor"), node(f"actor/{a}")) for a in named]
    quads.append((node("plan/p/line/10.1.1"), akg("referencesInstrument"), node("instrument/tac")))
    db = ox.Store()
    db.extend([ox.Quad(s, p, o, graph) for s, p, o in quads])
    return db


def test_notations_sort_as_numbers() -> None:
    assert sorted(["1.10.1", "1.2.1", "1.9.3", "10.1.1"], key=notation_key) == [
        "1.2.1",
        "1.9.3",
        "1.10.1",
        "10.1.1",
    ]


def test_iris_under_the_base_become_local_links() -> None:
    assert local_href(BASE + "actor/aichr", BASE) == "/id/actor/aichr"
    assert local_href("http://example.org/x", BASE) == "http://example.org/x"


def test_plans_and_sections_come_with_their_line_counts(store: ox.Store) -> None:
    (plan,) = read_plans(run_select(store, load_query("pages/plans").text))
    assert (plan.id, plan.title, plan.lines) == ("p", "Plan P", 3)
    sections = read_sections(run_select(store, load_query("pages/sections").text))
    assert [(s.notation, s.lines) for s in sections] == [("2", 2), ("10", 1)]


def test_top_entities_are_ranked_by_lines(store: ox.Store) -> None:
    rows = run_select(store, load_query("pages/entity-counts").text)
    actors = read_top_entities(rows, "Actor")
    assert [(a.acronym, a.lines) for a in actors] == [("AICHR", 2), ("ACWC", 1)]
    assert [i.label for i in read_top_entities(rows, "Instrument")] == ["Treaty of Amity"]
    assert len(read_top_entities(rows, "Actor", limit=1)) == 1


def test_suggestions_put_an_exact_acronym_first(store: ox.Store) -> None:
    rows = run_select(store, load_query("pages/names").text)
    assert [s.acronym for s in suggest_entities(rows, "aichr")] == ["AICHR"]
    by_word = suggest_entities(rows, "commission")
    assert {s.acronym for s in by_word} == {"AICHR", "ACWC"}
    assert suggest_entities(rows, "treaty")[0].kind == "Instrument"
    assert suggest_entities(rows, "  ") == []
    assert suggest_entities(rows, "zzz") == []
