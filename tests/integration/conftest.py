"""Integration fixtures: the seed plan built into a real store, and real servers on it.

``seed_store`` runs the real build (``aseankg.graph.build.build_plans``) on the seed once
per session. ``server`` is ``create_app`` on uvicorn on a free loopback port in a thread
(:func:`running_server`, a test helper: the package has none), with short limits so the
limit tests stay quick: a 3 s query time limit, 3 query workers, a row cap of 1000 and a
64 kB body cap.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from aseankg.api.app import create_app
from aseankg.api.http.connections import ConnectionLimits
from aseankg.api.http.settings import Settings
from aseankg.graph.build import build_plans

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
PLAN = "asean-canada-2021-2025"
BASE = "https://w3id.org/aseankg/id/"
PLAN_GRAPH = f"{BASE}graph/{PLAN}"


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
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as http:
        yield http
