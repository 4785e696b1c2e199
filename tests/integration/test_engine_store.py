"""Builds on real SPARQL engines (Virtuoso, Oxigraph server): the same graph as the
embedded store, blue/green builds a failure or a SIGKILL cannot half-apply, and the
command line's one-line errors for engine URLs and credentials."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from aseankg.graph.backends.engine import EngineBackend
from aseankg.graph.build import build_plans
from aseankg.graph.errors import EngineTruncatedError, StoreError
from aseankg.graph.query import select_table
from aseankg.graph.serialize import export_store
from aseankg.graph.store import Build, current_build, open_store, start_build
from aseankg.queries.loader import bind_query, load_query
from bench.engines import Engine
from bench.synthetic import generate_plan
from tests.cli_server import cli_serve

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
NZ = ROOT / "tests" / "data" / "plans" / "asean-newzealand-poa-2026-2030.txt"
CLI = Path(sys.executable).with_name("aseankg")
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


@pytest.fixture(scope="module", params=["virtuoso", "oxigraph"])
def engine(request: pytest.FixtureRequest) -> Engine:
    found: Engine = request.getfixturevalue(f"{request.param}_engine")
    return found


def _aseankg(*args: str, engine: Engine, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **EPOCH, **engine.environment()}
    return subprocess.run(
        [str(CLI), *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def _seeded(engine: Engine) -> Build:
    """The engine's current build, after building the seed into it if it holds none."""
    build = current_build(engine.url)
    if build is None:
        build_plans([SEED], store=engine.url)
        build = current_build(engine.url)
    assert build is not None
    return build


def _plans(store: str) -> list[str]:
    build = current_build(store)
    assert build is not None
    return sorted(plan.plan for plan in build.manifest.plans)


