"""Integration fixtures: the seed plan built into a real store, and real servers on it.

``seed_store`` runs the real build (``aseankg.graph.build.build_plans``) on the seed once
per session. ``server`` is ``create_app`` on uvicorn on a free loopback port in a thread
(:func:`running_server`, a test helper: the package has none), with short limits so the
limit tests stay quick: a 3 s query time limit, 3 query workers, a row cap of 1000 and a
64 kB body cap.

``w3c_store`` holds the seed plan and the graphs the W3C SPARQL protocol tests name
(``tests/data/w3c/``), and ``served`` is ``aseankg serve`` on it in its own process, with
the command's default limits: the W3C protocol tests and the real clients run against it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib
import uvicorn
from pyoxigraph import NamedNode, RdfFormat, Store

from aseankg.api.app import create_app
from aseankg.api.http.connections import ConnectionLimits
from aseankg.api.http.settings import Settings
from aseankg.graph.build import build_plans
from aseankg.graph.store import BuildDirectory, Manifest, ManifestPlan, start_build

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
PLAN = "asean-canada-2021-2025"
BASE = "https://w3id.org/aseankg/id/"
PLAN_GRAPH = f"{BASE}graph/{PLAN}"
W3C_MANIFEST = ROOT / "tests" / "data" / "w3c" / "protocol" / "manifest.ttl"
_UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")


@contextmanager
def running_server(settings: Settings, *, limits: ConnectionLimits | None = None) -> Iterator[str]:
    """Run the service on a free loopback port in a thread; yield its root URL.

    ``limits`` are the connection limits (default: those of ``aseankg serve``).
    Raises ``RuntimeError`` when the server does not start within 30 seconds.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings),
        log_level="warning",
        access_log=False,
        **(limits or ConnectionLimits()).uvicorn_options(),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seed plan, built by the graph layer's own build."""
    store = tmp_path_factory.mktemp("api") / "store"
    build_plans([SEED], store=store)
    return store


@pytest.fixture(scope="session")
def settings(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        store=seed_store,
        query_timeout=3.0,
        query_workers=3,
        row_cap=1000,
        body_cap=64_000,
        cache_dir=tmp_path_factory.mktemp("dumps"),
    )


@pytest.fixture(scope="session")
def server(settings: Settings) -> Iterator[str]:
    """Root URL of the service on the seed store (real uvicorn, loopback, free port)."""
    with running_server(settings) as url:
        yield url


StartServer = Callable[..., str]


@pytest.fixture(scope="session")
def make_server(settings: Settings) -> Iterator[StartServer]:
    """Start extra servers with changed settings; all stop at the end of the session."""
    with ExitStack() as stack:

        def start(**changes: Any) -> str:
            return stack.enter_context(running_server(dataclasses.replace(settings, **changes)))

        yield start


ServeWith = Callable[..., AbstractContextManager[str]]


@pytest.fixture(scope="session")
def serve_with() -> ServeWith:
    """:func:`running_server` itself, for a test that needs its own server's lifetime or
    connection limits: ``with serve_with(settings, limits=...) as url``."""
    return running_server


