"""Builds on a real Oxigraph server, in the form it is queried fast: each build's graphs
plus one graph holding their merge, the query's only default graph (docs/engines.md).
A query sees exactly the current build's triples, once each; the export is the folder
store's, byte for byte; a build killed while it makes its merged graph leaves the
previous build serving, and the next build drops what it left."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from pyoxigraph import NamedNode

from aseankg.graph.backends.engine import EngineBackend
from aseankg.graph.build import build_plans
from aseankg.graph.serialize import export_store
from aseankg.graph.store import Manifest, current_build, open_store, start_build
from bench.engines import Engine

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
NZ = ROOT / "tests" / "data" / "plans" / "asean-newzealand-poa-2026-2030.txt"
CLI = Path(sys.executable).with_name("aseankg")
BASE = "https://w3id.org/aseankg/id/"
KOREA = ROOT / "tests" / "data" / "plans" / "asean-korea-poa-2021-2025.txt"
NZ_PLAN = f"{BASE}plan/asean-new-zealand-2026-2030"
KOREA_PLAN = f"{BASE}plan/asean-korea-2021-2025"
AKG = "https://w3id.org/aseankg/ontology#"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
DISTINCT = "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"


def _count(store: object, text: str) -> int:
    result = store.query(text, use_default_graph_as_union=True)  # type: ignore[attr-defined]
    return int(next(iter(result))[0].value)


def _engine_graphs(engine: Engine) -> list[str]:
    """Every named graph the server holds (straight from the server, no dataset named)."""
    response = httpx.post(
        engine.endpoint,
        data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"accept": "application/sparql-results+json"},
        timeout=60,
    )
    response.raise_for_status()
    return sorted(row["g"]["value"] for row in response.json()["results"]["bindings"])


def _direct_count(engine: Engine, text: str, default: str) -> int:
    """A COUNT query straight to the server, on one graph as the default graph."""
    response = httpx.post(
        engine.endpoint,
        data={"query": text, "default-graph-uri": default},
        headers={"accept": "application/sparql-results+json"},
        timeout=60,
    )
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_a_query_sees_the_current_build_once_and_the_export_is_the_folder_stores(
    oxigraph_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server holds the previous build (New Zealand and Korea) and the current one (the
    seed and New Zealand): a query's default graph is the current build's triples, each
    once, none of the Korea
    plan's, only public graph names; the export equals the folder store's bytes; the
    builds' merged graphs are the current and the previous build's, no more."""
    engine = oxigraph_engine
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = tmp_path / "store"
    build_plans([NZ, KOREA], store=engine.url, replace=True)
    previous = current_build(engine.url)
    for store in (engine.url, str(folder)):
        build_plans([SEED, NZ], store=store, replace=True)
    current = current_build(engine.url)
    assert previous is not None and current is not None and current.id != previous.id
    assert current.default.endswith(f"/store/{current.id}/default")

    remote, local = open_store(engine.url), open_store(folder)
    rows = list(remote.query(ALL, use_default_graph_as_union=True))  # type: ignore[arg-type]
    triples = [tuple(str(term) for term in row) for row in rows]
    assert len(triples) == len(set(triples)) == _count(local, DISTINCT)
    assert len(remote) == current.manifest.triples
    lines = f"SELECT (COUNT(*) AS ?n) {{ ?line <{AKG}plan> <{KOREA_PLAN}> }}"
    assert _count(remote, lines) == 0 < _direct_count(engine, lines, previous.default)
    assert all("/store/" not in str(term) for row in rows for term in row)
    graphs = {g.value for g in remote.named_graphs()}
    assert graphs == {g.value for g in local.named_graphs()}

    for format in ("nq", "csv"):
        exported, expected = io.BytesIO(), io.BytesIO()
        export_store(open_store(engine.url), exported, format)
        export_store(open_store(folder), expected, format)
        assert exported.getvalue() == expected.getvalue() and len(exported.getvalue()) > 10_000

    merged = [g for g in _engine_graphs(engine) if g.endswith("/default")]
    assert merged == sorted([previous.default, current.default])


