"""SHACL shapes: a small valid graph conforms; each invalid fixture breaks one shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, SH, SKOS, Graph, URIRef

from aseankg.ontology.namespace import AKG
from aseankg.ontology.resources import load_authority_graph, load_ontology_graph, load_shapes_graph
from aseankg.ontology.validation import shacl_report, validate_graph

DATA = Path(__file__).resolve().parents[2] / "data" / "shapes"
SHAPES_NS = "https://w3id.org/aseankg/shapes#"
INVALID = sorted((DATA / "invalid").glob("*.ttl"))


def _graph(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def test_valid_fixture_conforms() -> None:
    conforms, text = validate_graph(_graph(DATA / "valid.ttl"))
    assert conforms, text


def test_packaged_authority_conforms() -> None:
    conforms, text = validate_graph(load_authority_graph())
    assert conforms, text


def test_there_are_several_invalid_fixtures() -> None:
    assert len(INVALID) >= 8


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_breaks_exactly_its_shape(fixture: Path) -> None:
    first_line = fixture.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# breaks: ")
    expected = SHAPES_NS + first_line.removeprefix("# breaks: ").split()[0]
    report = shacl_report(_graph(DATA / "valid.ttl", fixture))
    assert not report.conforms
    assert report.violated_shapes() == {expected}, report.text


def _in_list(shapes: Graph, shape: URIRef) -> set[URIRef]:
    node = shapes.value(shape, SH["in"])
    if node is None:  # the list sits in a qualified value shape or a nested property
        return set()
    return set(shapes.items(node))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("shape", "scheme"),
    [
        ("ActorLink-role", AKG.ActorRoleScheme),
        ("InstrumentLink-role", AKG.InstrumentRoleScheme),
        ("Commitment-strength", AKG.StrengthScheme),
        ("Entity-status", AKG.CurationStatusScheme),
        ("ActionLine-topic", AKG.TopicScheme),
        ("Instrument-type", AKG.InstrumentTypeScheme),
        ("Continuity-relation", AKG.ContinuityScheme),
    ],
)
def test_shape_value_lists_match_the_concept_schemes(shape: str, scheme: URIRef) -> None:
    listed = _in_list(load_shapes_graph(), URIRef(SHAPES_NS + shape))
    members = set(load_ontology_graph().subjects(SKOS.inScheme, scheme))
    assert listed == members


def test_every_shape_targets_or_is_used() -> None:
    shapes = load_shapes_graph()
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        targeted = shapes.value(shape, SH.targetClass) is not None
        used = any(shapes.subjects(None, shape))
        assert targeted or used, shape
