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
from aseankg.graph.validate import (
    PLAN_CHECKS,
    PlanValidator,
    check_store,
    cross_node_violations,
    plan_violations,
)
from aseankg.graph.vocabulary import AkgTerms, Oa, Skos
from aseankg.queries.loader import list_queries


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


def _tampered(plan: Plan, extraction: PlanExtraction) -> dict[str, list[Quad]]:
    """A plan graph broken for each check that looks inside one plan."""
    quads = convert_plan(plan, extraction)
    graph = quads[0].graph_name
    line = NamedNode(Minter().line(plan.plan, plan.action_lines[0].id))
    other = NamedNode(Minter().line(plan.plan, plan.action_lines[1].id))
    return {
        "checks/mention-quotes": [
            Quad(q.subject, q.predicate, Literal(q.object.value + "Z"), q.graph_name)
            if q.predicate == Oa.exact and isinstance(q.object, Literal)
            else q
            for q in quads
        ],
        "checks/notation-twice": [
            q for q in quads if not (q.subject == other and q.predicate == Skos.notation)
        ]
        + [Quad(other, Skos.notation, Literal(plan.action_lines[0].id), graph)],
        "checks/subdivision-fields": [*quads, Quad(line, AkgTerms.start, Literal(1), graph)],
    }


def test_each_check_inside_one_plan_fires_and_reads_the_same_from_the_plan(
    plan: Plan, extraction: PlanExtraction
) -> None:
    # the build runs these checks on each plan's graph, not over the whole store: what it
    # reports must be what the store-wide check said, line for line
    assert plan_violations(convert_plan(plan, extraction)) == ()
    titles = {check.name: check.title for check in list_queries(internal=True)}
    broken = _tampered(plan, extraction)
    assert set(broken) == PLAN_CHECKS
    for name, quads in broken.items():
        store = Store()
        store.extend(quads)
        whole = cross_node_violations(store)
        assert any(line.startswith(titles[name] + ": ") for line in whole), (name, whole)
        rows = plan_violations(quads)
        assert cross_node_violations(Store(), plan_rows=rows) == whole
        assert cross_node_violations(store, plan_rows=rows) == whole


def test_more_than_the_limit_of_violations_reads_the_same_from_the_plans(
    plan: Plan, extraction: PlanExtraction
) -> None:
    second = replace(plan, plan="asean-testland-2036-2040")
    quads = [
        *_tampered(plan, extraction)["checks/mention-quotes"],
        *_tampered(second, replace(extraction, plan=second.plan))["checks/mention-quotes"],
    ]
    store = Store()
    store.extend(quads)
    whole = cross_node_violations(store, limit=3)
    assert len(whole) == 4 and whole[-1].endswith(": ... (more)")
    per_plan = [q for q in quads if q.graph_name == quads[0].graph_name]
    rest = [q for q in quads if q.graph_name != quads[0].graph_name]
    # the rows of each plan, in any order of plans, give the store's first violations
    rows = [*plan_violations(rest, limit=3), *plan_violations(per_plan, limit=3)]
    assert cross_node_violations(Store(), limit=3, plan_rows=rows) == whole


def test_a_kept_plan_is_checked_again_by_the_next_build(
    tmp_path: Path, plan: Plan, extraction: PlanExtraction
) -> None:
    root = tmp_path / "store"
    build_records([(plan, extraction)], store=root)
    store = Store(str(root / "current" / "oxigraph"))
    line = NamedNode(Minter().line(plan.plan, plan.action_lines[0].id))
    graph = NamedNode(Minter().plan_graph(plan.plan))
    store.add(Quad(line, AkgTerms.start, Literal(1), graph))
    store.flush()
    del store
    second = replace(plan, plan="asean-testland-2036-2040")
    with pytest.raises(ValidationError) as caught:
        build_records([(second, replace(extraction, plan=second.plan))], store=root)
    assert str(caught.value) == "the new store fails 1 cross-node check(s)"
    assert caught.value.report == (
        f"subdivision with more than one notation, start or end: {line.value}: "
        "1 notations, 2 starts, 1 ends"
    )
