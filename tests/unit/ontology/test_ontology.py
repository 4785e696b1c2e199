"""The TBox: loads in rdflib and owlready2, documents every term, aligns and declares."""

from __future__ import annotations

import io

import owlready2
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from aseankg.extract.nlp.lexicon_topics import ENTITY_SDGS, KEYWORD_SDGS, TOPIC_SDGS
from aseankg.ontology.namespace import AKG
from aseankg.ontology.reasoning import reasoner_ready_graph
from aseankg.ontology.resources import ONTOLOGY_IRI, load_ontology_graph

AKG_NS = str(AKG._NS)
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SDG = "http://metadata.un.org/sdg/"
DECLARATION_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)


@pytest.fixture(scope="module")
def tbox() -> Graph:
    return load_ontology_graph()


def _akg_terms(graph: Graph) -> list[URIRef]:
    return sorted(
        {
            s
            for s in graph.subjects(RDF.type, None)
            if isinstance(s, URIRef) and str(s).startswith(AKG_NS)
        }
    )


def _languages(graph: Graph, term: URIRef, predicate: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(term, predicate) if isinstance(o, Literal)}


def test_ontology_header_names_version_license_and_creator(tbox: Graph) -> None:
    ontology = URIRef(ONTOLOGY_IRI)
    assert (ontology, RDF.type, OWL.Ontology) in tbox
    assert tbox.value(ontology, OWL.versionIRI) is not None
    assert tbox.value(ontology, OWL.versionInfo) is not None
    assert tbox.value(ontology, DCTERMS.license) is not None
    assert tbox.value(ontology, DCTERMS.creator) is not None
    assert not list(tbox.objects(None, OWL.imports)), "no owl:imports: reasoning is offline"


def test_every_term_has_english_and_french_labels_and_a_definition(tbox: Graph) -> None:
    terms = _akg_terms(tbox)
    assert len(terms) > 100
    for term in terms:
        assert {"en", "fr"} <= _languages(tbox, term, RDFS.label), term
        definitions = list(tbox.objects(term, SKOS.definition)) + list(
            tbox.objects(term, RDFS.comment)
        )
        assert definitions, f"{term} has no definition"


def test_every_external_term_used_is_declared(tbox: Graph) -> None:
    used: set[Node] = set()
    for _, p, o in tbox:
        used.add(p)
        if p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.onProperty):
            used.add(o)
        if p == RDF.type and o not in DECLARATION_TYPES:
            used.add(o)
    builtin = (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/2002/07/owl#",
        "http://www.w3.org/2001/XMLSchema#",
    )
    external = {
        t for t in used if isinstance(t, URIRef) and not str(t).startswith((AKG_NS, *builtin))
    }
    undeclared = sorted(
        t for t in external if not any((t, RDF.type, kind) in tbox for kind in DECLARATION_TYPES)
    )
    assert not undeclared


def test_alignments_with_standard_vocabularies(tbox: Graph) -> None:
    expected = [
        (AKG.PlanOfAction, RDFS.subClassOf, ELI.Work),
        (AKG.PlanOfAction, RDFS.subClassOf, PROV.Plan),
        (AKG.ActionLine, RDFS.subClassOf, ELI.WorkSubdivision),
        (AKG.TextEdition, RDFS.subClassOf, ELI.Expression),
        (AKG.BindingInstrument, RDFS.subClassOf, ELI.LegalResource),
        (AKG.AseanBody, RDFS.subClassOf, ORG.OrganizationalUnit),
        (AKG.InternationalOrganisation, RDFS.subClassOf, ORG.FormalOrganization),
        (AKG.MeetingMechanism, RDFS.subClassOf, ORG.OrganizationalCollaboration),
        (AKG.Mention, RDFS.subClassOf, OA.Annotation),
        (AKG.Build, RDFS.subClassOf, PROV.Activity),
        (AKG.referencesActor, RDFS.subPropertyOf, DCTERMS.references),
        (AKG.referencesInstrument, RDFS.subPropertyOf, DCTERMS.references),
        (AKG.implements, RDFS.subPropertyOf, AKG.referencesInstrument),
        (AKG.acronym, RDFS.subPropertyOf, SKOS.altLabel),
    ]
    for triple in expected:
        assert triple in tbox, triple
    assert (AKG.PlanOfAction, RDFS.subClassOf, ELI.LegalResource) not in tbox, "soft law"
    assert not list(tbox.triples((None, None, ELI.implements)))


def test_actor_and_instrument_are_declared_disjoint(tbox: Graph) -> None:
    groups = [
        set(tbox.items(members))
        for node in tbox.subjects(RDF.type, OWL.AllDisjointClasses)
        if (members := tbox.value(node, OWL.members)) is not None
    ]
    assert any({AKG.Actor, AKG.Instrument, ELI.WorkSubdivision} <= g for g in groups)
    assert (AKG.NonBindingInstrument, OWL.disjointWith, AKG.BindingInstrument) in tbox


