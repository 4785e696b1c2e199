"""``aseankg serve``: the HTTP service on uvicorn.

With ``--workers`` > 1 uvicorn starts several processes, which need an import string, so
the settings travel in the ``ASEANKG_SETTINGS`` environment variable (JSON) to
:func:`app_from_environment`; several workers run on uvloop (the default asyncio loop
puts a floor of tens of milliseconds on every request with several workers).

Every server runs uvicorn's h11 protocol with the connection limits of
:mod:`aseankg.api.http.connections` (read timeouts, a connection cap, head size caps; why
h11 is said there). The port is checked before uvicorn starts: outside 1-65535 is a usage
error (exit 2); a port already in use ends with one line and exit 1, without uvicorn's
start-up log.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from aseankg.api.commands.store_errors import STORE_HELP, check_store_option
from aseankg.graph.backends.engine import is_engine_url
from aseankg.graph.errors import StoreError
from aseankg.graph.store import DEFAULT_STORE, current_build, read_manifest

if TYPE_CHECKING:  # the web stack loads when a server starts, not for `aseankg --help`
    from fastapi import FastAPI

    from aseankg.api.http.settings import Settings

__all__ = ["app_from_environment", "register", "serve"]

_ENV = "ASEANKG_SETTINGS"


def _settings_to_env(settings: Settings) -> str:
    values: dict[str, Any] = dataclasses.asdict(settings)
    values["store"] = str(settings.store)
    values["cache_dir"] = str(settings.cache_dir) if settings.cache_dir else None
    return json.dumps(values)


def app_from_environment() -> FastAPI:
    """The app for settings passed in ``ASEANKG_SETTINGS`` (uvicorn ``--factory`` target).

    In a uvicorn worker process it first ties the process to the supervisor's life
    (``worker.bind_to_parent``): uvicorn's workers outlive a SIGKILLed supervisor, and
    would go on serving with their query processes.
    """
    import multiprocessing

    from aseankg.api.app import create_app
    from aseankg.api.http.settings import Settings
    from aseankg.api.http.worker import bind_to_parent

    if multiprocessing.parent_process() is not None:
        bind_to_parent()

    values = json.loads(os.environ[_ENV])
    if not is_engine_url(values["store"]):
        values["store"] = Path(values["store"])
    values["service_allowlist"] = tuple(values.get("service_allowlist", ()))
    if values.get("cache_dir"):
        values["cache_dir"] = Path(values["cache_dir"])
    _configure_logging()
    return create_app(Settings(**values))


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access = logging.getLogger("aseankg.access")
    if access.handlers:
        return
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False


def serve(
    store: Annotated[
        str,
        typer.Option(help=STORE_HELP, callback=check_store_option),
    ] = str(DEFAULT_STORE),
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to bind.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="HTTP worker processes.")] = 1,
    query_workers: Annotated[
        int | None,
        typer.Option(min=1, help="Query processes per HTTP worker (default: CPUs, 2 to 4)."),
    ] = None,
    timeout: Annotated[float, typer.Option(min=0.1, help="Time limit of a query, seconds.")] = 10.0,
    query_memory: Annotated[
        str,
        typer.Option(
            metavar="SIZE",
            help="Memory limit of each query process (e.g. 512MiB, 2GiB; 0: none); "
            "a query over it is answered 503.",
        ),
    ] = "1GiB",
    row_cap: Annotated[
        int, typer.Option(min=1, help="Most rows/triples kept by a truncate=true answer.")
    ] = 10_000,
    result_budget: Annotated[
        str,
        typer.Option(
            metavar="SIZE",
            help="Most bytes of a /sparql result (e.g. 256MiB, 2GiB); a result over it is "
            "a 422 problem, unless asked with truncate=true.",
        ),
    ] = "1GiB",
    base: Annotated[
        str | None,
        typer.Option(help="IRI base of the data, served under /id/ (default: the store's)."),
    ] = None,
    public_url: Annotated[
        str | None,
        typer.Option(
            help="Public root URL used in self-descriptions (a path in it, e.g. "
            "https://example.org/aseankg/, prefixes every link)."
        ),
    ] = None,
    service_allow: Annotated[
        list[str] | None,
        typer.Option(help="IRI prefix a SERVICE clause may call (repeatable; default none)."),
    ] = None,
    cache: Annotated[
        bool,
        typer.Option(
            help="Keep query results in memory (64 MiB per HTTP worker), "
            "emptied when the store is rebuilt; --no-cache computes every query."
        ),
    ] = True,
) -> None:
    """Serve the SPARQL endpoint, linked-data pages, REST routes and UI over HTTP.

    Exit 1 when no graph is built in the store (run `aseankg build` first) or the port
    is in use.
    """
    import uvicorn

    from aseankg.api.app import create_app
    from aseankg.api.http.cache import DEFAULT_CACHE_BYTES
    from aseankg.api.http.connections import ConnectionLimits
    from aseankg.api.http.settings import (
        Settings,
        default_query_workers,
        parse_byte_size,
        parse_memory_size,
    )
    from aseankg.graph.iris import DEFAULT_BASE

    try:
        memory = parse_memory_size(query_memory)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--query-memory'") from None
    try:
        budget = parse_byte_size(result_budget)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--result-budget'") from None
    if current_build(store) is None:
        raise StoreError(f"no store at {store}: run `aseankg build` first")
    sock = _listen(host, port)
    settings = Settings(
        store=store if is_engine_url(store) else Path(store).resolve(),
        base=base or read_manifest(store).base or DEFAULT_BASE,
        public_url=public_url,
        query_timeout=timeout,
        query_workers=query_workers or default_query_workers(),
        query_memory=memory,
        row_cap=row_cap,
        result_budget=budget,
        service_allowlist=tuple(service_allow or ()),
        cache_bytes=DEFAULT_CACHE_BYTES if cache else 0,
    )
    _configure_logging()
    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "access_log": False,
        **ConnectionLimits().uvicorn_options(),
    }
    if workers > 1:
        sock.close()  # uvicorn binds its own socket for its worker processes
        os.environ[_ENV] = _settings_to_env(settings)
        uvicorn.run(
            "aseankg.api.commands.serve:app_from_environment",
            factory=True,
            workers=workers,
            loop="uvloop",
            # a worker is ready once its query processes are: allow for a slow, busy machine
            timeout_worker_healthcheck=60,
            **common,
        )
    else:
        config = uvicorn.Config(create_app(settings), **common)
        # uvicorn says where it listens only when it binds the socket itself
        logging.getLogger("uvicorn.error").info(
            "Uvicorn running on http://%s:%d (Press CTRL+C to quit)", host, port
        )
        uvicorn.Server(config).run(sockets=[sock])


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (as uvicorn binds: ``SO_REUSEADDR``).

    Raises ``typer.Exit(1)`` after one line on stderr when it cannot be bound.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        print(f"aseankg: error: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        raise typer.Exit(1) from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        reason = (exc.strerror or str(exc)).lower()
        print(f"aseankg: error: cannot listen on {host}:{port}: {reason}", file=sys.stderr)
        raise typer.Exit(1) from None
    sock.set_inheritable(True)
    return sock


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to ``app``."""
    app.command("serve")(serve)
