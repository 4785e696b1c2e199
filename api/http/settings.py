"""Settings of the HTTP service: one frozen dataclass, built by the CLI or by tests."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ByteSize, TypeAdapter, ValidationError
from starlette.requests import Request

from aseankg.api.http.cache import DEFAULT_CACHE_BYTES, ResultCache, cache_key
from aseankg.api.http.executor import DEFAULT_QUERY_MEMORY, Executor, select_job, solution_rows
from aseankg.api.http.problems import problem_for
from aseankg.api.routes.operations import Metrics
from aseankg.graph.errors import StoreError
from aseankg.graph.iris import DEFAULT_BASE
from aseankg.graph.query import QueryResult
from aseankg.graph.store import Build, Manifest, current_build

__all__ = [
    "DEFAULT_QUERY_MEMORY",
    "DEFAULT_RESULT_BUDGET",
    "MIN_QUERY_MEMORY",
    "Runtime",
    "Settings",
    "default_query_workers",
    "parse_byte_size",
    "parse_memory_size",
    "runtime_of",
]


# the byte budget of a /sparql result: the whole union graph of the seed (10,054 triples) is
# 2.6 MB as SPARQL JSON (`SELECT * { ?s ?p ?o }`), 3.0 MB as XML, 1.7 MB as N-Triples, so
# 1 GiB holds it for about 400 plans of its size in JSON, 350 in XML (docs/endpoint.md)
DEFAULT_RESULT_BUDGET = 1024**3
# below this a worker cannot hold the program, an open store and a small query (~250 MiB)
MIN_QUERY_MEMORY = 384 * 1024**2
_SIZE = TypeAdapter(ByteSize)


def parse_byte_size(text: str) -> int:
    """Bytes from a size with an optional unit (``256MiB``, ``2GB``, ``1048576``), at
    least 1. Raises ``ValueError`` (one line) for anything else.

    >>> parse_byte_size("256MiB")
    268435456
    """
    try:
        size = int(_SIZE.validate_python(text.strip()))
    except ValidationError:
        raise ValueError(f"not a size: {text!r} (expected e.g. 256MiB, 1GiB, 2GB)") from None
    if size < 1:
        raise ValueError(f"a size of at least 1 byte is needed: {text!r}")
    return size


def parse_memory_size(text: str) -> int:
    """Bytes from a size with an optional unit: ``1GiB``, ``512MiB``, ``2GB``, ``0``
    (no limit); decimal units are powers of 1000, binary units of 1024.

    Raises ``ValueError`` (one line) for anything else, or a size under 384 MiB.

    >>> parse_memory_size("1GiB")
    1073741824
    """
    try:
        size = int(_SIZE.validate_python(text.strip()))
    except ValidationError:
        raise ValueError(
            f"not a memory size: {text!r} (expected e.g. 1GiB, 512MiB, 2GB, or 0 for none)"
        ) from None
    if 0 < size < MIN_QUERY_MEMORY:
        raise ValueError(f"a memory size of at least 384MiB is needed, or 0 for none: {text!r}")
    return size


def default_query_workers() -> int:
    """Query processes per HTTP worker: the CPU count, at least 2, at most 4."""
    return min(4, max(2, os.cpu_count() or 2))


@dataclass(frozen=True)
class Settings:
    """Everything the service can be configured with.

    ``store`` is the store directory (``DIR/current`` -> ``DIR/builds/<id>/``) or a
    SPARQL engine's URL (``virtuoso+http://…``, see ``aseankg.graph.store``).
    ``base`` is the IRI base of the data; the server maps it onto its own ``/id/``.
    ``public_url`` (e.g. ``https://kg.example.org``) names the service in its
    self-descriptions; without it the request's own scheme and host are used.
    ``service_allowlist`` holds IRI prefixes a ``SERVICE`` clause may call; empty means
    no egress at all. ``allow_loopback_service`` exists for tests only.
    ``cache_bytes`` bounds the in-memory result cache of each HTTP worker (0: off);
    ``cache_max_age`` is the ``Cache-Control: max-age`` of cacheable responses.
    ``query_timeout`` and ``query_memory`` (bytes, 0: none) bound each query;
    ``result_budget`` bounds the bytes of a ``/sparql`` result (over it: a 422 problem
    before any byte, unless the request asks ``truncate=true``); ``row_cap`` is the most
    rows or triples a ``truncate=true`` answer keeps (a complete answer has no row cap);
    ``query_workers`` is the number of query processes kept for fresh jobs (long jobs
    get processes of their own, at most as many again); ``queue_size`` bounds each lane
    of the waiting line (see ``aseankg.api.http.executor``).
    """

    store: Path | str
    base: str = DEFAULT_BASE
    public_url: str | None = None
    query_timeout: float = 10.0
    query_workers: int = field(default_factory=default_query_workers)
    query_memory: int = DEFAULT_QUERY_MEMORY
    queue_size: int = 256
    row_cap: int = 10_000
    result_budget: int = DEFAULT_RESULT_BUDGET
    body_cap: int = 1_000_000
    cache_max_age: int = 60
    cache_bytes: int = DEFAULT_CACHE_BYTES
    service_allowlist: tuple[str, ...] = ()
    allow_loopback_service: bool = False
    licence: str = "https://creativecommons.org/licenses/by/4.0/"
    cache_dir: Path | None = None


@dataclass
class Runtime:
    """What the routers share at run time: settings, the query executor, the metrics, and
    the result cache (keys carry the dataset version), which :meth:`select` reads through."""

    settings: Settings
    executor: Executor
    metrics: Metrics
    results: ResultCache = field(default_factory=lambda: ResultCache(0))

    def build(self) -> Build:
        """The build being served, with its manifest (read together from one build
        directory, so a swap in between cannot pair one build with another's manifest).

        Raises ``ServiceUnavailable`` when no graph is built or its manifest is unreadable.
        """
        try:
            build = current_build(self.settings.store)
        except StoreError as exc:
            raise problem_for(exc) from exc
        if build is None:
            raise problem_for(StoreError(f"no graph is built in {self.settings.store}"))
        return build

    def manifest(self) -> Manifest:
        """The manifest of the build being served. Raises as :meth:`build`."""
        return self.build().manifest

    def version(self) -> str:
        """The dataset version (from the manifest), used in ETags and descriptions."""
        return self.manifest().version

    async def select(self, query: str) -> list[dict[str, str]]:
        """Rows of a SELECT over the union graph (``{variable: value}``, unbound left out),
        from the result cache when this dataset version has answered it already: the one
        read of the pages and the JSON routes.

        Raises as :meth:`Executor.run` and :func:`solution_rows`.
        """
        return solution_rows(await self.select_result(query))

    async def select_result(self, query: str) -> QueryResult:
        """The SPARQL JSON result of a SELECT over the union graph, from the result cache
        when this dataset version has answered it already (:meth:`select` reads it as
        strings, the JSON routes as typed values).

        Raises as :meth:`Executor.run`.
        """
        job = select_job(query)
        key = cache_key(self.version(), job)
        result = self.results.get(key)
        if result is None:
            result = await self.executor.run(job)
            self.results.put(key, result)
        return result

    def public_root(self, request: Request) -> str:
        """The service's absolute root URL without a trailing slash."""
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/")
        return str(request.base_url).rstrip("/")


def runtime_of(request: Request) -> Runtime:
    """The :class:`Runtime` of the app serving ``request``."""
    runtime: Runtime = request.app.state.runtime
    return runtime
