"""One dataset, every engine, side by side: start them all, check their answers, then
measure cell by cell with the engines interleaved.

All engines of a dataset stay up together (idle ones use no CPU) and each cell is run on
one engine after the other, so a change in the machine's background load hits every
engine alike instead of one engine's whole run. After each cell the engine is drained
(an ``ASK {}`` must come back) so that requests still queued from that cell do not leak
into the next one. A cell that could not finish even a few requests in its time budget
(one answer takes longer than ``budget / clients``) is not run: its throughput is
estimated from the checked answer time, and the report marks it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.datasets import Dataset
from bench.measure import (
    LUA,
    Cell,
    MeasureError,
    check_answers,
    profile_server,
    run_cell,
)
from bench.peers import Peers
from bench.report import OURS, OXIGRAPH
from bench.servers import EngineSpec, RunningServer, ServerError, post_query, running, tree_rss_mb
from bench.workloads import Workload, mix_of

__all__ = ["Budget", "measure_dataset"]

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "bench" / ".work"


@dataclass(frozen=True)
class Budget:
    """Time limits of one run: seconds per cell (``duration``, stretched for slow
    engines up to ``max_duration``), per checked answer, and for the profile."""

    clients: tuple[int, ...]
    mix_clients: tuple[int, ...]
    duration: float
    max_duration: float
    check_timeout: float
    profile_s: int


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _data_of(spec: EngineSpec, dataset: Dataset) -> Path:
    if spec.kind == "ours":
        return dataset.store
    if spec.kind == "oxigraph":
        return WORK / dataset.name / "oxigraph"
    return dataset.dump


def _estimated(spec: EngineSpec, dataset: Dataset, workload: Workload, clients: int,
               seconds: float) -> Cell:  # fmt: skip
    ms = seconds * 1000
    return Cell(
        engine=spec.name, dataset=dataset.name, workload=workload.name, family=workload.family,
        analyst=workload.analyst, clients=clients, duration_s=round(seconds, 2), requests=1,
        rps=1 / seconds if seconds else 0.0, p50_ms=ms, p90_ms=ms, p95_ms=ms, p99_ms=ms,
        mean_ms=ms, max_ms=ms, errors=0,
        note=f"estimated: one answer takes {seconds:.1f} s, too slow for a timed cell",
    )  # fmt: skip


def _drain(url: str, limit: float) -> float:
    """Seconds until the engine answers ``ASK {}`` again (its queue is empty)."""
    start = time.perf_counter()
    with suppress(OSError):
        post_query(url, "ASK {}", timeout=limit)
    return time.perf_counter() - start


def _line(cell: Cell) -> str:
    return (
        f"  {cell.engine:<20} {cell.workload:<28} c={cell.clients:<3} "
        f"{cell.rps:>10,.1f} req/s  p50 {cell.p50_ms:8.2f} ms  p99 {cell.p99_ms:8.2f} ms  "
        f"errors {cell.errors}{'  ' + cell.note if cell.note else ''}"
    )


def _start_all(
    stack: ExitStack, engines: list[EngineSpec], peers: Peers, dataset: Dataset,
    results: dict[str, Any],
) -> dict[str, RunningServer]:  # fmt: skip
    servers = {}
    for spec in engines:
        log = RESULTS / "logs" / f"{dataset.name}-{spec.name.replace(' ', '-')}.log"
        print(f"bench: {dataset.name}: starting {spec.name} ...", file=sys.stderr, flush=True)
        try:
            servers[spec.name] = stack.enter_context(
                running(spec, peers, _data_of(spec, dataset), log)
            )
        except ServerError as exc:
            results["notes"].append(f"{dataset.name}: {exc}")
            print(f"bench: {exc}", file=sys.stderr)
    return servers


def measure_dataset(
    dataset: Dataset,
    engines: list[EngineSpec],
    peers: Peers,
    workloads: list[Workload],
    budget: Budget,
    results: dict[str, Any],
    *,
    profile: bool,
) -> None:
    """Measure every engine on ``dataset``; cells, server facts and notes go to ``results``."""
    with ExitStack() as stack:
        servers = _start_all(stack, engines, peers, dataset, results)
        slowest: dict[tuple[str, str], float] = {}
        problems: dict[str, list[str]] = {name: [] for name in servers}
        skipped: set[tuple[str, str]] = set()
        wrong: dict[str, list[str]] = {name: [] for name in servers}
        for name, server in servers.items():
            for workload in workloads:
                check = check_answers(server.url, workload, timeout=budget.check_timeout)
                problems[name] += check.problems
                slowest[name, workload.name] = check.slowest
                if check.wrong:
                    wrong[name].append(workload.name)
                if check.unanswered:
                    skipped.add((name, workload.name))
                    problems[name].append(
                        f"{workload.name} not measured: no answer within {budget.check_timeout:g} s"
                    )
            _drain(server.url, budget.check_timeout)
        mix = mix_of(workloads)
        plan = [(w, c) for w in workloads for c in budget.clients]
        plan += [(mix, c) for c in budget.mix_clients]
        work = WORK / "queries" / dataset.name
        for workload, clients in plan:
            for name, server in servers.items():
                members = [w.name for w in workloads if w.analyst] if workload is mix else [
                    workload.name
                ]  # fmt: skip
                if any((name, m) in skipped for m in members):
                    continue
                # a mix request costs the mean of its members, a workload its slowest text
                costs = [slowest[name, m] for m in members]
                one = sum(costs) / len(costs) if workload is mix else max(costs)
                if one * clients > budget.max_duration:
                    cell = _estimated(server.spec, dataset, workload, clients, one)
                else:
                    seconds = min(budget.max_duration, max(budget.duration, 3 * one * clients))
                    try:
                        cell = run_cell(
                            server.url, workload, engine=name, dataset=dataset.name,
                            clients=clients, duration=seconds, work=work,
                            timeout=budget.max_duration + 30,
                        )  # fmt: skip
                    except MeasureError as exc:
                        problems[name].append(f"{workload.name} at {clients} clients: {exc}")
                        continue
                    drained = _drain(server.url, budget.check_timeout)
                    if drained > 1.0:
                        cell = Cell(**{**cell.as_dict(), "note": f"{drained:.0f} s to drain"})
                results["cells"].append(cell.as_dict())
                print(_line(cell), file=sys.stderr, flush=True)
        for name, server in servers.items():
            results["servers"].append(
                {
                    "engine": name,
                    "dataset": dataset.name,
                    "startup_s": server.startup_s,
                    "rss_mb": tree_rss_mb(server.process.pid),
                    "loadavg": _loadavg(),
                    "problems": problems[name],
                    "wrong": wrong[name],
                }
            )
        if profile and OURS in servers:
            _profile(servers[OURS], peers, dataset, workloads, budget, results)


def _profile_target(results: dict[str, Any], dataset: str) -> str | None:
    """Our analyst workload with the worst ratio to Oxigraph at 8 clients (or, without
    Oxigraph, our slowest one)."""
    ours: dict[str, float] = {
        c["workload"]: c["rps"]
        for c in results["cells"]
        if c["engine"] == OURS and c["dataset"] == dataset and c["clients"] == 8
        and c["analyst"] and c["family"] != "mix" and c["rps"] > 0
    }  # fmt: skip
    peer: dict[str, float] = {
        c["workload"]: c["rps"]
        for c in results["cells"]
        if c["engine"] == OXIGRAPH and c["dataset"] == dataset and c["clients"] == 8
        and c["rps"] > 0
    }  # fmt: skip
    if not ours:
        return None
    ratios = {w: rps / peer[w] for w, rps in ours.items() if w in peer}
    ranked = ratios or ours
    worst: str = min(ranked, key=lambda w: ranked[w])
    return worst


def _profile(
    server: RunningServer, peers: Peers, dataset: Dataset, workloads: list[Workload],
    budget: Budget, results: dict[str, Any],
) -> None:  # fmt: skip
    """Profile our server with py-spy on the workload where we trail Oxigraph most."""
    target = _profile_target(results, dataset.name)
    if target is None:
        return
    workload = next(w for w in workloads if w.name == target)
    queries = WORK / "queries" / dataset.name / f"{workload.name}.queries"
    load = ["wrk", "-t1", "-c8", f"-d{budget.profile_s}s", "-s", str(LUA), server.url, "--",
            str(queries)]  # fmt: skip
    raw = RESULTS / f"profile-{dataset.name}-{workload.name}.txt"
    print(f"bench: profiling {OURS} on {workload.name} ...", file=sys.stderr, flush=True)
    try:
        summary = profile_server(peers.py_spy, server.process.pid, budget.profile_s + 1, raw, load)
    except (MeasureError, subprocess.TimeoutExpired) as exc:
        results["notes"].append(f"profile not recorded: {exc}")
        return
    results["profiles"].append({
        "engine": OURS, "dataset": dataset.name, "workload": workload.name, "clients": 8,
        "raw": str(raw.relative_to(ROOT)), "samples": summary.samples, "areas": summary.areas,
        "functions": summary.functions, "processes": summary.processes,
    })  # fmt: skip
