"""The shapes of the editions graph: a continuity node conforms, a broken one is named; the
alignment method is part of the dataset version."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from aseankg.graph import continuity
from aseankg.graph.build import build_plans
from aseankg.graph.iris import Minter
from aseankg.graph.packaged import authority_graph, ontology_graph
from aseankg.graph.validate import PlanValidator
from aseankg.graph.vocabulary import Rdf, Xsd, akg_term

SEED = Path(__file__).resolve().parents[3] / "data" / "sources" / "asean-canada-poa-2021-2025.txt"


@pytest.fixture(scope="module")
def validator() -> PlanValidator:
    minter = Minter()
    return PlanValidator(ontology_graph(minter).quads + authority_graph(minter).quads)


def _continuity(minter: Minter, *extra: tuple[NamedNode, NamedNode | Literal]) -> list[Quad]:
    graph = NamedNode(minter.editions_graph())
    node = NamedNode(minter.continuity("asean-x-2026-2030", "1.1", "asean-x-2021-2025", "2.1"))
    method = NamedNode(minter.alignment_method("2"))
    triples = [
        (node, Rdf.type, akg_term("Continuity")),
        (node, akg_term("line"), NamedNode(minter.line("asean-x-2026-2030", "1.1"))),
        (node, akg_term("previousLine"), NamedNode(minter.line("asean-x-2021-2025", "2.1"))),
        (node, akg_term("previousPlan"), NamedNode(minter.plan("asean-x-2021-2025"))),
        (node, akg_term("method"), method),
        (method, Rdf.type, akg_term("AlignmentMethod")),
        *((node, p, o) for p, o in extra),
    ]
    return [Quad(s, p, o, graph) for s, p, o in triples]


def test_a_continuity_node_conforms_and_a_broken_one_is_named(validator: PlanValidator) -> None:
    minter = Minter()
    revised = akg_term("continuity_revised")
    good = _continuity(minter, (akg_term("relation"), revised))
    assert validator.validate(good) is None
    twice = _continuity(
        minter, (akg_term("relation"), revised), (akg_term("relation"), akg_term("role_lead"))
    )
    report = validator.validate(twice)
    assert report is not None and "Continuity-relation" in report
    too_alike = _continuity(
        minter,
        (akg_term("relation"), revised),
        (akg_term("similarity"), Literal("1.5", datatype=Xsd.decimal)),
    )
    report = validator.validate(too_alike)
    assert report is not None and "Continuity-similarity" in report


def test_the_dataset_version_changes_with_the_alignment_method(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    shards = tmp_path / "shards"  # the plan's shard is made once, then reused
    first = build_plans([SEED], store=tmp_path / "a", shards=shards).version
    assert build_plans([SEED], store=tmp_path / "b", shards=shards).version == first
    monkeypatch.setattr(continuity, "METHOD_VERSION", "2-next")
    assert build_plans([SEED], store=tmp_path / "c", shards=shards).version != first
