"""Measuring one running engine: answer checks, wrk cells, and a py-spy profile.

A cell is one wrk run of one workload at one concurrency: ``bench/wrk/sparql.lua`` cycles
the workload's bound queries, counts non-2xx answers, and prints its latency percentiles
(p50/p90/p95/p99, from wrk's own histogram) in a ``BENCH {...}`` line parsed here.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.servers import post_query
from bench.workloads import Workload, write_query_file

__all__ = [
    "Cell",
    "Check",
    "Profile",
    "check_answers",
    "parse_wrk",
    "profile_server",
    "run_cell",
    "summarise_profile",
]

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "wrk" / "sparql.lua"
_BENCH_LINE = re.compile(r"^BENCH (\{.*\})\s*$", re.MULTILINE)
_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


class MeasureError(RuntimeError):
    """wrk or py-spy failed or printed nothing usable."""


@dataclass(frozen=True)
class Cell:
    """The measurements of one (engine, dataset, workload, clients) cell."""

    engine: str
    dataset: str
    workload: str
    family: str
    analyst: bool
    clients: int
    duration_s: float
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    errors: int
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_wrk(output: str) -> dict[str, float]:
    """The numbers of the ``BENCH {...}`` line printed by sparql.lua's done() hook.

    Raises ``MeasureError`` when there is no such line.
    """
    found = _BENCH_LINE.search(output)
    if found is None:
        raise MeasureError(f"wrk printed no BENCH line: {output.strip()[-300:]}")
    values: dict[str, float] = json.loads(found.group(1))
    return values


def run_cell(
    url: str,
    workload: Workload,
    *,
    engine: str,
    dataset: str,
    clients: int,
    duration: float,
    work: Path,
    method: str = "post",
    timeout: float = 60.0,
) -> Cell:
    """Run wrk with ``clients`` connections for ``duration`` seconds on ``workload``.

    Raises ``MeasureError`` when wrk fails.
    """
    queries = write_query_file(workload, work / f"{workload.name}.queries")
    command = [
        "wrk",
        "-t1",
        f"-c{clients}",
        f"-d{max(1, round(duration))}s",
        f"--timeout={max(1, round(timeout))}s",
        "--latency",
        "-s",
        str(LUA),
        url,
        "--",
        str(queries),
        method,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise MeasureError(f"wrk exited {done.returncode}: {done.stderr.strip()[-300:]}")
    values = parse_wrk(done.stdout)
    seconds = values["duration_us"] / 1e6 or 1.0
    return Cell(
        engine=engine,
        dataset=dataset,
        workload=workload.name,
        family=workload.family,
        analyst=workload.analyst,
        clients=clients,
        duration_s=round(seconds, 2),
        requests=int(values["requests"]),
        rps=values["requests"] / seconds,
        p50_ms=values["p50_us"] / 1000,
        p90_ms=values["p90_us"] / 1000,
        p95_ms=values["p95_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        mean_ms=values["mean_us"] / 1000,
        max_ms=values["max_us"] / 1000,
        errors=int(values["non2xx"] + values["socket_errors"] + values["timeouts"]),
        note="no request completed" if values["requests"] == 0 else "",
    )


def _rows_of(body: bytes) -> int:
    document = json.loads(body)
    if "boolean" in document:
        return 1
    return len(document["results"]["bindings"])


@dataclass(frozen=True)
class Check:
    """The outcome of running each query of a workload once: disagreements with the
    expected row counts, the slowest answer (seconds), how many got no answer, and how
    many got a wrong one (an HTTP error, unreadable JSON, another number of rows)."""

    problems: list[str]
    slowest: float
    unanswered: int
    wrong: int = 0


def check_answers(url: str, workload: Workload, *, timeout: float = 300.0) -> Check:
    """Run each query of ``workload`` once (which also warms the engine up) and compare the
    number of rows with the expected one; a query that gets no answer within ``timeout``
    seconds counts as unanswered."""
    problems = []
    slowest = 0.0
    unanswered = 0
    values = workload.values or ("",) * len(workload.texts)
    for value, text, expected in zip(values, workload.texts, workload.expected, strict=True):
        label = f"{workload.name}({value})" if value else workload.name
        start = time.perf_counter()
        try:
            status, body = post_query(url, text, timeout=timeout)
        except OSError as exc:
            unanswered += 1
            problems.append(f"{label}: no answer ({exc})")
            slowest = max(slowest, time.perf_counter() - start)
            continue
        slowest = max(slowest, time.perf_counter() - start)
        if status != 200:
            problems.append(f"{label}: HTTP {status}")
            continue
        try:
            rows = _rows_of(body)
        except (ValueError, KeyError) as exc:
            problems.append(f"{label}: unreadable JSON ({exc})")
            continue
        if rows != expected:
            problems.append(f"{label}: {rows} rows, expected {expected}")
    return Check(problems, slowest, unanswered, len(problems) - unanswered)


@dataclass(frozen=True)
class Profile:
    """What py-spy saw: samples in all, shares by area and by leaf function."""

    samples: int
    areas: list[tuple[str, float]]
    functions: list[tuple[str, float]]
    processes: list[tuple[str, float]]


_AREAS = (
    ("api/http/executor.py", "_serialise", "result serialisation (query worker)"),
    ("api/http/executor.py", "_solutions_tsv", "result serialisation (query worker)"),
    ("api/http/executor.py", "", "query evaluation inside pyoxigraph (query worker)"),
    ("multiprocessing/connection.py", "", "pipe I/O between HTTP process and query workers"),
    ("selectors.py", "", "waiting in poll() for a query worker's answer"),
    ("asyncio/runners.py", "", "event loop (uvloop native: sockets, HTTP parsing)"),
    ("concurrent/futures/", "", "thread-pool hand-off to the executor"),
)
_FRAMEWORKS = ("fastapi", "starlette", "uvicorn", "pydantic", "anyio", "httptools", "h11")


def _area(file: str, func: str) -> str:
    """The area a leaf frame belongs to, from its (py-spy shortened) file path."""
    for prefix, name, area in _AREAS:
        if file.startswith(prefix) and (not name or func == name):
            return area
    top = file.split("/", 1)[0]
    if top in _FRAMEWORKS:
        return f"HTTP framework ({top})"
    if top in ("api", "graph", "queries"):
        return f"aseankg {file.rsplit('.', 1)[0]}"
    return top.removesuffix(".py") or "other"


def summarise_profile(raw: str, *, top: int = 8) -> Profile:
    """Summarise py-spy's ``--format raw`` (collapsed stacks) output: the share of samples
    per process kind (a stack through ``_worker_main`` is a query worker), per area of the
    leaf frame, and per leaf function."""
    areas: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    processes: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        worker = "_worker_main (api/http/executor.py" in stack
        processes["query worker processes" if worker else "HTTP process"] += count
        leaf = stack.rsplit(";", 1)[-1].strip()
        match = _FRAME.match(leaf)
        func, file = (match.group("func"), match.group("file")) if match else (leaf, "")
        areas[_area(file, func)] += count
        functions[f"{func} ({file})" if file else func] += count
    share = 100.0 / total if total else 0.0

    def ranked(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(k, round(v * share, 1)) for k, v in counter.most_common(top)]

    return Profile(total, ranked(areas), ranked(functions), ranked(processes))


def profile_server(py_spy: Path, pid: int, seconds: int, output: Path, load: list[str]) -> Profile:
    """Record ``pid`` and its subprocesses with py-spy while ``load`` (a wrk command) runs.

    Raises ``MeasureError`` when py-spy records nothing.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    recorder = subprocess.Popen(
        [
            str(py_spy),
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--rate",
            "250",
            "--duration",
            str(seconds),
            "--format",
            "raw",
            "--output",
            str(output),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(0.5)
    subprocess.run(load, capture_output=True, check=False)
    _, err = recorder.communicate(timeout=seconds + 60)
    if not output.exists() or output.stat().st_size == 0:
        raise MeasureError(f"py-spy recorded nothing: {err.decode(errors='replace')[-300:]}")
    return summarise_profile(output.read_text(encoding="utf-8", errors="replace"))
