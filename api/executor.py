"""Query execution in killable worker processes with a hard time limit.

pyoxigraph cannot be interrupted from Python and its result objects must stay in the
thread that made them, so each worker process opens the store read-only itself, runs
the query and serialises the result in one function, and sends back bytes. The parent
waits at most ``timeout`` seconds; past that it kills the worker (SIGKILL), starts a
fresh one, and raises :class:`~aseankg.api.errors.ServiceUnavailable` — before any
byte of a response exists. At most ``workers`` queries run at once; up to
``queue_size`` more wait for a free worker, each for at most twice the time limit (one
limit for the queries ahead to finish or be killed, one for the queue itself).

Raises (from :meth:`Executor.run`): ``BadRequest`` (syntax error, bad dataset IRI),
``NotAcceptable`` (the result kind has no acceptable format), ``ServiceUnavailable``
(timeout, queue full, store missing, worker crash).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import multiprocessing.connection
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from aseankg.api.errors import BadRequest, NotAcceptable, ServiceUnavailable
from aseankg.graph.store import OXIGRAPH, current_build

__all__ = ["Executor", "Failure", "QueryJob", "QueryResult", "execute_job", "resolve_build"]

ResultKind = Literal["solutions", "boolean", "graph"]

_RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class QueryJob:
    """One query to run. Formats are short names (``json``, ``ttl`` ...); ``None`` means
    that kind of result is not acceptable. ``bindings`` holds ``(variable, "iri"|"literal",
    value)`` triples, bound by pyoxigraph (SEP-0007 substitution), never pasted."""

    query: str
    union: bool = True
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    solutions_format: str | None = "json"
    graph_format: str | None = "ttl"
    row_cap: int = 10_000
    bindings: tuple[tuple[str, str, str], ...] = ()
    prefixes: tuple[tuple[str, str], ...] = ()
    dump_to: str | None = None


@dataclass(frozen=True)
class QueryResult:
    """A serialised result: ``format`` is the short name used, ``truncated`` says the
    row cap cut it."""

    kind: ResultKind
    format: str
    body: bytes
    truncated: bool = False


@dataclass(frozen=True)
class Failure:
    """Why a job gave no result: ``kind`` (syntax, dataset, not-acceptable, store, error)
    and a one-line message."""

    kind: Literal["syntax", "dataset", "not-acceptable", "store", "error"]
    message: str


def resolve_build(store_dir: Path) -> Path:
    """The build directory ``DIR/current`` points to.

    Raises ``ServiceUnavailable`` when the store has no current build.
    """
    target = current_build(store_dir)
    if target is None or not (target / OXIGRAPH).is_dir():
        raise ServiceUnavailable(f"no graph is built in {store_dir}", kind="store-missing")
    return target


# ---------------------------------------------------------------- worker process side


def _term(kind: str, value: str) -> ox.NamedNode | ox.Literal:
    return ox.NamedNode(value) if kind == "iri" else ox.Literal(value)


def _solutions_tsv(results: ox.QuerySolutions, cap: int) -> tuple[bytes, bool]:
    names = [v.value for v in results.variables]
    lines = ["\t".join("?" + n for n in names)]
    truncated = False
    for count, row in enumerate(results):
        if count >= cap:
            truncated = True
            break
        lines.append("\t".join("" if row[i] is None else str(row[i]) for i in range(len(names))))
    return ("\n".join(lines) + "\n").encode("utf-8"), truncated


def _serialise(results: Any, job: QueryJob) -> QueryResult | Failure:
    if isinstance(results, ox.QueryBoolean):
        if job.solutions_format is None:
            return Failure("not-acceptable", "no acceptable format for an ASK result")
        body = results.serialize(format=_RESULTS_FORMATS[job.solutions_format]) or b""
        return QueryResult("boolean", job.solutions_format, body)
    if isinstance(results, ox.QuerySolutions):
        if job.solutions_format is None:
            return Failure("not-acceptable", "no acceptable format for a SELECT result")
        tsv, truncated = _solutions_tsv(results, job.row_cap)
        fmt = job.solutions_format
        if fmt != "tsv":  # re-read the capped rows so pyoxigraph writes the exact format
            parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
            tsv = parsed.serialize(format=_RESULTS_FORMATS[fmt]) or b""
        return QueryResult("solutions", fmt, tsv, truncated)
    if job.graph_format is None:
        return Failure("not-acceptable", "no acceptable format for a CONSTRUCT/DESCRIBE result")
    triples = []
    truncated = False
    for count, triple in enumerate(results):
        if count >= job.row_cap:
            truncated = True
            break
        triples.append(triple)
    rdf_format = _RDF_FORMATS[job.graph_format]
    prefixes = (
        dict(job.prefixes) if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    )
    body = ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""
    return QueryResult("graph", job.graph_format, body, truncated)


def _dump(store: ox.Store, job: QueryJob) -> QueryResult:
    """Write the whole dataset (N-Quads, lines sorted so equal data gives equal bytes) or
    its union graph (any graph format) to ``job.dump_to``, via a temporary file."""
    assert job.dump_to is not None and job.graph_format is not None
    target = Path(job.dump_to)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    if job.graph_format == "nq":
        lines = (store.dump(format=ox.RdfFormat.N_QUADS) or b"").splitlines(keepends=True)
        partial.write_bytes(b"".join(sorted(lines)))
    else:
        triples = store.query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        assert isinstance(triples, ox.QueryTriples)
        fmt = _RDF_FORMATS[job.graph_format]
        ox.serialize(triples, str(partial), format=fmt, prefixes=dict(job.prefixes) or None)
    os.replace(partial, target)
    return QueryResult("graph", job.graph_format, b"")


def execute_job(store: ox.Store, job: QueryJob) -> QueryResult | Failure:
    """Run ``job`` on ``store`` and serialise its result, in the calling thread.

    Never raises for a bad query: returns a :class:`Failure` instead (the parent turns it
    into an HTTP error).

    >>> store = ox.Store()
    >>> execute_job(store, QueryJob("ASK {}")).body
    b'{"head":{},"boolean":true}'
    """
    if job.dump_to is not None:
        return _dump(store, job)
    options: dict[str, Any] = {}
    try:
        if job.default_graphs is not None or job.named_graphs is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
        elif job.union:
            options["use_default_graph_as_union"] = True
        if job.bindings:
            options["substitutions"] = {ox.Variable(k): _term(t, v) for k, t, v in job.bindings}
    except ValueError as exc:
        return Failure("dataset", f"invalid IRI: {exc}")
    try:
        results = store.query(job.query, **options)
        return _serialise(results, job)
    except SyntaxError as exc:
        return Failure("syntax", str(exc))
    except (OSError, ValueError, RuntimeError) as exc:
        return Failure("error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


def _worker_main(conn: multiprocessing.connection.Connection, store_dir: str) -> None:
    """Loop of one worker: say it is ready, then receive a job and answer it, until the
    pipe closes."""
    store: ox.Store | None = None
    opened: Path | None = None
    conn.send(_READY)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        outcome: QueryResult | Failure
        try:
            target = resolve_build(Path(store_dir))
            if target != opened:
                store, opened = ox.Store.read_only(str(target / OXIGRAPH)), target
            assert store is not None
            outcome = execute_job(store, job)
        except ServiceUnavailable as exc:
            outcome = Failure("store", exc.detail)
        except OSError as exc:
            outcome = Failure("store", f"cannot open the store: {exc}")
        conn.send(outcome)


# ---------------------------------------------------------------- parent side


class _Timeout(Exception):
    pass


_READY = "ready"
_START_TIMEOUT = 120.0


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection

    def call(self, job: QueryJob, timeout: float) -> QueryResult | Failure:
        self.conn.send(job)
        if not self.conn.poll(timeout):
            raise _Timeout
        outcome: QueryResult | Failure = self.conn.recv()
        return outcome

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


@dataclass
class Executor:
    """A pool of ``workers`` query processes over the store at ``store_dir``."""

    store_dir: Path
    workers: int = 2
    timeout: float = 10.0
    queue_size: int = 64
    timeouts: int = 0
    running: int = 0
    _idle: asyncio.Queue[_Worker] = field(init=False)
    _all: list[_Worker] = field(init=False, default_factory=list)
    _waiting: int = field(init=False, default=0)
    _threads: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        self._context = multiprocessing.get_context("forkserver")
        # The fork server imports the main module once, so each worker it forks starts
        # at once instead of re-importing the program (the whole CLI) before its first job.
        self._context.set_forkserver_preload(["__main__", "aseankg.api.executor"])
        self._threads = ThreadPoolExecutor(self.workers + 2, thread_name_prefix="aseankg-query")

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, str(self.store_dir)), daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        if not parent.poll(_START_TIMEOUT) or parent.recv() != _READY:
            worker.kill()
            raise RuntimeError("a query worker process did not start")
        self._all.append(worker)
        return worker

    async def start(self) -> None:
        """Start the worker processes."""
        self._idle = asyncio.Queue()
        loop = asyncio.get_running_loop()
        for _ in range(self.workers):
            self._idle.put_nowait(await loop.run_in_executor(self._threads, self._spawn))

    async def close(self) -> None:
        """Kill every worker process."""
        for worker in self._all:
            worker.kill()
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    async def _replace(self, worker: _Worker) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, worker.kill)
        if worker in self._all:
            self._all.remove(worker)
        self._idle.put_nowait(await loop.run_in_executor(self._threads, self._spawn))

    @property
    def waiting(self) -> int:
        """Queries waiting for a free worker."""
        return self._waiting

    async def _acquire(self) -> _Worker:
        if self._waiting >= self.queue_size:
            raise ServiceUnavailable(
                "too many queries are waiting; retry shortly",
                kind="busy",
                headers={"Retry-After": "1"},
            )
        self._waiting += 1
        try:
            # one time limit for a busy worker to finish or be killed, one for the queue ahead
            return await asyncio.wait_for(self._idle.get(), 2 * self.timeout)
        except TimeoutError:
            raise ServiceUnavailable(
                "no query worker became free in time; retry shortly",
                kind="busy",
                headers={"Retry-After": "1"},
            ) from None
        finally:
            self._waiting -= 1

    async def run(self, job: QueryJob, *, timeout: float | None = None) -> QueryResult:
        """Run ``job`` in a free worker within the time limit (see module docstring);
        ``timeout`` overrides the pool's limit for this job (dumps)."""
        worker = await self._acquire()
        loop = asyncio.get_running_loop()
        limit = timeout or self.timeout
        self.running += 1
        try:
            outcome = await loop.run_in_executor(self._threads, worker.call, job, limit)
        except _Timeout:
            self.timeouts += 1
            asyncio.get_running_loop().create_task(self._replace(worker))
            raise ServiceUnavailable(
                f"the query ran out of its time limit of {limit:g} s",
                kind="timeout",
            ) from None
        except (EOFError, OSError, BrokenPipeError):
            asyncio.get_running_loop().create_task(self._replace(worker))
            raise ServiceUnavailable("the query worker failed", kind="worker-crash") from None
        except asyncio.CancelledError:
            asyncio.get_running_loop().create_task(self._replace(worker))
            raise
        finally:
            self.running -= 1
        self._idle.put_nowait(worker)
        return _raise_failure(outcome)

    async def select(
        self, query: str, *, bindings: tuple[tuple[str, str, str], ...] = (), row_cap: int = 10_000
    ) -> list[dict[str, str]]:
        """Run a SELECT over the union graph; rows as ``{variable: value}`` (unbound left out).

        Raises as :meth:`run`.
        """
        job = QueryJob(query, bindings=bindings, row_cap=row_cap, graph_format=None)
        result = await self.run(job)
        if result.kind != "solutions":
            raise BadRequest("expected a SELECT query", kind="query-error")
        data = json.loads(result.body)
        return [
            {name: term["value"] for name, term in row.items()}
            for row in data["results"]["bindings"]
        ]


def _raise_failure(outcome: QueryResult | Failure) -> QueryResult:
    if isinstance(outcome, QueryResult):
        return outcome
    if outcome.kind == "syntax":
        raise BadRequest(outcome.message, kind="syntax-error")
    if outcome.kind == "dataset":
        raise BadRequest(outcome.message, kind="invalid-dataset")
    if outcome.kind == "not-acceptable":
        raise NotAcceptable(outcome.message)
    if outcome.kind == "store":
        raise ServiceUnavailable(outcome.message, kind="store-missing")
    raise BadRequest(outcome.message, kind="query-error")
