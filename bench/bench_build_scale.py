"""The sharded build at 1,000 plans: sequential vs ``--jobs 2`` vs a Dask cluster.

Usage: ``.venv/bin/python bench/bench_build_scale.py [--plans 1000] [--modes seq,jobs2,dask]``.

Each mode builds the same synthetic corpus (``bench/bench_build.py``'s, from
``bench/synthetic.py``) with the real CLI, ``aseankg build PLANS --store S --replace``, from
an empty store and an empty shard folder (a cold build: every shard is made), with
``SOURCE_DATE_EPOCH`` fixed, so the three stores must export the same N-Quads (checked by
digest). ``rebuild`` then builds the sequential store's corpus again: every shard is found
unchanged, only the global stage runs; ``add1`` builds it with one more plan: one shard is
made, the others are reused. Dask is a real scheduler and two single-threaded
workers on 127.0.0.1, started and stopped here. Peak memory is the largest sum of the
resident sets of the build's processes (the CLI, its pool's workers, the Dask scheduler
and workers), sampled every 0.2 s; CPU time is the user + system time of all of them
(waited-for children: the pool's workers are the CLI's, the cluster's are this script's),
which the other jobs of a shared machine do not inflate the way they do wall time. The
CLI's own stage timings come from its summary
(``shards``: the per-plan stage; ``load``, ``editions``, ``checks``: the global stage).
Results go to ``bench/results/build-scale.json`` and the "Sharded build" section of
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_build import corpus  # noqa: E402
from bench.report import replace_section  # noqa: E402

BIN = Path(sys.executable).parent
WORK = ROOT / "bench" / ".work" / "build-scale"
RESULTS = ROOT / "bench" / "results" / "build-scale.json"
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- build-scale:start -->", "<!-- build-scale:end -->"
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
LOOPBACK = ["--host", "127.0.0.1", "--no-dashboard", "--dashboard-address", "127.0.0.1:0"]


class _Sampler(threading.Thread):
    """The peak of the summed RSS of ``pids`` and all their descendants."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            total = 0
            for pid in self.pids:
                try:
                    root = psutil.Process(pid)
                    for process in [root, *root.children(recursive=True)]:
                        total += process.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            self.stop.wait(0.2)


