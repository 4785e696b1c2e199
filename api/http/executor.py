"""Query execution in killable worker processes with time and memory limits, in lanes
that slow queries cannot take over.

pyoxigraph cannot be interrupted from Python and its result objects must stay in the
thread that made them, so each worker process opens the store read-only itself, runs
the query and serialises the result with the graph layer's one
:func:`~aseankg.graph.query.execute` (a dump with :func:`~aseankg.graph.serialize.export_file`),
and sends back bytes (a small header, then the body as raw bytes, never pickled); a
graph-layer error goes back as itself and is answered with the problem
:mod:`aseankg.api.http.problems` names. How a worker is tied to the server's
life and bounded in memory is :mod:`aseankg.api.http.worker`.

The pool keeps ``workers`` processes for fresh jobs. A job that is still running after
``slow_after`` seconds becomes *long*: it leaves its slot to a newly started process (so
pages and cheap queries always find fresh workers), its own process is made nicer, and
it runs on until its time limit. At most ``long_queries`` jobs are long at once; a job
that turns long when that many already are is stopped and answered ``busy`` with a
``Retry-After`` of the time until one of them must end. At its time limit a job's
process is killed (SIGKILL by pidfd) and replaced, before any byte of a response exists;
a process that ends over its memory limit is replaced too. Identical jobs asked at the
same time run once.

Jobs wait for a free worker in a :class:`~aseankg.api.http.lanes.FairQueue`: the
``page`` lane (the service's own reads) and the ``query`` lane (``/sparql``) take turns,
clients take turns inside a lane, each lane holds at most ``queue_size`` waiters, and a
waiter waits at most twice the time limit (a stall guard: slots free up within
``slow_after`` while the pool is healthy).

Every worker runs under the network sandbox and screens each job before it runs it
(:mod:`aseankg.api.http.egress`); with a ``SERVICE`` allowlist, queries whose verified
parse calls only allowed endpoints run again in a one-worker federation lane without
the sandbox.

Raises (from :meth:`Executor.run`): the problem :func:`~aseankg.api.http.problems.problem_for`
names for the graph layer's error or the egress screen's verdict (``BadRequest`` for a
syntax error or a bad dataset IRI, ``Forbidden`` for an update or a refused ``SERVICE``,
``NotAcceptable``, ``BadGateway`` for a federated endpoint that failed,
``ServiceUnavailable`` kinds ``store-missing`` and ``read-failed``), and
``ServiceUnavailable`` kinds ``timeout``, ``memory-limit``, ``busy``, ``worker-crash``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path

import pyoxigraph as ox

from aseankg.api.http.egress import EgressPolicy, explain_failure, screen_job
from aseankg.api.http.engine_lane import EngineLane, lane_transport
from aseankg.api.http.errors import BadRequest, ServiceUnavailable
from aseankg.api.http.lanes import FairQueue, Lane
from aseankg.api.http.problems import Failure, problem_for
from aseankg.api.http.sandbox import SandboxError, forbid_network
from aseankg.api.http.worker import (
    MEMORY_EXIT_CODES,
    WorkerProcess,
    bind_to_parent,
    limit_memory,
)
from aseankg.graph.backends.engine import EngineAddress, EngineBackend, EngineStore, is_engine_url
from aseankg.graph.errors import GraphError, StoreError
from aseankg.graph.query import QueryJob, QueryResult, execute
from aseankg.graph.serialize import export_file
from aseankg.graph.store import Backend, open_backend

__all__ = [
    "DEFAULT_QUERY_MEMORY",
    "DumpJob",
    "Executor",
    "Lane",
    "SpooledResult",
    "read_spooled",
    "select_job",
    "solution_rows",
]

DEFAULT_QUERY_MEMORY = 1024**3
# bodies over this size stay in the worker's spool file, which is handed to the server
_SPOOL_BYTES = 4 * 1024**2


@dataclass(frozen=True)
class SpooledResult(QueryResult):
    """A result whose body (``size`` bytes) is in the open file ``fd`` (from its start)
    rather than in ``body``: a result over 4 MiB is streamed from the disk, not held. The
    receiver owns ``fd`` and must close it."""

    fd: int = -1


_log = logging.getLogger("aseankg.executor")


@dataclass(frozen=True)
class DumpJob:
    """Write the whole store (``aseankg export --format FORMAT``) to ``path`` atomically,
    from the build at ``build`` only; the result's body is the dump's SHA-256 (hex)."""

    path: str
    format: str
    build: str


# ---------------------------------------------------------------- worker process side

# the exit code of a worker whose Python code ran out of memory (Rust aborts instead)
_PYTHON_MEMORY_EXIT = 86


def _worker_main(
    conn: multiprocessing.connection.Connection,
    store_dir: str,
    policy: EgressPolicy,
    memory: int = 0,
    lane: multiprocessing.connection.Connection | None = None,
    timeout: float | None = None,
) -> None:
    """Loop of one worker: tie its life to the server and cap its memory
    (:mod:`aseankg.api.http.worker`), install the network sandbox (unless this is the
    federation lane), say it is ready, then receive a job, screen it
    (``egress.screen_job``) and answer it, until the pipe closes. A worker that cannot be
    sandboxed never says ready. ``memory``: bytes, 0 for no cap. ``lane``: the engine
    lane (:mod:`aseankg.api.http.engine_lane`) when the store is a SPARQL engine, which
    is sent the query ``timeout`` too (so it stops when the server gives up)."""
    bind_to_parent()  # before the sandbox: it starts a thread and calls prctl
    limit_memory(memory)
    if not policy.network:
        try:
            forbid_network()
        except SandboxError as exc:
            conn.send(f"no sandbox: {exc}")
            return
    backend: Backend = (
        open_backend(store_dir)
        if lane is None
        else EngineBackend.from_url(
            store_dir, transport=lane_transport(lane), query_timeout=timeout
        )
    )
    store: ox.Store | EngineStore | None = None
    opened: str | None = None
    conn.send(_READY)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        outcome: QueryJob | DumpJob | QueryResult | GraphError | Failure
        outcome = job if isinstance(job, DumpJob) else screen_job(job, policy)
        target: str | None = None
        try:
            if isinstance(outcome, QueryJob | DumpJob):
                build = backend.current()
                if build is None:
                    raise StoreError(f"no graph is built in {store_dir}")
                target = build.key
                if target != opened:
                    store, opened = build.open(), target
                assert store is not None
                outcome = _answer(store, outcome, target)
        except GraphError as exc:
            outcome = explain_failure(exc, job, policy) if isinstance(job, QueryJob) else exc
        except MemoryError:
            os._exit(_PYTHON_MEMORY_EXIT)
        if isinstance(outcome, SpooledResult):  # a large body: its file goes across
            conn.send((replace(outcome, fd=-1, build=str(target)), _SPOOLED))
            send_handle(conn, outcome.fd, os.getppid())
            os.close(outcome.fd)
        elif isinstance(outcome, QueryResult):  # the body goes as raw bytes, never pickled
            conn.send((replace(outcome, body=b"", build=str(target)), len(outcome.body)))
            conn.send_bytes(outcome.body)
        else:
            assert isinstance(outcome, GraphError | Failure)
            conn.send((outcome, -1))


def _answer(store: ox.Store | EngineStore, job: QueryJob | DumpJob, build: str) -> QueryResult:
    if isinstance(job, QueryJob):
        return _spool(store, job)
    if job.build != build:
        raise StoreError("the store was swapped while its dump was asked for; retry")
    digest = export_file(store, Path(job.path), job.format)
    return QueryResult("graph", job.format, digest.encode("ascii"))


def _spool(store: ox.Store | EngineStore, job: QueryJob) -> QueryResult:
    """Run ``job`` into a spool (memory, then an unlinked temporary file past
    ``_SPOOL_BYTES``); a body larger than that stays in the file (a
    :class:`SpooledResult`: the rows stream from the engine to the disk, never held)."""
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
        result = execute(store, job, output=spool)
        if result.size <= _SPOOL_BYTES:
            spool.seek(0)
            return replace(result, body=spool.read())
        return SpooledResult(**{**vars(result), "fd": os.dup(spool.fileno())})


# ---------------------------------------------------------------- parent side


_READY = "ready"
# the header's size of a spooled answer: its file descriptor follows (SCM_RIGHTS)
_SPOOLED = -2
_START_TIMEOUT = 120.0
# bodies up to this size are read on the event loop (the worker is writing them already)
_INLINE_BYTES = 256 * 1024
# how much nicer a long job's process gets: fresh jobs and pages come first on the CPU
_LONG_NICENESS = 10


def _set_done(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def _answered(worker: WorkerProcess, timeout: float) -> bool:
    """Wait on the event loop (no thread hop) until ``worker`` has written its answer or
    died (its pipe is readable either way); ``False`` when ``timeout`` passed first."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()
    fd = worker.conn.fileno()
    loop.add_reader(fd, _set_done, ready)
    try:
        await asyncio.wait_for(ready, max(0.0, timeout))
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # uvloop's add_reader made it non-blocking
    return True


