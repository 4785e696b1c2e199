"""Faults with real processes: a killed fork server, a SIGKILLed ``aseankg serve``, a
runaway query past its time limit, a query past its memory limit. Each checks which
process ids are left, on loopback servers only."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.cli_server import free_port

ASEANKG = Path(sys.executable).with_name("aseankg")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MEMORY_HOG = "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, niceness) of a live process; ``None`` when it is gone or a
    zombie (dead, waiting for a parent that may never reap it)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    state, ppid, nice = fields[0], int(fields[1]), int(fields[16])
    return None if state in ("Z", "X") else (ppid, state, nice)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) and stat[0] == pid:
            found.append(int(entry.name))
    return found


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            out.append(child)
            todo.append(child)
    return out


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _wait_until(condition: Callable[[], bool], bound: float = 60) -> None:
    """Poll ``condition``; the bound only ends a hang, it is not what is tested."""
    end = time.monotonic() + bound
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("condition never became true")
        time.sleep(0.05)


@contextmanager
def serving(store: Path, *options: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A real ``aseankg serve`` subprocess on a free loopback port, up and answering."""
    port = free_port()
    command = [str(ASEANKG), "serve", "--store", str(store), "--port", str(port), *options]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            assert server.poll() is None, "the server exited"
            try:
                return httpx.get(f"{url}/health", timeout=5).status_code == 200
            except httpx.TransportError:
                return False

        _wait_until(up, 120)
        yield server, url
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _forkserver(server: int) -> int:
    [pid] = [p for p in _children(server) if "forkserver" in _cmdline(p)]
    return pid


def _ask(url: str, text: str = "ASK { ?s ?p ?o }") -> httpx.Response:
    return httpx.get(f"{url}/sparql", params={"query": text}, timeout=60)


def _ask_quietly(url: str, text: str) -> None:
    with contextlib.suppress(httpx.TransportError):  # the server may be killed meanwhile
        _ask(url, text)


def test_workers_die_with_their_deadline_their_fork_server_and_their_server(
    seed_store: Path,
) -> None:
    """One real server through three faults (one start-up: it is the slow part)."""
    with serving(seed_store, "--query-workers", "2", "--timeout", "3", "--no-cache") as (
        server,
        url,
    ):
        # 1. the fork server is SIGKILLed: the kernel kills its workers (PR_SET_PDEATHSIG)
        forkserver = _forkserver(server.pid)
        workers = _children(forkserver)
        assert len(workers) == 2
        os.kill(forkserver, signal.SIGKILL)
        _wait_until(lambda: all(_stat(pid) is None for pid in workers), 10)
        # and the next queries find fresh workers under a new fork server
        _wait_until(lambda: _ask(url).status_code == 200)
        assert _forkserver(server.pid) != forkserver
        assert _ask(url, 'ASK { ?s ?p "no such text" }').json()["boolean"] is False

        # 2. a runaway query: its process (made nicer once it ran long) dies at the limit
        answers: list[httpx.Response] = []
        runaway = threading.Thread(target=lambda: answers.append(_ask(url, RUNAWAY)))
        runaway.start()
        seen: list[int] = []

        def long_worker() -> bool:
            seen.extend(
                p for p in _descendants(server.pid) if (s := _stat(p)) is not None and s[2] > 0
            )
            return bool(seen)

        _wait_until(long_worker, 30)
        runaway.join(60)
        assert answers[0].status_code == 503
        assert answers[0].json()["type"].endswith("/timeout")
        _wait_until(lambda: _stat(seen[0]) is None, 10)
        assert _ask(url).status_code == 200

        # 3. the server is SIGKILLed mid-query: nothing it started survives it
        threading.Thread(target=_ask_quietly, args=(url, RUNAWAY), daemon=True).start()
        _wait_until(lambda: any((s := _stat(p)) and s[2] > 0 for p in _descendants(server.pid)))
        left = _descendants(server.pid)
        server.send_signal(signal.SIGKILL)
        server.wait()
        try:
            _wait_until(lambda: [p for p in left if _stat(p) is not None] == [], 15)
        finally:  # when this fails, leave no orphan running
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def test_no_process_outlives_a_sigkilled_server_with_two_http_workers(seed_store: Path) -> None:
    with serving(seed_store, "--workers", "2", "--query-workers", "1", "--no-cache") as (
        server,
        url,
    ):
        # both uvicorn workers are up, each with its fork server and query process
        _wait_until(lambda: sum("forkserver" in _cmdline(p) for p in _descendants(server.pid)) >= 4)
        left = _descendants(server.pid)
        server.send_signal(signal.SIGKILL)
        server.wait()
        try:
            _wait_until(lambda: [p for p in left if _stat(p) is not None] == [], 15)
            with pytest.raises(httpx.TransportError):
                httpx.get(f"{url}/health", timeout=5)
        finally:  # when this fails, leave no orphan serving
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


