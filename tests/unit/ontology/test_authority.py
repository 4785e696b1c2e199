"""The authority file as plain records: conventions of ``load_authority``."""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal

from aseankg.ontology.authority import entities_from_graph, load_authority, slug_of
from aseankg.ontology.errors import OntologyLoadError
from aseankg.ontology.namespace import AKG
from aseankg.ontology.records import AuthorityEntity
from aseankg.ontology.resources import load_authority_graph, load_ontology_graph

PREFIXES = """
@prefix akg: <https://w3id.org/aseankg/ontology#> .
@prefix actor: <https://w3id.org/aseankg/id/actor/> .
@prefix instrument: <https://w3id.org/aseankg/id/instrument/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _entities(turtle: str) -> dict[str, AuthorityEntity]:
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    return {e.id: e for e in entities_from_graph(graph, load_ontology_graph())}


def test_packaged_authority_entities_have_a_type_and_a_label() -> None:
    entities = load_authority()
    assert entities, "the authority file is empty"
    tbox = load_ontology_graph()
    instrument_types = {
        slug_of(str(c)) for c in tbox.subjects(SKOS.inScheme, AKG.InstrumentTypeScheme)
    }
    actor_types = {"AseanBody", "PartnerBody", "CanadianBody", "InternationalOrganisation",
                   "MeetingMechanism", "Party"}  # fmt: skip
    for entity in entities:
        assert entity.label.strip(), entity.id
        allowed = actor_types if entity.kind == "Actor" else instrument_types
        assert entity.type in allowed, (entity.id, entity.type)
    parties = {e.id for e in entities if e.party}
    assert {"asean", "canada"} <= parties


def test_packaged_acronyms_are_unique_within_a_type_unless_the_file_says_why() -> None:
    graph = load_authority_graph()
    owners: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for entity in load_authority():
        for acronym in entity.acronyms:
            owners[(entity.kind, entity.type, acronym)].append(entity.id)
    explained: dict[str, str] = {}
    for subject, comment in graph.subject_objects(RDFS.comment):
        explained[slug_of(str(subject))] = explained.get(slug_of(str(subject)), "") + str(comment)
    for (_, _, acronym), ids in owners.items():
        if len(ids) > 1:
            unexplained = [i for i in ids if acronym not in explained.get(i, "")]
            assert not unexplained, f"{acronym} shared by {ids} without a comment saying why"


def test_actor_record_reads_type_acronyms_labels_parent_and_party() -> None:
    entities = _entities(
        """
        actor:asean a akg:Party ; skos:prefLabel "ASEAN"@en .
        actor:jcc a akg:MeetingMechanism ;
            skos:prefLabel "Joint Cooperation Committee"@en , "Comité mixte de coopération"@fr ;
            akg:acronym "JCC" ;
            skos:altLabel "Joint Coordination Committee"@en , "JCC" ;
            org:subOrganizationOf actor:asean .
        """
    )
    jcc = entities["jcc"]
    assert jcc.kind == "Actor" and jcc.type == "MeetingMechanism"
    assert jcc.label == "Joint Cooperation Committee"
    assert jcc.acronyms == ("JCC",)
    assert jcc.alt_labels == ("Joint Coordination Committee",)
    assert jcc.parent == "asean" and not jcc.party
    assert entities["asean"].party and entities["asean"].type == "Party"


def test_party_that_is_also_an_organisation_takes_the_organisation_type() -> None:
    entities = _entities(
        'actor:asean a akg:Party , akg:InternationalOrganisation ; rdfs:label "ASEAN"@en .'
    )
    assert entities["asean"].type == "InternationalOrganisation"
    assert entities["asean"].party


def test_instrument_record_reads_type_binding_year_period_and_adopter() -> None:
    entities = _entities(
        """
        actor:arf a akg:MeetingMechanism ; skos:prefLabel "ASEAN Regional Forum"@en .
        instrument:unclos a akg:BindingInstrument ; skos:prefLabel "UNCLOS"@en ;
            akg:instrumentType akg:Convention ; akg:year 1982 .
        instrument:plan a akg:Instrument ; skos:prefLabel "A Work Plan"@en ;
            akg:instrumentType akg:WorkPlan ; akg:adoptedBy actor:arf ;
            akg:period [ a time:ProperInterval ;
                time:hasBeginning [ time:inXSDgYear "2019"^^xsd:gYear ] ;
                time:hasEnd [ time:inXSDgYear "2021"^^xsd:gYear ] ] .
        instrument:flagged a akg:Instrument ; skos:prefLabel "Flagged"@en ;
            akg:instrumentType akg:Declaration ; akg:binding true ;
            akg:periodStart 2016 ; akg:periodEnd 2025 .
        """
    )
    unclos, plan, flagged = entities["unclos"], entities["plan"], entities["flagged"]
    assert (unclos.type, unclos.binding, unclos.year) == ("Convention", True, 1982)
    assert (plan.type, plan.binding, plan.parent) == ("WorkPlan", False, "arf")
    assert (plan.period_start, plan.period_end) == (2019, 2021)
    assert flagged.binding is True
    assert (flagged.period_start, flagged.period_end) == (2016, 2025)


def test_entity_typed_actor_and_instrument_is_refused() -> None:
    with pytest.raises(OntologyLoadError, match="both actor and instrument"):
        _entities('actor:x a akg:AseanBody , akg:BindingInstrument ; skos:prefLabel "X"@en .')


def test_entity_without_english_label_is_refused() -> None:
    graph = Graph()
    subject = Graph().parse(data=PREFIXES + "actor:x a akg:AseanBody .", format="turtle")
    graph += subject
    graph.add((next(iter(graph.subjects(RDF.type, None))), SKOS.prefLabel, Literal("X", lang="fr")))
    with pytest.raises(OntologyLoadError, match="no English label"):
        entities_from_graph(graph, load_ontology_graph())