@pytest.mark.parametrize(
    ("scheme", "notations"),
    [
        (
            AKG.ActorRoleScheme,
            {"supports", "cooperates_with", "convenes", "works_through", "lead", "references"},
        ),
        (AKG.InstrumentRoleScheme, {"implements", "conforms_to", "promotes", "references"}),
        (AKG.CurationStatusScheme, {"known", "candidate"}),
        (AKG.StrengthScheme, {"weak", "moderate", "strong", "unspecified"}),
        (AKG.ContinuityScheme, {"carried_over", "revised", "new", "dropped"}),
    ],
)
def test_scheme_notations_are_the_contract_strings(
    tbox: Graph, scheme: URIRef, notations: set[str]
) -> None:
    members = set(tbox.subjects(SKOS.inScheme, scheme))
    assert {str(tbox.value(m, SKOS.notation)) for m in members} == notations


def test_strength_scale_is_ordered_weak_to_strong_and_documented(tbox: Graph) -> None:
    ranks = {
        str(tbox.value(c, SKOS.notation)): int(str(rank))
        for c in tbox.subjects(SKOS.inScheme, AKG.StrengthScheme)
        if (rank := tbox.value(c, AKG.rank)) is not None
    }
    assert ranks == {"weak": 1, "moderate": 2, "strong": 3}
    basis = str(tbox.value(AKG.StrengthScheme, SKOS.scopeNote))
    for verb in ("explore", "encourage", "support", "strengthen", "implement", "establish"):
        assert verb in basis


def test_topics_cover_every_area_of_the_seed_and_link_to_un_sdgs(tbox: Graph) -> None:
    topics = set(tbox.subjects(SKOS.inScheme, AKG.TopicScheme))
    notations = [str(tbox.value(t, SKOS.notation)) for t in topics]
    assert len(notations) == len(set(notations)), "topic notations are unique"
    seed_areas = {
        "political-security", "maritime-security", "counter-terrorism", "transnational-crime",
        "trafficking-in-persons", "human-rights", "trade-investment", "finance", "energy",
        "food-agriculture", "tourism", "transport", "ict-digital", "science-technology", "msme",
        "disaster-management", "environment-climate", "health", "education-youth-culture",
        "migrant-workers", "social-protection-gender", "civil-service", "connectivity",
        "cybersecurity", "smart-cities", "sustainable-development", "narrowing-development-gap",
        "institutional-strengthening", "implementation",
    }  # fmt: skip
    assert seed_areas <= set(notations)
    sdg_links = list(tbox.objects(None, AKG.sdg))
    assert sdg_links and all(str(o).startswith(SDG) for o in sdg_links)
    assert URIRef(SDG + "5") in sdg_links or URIRef(SDG + "5.2") in sdg_links
    for goal in range(1, 18):
        assert {"en", "fr"} <= _languages(tbox, URIRef(f"{SDG}{goal}"), RDFS.label)


def test_every_sdg_the_extractor_can_give_is_declared_with_labels(tbox: Graph) -> None:
    """A line's SDG links (topic scheme, its words, its entities) all lead to a labelled
    goal or target, a target under its goal."""
    codes = {
        code
        for table in (TOPIC_SDGS, KEYWORD_SDGS, ENTITY_SDGS)
        for codes in table.values()
        for code in codes
    }
    assert len(codes) > 40
    for code in sorted(codes):
        node = URIRef(SDG + code)
        assert _languages(tbox, node, RDFS.label) >= {"en", "fr"}, code
        if "." in code:
            assert (node, SKOS.broader, URIRef(SDG + code.split(".")[0])) in tbox, code


def test_instrument_types_split_into_binding_and_non_binding(tbox: Graph) -> None:
    binding = set(tbox.objects(AKG.BindingInstrumentTypes, SKOS.member))
    non_binding = set(tbox.objects(AKG.NonBindingInstrumentTypes, SKOS.member))
    types = set(tbox.subjects(SKOS.inScheme, AKG.InstrumentTypeScheme))
    assert binding | non_binding == types
    assert not binding & non_binding
    assert {AKG.Treaty, AKG.Convention, AKG.Protocol, AKG.Agreement, AKG.Charter} == binding


def test_ontology_loads_in_owlready2() -> None:
    data = reasoner_ready_graph(load_ontology_graph()).serialize(format="nt", encoding="utf-8")
    world = owlready2.World()
    try:
        onto = world.get_ontology(ONTOLOGY_IRI).load(fileobj=io.BytesIO(data), format="ntriples")
        names = {cls.name for cls in onto.classes()}
        assert {"PlanOfAction", "ActionLine", "Actor", "Instrument", "Mention"} <= names
    finally:
        world.close()
