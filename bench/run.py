"""``make bench`` / ``make bench-quick``: our endpoint against its peers, side by side.

Usage: ``.venv/bin/python bench/run.py [--quick | --full]``.

- ``--quick`` (< 5 minutes): the seed graph only, 2 s per cell;
- default (< 30 minutes): the seed graph and a synthetic corpus of 100 plans;
- ``--full``: also 1,000 plans (without rdflib-endpoint, which holds everything in
  memory) and 32 clients.

For each dataset it builds the store, dumps it as N-Quads, loads that dump into every
engine, checks every query's answer, then runs each workload with wrk at 1 and 8 clients
(32 in ``--full``) and the analyst mix at increasing concurrency. Results go to
``bench/results/endpoint.json`` and the Endpoint section of ``docs/benchmarks.md``; then
the build, parse and extraction benchmarks run if present (bench/bench_*.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.compare import Budget, measure_dataset  # noqa: E402
from bench.datasets import DatasetError, prepare_corpus, prepare_seed  # noqa: E402
from bench.peers import PeerSetupError, ensure_peers  # noqa: E402
from bench.report import OURS, OURS_WARM, OXIGRAPH, RDFLIB, write_report  # noqa: E402
from bench.servers import EngineSpec, load_oxigraph, our_cache_flags  # noqa: E402
from bench.workloads import build_workloads, load_dump  # noqa: E402

RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "bench" / ".work"
RDFLIB_MAX_PLANS = 100


@dataclass(frozen=True)
class Mode:
    """What one kind of run measures: corpus sizes besides the seed, and the budget."""

    name: str
    corpora: tuple[int, ...]
    budget: Budget


MODES = {
    "quick": Mode("quick", (), Budget((1, 8), (1, 2, 4, 8), 2, 6, 60, 6)),
    "default": Mode("default", (100,), Budget((1, 8), (1, 2, 4, 8), 3, 10, 90, 10)),
    "full": Mode("full", (100, 1000), Budget((1, 8, 32), (1, 2, 4, 8, 16, 32), 8, 60, 300, 20)),
}


def _machine() -> dict[str, str]:
    cpu = "unknown CPU"
    memory = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
                break
    except OSError:
        pass
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    wrk_version = (wrk.stdout or wrk.stderr).split("[")[0].strip() or "wrk"
    return {
        "CPU": f"{cpu} × {os.cpu_count()}",
        "memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "load generator": wrk_version,
    }


def _our_versions() -> dict[str, str]:
    out = {}
    for name in ("aseankg", "pyoxigraph", "fastapi", "starlette", "uvicorn", "uvloop"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def _engines(plans: int, workers: int) -> list[EngineSpec]:
    """The engines to run on a dataset of ``plans`` plans (ours cold first)."""
    base = ("--workers", str(workers), "--timeout", "120", "--row-cap", "1000000")
    flags = our_cache_flags()
    engines = []
    if flags is None:
        engines.append(
            EngineSpec(OURS, "ours", base, "no result-cache setting: every query computed")
        )
    else:
        on, off = flags
        engines.append(EngineSpec(OURS, "ours", (*base, *off), "cache off (cold)"))
        engines.append(EngineSpec(OURS_WARM, "ours", (*base, *on), "cache on (warm)"))
    engines.append(EngineSpec(OXIGRAPH, "oxigraph", (), "read-only, union default graph"))
    if plans <= RDFLIB_MAX_PLANS:
        engines.append(EngineSpec(RDFLIB, "rdflib-endpoint", (), "in-memory rdflib Dataset"))
    return engines


def _describe(spec: EngineSpec) -> str:
    """The command line of ``spec`` as the report shows it."""
    if spec.kind == "ours":
        return f"aseankg serve --store DIR {' '.join(spec.options)}"
    if spec.kind == "oxigraph":
        return "oxigraph serve-read-only --location DIR --union-default-graph"
    return "rdflib-endpoint serve dump.nq"


def _save(results: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "endpoint.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


def _other_benches(mode: Mode) -> None:
    """Run bench/bench_build.py (the Build section), then the parse and extraction
    benchmarks, when they exist; each writes its own section or prints its table."""
    for name in ("bench_build.py", "bench_extract.py", "bench_parse.py"):
        script = ROOT / "bench" / name
        if not script.exists():
            print(f"bench: {name} not present, skipped", file=sys.stderr)
            continue
        helptext = subprocess.run(
            [sys.executable, str(script), "--help"], capture_output=True, text=True, check=False
        ).stdout
        flag = {"quick": "--quick", "full": "--full"}.get(mode.name)
        if mode.name == "quick" and name == "bench_build.py" and "--quick" not in helptext:
            print(f"bench: {name} has no --quick, skipped in a quick run", file=sys.stderr)
            continue
        args = [flag] if flag and flag in helptext else []
        print(f"bench: running {name} {' '.join(args)} ...", file=sys.stderr, flush=True)
        out = RESULTS / name.replace(".py", ".txt")
        with out.open("w", encoding="utf-8") as stream:
            done = subprocess.run(
                [sys.executable, str(script), *args], stdout=stream, stderr=subprocess.STDOUT,
                check=False, cwd=ROOT,
            )  # fmt: skip
        state = "done" if done.returncode == 0 else f"failed (exit {done.returncode})"
        print(f"bench: {name} {state}; output in {out.relative_to(ROOT)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark our endpoint against its peers.")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="seed only, short cells (< 5 min)")
    size.add_argument("--full", action="store_true", help="also 1,000 plans and 32 clients")
    parser.add_argument("--workers", type=int, default=2, help="our HTTP worker processes")
    parser.add_argument(
        "--endpoint-only", action="store_true", help="skip the build/parse/extract benchmarks"
    )
    args = parser.parse_args(argv)
    mode = MODES["quick" if args.quick else "full" if args.full else "default"]
    started = time.monotonic()
    try:
        peers = ensure_peers(log=WORK / "peers-install.log")
        datasets = [prepare_seed()]
    except (PeerSetupError, DatasetError) as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    results: dict[str, Any] = {
        "mode": mode.name,
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "elapsed_s": 0.0,
        "machine": _machine(),
        "versions": {**_our_versions(), **peers.versions},
        "settings": {"duration_s": mode.budget.duration,
                     "max_duration_s": mode.budget.max_duration, "clients": mode.budget.clients,
                     "mix_clients": mode.budget.mix_clients, "workers": args.workers},
        "engines": [], "datasets": [], "workloads": {}, "servers": [], "cells": [],
        "profiles": [], "notes": [],
    }  # fmt: skip
    for plans in mode.corpora:
        try:
            datasets.append(prepare_corpus(plans))
        except DatasetError as exc:
            results["notes"].append(f"corpus of {plans} plans not measured: {exc}")
    for dataset in datasets:
        workloads = build_workloads(load_dump(dataset.dump))
        entry = dataset.as_dict()
        entry["oxigraph_load_s"] = load_oxigraph(
            peers, dataset.dump, WORK / dataset.name / "oxigraph"
        )
        results["datasets"].append(entry)
        results["workloads"][dataset.name] = [
            {"name": w.name, "family": w.family, "source": w.source, "values": list(w.values),
             "expected": list(w.expected)} for w in workloads
        ]  # fmt: skip
        engines = _engines(dataset.plans, args.workers)
        for spec in engines:
            if spec.name not in [e["name"] for e in results["engines"]]:
                results["engines"].append(
                    {"name": spec.name, "command": _describe(spec), "note": spec.note}
                )
        measure_dataset(dataset, engines, peers, workloads, mode.budget, results, profile=True)
        results["elapsed_s"] = time.monotonic() - started
        _save(results)
    results["elapsed_s"] = time.monotonic() - started
    _save(results)
    print(f"bench: wrote {write_report(results)}", file=sys.stderr)
    if not args.endpoint_only:
        _other_benches(mode)
    print(f"bench: done in {(time.monotonic() - started) / 60:.1f} min", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