def _cluster(folder: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    info = folder / "scheduler.json"
    info.unlink(missing_ok=True)
    log = open(folder / "cluster.log", "ab")  # noqa: SIM115 - kept open for the cluster's life
    scheduler = subprocess.Popen(
        [str(BIN / "dask"), "scheduler", "--port", "0", *LOOPBACK, "--scheduler-file", str(info)],
        stdout=log,
        stderr=log,
    )
    while not (info.exists() and info.stat().st_size):
        time.sleep(0.2)
    address = json.loads(info.read_text("utf-8"))["address"]
    workers = [
        subprocess.Popen(
            [str(BIN / "dask"), "worker", "--scheduler-file", str(info), *LOOPBACK,
             "--nthreads", "1", "--no-nanny", "--name", f"w{n}"],
            stdout=log, stderr=log, env=ENV, cwd=ROOT,
        )
        for n in (1, 2)
    ]  # fmt: skip
    from distributed import Client

    with Client(address, timeout=120, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        client.wait_for_workers(2, timeout=120)
    return address, [scheduler, *workers]


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def _digest(store: Path) -> str:
    """The sha256 of the store's N-Quads export (streamed: 1.4 GB at 1,000 plans)."""
    digest = hashlib.sha256()
    argv = [str(BIN / "aseankg"), "export", "--store", str(store), "--format", "nq"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, cwd=ROOT) as child:
        assert child.stdout is not None
        while chunk := child.stdout.read(2**20):
            digest.update(chunk)
    if child.returncode != 0:
        raise SystemExit(f"bench: the export of {store} failed")
    return digest.hexdigest()


def _timings(stderr: str) -> dict[str, float]:
    """The stage timings of the CLI's ``aseankg: stages: shards 1.0 s, load 2.0 s`` line."""
    for line in stderr.splitlines():
        if line.startswith("aseankg: stages: "):
            pairs = (
                part.rsplit(" ", 2) for part in line.removeprefix("aseankg: stages: ").split(", ")
            )
            return {name: float(seconds) for name, seconds, _unit in pairs}
    return {}


def build(mode: str, plans: list[Path], *, cold: bool = True) -> dict[str, Any]:
    """One build of ``plans`` in ``mode``; its wall time, peak memory and stage timings."""
    store = WORK / f"store-{mode}"
    if mode in ("rebuild", "add1"):  # the store of the first cold build of this run
        store = next(
            (
                WORK / f"store-{m}"
                for m in ("seq", "jobs2", "dask")
                if (WORK / f"store-{m}").is_dir()
            ),
            WORK / "store-seq",
        )
    if cold:
        shutil.rmtree(store, ignore_errors=True)
    cluster: list[subprocess.Popen[bytes]] = []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    options = {"seq": ["--jobs", "1"], "jobs2": ["--jobs", "2"], "rebuild": ["--jobs", "1"]}
    options["add1"] = ["--jobs", "1"]
    try:
        if mode == "dask":
            address, cluster = _cluster(WORK)
            options["dask"] = ["--dask", address]
        argv = [str(BIN / "aseankg"), "build", *map(str, plans), "--store", str(store)]
        argv += ["--replace", *options[mode]]
        started = time.perf_counter()
        child = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
            cwd=ROOT,
        )
        sampler = _Sampler([child.pid, *(p.pid for p in cluster)])
        sampler.start()
        out, err = child.communicate()
        wall = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
    finally:
        _stop(cluster)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if child.returncode != 0:
        raise SystemExit(f"bench: the {mode} build failed:\n{err[-2000:]}")
    total = out.strip().splitlines()[-1]
    return {
        "mode": mode,
        "plans": len(plans),
        "wall_seconds": wall,
        "peak_rss_mb": sampler.peak / 2**20,
        "cpu_seconds": cpu,
        "timings": _timings(err),
        "triples": int(total.split(" in store")[0].split()[-1]),
        "digest": _digest(store),
        "summary": [
            line for line in err.splitlines() if "documents:" in line or "editions:" in line
        ],
    }


LABELS = {
    "seq": "sequential (`--jobs 1`)",
    "jobs2": "`--jobs 2` (local process pool)",
    "dask": "Dask: scheduler + 2 workers on loopback",
    "rebuild": "rebuild, every shard unchanged (`--jobs 1`)",
    "add1": "rebuild adding one plan (`--jobs 1`: one shard made)",
}


def _cpu(result: dict[str, Any]) -> str:
    seconds = result.get("cpu_seconds")
    return "—" if seconds is None else f"{seconds:.0f}"  # not recorded by older runs


def _same(result: dict[str, Any], reference: dict[int, tuple[str, str]]) -> str:
    if result["mode"] == "add1":
        return "— (one plan more)"
    if result["plans"] not in reference:
        return "not measured"
    mode, digest = reference[result["plans"]]
    if result["mode"] == mode:
        return "(reference)"
    return "yes" if result["digest"] == digest else "NO"


def render(results: list[dict[str, Any]], meta: dict[str, str]) -> str:
    rows = [
        "| build | plans | triples | wall (s) | CPU (s) | per-plan stage (s) | copy (s) | load (s) "
        "| editions (s) | checks (s) | peak RSS, all processes (MiB) "
        "| same N-Quads as sequential (else the first cold build) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    # the sequential build's digest, or else the first cold build's of the run
    reference: dict[int, tuple[str, str]] = {}
    for r in sorted(results, key=lambda r: r["mode"] != "seq"):
        if r["mode"] in ("seq", "jobs2", "dask"):
            reference.setdefault(r["plans"], (r["mode"], r["digest"]))
    for r in results:
        t = r["timings"]
        rows.append(
            f"| {LABELS[r['mode']]} | {r['plans']:,} | {r['triples']:,} | {r['wall_seconds']:.1f} "
            f"| {_cpu(r)} | {t.get('shards', 0):.1f} | {t.get('copy', 0):.1f} "
            f"| {t.get('load', 0):.1f} "
            f"| {t.get('editions', 0):.1f} "
            f"| {t.get('checks', 0):.1f} | {r['peak_rss_mb']:.0f} "
            f"| {_same(r, reference)} |"
        )
    return "\n".join(
        [
            f"_Generated by `bench/bench_build_scale.py` on {meta['date']}; regenerate with "
            "`.venv/bin/python bench/bench_build_scale.py`; do not edit by hand._",
            "",
            f"**Machine**: {meta['machine']}, Python {meta['python']}; load average "
            f"{meta['load']} when it started (the machine is shared: times carry noise).",
            "",
            "**Method**: the synthetic corpus of the Build section, built with the real CLI "
            "(`aseankg build PLANS --store S --replace`) from an empty store and shard "
            "folder, `SOURCE_DATE_EPOCH` fixed; the stores' N-Quads exports are compared by "
            "sha256. Peak memory is the largest sum of the resident sets of every process "
            "of the build (CLI, pool workers, Dask scheduler and workers). The rebuilds "
            "reuse the first cold build's store and shards: every shard unchanged, or "
            "the corpus with one plan more (one shard made).",
            "",
            *rows,
            "",
            "The CLI's summary lines of each build (what was made, reused and recomputed):",
            "",
            *(
                f"- {LABELS[r['mode']]}: "
                + "; ".join(f"`{line.removeprefix('aseankg: ')}`" for line in r.get("summary", []))
                for r in results
                if r.get("summary")
            ),
        ]
    )


def write_doc(body: str) -> None:
    document = DOC.read_text("utf-8")
    DOC.write_text(replace_section(document, body, START, END, heading="Sharded build"), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="1,000 plans: sequential vs --jobs 2 vs Dask.")
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--modes", default="seq,rebuild,add1,jobs2,dask")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave the docs")
    parser.add_argument("--results", type=Path, default=RESULTS, help="the results file")
    parser.add_argument("--work", type=Path, default=None, help="the folder of the stores")
    parser.add_argument("--from-results", action="store_true", help="rewrite the docs only")
    args = parser.parse_args(argv)
    if args.from_results:
        saved = json.loads(args.results.read_text("utf-8"))
        write_doc(render(saved["results"], saved["meta"]))
        return 0
    if args.work is not None:
        globals()["WORK"] = args.work
    WORK.mkdir(parents=True, exist_ok=True)
    plans = corpus(args.plans)
    meta = {
        "date": datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPU ({platform.machine()}), {platform.system()}",
        "python": platform.python_version(),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    results = []
    for mode in args.modes.split(","):
        print(f"bench: {mode} build of {len(plans)} plans ...", file=sys.stderr, flush=True)
        corpus_of_mode = corpus(args.plans + 1) if mode == "add1" else plans
        result = build(mode, corpus_of_mode, cold=mode not in ("rebuild", "add1"))
        results.append(result)
        print(json.dumps(result), flush=True)
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps({"meta": meta, "results": results}, indent=1), "utf-8")
    if not args.no_doc:
        write_doc(render(results, meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
