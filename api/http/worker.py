"""One query worker process: how it binds its life to the server, bounds its memory,
and how the server talks to it and kills it.

A worker is forked by multiprocessing's fork server, so its parent is the fork server,
not the server. Three independent ties make it die with the server whatever dies first:

- the kernel sends it SIGKILL when its parent (the fork server) dies
  (``PR_SET_PDEATHSIG``, through ``prctl`` in libc by ctypes: two lines, where the
  ``python-prctl`` package is a C extension last released in 2020 that builds against
  libcap headers); the fork server itself exits when the server does;
- a thread of the worker watches the server's end of its parent pipe and ends the
  process when it closes (pyoxigraph releases the GIL while it evaluates, so the thread
  runs during a query);
- the server kills it by a pidfd opened when it started (:class:`WorkerProcess`), not
  only through multiprocessing's handle, whose ``kill()`` does nothing once the fork
  server is gone (it then believes every worker dead).

Memory: ``RLIMIT_DATA`` caps the worker's private writable memory (heap and anonymous
mappings; not code, shared libraries or the store's mapped files, which ``RLIMIT_AS``
would count). When pyoxigraph's allocator hits it, Rust aborts the process (SIGABRT);
the server reads that exit as "over the memory limit" (:meth:`WorkerProcess.exit_code`).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import os
import resource
import select
import signal
import sys
import threading
from dataclasses import dataclass, field

__all__ = ["MEMORY_EXIT_CODES", "WorkerProcess", "bind_to_parent", "limit_memory"]

_PR_SET_PDEATHSIG = 1
# how a worker over its memory limit ends: Rust's allocation failure aborts (SIGABRT);
# a Python MemoryError that escapes ends it with exit code 1 and is caught before that
MEMORY_EXIT_CODES = frozenset({-signal.SIGABRT})


def _exit_now() -> None:
    os._exit(1)


def _watch(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    _exit_now()


def bind_to_parent() -> None:
    """In a worker: die with the fork server (``PR_SET_PDEATHSIG``, Linux only) and with
    the server (a thread watching the parent sentinel); exit at once when either is
    already gone. Raises nothing: where ``prctl`` does not exist the thread remains."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the fork server died before prctl took effect
            _exit_now()
    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    if isinstance(sentinel, int):
        if multiprocessing.connection.wait([sentinel], 0):
            _exit_now()
        threading.Thread(target=_watch, args=(sentinel,), daemon=True, name="lifeline").start()


def limit_memory(limit: int) -> None:
    """In a worker: cap its private writable memory at ``limit`` bytes (0: no cap).

    Raises ``ValueError`` when the limit is above the hard limit the process inherited.
    """
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


@dataclass(eq=False)  # compared and hashed by identity: kept in sets
class WorkerProcess:
    """The server's handle on one worker: its process, its job pipe and a pidfd."""

    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection
    pid: int = field(init=False)
    _pidfd: int | None = field(init=False, default=None)
    _killed: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        assert self.process.pid is not None
        self.pid = self.process.pid
        try:
            self._pidfd = os.pidfd_open(self.pid)
        except (AttributeError, OSError):  # not Linux >= 5.3, or already gone
            self._pidfd = None

    def alive(self) -> bool:
        """Whether the process still runs (by its pidfd, else by its pid)."""
        if self._killed:
            return False
        if self._pidfd is not None:
            poller = select.poll()
            poller.register(self._pidfd, select.POLLIN)
            return not poller.poll(0)
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def lower_priority(self, niceness: int) -> None:
        """Make the process ``niceness`` steps nicer (it cannot be undone: an
        unprivileged process may only raise it). Raises nothing; a gone process is fine."""
        try:
            current = os.getpriority(os.PRIO_PROCESS, self.pid)
            os.setpriority(os.PRIO_PROCESS, self.pid, min(19, current + niceness))
        except OSError:
            pass

    def kill(self) -> None:
        """SIGKILL the process by its pidfd (or pid), wait up to 5 s for it to end, and
        close the pipe. Blocks: call it in a thread from the event loop. Raises nothing."""
        self._killed = True
        if self._pidfd is not None:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            select.select([self._pidfd], [], [], 5)
            os.close(self._pidfd)
            self._pidfd = None
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.process.join(1)  # collects the exit code while the fork server lives
        self.conn.close()

    def exit_code(self) -> int | None:
        """How the process ended, as far as the fork server told (negative: a signal;
        255 or ``None`` when nobody can tell any more)."""
        self.process.join(1)
        return self.process.exitcode
