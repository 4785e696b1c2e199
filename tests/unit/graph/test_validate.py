"""Validation: SHACL per plan graph and cross-node SPARQL checks catch bad graphs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, parse
from rdflib.namespace import SH

from aseankg.extract.records import Plan, PlanExtraction
from aseankg.graph.build import build_records
from aseankg.graph.convert import convert_plan
from aseankg.graph.errors import StoreError, ValidationError
from aseankg.graph.iris import Minter
from aseankg.graph.packaged import authority_graph, ontology_graph, shapes_text
from aseankg.graph.validate import PlanValidator, check_store, cross_node_violations
from aseankg.graph.vocabulary import Oa


@pytest.fixture(scope="module")
def validator() -> PlanValidator:
    minter = Minter()
    return PlanValidator(ontology_graph(minter).quads + authority_graph(minter).quads)


def test_a_good_plan_graph_conforms(
    validator: PlanValidator, plan: Plan, extraction: PlanExtraction
) -> None:
    assert validator.validate(convert_plan(plan, extraction)) is None


def test_shacl_reports_a_bad_plan_graph(validator: PlanValidator, plan: Plan) -> None:
    report = validator.validate(convert_plan(replace(plan, adopted="10 Jan 2030")))
    assert report is not None
    assert "PlanOfAction-adopted" in report


def test_a_quote_that_differs_from_the_text_is_caught(
    plan: Plan, extraction: PlanExtraction
) -> None:
    quads = convert_plan(plan, extraction)
    tampered = [
        Quad(q.subject, q.predicate, Literal("UNCLOZ"), q.graph_name)
        if q.predicate == Oa.exact and getattr(q.object, "value", "") == "UNCLOS"
        else q
        for q in quads
    ]
    store = Store()
    store.extend(tampered)
    problems = cross_node_violations(store)
    assert len(problems) == 1
    assert "UNCLOZ" in problems[0] and "UNCLOS" in problems[0]
    clean = Store()
    clean.extend(quads)
    assert cross_node_violations(clean) == []


def test_a_notation_used_twice_is_caught(plan: Plan) -> None:
    twice = replace(plan, action_lines=(*plan.action_lines, replace(plan.action_lines[0], start=0)))
    store = Store()
    store.extend(convert_plan(twice))
    problems = cross_node_violations(store)
    assert any("more than one notation, start or end" in p for p in problems)


def test_check_store_passes_a_built_store_and_fails_a_tampered_one(
    tmp_path: Path, plan: Plan, extraction: PlanExtraction
) -> None:
    root = tmp_path / "store"
    with pytest.raises(StoreError):
        check_store(root)
    build_records([(plan, extraction)], store=root)
    summary = check_store(root)
    assert summary.plans == 1
    store = Store(str(root / "current" / "oxigraph"))
    graph = NamedNode(Minter().plan_graph(plan.plan))
    store.add(
        Quad(
            NamedNode(Minter().plan(plan.plan)),
            NamedNode("http://purl.org/dc/terms/title"),
            Literal("second title"),
            graph,
        )
    )
    store.flush()
    del store
    with pytest.raises(ValidationError) as caught:
        check_store(root)
    assert "PlanOfAction-title" in caught.value.report


SHAPES_DATA = Path(__file__).resolve().parents[2] / "data" / "shapes"
INVALID = sorted((SHAPES_DATA / "invalid").glob("*.ttl"))


def _fixture_quads(*paths: Path) -> list[Quad]:
    return [quad for path in paths for quad in parse(path.read_bytes(), RdfFormat.TURTLE)]


def test_the_build_validator_accepts_the_valid_fixture(validator: PlanValidator) -> None:
    assert validator.validate(_fixture_quads(SHAPES_DATA / "valid.ttl")) is None


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_the_build_validator_fails_each_invalid_fixture_with_its_shape_and_message(
    validator: PlanValidator, fixture: Path
) -> None:
    shape = fixture.read_text("utf-8").splitlines()[0].removeprefix("# breaks: ").split()[0]
    shapes = rdflib.Graph().parse(data=shapes_text(), format="turtle")
    node = rdflib.URIRef("https://w3id.org/aseankg/shapes#" + shape)
    messages = {str(m) for m in shapes.objects(node, SH.message)}
    report = validator.validate(_fixture_quads(SHAPES_DATA / "valid.ttl", fixture))
    assert report is not None
    top = (line for line in report.splitlines() if line.startswith("\tSource Shape: "))
    sources = {line.strip() for line in top}  # the top-level results, not their details
    assert sources == {f"Source Shape: akgsh:{shape}"}, report
    assert messages and all(f"Message: {message}" in report for message in messages)
