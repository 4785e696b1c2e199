"""Records -> RDF: every node an IRI, the text and offsets kept, links qualified."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store

from aseankg.extract.records import Plan, PlanExtraction
from aseankg.graph.convert import QUOTE_CONTEXT, convert_plan
from aseankg.graph.errors import GraphError
from aseankg.graph.iris import Minter
from aseankg.graph.vocabulary import PREFIXES

PREFIX = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())


def _store(quads: list[Quad]) -> Store:
    store = Store()
    store.extend(quads)
    return store


def _select(store: Store, where: str) -> list[tuple[str, ...]]:
    rows = store.query(PREFIX + where, use_default_graph_as_union=True)
    return sorted(
        tuple(getattr(row[v.value], "value", "") for v in rows.variables)  # type: ignore[union-attr]
        for row in rows  # type: ignore[union-attr]
    )


def test_every_node_has_an_iri_and_sits_in_the_plan_graph(
    plan: Plan, extraction: PlanExtraction
) -> None:
    quads = convert_plan(plan, extraction)
    graph = NamedNode(Minter().plan_graph(plan.plan))
    assert quads
    for quad in quads:
        assert not isinstance(quad.subject, BlankNode)
        assert not isinstance(quad.object, BlankNode)
        assert quad.graph_name == graph


def test_structure_and_text_edition(plan: Plan) -> None:
    store = _store(convert_plan(plan))
    assert _select(store, "SELECT ?n WHERE { ?l a akg:ActionLine ; skos:notation ?n }") == [
        ("1.1.1",),
        ("1.1.2",),
        ("2.1.1",),
    ]
    rows = _select(store, "SELECT ?t ?h WHERE { ?e akg:canonicalText ?t ; akg:sha256 ?h }")
    assert rows == [(plan.text, plan.text_sha256)]
    # a line of a section without areas is part of the section itself
    rows = _select(
        store,
        "SELECT ?parent WHERE { ?l skos:notation '2.1.1' ; eli:is_part_of/skos:notation ?parent }",
    )
    assert rows == [("2",)]
    items = _select(
        store, "SELECT ?n ?t WHERE { ?i a akg:SubItem ; skos:notation ?n ; akg:text ?t }"
    )
    assert items == [("1.1.2(a)", "training"), ("1.1.2(b)", "the Testland Maritime Forum")]


def test_commitments_topics_and_sdgs(plan: Plan, extraction: PlanExtraction) -> None:
    warnings: list[str] = []
    store = _store(convert_plan(plan, extraction, warnings=warnings))
    rows = _select(
        store,
        "SELECT ?seq ?s WHERE { ?l skos:notation '1.1.1' ; akg:hasCommitment ?c . "
        "?c akg:verbSequence ?seq ; akg:strength ?s }",
    )
    assert rows == [("continue support", PREFIXES["akg"] + "strength_strong")]
    sdgs = _select(store, "SELECT ?g WHERE { ?l akg:sdg ?g }")
    assert sdgs == [("http://metadata.un.org/sdg/16",), ("http://metadata.un.org/sdg/16.3",)]
    topics = _select(store, "SELECT ?t WHERE { ?l akg:topic ?t }")
    assert (PREFIXES["akg"] + "topic_maritime_security",) in topics
    assert warnings == ["1.1.2: unknown topic 'no-such-topic' left out"]


def test_links_are_qualified_with_role_confidence_and_evidence(
    plan: Plan, extraction: PlanExtraction
) -> None:
    store = _store(convert_plan(plan, extraction))
    rows = _select(
        store,
        "SELECT ?line ?role ?conf ?exact WHERE { ?l skos:notation ?line ; akg:hasActorLink ?k . "
        "?k akg:linkedActor <https://w3id.org/aseankg/id/actor/aichr> ; "
        "akg:role ?role ; akg:confidence ?conf ; akg:evidence ?m . "
        "?m oa:hasTarget/oa:hasSelector/oa:exact ?exact }",
    )
    assert rows == [
        (
            "1.1.1",
            PREFIXES["akg"] + "role_supports",
            "0.9",
            "ASEAN Intergovernmental Commission on Human Rights (AICHR)",
        )
    ]
    shortcuts = _select(
        store, "SELECT ?p WHERE { ?l ?p <https://w3id.org/aseankg/id/instrument/unclos> }"
    )
    assert (PREFIXES["akg"] + "conformsTo",) in shortcuts
    assert (PREFIXES["akg"] + "referencesInstrument",) in shortcuts


def test_mentions_quote_the_text_at_their_offsets(plan: Plan, extraction: PlanExtraction) -> None:
    store = _store(convert_plan(plan, extraction))
    rows = _select(
        store,
        "SELECT ?s ?e ?exact ?prefix ?suffix WHERE { ?m a akg:Mention ; oa:hasTarget ?t . "
        "?t oa:hasSelector ?p , ?q . ?p oa:start ?s ; oa:end ?e . "
        "?q oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix }",
    )
    assert len(rows) == 4  # AICHR, party ASEAN, UNCLOS, the candidate; not the nested ASEAN
    for start, end, exact, prefix, suffix in rows:
        s, e = int(start), int(end)
        assert plan.text[s:e] == exact
        assert plan.text[max(0, s - QUOTE_CONTEXT) : s] == prefix
        assert plan.text[e : e + QUOTE_CONTEXT] == suffix


def test_parties_and_candidates(plan: Plan, extraction: PlanExtraction) -> None:
    store = _store(convert_plan(plan, extraction))
    # ASEAN, named in a line, and the dialogue partner of the title, named in none
    assert sorted(_select(store, "SELECT ?p WHERE { ?plan akg:partner ?p }")) == [
        ("https://w3id.org/aseankg/id/actor/asean",),
        ("https://w3id.org/aseankg/id/actor/testland",),
    ]
    rows = _select(
        store,
        "SELECT ?label ?status WHERE { ?c a akg:CandidateEntity , akg:PartnerBody ; "
        "skos:prefLabel ?label ; akg:status ?status }",
    )
    assert rows == [("Testland Export Council", PREFIXES["akg"] + "status_candidate")]


def test_an_unknown_role_is_an_error(plan: Plan, extraction: PlanExtraction) -> None:
    line = extraction.lines[1]
    bad = replace(line, mentions=(replace(line.mentions[0], role="admires"),))
    with pytest.raises(GraphError, match="admires"):
        convert_plan(plan, replace(extraction, lines=(bad,)))


def test_the_base_moves_every_data_iri(plan: Plan, extraction: PlanExtraction) -> None:
    quads = convert_plan(plan, extraction, minter=Minter("https://example.org/kg/"))
    subjects = {q.subject.value for q in quads if isinstance(q.subject, NamedNode)}
    assert all(s.startswith("https://example.org/kg/") for s in subjects)
    assert any(isinstance(q.object, Literal) and q.object.value == plan.text for q in quads)