_ORPHAN = textwrap.dedent(
    """
    import multiprocessing, os, signal, sys, time
    from aseankg.api.http.worker import WorkerProcess

    if __name__ == "__main__":
        context = multiprocessing.get_context("forkserver")
        parent, child = context.Pipe()
        process = context.Process(target=time.sleep, args=(600,), daemon=True)
        process.start()
        handle = WorkerProcess(process, parent)
        forkserver = multiprocessing.forkserver._forkserver._forkserver_pid
        try:
            os.kill(forkserver, signal.SIGKILL)
            os.waitpid(forkserver, 0)
            # multiprocessing's handle learns of the fork server's death from its status
            # pipe (the next start() asks it so); then it believes the worker dead and its
            # kill() does nothing. The pipe's end can come a moment later: wait, bounded.
            for _ in range(200):
                if not process.is_alive():
                    break
                time.sleep(0.05)
            assert not process.is_alive()
            process.kill()
            time.sleep(0.5)
            print("survived" if handle.alive() else "died")
            handle.kill()
            print("alive" if handle.alive() else "killed", handle.pid)
        except BaseException:
            os.kill(handle.pid, signal.SIGKILL)  # never leave the sleeper holding our pipes
            raise
    """
)


def test_a_worker_orphaned_from_its_fork_server_is_killed_by_pid() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _ORPHAN], capture_output=True, text=True, timeout=120, check=True
    )
    survived, killed = done.stdout.split("\n")[:2]
    assert survived == "survived"  # the failure this guards against is real
    assert killed.startswith("killed")
    assert _stat(int(killed.split()[1])) is None


def test_query_over_its_memory_limit_is_503_and_the_server_goes_on(
    make_server: Callable[..., str],
) -> None:
    url = make_server(query_memory=512 * 1024**2, query_timeout=60.0, cache_bytes=0)
    response = httpx.get(f"{url}/sparql", params={"query": MEMORY_HOG}, timeout=120)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/memory-limit")
    assert "512 MiB" in problem["detail"] and "narrow" in problem["detail"]
    assert _ask(url).json()["boolean"] is True
    assert httpx.get(f"{url}/api/actors", timeout=60).status_code == 200


@pytest.mark.parametrize("value", ["12parsecs", "1MiB"])
def test_nonsense_query_memory_is_a_usage_error(seed_store: Path, value: str) -> None:
    done = subprocess.run(
        [str(ASEANKG), "serve", "--store", str(seed_store), "--query-memory", value],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--query-memory" in done.stderr and "Traceback" not in done.stderr


_KILLED_MID_INCREMENTAL = """
import sys, time
from aseankg.graph.build import build_plans
def stage(what):
    if what.startswith("recomputing"):  # the copy made, its graphs removed, the load done
        print("loaded", flush=True)
        time.sleep(120)
build_plans(sys.argv[2:], store=sys.argv[1], replace=True, stage=stage)
"""


def test_a_build_killed_after_loading_into_its_copy_leaves_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The incremental build writes a checkpoint of the current build (hard links to its
    files): killed after removing and loading graphs there, the current one is intact."""
    from aseankg.graph.build import build_plans
    from aseankg.graph.serialize import export_store
    from aseankg.graph.store import current_build, open_store

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # equal builds, equal bytes
    plans = sorted((Path(__file__).parents[1] / "data" / "plans").glob("*.txt"))[:3]
    store = tmp_path / "store"
    build_plans(plans, store=store, replace=True)
    before = current_build(store)
    assert before is not None

    def export() -> bytes:
        import io

        out = io.BytesIO()
        export_store(open_store(store), out, "nq")
        return out.getvalue()

    exported = export()
    # one plan dropped and one reloaded from a changed copy: removals and a load
    changed = tmp_path / plans[1].name
    changed.write_text(plans[1].read_text("utf-8") + "\n", "utf-8")
    with subprocess.Popen(
        [sys.executable, "-c", _KILLED_MID_INCREMENTAL, str(store), str(plans[0]), str(changed)],
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None and child.stdout.readline().strip() == "loaded"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    after = current_build(store)
    assert after is not None and after.id == before.id
    assert export() == exported
    assert len(open_store(store)) == before.manifest.triples
    # and the next build succeeds from it
    build_plans(plans, store=store, replace=True)
    assert export() == exported