@pytest.fixture()
def client(request: pytest.FixtureRequest, backend: str) -> Iterator[httpx.Client]:
    """An HTTP client of the service on the seed store (``backend``: see below)."""
    server = request.getfixturevalue(SERVERS[backend])
    with httpx.Client(base_url=server, timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
def w3c_graphs() -> dict[str, Path]:
    """The graphs the W3C protocol manifest names: ``ut:graphData`` label -> its file."""
    manifest = rdflib.Graph().parse(W3C_MANIFEST, format="turtle")
    graphs: dict[str, Path] = {}
    for data in manifest.objects(None, _UT.graphData):
        graph = manifest.value(data, _UT.graph)
        label = manifest.value(data, rdflib.RDFS.label)
        assert graph is not None and label is not None, "a ut:graphData without graph or label"
        graphs[str(label)] = W3C_MANIFEST.parent / Path(str(graph)).name
    return graphs


@pytest.fixture(scope="session")
def w3c_store(tmp_path_factory: pytest.TempPathFactory, w3c_graphs: dict[str, Path]) -> Path:
    """A real build holding the seed plan and the W3C protocol tests' graphs.

    The build keeps the graphs that the current store's manifest names (``build PATH``
    adds a plan and keeps the others), so the test graphs go into a first build of the
    store (the store layer's own ``start_build``/``commit``, each graph in the named graph
    its label names), and the real ``build_plans`` of the seed then makes the store the
    server reads: one build with the plan, the ontology, the authority file and the
    three test graphs, checked and swapped in like any other.
    """
    store = tmp_path_factory.mktemp("w3c") / "store"
    graphs = w3c_graphs
    with start_build(store) as build:
        assert isinstance(build, BuildDirectory)  # a folder store
        oxigraph = Store(str(build.oxigraph))
        for label, path in graphs.items():
            oxigraph.bulk_load(
                path=str(path), format=RdfFormat.N_TRIPLES, to_graph=NamedNode(label)
            )
        oxigraph.flush()
        del oxigraph
        plans = tuple(
            ManifestPlan(
                plan=f"w3c-{path.stem}",
                graph=label,
                triples=sum(1 for line in path.read_text("utf-8").splitlines() if line),
                sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            )
            for label, path in sorted(graphs.items())
        )
        build.commit(Manifest(version="w3c-graphs", base=BASE, plans=plans))
    build_plans([SEED], store=store)
    return store


@pytest.fixture(scope="session")
def served(w3c_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Root URL of ``aseankg serve --store w3c_store`` (its own process, loopback, the
    command's default limits); its log is in the session's temporary folder."""
    log_path = tmp_path_factory.mktemp("served") / "serve.log"
    with cli_serve(w3c_store, log_path, options=("--host", "127.0.0.1")) as url:
        yield url


# ---------------------------------------------------------------- SPARQL engines
# Real engines on loopback (bench/engines.py starts and stops them by pid): the same
# server, built by the same build, in front of Virtuoso instead of the embedded store.
# The modules named in ENGINE_MODULES run every test that takes ``client`` on both
# backends (``test_x[embedded]``, ``test_x[virtuoso]``): the protocol, linked-data,
# REST, UI and egress (SSRF) tests. The limit, cache and connection tests stay on the
# embedded store only: they test the server in front of the store, which is the same
# code for both, and they kill and restart workers (seconds each); test_engine_serve.py
# has a time limit over Virtuoso; docs/engines.md says so.

sys.path.insert(0, str(ROOT))  # bench/ is not a package of the project
from bench.engines import Engine, oxigraph_server, virtuoso  # noqa: E402
from tests.cli_server import cli_serve  # noqa: E402

BACKENDS = ("embedded", "virtuoso")
SERVERS = {"embedded": "server", "virtuoso": "virtuoso_server", "oxigraph": "oxigraph_api"}
# Oxigraph server (its builds in the merged-graph form, docs/engines.md) runs a subset, for
# the suite's time (about 35 s): the SPARQL protocol, linked-data, REST and UI tests.
OXIGRAPH_MODULES = frozenset(
    {"test_sparql_protocol", "test_linked_data", "test_rest", "test_ui_routes"}
)
ENGINE_MODULES = frozenset(
    {"test_sparql_protocol", "test_linked_data", "test_rest", "test_ui_routes", "test_egress"}
)


# Parametrised tests left on the embedded store, and why (docs/engines.md): none since the
# action-lines-by-actor/-instrument queries route around Virtuoso 7.2.5's SP031 (#15).
ENGINE_LEFT_OUT: frozenset[str] = frozenset()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    names = metafunc.fixturenames
    # a test that also takes ``server`` or ``seed_store`` compares with the embedded
    # server's own URL or store: it stays on the embedded store
    embedded = {"server", "seed_store"} & set(names)
    left_out = metafunc.function.__name__ in ENGINE_LEFT_OUT
    if "client" in names and not embedded and not left_out and module in ENGINE_MODULES:
        backends = BACKENDS + (("oxigraph",) if module in OXIGRAPH_MODULES else ())
        metafunc.parametrize("backend", backends, indirect=True, scope="session")


@contextmanager
def _credentials(engine: Engine) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in engine.environment()}
    os.environ.update(engine.environment())
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
def virtuoso_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A real Virtuoso on loopback ports with its own dba password (in the environment,
    as ASEANKG_STORE_USER / ASEANKG_STORE_PASSWORD, for the session)."""
    with virtuoso(tmp_path_factory.mktemp("virtuoso")) as engine, _credentials(engine):
        yield engine


@pytest.fixture(scope="session")
def virtuoso_small_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A second Virtuoso whose ResultSetMaxRows is 1,000, holding the seed plan: the tests
    of its silent cut (some seconds to start and build; its variables are not set)."""
    with virtuoso(tmp_path_factory.mktemp("virtuoso-small"), max_rows=1000) as engine:
        with _credentials(engine):
            build_plans([SEED], store=engine.url)
        yield engine


@pytest.fixture(scope="session")
def oxigraph_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A real Oxigraph server on a loopback port."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as engine:
        yield engine


@pytest.fixture(scope="session")
def virtuoso_store(virtuoso_engine: Engine) -> str:
    """The engine URL of Virtuoso holding the seed plan, built by the real build."""
    build_plans([SEED], store=virtuoso_engine.url, replace=True)
    return virtuoso_engine.url


@pytest.fixture(scope="session")
def virtuoso_server(
    settings: Settings, virtuoso_store: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Root URL of the service (as ``server``) in front of Virtuoso."""
    engine_settings = dataclasses.replace(
        settings, store=virtuoso_store, cache_dir=tmp_path_factory.mktemp("engine-dumps")
    )
    with running_server(engine_settings) as url:
        yield url


@pytest.fixture(scope="session")
def oxigraph_api(
    settings: Settings, oxigraph_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Root URL of the service (as ``server``) in front of Oxigraph server holding the seed
    plan, built by the real build."""
    build_plans([SEED], store=oxigraph_engine.url, replace=True)
    engine_settings = dataclasses.replace(
        settings, store=oxigraph_engine.url, cache_dir=tmp_path_factory.mktemp("oxigraph-dumps")
    )
    with running_server(engine_settings) as url:
        yield url


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """The store behind ``client``: ``embedded`` unless the module is parametrised."""
    return str(getattr(request, "param", "embedded"))
