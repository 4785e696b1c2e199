"""Load and faults against a real ``aseankg serve`` on loopback: cheap requests at 256
connections with and without slow queries mixed in, recovery after the fork server is
killed, a runaway query's process killed at its limit, nothing left after a SIGKILL.

Usage: ``.venv/bin/python bench/bench_load.py [--store DIR] [--rounds 8] [--slow 4]``.

The store defaults to the seed built into ``bench/.work/load/store``. The server runs
with ``--no-cache`` so every request reaches the query workers. Results go to
``bench/results/load.json``; the "Load and faults" section of ``docs/endpoint.md``
quotes them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
ASEANKG = Path(sys.executable).with_name("aseankg")
WORK = ROOT / "bench" / ".work" / "load"
RESULTS = ROOT / "bench" / "results" / "load.json"
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(?i != {n}) }}"
CHEAP = 'ASK {{ ?s ?p "cheap {n}" }}'


def _alive(pid: int) -> bool:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2] not in "ZX"


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(text[text.rindex(")") + 2 :].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return [pid for pid in out if _alive(pid)]


def _start(store: Path, timeout: float) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [str(ASEANKG), "serve", "--store", str(store), "--port", str(port)]
    command += ["--timeout", str(timeout), "--no-cache"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(1200):
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                return server, url
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def _kind(response: httpx.Response) -> str:
    if response.status_code == 200:
        return "200"
    return f"{response.status_code} {response.json()['type'].rsplit('/', 1)[1]}"


async def _load(url: str, connections: int, rounds: int, slow: int) -> dict[str, Any]:
    cheap: Counter[str] = Counter()
    slow_kinds: Counter[str] = Counter()
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=connections + slow, max_keepalive_connections=0)
    done = asyncio.Event()
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as http:

        async def slow_client(n: int) -> None:
            while not done.is_set():  # keep ``slow`` slow queries running all along
                response = await http.get("/sparql", params={"query": SLOW.format(n=n)})
                slow_kinds[_kind(response)] += 1
                n += 1000

        async def cheap_client(n: int) -> None:
            for r in range(rounds):
                began = time.perf_counter()
                if (n + r) % 2:
                    response = await http.get("/api/actors")
                else:
                    response = await http.get(
                        "/sparql", params={"query": CHEAP.format(n=n * 100 + r)}
                    )
                latencies.append(time.perf_counter() - began)
                cheap[_kind(response)] += 1

        slow_tasks = [asyncio.create_task(slow_client(n)) for n in range(slow)]
        await asyncio.sleep(1.5 if slow else 0)  # let the slow ones turn long first
        began = time.perf_counter()
        await asyncio.gather(*(cheap_client(n) for n in range(connections)))
        elapsed = time.perf_counter() - began
        done.set()
        await asyncio.gather(*slow_tasks)
    latencies.sort()
    total = sum(cheap.values())
    return {
        "connections": connections,
        "cheap_requests": total,
        "slow_running": slow,
        "seconds": round(elapsed, 2),
        "cheap_ok_per_s": round(cheap["200"] / elapsed, 1),
        "cheap": dict(cheap),
        "slow": dict(slow_kinds),
        "p50_ms": round(1000 * latencies[total // 2], 1),
        "p95_ms": round(1000 * latencies[int(total * 0.95)], 1),
    }


def _forkserver(server: int) -> int:
    for pid in _descendants(server):
        if b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
    raise RuntimeError("no fork server")


def _faults(store: Path, timeout: float) -> dict[str, Any]:
    server, url = _start(store, timeout)
    out: dict[str, Any] = {}
    try:
        forkserver = _forkserver(server.pid)
        workers = [p for p in _descendants(forkserver)]
        os.kill(forkserver, signal.SIGKILL)
        began = time.perf_counter()
        while any(_alive(p) for p in workers):
            time.sleep(0.01)
        out["workers_dead_after_forkserver_kill_s"] = round(time.perf_counter() - began, 3)
        refused: Counter[str] = Counter()
        while True:
            response = httpx.get(f"{url}/sparql", params={"query": CHEAP.format(n=0)}, timeout=60)
            if response.status_code == 200:
                break
            refused[_kind(response)] += 1
        out["recovery_s"] = round(time.perf_counter() - began, 2)
        out["answers_before_recovery"] = dict(refused)
        began = time.perf_counter()
        response = httpx.get(f"{url}/sparql", params={"query": SLOW.format(n=0)}, timeout=120)
        out["runaway_answer"] = _kind(response)
        out["runaway_answered_after_s"] = round(time.perf_counter() - began, 2)
        long_ones = [p for p in _descendants(server.pid) if os.getpriority(os.PRIO_PROCESS, p) > 0]
        out["long_processes_left_after_answer"] = len(long_ones)
        # SIGKILL the server while a slow query runs
        pending = subprocess.Popen(
            ["curl", "-s", "-o", "/dev/null", "-G", f"{url}/sparql", "--data-urlencode",
             f"query={SLOW.format(n=1)}"]
        )  # fmt: skip
        time.sleep(2)
        left = _descendants(server.pid)
        server.send_signal(signal.SIGKILL)
        server.wait()
        began = time.perf_counter()
        while any(_alive(p) for p in left) and time.perf_counter() - began < 60:
            time.sleep(0.01)
        out["processes_at_sigkill"] = len(left)
        out["all_gone_after_sigkill_s"] = round(time.perf_counter() - began, 3)
        out["left_after_60_s"] = sum(_alive(p) for p in left)
        pending.wait()
    finally:
        if server.poll() is None:
            server.kill()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=WORK / "store")
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--slow", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    if not (args.store / "current").exists():
        subprocess.run([str(ASEANKG), "build", str(SEED), "--store", str(args.store)], check=True)
    server, url = _start(args.store, args.timeout)
    try:
        quiet = asyncio.run(_load(url, args.connections, args.rounds, 0))
        loaded = asyncio.run(_load(url, args.connections, args.rounds, args.slow))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    faults = _faults(args.store, 3.0)
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
        "timeout_s": args.timeout,
        "without_slow_queries": quiet,
        "with_slow_queries": loaded,
        "faults": faults,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
