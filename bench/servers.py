"""Start and stop each engine on a free loopback port, loaded with the same N-Quads dump.

- ours: ``aseankg serve --store DIR --port P --workers W`` (the store is built by
  ``aseankg build``; its export is the dump the peers load);
- rdflib-endpoint: ``rdflib-endpoint serve dump.nq`` (an rdflib ``Dataset`` with
  ``default_union=True``, so the default graph is the union, as ours);
- Oxigraph: ``oxigraph load --location D --file dump.nq``, ``oxigraph optimize``, then
  ``oxigraph serve-read-only --location D --bind 127.0.0.1:P --union-default-graph``.

Each server runs in its own session (process group) with its output in a log file; it
is stopped by signalling that group only. Readiness is a 200 answer to ``ASK {}``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.peers import Peers

__all__ = [
    "EngineSpec",
    "RunningServer",
    "ServerError",
    "free_port",
    "load_oxigraph",
    "our_cache_flags",
    "post_query",
    "running",
    "tree_rss_mb",
]

ROOT = Path(__file__).resolve().parent.parent
ASEANKG = ROOT / ".venv" / "bin" / "aseankg"
JSON_RESULTS = "application/sparql-results+json"


class ServerError(RuntimeError):
    """A server did not start, died, or its data could not be loaded."""


@dataclass(frozen=True)
class EngineSpec:
    """How to run one engine: ``kind`` is ``ours``, ``oxigraph`` or ``rdflib-endpoint``;
    ``options`` are extra command-line words (ours: workers, cache switch)."""

    name: str
    kind: str
    options: tuple[str, ...] = ()
    note: str = ""


@dataclass
class RunningServer:
    """A started server: its SPARQL URL, process, command line and log file."""

    spec: EngineSpec
    url: str
    process: subprocess.Popen[bytes]
    command: list[str]
    log: Path
    startup_s: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def post_query(url: str, query: str, *, timeout: float = 120.0) -> tuple[int, bytes]:
    """POST ``query`` as application/sparql-query asking for SPARQL JSON; (status, body).

    Raises ``OSError`` (``URLError``) when nothing answers.
    """
    request = urllib.request.Request(
        url,
        data=query.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read()


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MiB (0 when gone)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    total_kb = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def our_cache_flags() -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The ``aseankg serve`` words that turn its result cache on and off, when it has one.

    Looks for ``--cache/--no-cache``, ``--result-cache/--no-result-cache`` or a size option
    (``--cache-size`` / ``--result-cache-size``, 0 meaning off) in ``--help``.
    """
    done = subprocess.run(
        [str(ASEANKG), "serve", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    text = done.stdout
    for on, off in (("--result-cache", "--no-result-cache"), ("--cache", "--no-cache")):
        if off in text and f"{on} " in text.replace("/", " "):
            return (on,), (off,)
    for size in ("--result-cache-size", "--cache-size", "--cache-entries"):
        if size in text:
            return (size, "1024"), (size, "0")
    return None


def load_oxigraph(peers: Peers, dump: Path, location: Path) -> float:
    """Load ``dump`` into a fresh Oxigraph database at ``location``; seconds taken.

    Raises ``ServerError`` when ``oxigraph load`` fails.
    """
    shutil.rmtree(location, ignore_errors=True)
    start = time.perf_counter()
    for args in (
        ["load", "--location", str(location), "--file", str(dump)],
        ["optimize", "--location", str(location)],
    ):
        done = subprocess.run(
            [str(peers.oxigraph), *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise ServerError(f"oxigraph {args[0]} failed: {done.stderr.strip()[-300:]}")
    return time.perf_counter() - start


def _command(spec: EngineSpec, peers: Peers, data: Path, port: int) -> tuple[list[str], list[str]]:
    """The command line of ``spec`` and the candidate SPARQL paths."""
    if spec.kind == "ours":
        command = [str(ASEANKG), "serve", "--store", str(data), "--host", "127.0.0.1"]
        return [*command, "--port", str(port), *spec.options], ["/sparql"]
    if spec.kind == "oxigraph":
        command = [str(peers.oxigraph), "serve-read-only", "--location", str(data)]
        return [*command, "--bind", f"127.0.0.1:{port}", "--union-default-graph"], ["/query"]
    if spec.kind == "rdflib-endpoint":
        command = [str(peers.rdflib_endpoint), "serve", str(data), "--host", "127.0.0.1"]
        return [*command, "--port", str(port)], ["/", "/sparql"]
    raise ServerError(f"unknown engine kind {spec.kind!r}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the process group this module started (TERM, then KILL after 15 s)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(15)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # workers left behind by a parent gone first


def _wait_ready(process: subprocess.Popen[bytes], base: str, paths: list[str], limit: float) -> str:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"exited with code {process.returncode} while starting")
        for path in paths:
            try:
                status, body = post_query(base + path, "ASK {}", timeout=5)
            except OSError:
                continue
            if status == 200 and b"true" in body:
                return base + path
        time.sleep(0.25)
    raise ServerError(f"no answer to ASK {{}} within {limit:.0f} s")


@contextmanager
def running(
    spec: EngineSpec, peers: Peers, data: Path, log: Path, *, start_limit: float = 900.0
) -> Iterator[RunningServer]:
    """Run ``spec`` on ``data`` (ours: a store directory; Oxigraph: a loaded database;
    rdflib-endpoint: the dump) and yield it once it answers; stop it afterwards.

    Raises ``ServerError`` when it does not start within ``start_limit`` seconds.
    """
    port = free_port()
    command, paths = _command(spec, peers, data, port)
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=ROOT,
        )
    try:
        try:
            url = _wait_ready(process, f"http://127.0.0.1:{port}", paths, start_limit)
        except ServerError as exc:
            tail = log.read_text(errors="replace").strip().splitlines()[-3:]
            raise ServerError(f"{spec.name}: {exc}; log: {' | '.join(tail)}") from None
        server = RunningServer(spec, url, process, command, log)
        server.startup_s = time.perf_counter() - start
        yield server
    finally:
        _stop(process)
