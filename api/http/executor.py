"""Query execution in killable worker processes with a hard time limit.

pyoxigraph cannot be interrupted from Python and its result objects must stay in the
thread that made them, so each worker process opens the store read-only itself, runs
the query and serialises the result in one function, and sends back bytes. The parent
waits at most ``timeout`` seconds; past that it kills the worker (SIGKILL), starts a
fresh one, and raises :class:`~aseankg.api.http.errors.ServiceUnavailable` — before any
byte of a response exists. At most ``workers`` queries run at once; up to
``queue_size`` more wait for a free worker, each for at most twice the time limit (one
limit for the queries ahead to finish or be killed, one for the queue itself).

Every worker runs under the network sandbox and screens each job before it runs it
(:mod:`aseankg.api.http.egress`); with a ``SERVICE`` allowlist, queries whose verified
parse calls only allowed endpoints run again in a one-worker federation lane without
the sandbox.

Raises (from :meth:`Executor.run`): ``BadRequest`` (syntax error, bad dataset IRI),
``Forbidden`` (an update, a refused ``SERVICE``), ``NotAcceptable`` (the result kind has
no acceptable format), ``BadGateway`` (a federated endpoint failed),
``ServiceUnavailable`` (timeout, queue full, store missing, worker crash).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import multiprocessing.connection
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from aseankg.api.http.egress import EgressPolicy, explain_failure, screen_job
from aseankg.api.http.errors import (
    ApiError,
    BadGateway,
    BadRequest,
    Forbidden,
    NotAcceptable,
    ServiceUnavailable,
)
from aseankg.api.http.jobs import Failure, QueryJob, QueryResult, execute_job
from aseankg.api.http.sandbox import SandboxError, forbid_network
from aseankg.graph.errors import StoreError
from aseankg.graph.store import current_build

# the job types are re-exported: callers import them from here
__all__ = [
    "Executor",
    "Failure",
    "QueryJob",
    "QueryResult",
    "execute_job",
    "select_job",
    "solution_rows",
]


# ---------------------------------------------------------------- worker process side


def _worker_main(
    conn: multiprocessing.connection.Connection, store_dir: str, policy: EgressPolicy
) -> None:
    """Loop of one worker: install the network sandbox (unless this is the federation
    lane), say it is ready, then receive a job, screen it (``egress.screen_job``) and
    answer it, until the pipe closes. A worker that cannot be sandboxed never says ready."""
    if not policy.network:
        try:
            forbid_network()
        except SandboxError as exc:
            conn.send(f"no sandbox: {exc}")
            return
    store: ox.Store | None = None
    opened: Path | None = None
    conn.send(_READY)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        outcome: QueryJob | QueryResult | Failure = screen_job(job, policy)
        target: Path | None = None
        try:
            if isinstance(outcome, QueryJob):
                build = current_build(store_dir)
                if build is None:
                    raise StoreError(f"no graph is built in {store_dir}")
                target = build.path
                if target != opened:
                    store, opened = build.open(), target
                assert store is not None
                outcome = execute_job(store, outcome)
                if isinstance(outcome, Failure):
                    outcome = explain_failure(outcome, job, policy)
        except StoreError as exc:
            outcome = Failure("store", str(exc))
        if isinstance(outcome, QueryResult):  # the body goes as raw bytes, never pickled
            conn.send((replace(outcome, body=b"", build=str(target)), len(outcome.body)))
            conn.send_bytes(outcome.body)
        else:
            assert isinstance(outcome, Failure)
            conn.send((outcome, -1))


# ---------------------------------------------------------------- parent side


class _Timeout(Exception):
    pass


_READY = "ready"
_START_TIMEOUT = 120.0
# bodies up to this size are read on the event loop (the worker is writing them already)
_INLINE_BYTES = 256 * 1024


def _set_done(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection

    async def call(
        self, job: QueryJob, timeout: float, threads: ThreadPoolExecutor
    ) -> QueryResult | Failure:
        """Send ``job``, wait on the event loop (no thread hop) until the worker answers
        or ``timeout`` passes (``_Timeout``); the answer is a small header, then the body
        as raw bytes, read inline when small, in a thread when large."""
        loop = asyncio.get_running_loop()
        answered: asyncio.Future[None] = loop.create_future()
        fd = self.conn.fileno()
        self.conn.send(job)
        loop.add_reader(fd, _set_done, answered)
        try:
            await asyncio.wait_for(answered, timeout)
        except TimeoutError:
            raise _Timeout from None
        finally:
            loop.remove_reader(fd)
            os.set_blocking(fd, True)  # uvloop's add_reader made it non-blocking
        header: tuple[QueryResult | Failure, int] = self.conn.recv()  # one write: no wait
        outcome, size = header
        if isinstance(outcome, Failure):
            return outcome
        if size <= _INLINE_BYTES:
            body = self.conn.recv_bytes()
        else:
            body = await loop.run_in_executor(threads, self.conn.recv_bytes)
        return replace(outcome, body=body)

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
    # what the workers may call (egress module); an allowlist adds a federation lane
    egress: EgressPolicy = field(default_factory=EgressPolicy)
    _idle: asyncio.Queue[_Worker] = field(init=False)
    _all: list[_Worker] = field(init=False, default_factory=list)
    _waiting: int = field(init=False, default=0)
    _threads: ThreadPoolExecutor = field(init=False)
    _federation: Executor | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.egress.allowlist and not self.egress.network:
            network = replace(self.egress, network=True)
            self._federation = Executor(self.store_dir, 1, self.timeout, 4, egress=network)
        self._context = multiprocessing.get_context("forkserver")
        # The fork server imports the main module once, so each worker it forks starts
        # at once instead of re-importing the program (the whole CLI) before its first job.
        self._context.set_forkserver_preload(["__main__", "aseankg.api.http.executor"])
        self._threads = ThreadPoolExecutor(self.workers + 2, thread_name_prefix="aseankg-query")

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, str(self.store_dir), self.egress), daemon=True
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
        if self._federation is not None:
            await self._federation.start()

    async def close(self) -> None:
        """Kill every worker process."""
        if self._federation is not None:
            await self._federation.close()
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
        limit = timeout or self.timeout
        self.running += 1
        try:
            outcome = await worker.call(job, limit, self._threads)
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
        if isinstance(outcome, Failure) and outcome.kind == "federate" and self._federation:
            return await self._federation.run(job, timeout=limit)
        return _raise_failure(outcome)

    async def select(self, query: str, *, row_cap: int = 10_000) -> list[dict[str, str]]:
        """Run a SELECT over the union graph; rows as ``{variable: value}`` (unbound left out).

        Raises as :meth:`run`, and as :func:`solution_rows`.
        """
        return solution_rows(await self.run(select_job(query, row_cap=row_cap)))


def select_job(query: str, *, row_cap: int = 10_000) -> QueryJob:
    """The job of a SELECT over the union graph whose rows :func:`solution_rows` reads."""
    return QueryJob(query, row_cap=row_cap, graph_format=None)


def solution_rows(result: QueryResult) -> list[dict[str, str]]:
    """The rows of a SELECT's JSON result as ``{variable: value}`` (unbound left out).

    Raises ``BadRequest`` when the result is not a SELECT's.
    """
    if result.kind != "solutions":
        raise BadRequest("expected a SELECT query", kind="query-error")
    data = json.loads(result.body)
    return [
        {name: term["value"] for name, term in row.items()} for row in data["results"]["bindings"]
    ]


_FAILURES: dict[str, tuple[type[ApiError], str]] = {
    "syntax": (BadRequest, "syntax-error"),
    "update": (Forbidden, "update-refused"),
    "refused": (Forbidden, "service-refused"),
    "federate": (Forbidden, "service-refused"),
    "remote": (BadGateway, "service-failed"),
    "dataset": (BadRequest, "invalid-dataset"),
    "not-acceptable": (NotAcceptable, "not-acceptable"),
    "store": (ServiceUnavailable, "store-missing"),
}


def _raise_failure(outcome: QueryResult | Failure) -> QueryResult:
    if isinstance(outcome, QueryResult):
        return outcome
    error, kind = _FAILURES.get(outcome.kind, (BadRequest, "query-error"))
    raise error(outcome.message, kind=kind)