async def _receive(
    worker: WorkerProcess, threads: ThreadPoolExecutor
) -> QueryResult | GraphError | Failure:
    """Read an answer: a small header, then the body as raw bytes, read inline when
    small, in a thread when large. Raises ``EOFError``/``OSError`` when the worker died."""
    header: tuple[QueryResult | GraphError | Failure, int] = worker.conn.recv()  # one write
    outcome, size = header
    if isinstance(outcome, GraphError | Failure):
        return outcome
    if size == _SPOOLED:
        assert isinstance(outcome, SpooledResult)
        return replace(outcome, fd=recv_handle(worker.conn))
    if size <= _INLINE_BYTES:
        body = worker.conn.recv_bytes()
    else:
        body = await asyncio.get_running_loop().run_in_executor(threads, worker.conn.recv_bytes)
    return replace(outcome, body=body)


def _close_spool(task: asyncio.Task[QueryResult]) -> None:
    if task.cancelled() or task.exception() is not None:
        return
    result = task.result()
    if isinstance(result, SpooledResult):
        os.close(result.fd)


def read_spooled(result: SpooledResult) -> QueryResult:
    """``result`` with its body read from its file, which is closed (blocking: call it in
    a thread)."""
    try:
        body = os.pread(result.fd, result.size, 0)
    finally:
        os.close(result.fd)
    return QueryResult(**{k: v for k, v in vars(result).items() if k != "fd"} | {"body": body})