def test_the_default_graph_is_the_merge_of_the_builds_graphs(oxigraph_engine: Engine) -> None:
    """A triple in two graphs of a build is one triple of its default graph (the RDF merge,
    set semantics: COUNT(*) = COUNT(DISTINCT *)); GRAPH patterns still see each graph; a
    graph dropped while the build loads leaves the merge; the merged graphs left on the
    engine are the kept builds'."""
    engine = oxigraph_engine
    same = f'<{BASE}actor/a> <{AKG}acronym> "A"'
    with start_build(engine.url) as build:
        spool = build.workdir / "part.nq"
        spool.write_text(
            f"{same} <{BASE}graph/p1> .\n{same} <{BASE}graph/p2> .\n"
            f'<{BASE}actor/b> <{AKG}acronym> "B" <{BASE}graph/p2> .\n'
            f'<{BASE}actor/c> <{AKG}acronym> "C" <{BASE}graph/p3> .\n'
        )
        build.load([spool])
        reader = build.reader()
        assert _count(reader, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == 3
        reader.remove_graph(NamedNode(f"{BASE}graph/p3"))  # its triple leaves the merge
        assert _count(reader, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == 2
        build.commit(Manifest(version="merge-test", base=BASE, triples=3))
    store = open_store(engine.url)
    assert len(store) == 3
    assert _count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == 2
    assert _count(store, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT * { ?s ?p ?o } }") == 2
    graphs = f"SELECT (COUNT(?g) AS ?n) {{ GRAPH ?g {{ <{BASE}actor/a> ?p ?o }} }}"
    assert _count(store, graphs) == 2
    committed, _ = EngineBackend.from_url(engine.url).records()  # the kept builds, each merged
    kept = {record["default"] for record in committed.values()}
    assert len(committed) <= 2 and kept == {
        g for g in _engine_graphs(engine) if g.endswith("/default")
    }


def test_a_build_killed_while_it_merges_leaves_the_previous_build_serving(
    oxigraph_engine: Engine,
) -> None:
    """SIGKILL once the new build's merged graph holds triples (its graphs are loading):
    readers keep the previous build, whole, through its own merged graph; the next build
    drops the killed build's graphs and merged graph."""
    engine = oxigraph_engine
    build_plans([SEED], store=engine.url, replace=True)
    before = current_build(engine.url)
    assert before is not None and before.default
    quads = len(open_store(engine.url))
    child = subprocess.Popen(
        [str(CLI), "build", str(SEED), str(NZ), "--store", engine.url],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    backend = EngineBackend.from_url(engine.url)
    deadline = time.monotonic() + 180

    def merging() -> bool:
        started = {g for gs in backend.records()[1].values() for g in gs if g.endswith("/default")}
        return bool(started & set(_engine_graphs(engine)))

    while not merging():
        assert child.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    backend.forget()
    after = current_build(engine.url)
    assert after is not None and after.id == before.id and after.default == before.default
    assert len(open_store(engine.url)) == quads
    lines = f"SELECT (COUNT(*) AS ?n) {{ ?line <{AKG}plan> <{NZ_PLAN}> }}"
    assert _count(open_store(engine.url), lines) == 0
    (killed,) = backend.records()[1].values()
    (left,) = [g for g in killed if g.endswith("/default")]
    assert left in _engine_graphs(engine)  # the killed build's merged graph, with triples
    build_plans([NZ], store=engine.url)  # adds New Zealand to the seed, drops the leftovers
    assert backend.records()[1] == {}
    assert not set(killed) & set(_engine_graphs(engine))
    assert _count(open_store(engine.url), lines) > 0
    build_plans([SEED], store=engine.url, replace=True)  # as the other modules expect it