def test_an_engine_holds_the_graph_the_embedded_store_holds(
    virtuoso_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built from the same source at the same SOURCE_DATE_EPOCH, the export of the engine
    and of a folder store are the same bytes (graph names included: the engine's
    build-specific names never leave it); `aseankg check` and `query` take the URL.
    (Virtuoso only: Oxigraph server is the same code with another dialect, and the
    blue/green tests below run on both.)"""
    engine = virtuoso_engine
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    folder = tmp_path / "store"
    for store in (engine.url, str(folder)):
        build_plans([SEED], store=store, replace=True)
    for format in ("nq", "csv"):
        remote, local = io.BytesIO(), io.BytesIO()
        export_store(open_store(engine.url), remote, format)
        export_store(open_store(folder), local, format)
        assert remote.getvalue() == local.getvalue() and len(remote.getvalue()) > 10_000
    check = _aseankg("check", "--no-reason", "--store", engine.url, engine=engine)
    assert check.returncode == 0, check.stderr + check.stdout
    query = _aseankg(
        "query", "lines-per-section", "--store", engine.url, "--format", "csv", engine=engine
    )
    assert query.returncode == 0 and query.stdout.count("\n") == 9, query.stderr


# (query, parameter, value): by IRI (what the REST routes send), acronym, label in another
# case (a long literal), a body with bodies under it, and names nothing has
NAMED_BY = [
    ("action-lines-by-actor", "actor", "https://w3id.org/aseankg/id/actor/aichr"),
    ("action-lines-by-actor", "actor", "https://w3id.org/aseankg/id/actor/asean"),
    ("action-lines-by-actor", "actor", "https://w3id.org/aseankg/id/actor/no-such-body"),
    ("action-lines-by-actor", "actor", "aichr"),
    ("action-lines-by-actor", "actor", "asean intergovernmental commission on human rights"),
    ("action-lines-by-actor", "actor", "no such body"),
    ("action-lines-by-instrument", "instrument", "https://w3id.org/aseankg/id/instrument/unclos"),
    ("action-lines-by-instrument", "instrument", "UNCLOS"),
    ("action-lines-by-instrument", "instrument", "initiative for asean INTEGRATION"),
]


def test_entity_queries_answer_on_virtuoso_as_on_the_embedded_store(
    virtuoso_store: str, seed_store: Path
) -> None:
    """The bound action-lines-by-actor/-instrument, by IRI or by any of an entity's names,
    give the same rows on Virtuoso as on the embedded store (Virtuoso 7.2.5's compiler
    failed on them with an IRI, SP031, and found no row for a long label)."""
    assert _plans(virtuoso_store) == ["asean-canada-2021-2025"]
    engine, embedded = open_store(virtuoso_store), open_store(seed_store)
    found = 0
    for name, param, value in NAMED_BY:
        text = bind_query(load_query(name), {param: value})
        expected = select_table(embedded, text)
        assert select_table(engine, text) == expected, (name, value)
        found += len(expected.rows)
    assert found >= 20  # ASEAN alone has 18 lines under it


def test_a_failed_build_leaves_the_previous_build_and_no_graphs(engine: Engine) -> None:
    before = _seeded(engine)
    assert before is not None
    with pytest.raises(RuntimeError, match="checks failed"), start_build(engine.url) as build:
        spool = build.workdir / "part.nq"
        spool.write_text(
            '<https://x.org/s> <https://x.org/p> "half" <https://w3id.org/aseankg/id/graph/x> .\n'
        )
        build.load([spool])
        raise RuntimeError("checks failed")
    after = current_build(engine.url)
    assert after is not None and after.id == before.id
    backend = EngineBackend.from_url(engine.url)
    _, loading = backend.records()
    assert loading == {}  # the failed build's graph is dropped with its record
    assert len(open_store(engine.url)) == before.manifest.triples


def test_a_killed_build_leaves_the_previous_build_serving(virtuoso_engine: Engine) -> None:
    """SIGKILL while the new build's graphs load: readers keep the old build, whole; the
    next build drops what the killed one left. (Virtuoso only, for the suite's time: the
    record logic is the same for every dialect, and the failed build above runs on both.)"""
    engine = virtuoso_engine
    before = _seeded(engine)
    env = {**os.environ, **engine.environment()}
    child = subprocess.Popen(
        [str(CLI), "build", str(SEED), str(NZ), "--store", engine.url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    backend = EngineBackend.from_url(engine.url)
    deadline = time.monotonic() + 120
    while not backend.records()[1]:  # until its first graph is being loaded
        assert child.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    backend.forget()
    after = current_build(engine.url)
    assert after is not None and after.id == before.id
    assert _plans(engine.url) == ["asean-canada-2021-2025"]
    assert backend.records()[1]  # its graphs are still there, named by no committed build
    build_plans([NZ], store=engine.url)
    assert _plans(engine.url) == ["asean-canada-2021-2025", "asean-new-zealand-2026-2030"]
    assert backend.records()[1] == {}
    build_plans([SEED], store=engine.url, replace=True)  # as the other modules expect it


def test_engine_urls_and_credentials_are_one_line_errors(virtuoso_engine: Engine) -> None:
    unknown = _aseankg("export", "--store", "fuseki+http://127.0.0.1:1/ds", engine=virtuoso_engine)
    assert unknown.returncode == 2 and "not a folder nor an engine URL" in unknown.stderr
    secret = _aseankg(
        "query",
        "actors",
        "--store",
        "virtuoso+http://dba:pw@127.0.0.1:1/sparql",
        engine=virtuoso_engine,
    )
    assert secret.returncode == 2 and "ASEANKG_STORE_PASSWORD" in secret.stderr
    env = {**os.environ, **virtuoso_engine.environment(), "ASEANKG_STORE_PASSWORD": "wrong"}
    refused = subprocess.run(
        [str(CLI), "build", str(SEED), "--store", virtuoso_engine.url],  # refused at once
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert refused.returncode == 1, refused.stderr
    assert "refused access" in refused.stderr and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_virtuoso_row_limit_is_an_error_never_a_partial_answer(
    virtuoso_small_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Virtuoso cuts every result at its ResultSetMaxRows (1,000 here) without an error: the
    CLI, the export and the endpoint fail with one line / a 422 problem instead of giving
    the cut answer as a whole one; with truncate=true the endpoint gives it, marked."""
    engine = virtuoso_small_engine
    for name, value in engine.environment().items():
        monkeypatch.setenv(name, value)
    everything = tmp_path / "everything.rq"
    everything.write_text("# title: t\n# description: t\n# params:\nSELECT * { ?s ?p ?o }\n")
    cut = _aseankg(
        "query", str(everything), "--store", engine.url, "--format", "csv", engine=engine
    )
    assert cut.returncode == 1 and cut.stdout == "", cut.stdout[:200]
    assert "ResultSetMaxRows" in cut.stderr and len(cut.stderr.strip().splitlines()) == 1
    with pytest.raises(EngineTruncatedError, match="cut the graph"):
        export_store(open_store(engine.url), io.BytesIO(), "nq")
    small = select_table(open_store(engine.url), "SELECT * { ?s ?p ?o } LIMIT 999")
    assert len(small.rows) == 999  # under the limit: whole
    with cli_serve(engine.url, tmp_path / "serve.log") as url:
        for query, accept in (
            ("SELECT * { ?s ?p ?o }", "application/sparql-results+json"),
            ("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"),
        ):
            form = {"query": query}
            whole = httpx.post(f"{url}/sparql", data=form, headers={"Accept": accept}, timeout=60)
            assert whole.status_code == 422, whole.text[:200]
            assert whole.json()["type"].endswith("/engine-truncated")
            form["truncate"] = "true"
            part = httpx.post(f"{url}/sparql", data=form, headers={"Accept": accept}, timeout=60)
            assert part.status_code == 200 and part.headers["x-sparql-truncated"] in (
                "1000",
                "1001",
            )


_CONTINUITY = """PREFIX akg: <https://w3id.org/aseankg/ontology#>
SELECT ?relation (COUNT(*) AS ?n) WHERE { ?c a akg:Continuity ; akg:relation ?relation }
GROUP BY ?relation ORDER BY ?relation"""
_FOLLOWS = """PREFIX akg: <https://w3id.org/aseankg/ontology#>
SELECT ?plan ?previous WHERE { ?plan akg:follows ?previous } ORDER BY ?plan"""


def test_a_build_past_the_engine_row_limit_links_every_edition(
    virtuoso_small_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editions step reads the lines it aligns from each plan graph, not by querying
    the store: twelve plans (over 1,000 action lines, more rows than the engine's
    ResultSetMaxRows of 1,000) build on it, and its editions are those of the same plans
    built into a folder store."""
    engine = virtuoso_small_engine
    for name, value in {**engine.environment(), **EPOCH}.items():
        monkeypatch.setenv(name, value)
    paths = []
    for index in range(12):
        partner, start = ("Japan", "India", "Korea")[index % 3], 2006 + 5 * (index // 3)
        path = tmp_path / f"{partner.lower()}-{start}.txt"
        path.write_text(generate_plan(index, partner, (start, start + 4)), "utf-8")
        paths.append(path)
    shards = tmp_path / "shards"
    try:
        summary = build_plans(paths, store=engine.url, replace=True, shards=shards)
        assert summary.action_lines > 1000
        remote = open_store(engine.url)
        relations = select_table(remote, _CONTINUITY).rows
        follows = select_table(remote, _FOLLOWS).rows
    finally:
        build_plans([SEED], store=engine.url, replace=True, shards=shards)  # as it was
    build_plans(paths, store=tmp_path / "store", replace=True, shards=shards)
    local = open_store(tmp_path / "store")
    assert relations == select_table(local, _CONTINUITY).rows
    assert sum(int(n) for _relation, n in relations) > 1000
    assert follows == select_table(local, _FOLLOWS).rows and len(follows) == 9


def test_virtuoso_bulk_loader_gives_the_same_graph_and_fails_in_one_line(
    virtuoso_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ASEANKG_STORE_ISQL and ASEANKG_STORE_LOAD_DIR the build loads by ld_add +
    rdf_loader_run: the export equals the folder store's, byte for byte; a bad ISQL
    address and a folder outside the engine's DirsAllowed are one-line errors that leave
    the previous build current."""
    engine = virtuoso_engine
    load_dir = engine.folder / "load"  # the engine's folder is in its DirsAllowed
    load_dir.mkdir(exist_ok=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    monkeypatch.setenv("ASEANKG_STORE_ISQL", engine.isql)
    monkeypatch.setenv("ASEANKG_STORE_LOAD_DIR", str(load_dir))
    folder = tmp_path / "store"
    for store in (engine.url, str(folder)):
        build_plans([SEED], store=store, replace=True)
    remote, local = io.BytesIO(), io.BytesIO()
    export_store(open_store(engine.url), remote, "nq")
    export_store(open_store(folder), local, "nq")
    assert remote.getvalue() == local.getvalue() and len(remote.getvalue()) > 10_000
    assert list(load_dir.iterdir()) == []  # the spool is removed
    before = current_build(engine.url)
    assert before is not None
    monkeypatch.setenv("ASEANKG_STORE_ISQL", "127.0.0.1:1")
    refused = _aseankg("build", str(SEED), "--store", engine.url, engine=engine, timeout=120)
    assert refused.returncode == 1 and "bulk loader" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.stderr
    monkeypatch.setenv("ASEANKG_STORE_ISQL", engine.isql)
    outside = Path(tempfile.mkdtemp(dir="/dev/shm"))  # not in DirsAllowed (/tmp always is)
    try:
        monkeypatch.setenv("ASEANKG_STORE_LOAD_DIR", str(outside))
        with pytest.raises(StoreError, match="denied"):
            build_plans([SEED], store=engine.url, replace=True)
    finally:
        shutil.rmtree(outside, ignore_errors=True)
    backend = EngineBackend.from_url(engine.url)
    backend.forget()
    after = current_build(engine.url)
    assert after is not None and after.id == before.id
    assert len(open_store(engine.url)) == before.manifest.triples