def _busy(detail: str, retry_after: float = 1.0) -> ServiceUnavailable:
    headers = {"Retry-After": str(max(1, math.ceil(retry_after)))}
    return ServiceUnavailable(detail, kind="busy", headers=headers)


@dataclass
class Executor:
    """A pool of ``workers`` query processes over the store at ``store_dir``, each capped
    at ``memory`` bytes (0: no cap); see the module docstring for lanes and long jobs
    (``long_queries`` defaults to ``workers``; ``slow_after`` to a quarter of the time
    limit, at most 1 s)."""

    store_dir: Path | str
    workers: int = 2
    timeout: float = 10.0
    queue_size: int = 256
    memory: int = DEFAULT_QUERY_MEMORY
    long_queries: int | None = None
    slow_after: float | None = None
    timeouts: int = 0
    memory_exceeded: int = 0
    running: int = 0
    # what the workers may call (egress module); an allowlist adds a federation lane
    egress: EgressPolicy = field(default_factory=EgressPolicy)
    _queue: FairQueue[WorkerProcess] = field(init=False)
    _idle: list[WorkerProcess] = field(init=False, default_factory=list)
    _all: set[WorkerProcess] = field(init=False, default_factory=set)
    _long: dict[WorkerProcess, float] = field(init=False, default_factory=dict)
    _shared: dict[tuple[QueryJob | DumpJob, float], asyncio.Task[QueryResult]] = field(
        init=False, default_factory=dict
    )
    _tasks: set[asyncio.Task[None]] = field(init=False, default_factory=set)
    # callers waiting on each shared job (the last one closes a spooled answer's file)
    _holders: dict[asyncio.Task[QueryResult], int] = field(init=False, default_factory=dict)
    _threads: ThreadPoolExecutor = field(init=False)
    _closing: bool = field(init=False, default=False)
    _federation: Executor | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.egress.allowlist and not self.egress.network:
            network = replace(self.egress, network=True)
            self._federation = Executor(
                self.store_dir, 1, self.timeout, 4, memory=self.memory, egress=network
            )
        self._lane: EngineLane | None = None
        if is_engine_url(str(self.store_dir)):
            engine = EngineAddress.parse(str(self.store_dir))
            self._lane = EngineLane(engine.host, engine.port)
        self._context = multiprocessing.get_context("forkserver")
        # The fork server imports the main module once, so each worker it forks starts
        # at once instead of re-importing the program (the whole CLI) before its first job.
        self._context.set_forkserver_preload(["__main__", "aseankg.api.http.executor"])
        self._queue = FairQueue(capacity=self.queue_size)
        threads = 2 * self.workers + self.long_limit + 2
        self._threads = ThreadPoolExecutor(threads, thread_name_prefix="aseankg-query")

    @property
    def long_limit(self) -> int:
        """The most jobs that may be long at once."""
        return self.long_queries if self.long_queries is not None else self.workers

    @property
    def slow_limit(self) -> float:
        """Seconds after which a running job counts as long."""
        return self.slow_after if self.slow_after is not None else min(1.0, self.timeout / 4)

    @property
    def waiting(self) -> int:
        """Jobs waiting for a free worker."""
        return len(self._queue)

    @property
    def pids(self) -> list[int]:
        """Process ids of the live worker processes (for operators and tests)."""
        return sorted(worker.pid for worker in self._all)

    # ------------------------------------------------------------ processes

    def _spawn(self) -> WorkerProcess:
        parent, child = self._context.Pipe()
        lane, lane_child = self._context.Pipe() if self._lane else (None, None)
        process = self._context.Process(
            target=_worker_main,
            args=(child, str(self.store_dir), self.egress, self.memory, lane_child, self.timeout),
            daemon=True,
        )
        process.start()
        child.close()
        if self._lane is not None and lane is not None and lane_child is not None:
            lane_child.close()
            self._lane.serve(lane)
        worker = WorkerProcess(process, parent)
        try:
            ready = parent.poll(_START_TIMEOUT) and parent.recv() == _READY
        except (EOFError, OSError):  # it died before it was ready
            ready = False
        if not ready:
            worker.kill()
            raise RuntimeError("a query worker process did not start")
        return worker

    def _background(self, coroutine: object) -> None:
        assert asyncio.iscoroutine(coroutine)
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _add_worker(self) -> None:
        """Start one fresh worker and hand it to the next waiter (retried once)."""
        loop = asyncio.get_running_loop()
        for attempt in range(2):
            try:
                worker = await loop.run_in_executor(self._threads, self._spawn)
            except (RuntimeError, OSError) as exc:
                _log.warning("query worker failed to start (%s)", exc)
                await asyncio.sleep(0.5 * (attempt + 1))
                continue
            if self._closing:
                await loop.run_in_executor(self._threads, worker.kill)
                return
            self._all.add(worker)
            self._release(worker)
            return

    async def _retire(self, worker: WorkerProcess, *, replace_it: bool) -> None:
        """Kill ``worker`` and, when it held a fresh slot, start its replacement."""
        self._all.discard(worker)
        if replace_it and not self._closing:
            self._background(self._add_worker())
        await asyncio.get_running_loop().run_in_executor(self._threads, worker.kill)

    async def start(self) -> None:
        """Start the worker processes. Raises ``RuntimeError`` when one does not start."""
        loop = asyncio.get_running_loop()
        for _ in range(self.workers):
            worker = await loop.run_in_executor(self._threads, self._spawn)
            self._all.add(worker)
            self._idle.append(worker)
        if self._federation is not None:
            await self._federation.start()

    async def close(self) -> None:
        """Kill every worker process (by pidfd: this works when the fork server is gone)."""
        self._closing = True
        if self._federation is not None:
            await self._federation.close()
        for task in [*self._tasks, *self._shared.values()]:
            task.cancel()
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
        self._idle.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------ the waiting line

    def _release(self, worker: WorkerProcess) -> None:
        """Give a free fresh worker to the next waiter, else keep it idle."""
        waiter = self._queue.pop()
        if waiter is not None:
            waiter.set_result(worker)
        else:
            self._idle.append(worker)

    async def _acquire(self, lane: Lane, client: str) -> WorkerProcess:
        while True:
            worker = await self._wait_for_worker(lane, client)
            if worker.alive():
                return worker
            # died while idle (its fork server was killed, say): replace it, try again
            self._background(self._retire(worker, replace_it=True))

    async def _wait_for_worker(self, lane: Lane, client: str) -> WorkerProcess:
        if self._idle and not len(self._queue):
            return self._idle.pop()
        if self._queue.full(lane):
            raise _busy(f"{self._queue.capacity} queries wait already in the {lane} lane")
        waiter = self._queue.push(lane, client)
        try:
            await asyncio.wait({waiter}, timeout=2 * self.timeout)
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())  # handed over just as the caller left
            else:
                self._queue.discard(lane, client, waiter)
                waiter.cancel()
            raise
        if not waiter.done():
            self._queue.discard(lane, client, waiter)
            waiter.cancel()
            raise _busy(f"no query worker became free within {2 * self.timeout:g} s")
        return waiter.result()

    # ------------------------------------------------------------ running jobs

    async def run(
        self,
        job: QueryJob | DumpJob,
        *,
        timeout: float | None = None,
        lane: Lane = "page",
        client: str = "",
        stream: bool = False,
    ) -> QueryResult:
        """Run ``job`` within the time and memory limits (see module docstring) in
        ``lane`` for ``client``; ``timeout`` overrides the pool's limit for this job
        (dumps). An identical job already running is awaited instead of run again.

        With ``stream``, a body over 4 MiB comes as a :class:`SpooledResult` whose file
        descriptor the caller owns (and closes); otherwise it is read into ``body``."""
        limit = timeout or self.timeout
        key = (job, limit)
        shared = self._shared.get(key)
        if shared is None:
            shared = asyncio.get_running_loop().create_task(self._run(job, limit, lane, client))
            self._shared[key] = shared
            self._holders[shared] = 0
            shared.add_done_callback(lambda task: self._forget(key, task))
        self._holders[shared] += 1
        try:
            result = await asyncio.shield(shared)
            if not isinstance(result, SpooledResult):
                return result
            mine = replace(result, fd=os.dup(result.fd))
        finally:
            self._let_go(shared)
        if stream:
            return mine
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, read_spooled, mine)

    def _let_go(self, task: asyncio.Task[QueryResult]) -> None:
        """One caller of ``task`` is done with it; the last one closes a spooled file."""
        self._holders[task] -= 1
        if self._holders[task] == 0 and task.done():
            del self._holders[task]
            _close_spool(task)

    def _forget(
        self, key: tuple[QueryJob | DumpJob, float], task: asyncio.Task[QueryResult]
    ) -> None:
        self._shared.pop(key, None)
        if not task.cancelled():
            task.exception()  # retrieved: every caller may have gone (it is theirs to raise)
        if self._holders.get(task) == 0:  # every caller went before the answer came
            del self._holders[task]
            _close_spool(task)

    async def _run(
        self, job: QueryJob | DumpJob, limit: float, lane: Lane, client: str
    ) -> QueryResult:
        worker = await self._acquire(lane, client)
        deadline = asyncio.get_running_loop().time() + limit
        self.running += 1
        try:
            outcome = await self._call(worker, job, deadline, limit)
        except ServiceUnavailable:  # the worker is retired already
            self._long.pop(worker, None)
            raise
        except asyncio.CancelledError:
            was_long = self._long.pop(worker, None) is not None
            self._background(self._retire(worker, replace_it=not was_long))
            raise
        finally:
            self.running -= 1
        if self._long.pop(worker, None) is not None:  # its slot went to a new process
            self._background(self._retire(worker, replace_it=False))
        else:
            self._release(worker)
        if isinstance(outcome, Failure) and outcome.kind == "federate" and self._federation:
            return await self._federation.run(job, timeout=limit)
        if isinstance(outcome, GraphError | Failure):
            raise problem_for(outcome)
        return outcome

    async def _call(
        self, worker: WorkerProcess, job: QueryJob | DumpJob, deadline: float, limit: float
    ) -> QueryResult | GraphError | Failure:
        loop = asyncio.get_running_loop()
        try:
            worker.conn.send(job)
            if not await _answered(worker, min(self.slow_limit, deadline - loop.time())):
                self._make_long(worker, deadline)
                if not await _answered(worker, deadline - loop.time()):
                    self.timeouts += 1
                    await self._drop(worker)
                    raise ServiceUnavailable(
                        f"the query ran out of its time limit of {limit:g} s; narrow it "
                        "(fewer patterns, a LIMIT, a more selective first pattern)",
                        kind="timeout",
                    )
            return await _receive(worker, self._threads)
        except (EOFError, OSError) as exc:
            code = await loop.run_in_executor(self._threads, worker.exit_code)
            await self._drop(worker)
            if code in MEMORY_EXIT_CODES or code == _PYTHON_MEMORY_EXIT:
                self.memory_exceeded += 1
                raise ServiceUnavailable(
                    f"the query went over its memory limit of {_size(self.memory)}; narrow "
                    "it (a LIMIT, fewer variables to sort or group by, more selective "
                    "patterns)",
                    kind="memory-limit",
                ) from exc
            raise ServiceUnavailable("the query worker failed", kind="worker-crash") from exc

    def _make_long(self, worker: WorkerProcess, deadline: float) -> None:
        """The job of ``worker`` turns long: it leaves its slot to a new process; when
        ``long_limit`` jobs are long already it is stopped instead (raises ``busy``)."""
        if len(self._long) >= self.long_limit:
            soonest = min(self._long.values()) - asyncio.get_running_loop().time()
            self._background(self._retire(worker, replace_it=True))
            raise _busy(
                f"{self.long_limit} long-running queries run already, the most at once; "
                "retry later or narrow the query",
                retry_after=soonest,
            )
        self._long[worker] = deadline
        worker.lower_priority(_LONG_NICENESS)
        self._background(self._add_worker())

    async def _drop(self, worker: WorkerProcess) -> None:
        """Kill ``worker`` after a timeout or a crash; replace it if it held a slot."""
        await self._retire(worker, replace_it=worker not in self._long)

    async def select(self, query: str, *, row_cap: int | None = None) -> list[dict[str, str]]:
        """Run a SELECT over the union graph in the page lane; rows as ``{variable:
        value}`` (unbound left out).

        Raises as :meth:`run`, and as :func:`solution_rows`.
        """
        return solution_rows(await self.run(select_job(query, row_cap=row_cap)))


def select_job(query: str, *, row_cap: int | None = None) -> QueryJob:
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


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count} bytes"
