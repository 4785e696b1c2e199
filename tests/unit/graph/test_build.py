"""Builds: several plans with per-plan graphs, replacing one plan, failing validation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from aseankg.extract.records import Plan, PlanExtraction
from aseankg.graph.build import build_records
from aseankg.graph.errors import GraphError, ValidationError
from aseankg.graph.iris import Minter
from aseankg.graph.store import open_store, read_manifest

RecordsFactory = Callable[[str], tuple[Plan, PlanExtraction]]


def _graphs(root: Path) -> set[str]:
    return {g.value for g in open_store(root).named_graphs() if isinstance(g, NamedNode)}


def test_two_plans_get_their_own_graphs_beside_the_shared_ones(
    tmp_path: Path, make_records: RecordsFactory
) -> None:
    root = tmp_path / "store"
    one, two = make_records("asean-one-2031-2035"), make_records("asean-two-2031-2035")
    summary = build_records([one, two], store=root)
    iris = Minter()
    assert _graphs(root) == {
        iris.plan_graph("asean-one-2031-2035"),
        iris.plan_graph("asean-two-2031-2035"),
        iris.ontology_graph(),
        iris.authority_graph(),
        iris.build_graph(),
        iris.editions_graph(),  # two partnerships of one edition each
    }
    assert [p.plan for p in summary.plans] == ["asean-one-2031-2035", "asean-two-2031-2035"]
    assert summary.action_lines == 6 and summary.mentions == 8 and summary.candidates == 2
    assert summary.triples == len(open_store(root))
    manifest = read_manifest(root)
    assert [p.plan for p in manifest.plans] == ["asean-one-2031-2035", "asean-two-2031-2035"]
    assert manifest.base == iris.base and manifest.version == summary.version


def test_rebuilding_one_plan_keeps_the_others(tmp_path: Path, make_records: RecordsFactory) -> None:
    root = tmp_path / "store"
    one, two = make_records("asean-one-2031-2035"), make_records("asean-two-2031-2035")
    build_records([one, two], store=root)
    smaller = replace(one[0], action_lines=one[0].action_lines[:1])
    summary = build_records([(smaller, None)], store=root)
    by_plan = {p.plan: p for p in summary.plans}
    assert by_plan["asean-one-2031-2035"].action_lines == 1
    assert by_plan["asean-one-2031-2035"].built
    assert not by_plan["asean-two-2031-2035"].built
    store = open_store(root)
    lines = store.query(
        "SELECT ?l WHERE { GRAPH ?g { ?l a <https://w3id.org/aseankg/ontology#ActionLine> } }"
    )
    assert len(list(lines)) == 4  # type: ignore[arg-type]


def test_replace_starts_from_an_empty_store(
    tmp_path: Path, plan: Plan, make_records: RecordsFactory
) -> None:
    root = tmp_path / "store"
    build_records([make_records("asean-other-2031-2035")], store=root)
    summary = build_records([(plan, None)], store=root, replace=True)
    assert [p.plan for p in summary.plans] == [plan.plan]


def test_the_same_plan_twice_in_one_build_is_an_error(tmp_path: Path, plan: Plan) -> None:
    with pytest.raises(GraphError, match="two files give the plan"):
        build_records([(plan, None), (plan, None)], store=tmp_path / "store")


def test_failed_validation_keeps_the_previous_store(
    tmp_path: Path, plan: Plan, extraction: PlanExtraction
) -> None:
    root = tmp_path / "store"
    build_records([(plan, extraction)], store=root)
    before = read_manifest(root).version
    with pytest.raises(ValidationError) as caught:
        build_records([(replace(plan, title=""), extraction)], store=root)
    assert "PlanOfAction-title" in caught.value.report
    assert read_manifest(root).version == before
    assert len(open_store(root)) > 0


def test_in_a_default_build_the_first_file_of_a_plan_wins(tmp_path: Path, plan: Plan) -> None:
    pdf = replace(plan, source=replace(plan.source, path="plan.pdf", format="pdf"))
    summary = build_records(
        [(plan, None), (pdf, None)], store=tmp_path / "store", first_file_wins=True
    )
    assert [p.plan for p in summary.plans] == [plan.plan]
    assert any("plan.pdf left out" in warning for warning in summary.warnings)


def test_the_spool_is_loaded_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_records: RecordsFactory
) -> None:
    from aseankg.graph import build as build_module

    monkeypatch.setattr(build_module._Spool, "CHUNK_BYTES", 1000)
    one, two = make_records("asean-one-2031-2035"), make_records("asean-two-2031-2035")
    chunked = build_records([one, two], store=tmp_path / "a")
    monkeypatch.undo()
    whole = build_records([one, two], store=tmp_path / "b")
    assert chunked.triples == whole.triples
    assert {"plans", "load", "checks"} <= set(chunked.timings)
    assert not list((tmp_path / "a" / "current").glob("load-*.nq"))
