"""SPARQL engines behind the API: load rates into each store, and the analyst queries
through our API over Virtuoso, Virtuoso direct, and our API over the embedded store
side by side in one run (and one query over Oxigraph server).

Usage: ``.venv/bin/python bench/bench_engines.py [--plans N]`` (default 40: the seed
plans plus synthetic ones, bench/datasets.py). It starts Virtuoso and Oxigraph server on
loopback (bench/engines.py), loads the corpus's N-Quads dump into each backend through
``aseankg.graph.store.start_build`` (the same code ``aseankg build`` uses) and commits it,
serves each with the API (its result cache off) and times each bound query of
bench/workloads.py: 3 runs, the median, one query at a time. "Virtuoso direct" sends the
same text straight to Virtuoso's endpoint with the build's graphs as the dataset, as our
engine store does, without our API, sandboxed worker and re-serialisation. It writes
the Engines section of docs/benchmarks.md.

``--virtuoso-loads``: only the load into one Virtuoso by Graph Store Protocol POSTs
against its bulk loader (``ASEANKG_STORE_ISQL``), alternately, twice each, into its own
subsection of the Engines section.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aseankg.api.app import create_app
from aseankg.api.http.settings import Settings
from aseankg.graph.store import current_build, read_manifest, start_build
from bench.datasets import prepare_corpus
from bench.engines import Engine, free_port, oxigraph_server, virtuoso
from bench.workloads import Workload, build_workloads, load_dump

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
RUNS = 3


def _load(store: str, dump: Path, source: Path) -> float:
    """Seconds to load ``dump`` into a new build of ``store`` and commit it."""
    started = time.monotonic()
    with start_build(store) as build:
        build.load([dump])
        build.commit(read_manifest(source))
    return time.monotonic() - started


@contextmanager
def _api(store: str | Path) -> Iterator[str]:
    settings = Settings(store=store, query_timeout=60.0, query_workers=2, cache_bytes=0)
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the API did not start")
        time.sleep(0.2)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(30)


def _time(send: Callable[[str], httpx.Response], text: str) -> tuple[float, str]:
    """The median of RUNS runs in milliseconds, and "" or what failed."""
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = send(text)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            detail = response.text.strip().splitlines()[0][:120] if response.text else ""
            return statistics.median(times), f"{response.status_code} {detail}"
    return statistics.median(times), ""


def _direct(engine: Engine) -> Callable[[str], httpx.Response]:
    build = current_build(engine.url)
    assert build is not None
    dataset = [("default-graph-uri", g) for g in build.graphs]
    dataset += [("named-graph-uri", g) for g in build.graphs]
    http = httpx.Client(timeout=120, trust_env=False)

    def send(text: str) -> httpx.Response:
        return http.post(
            engine.endpoint,
            content=urlencode([("query", text), *dataset]).encode("ascii"),
            headers={
                "accept": "application/sparql-results+xml",
                "content-type": "application/x-www-form-urlencoded",
            },
        )

    return send


def _through(url: str) -> Callable[[str], httpx.Response]:
    http = httpx.Client(base_url=url, timeout=120)

    def send(text: str) -> httpx.Response:
        return http.post("/sparql", data={"query": text}, headers={"accept": "application/json"})

    return send


def _measure(
    workloads: list[Workload], columns: dict[str, Callable[[str], httpx.Response]]
) -> list[tuple[str, dict[str, str]]]:
    rows = []
    for workload in workloads:
        cells: dict[str, str] = {}
        for name, send in columns.items():
            medians, failures = [], []
            for text in workload.texts:
                ms, failure = _time(send, text)
                medians.append(ms)
                if failure:
                    failures.append(failure)
            value = f"{statistics.median(medians):.1f}"
            cells[name] = value if not failures else f"{value} ({failures[0][:60]})"
        rows.append((f"{workload.name} ({workload.family})", cells))
        print(workload.name, cells, flush=True)
    return rows


def _report(
    plans: int, quads: int, loads: dict[str, float], rows: list[tuple[str, dict[str, str]]]
) -> str:
    names = list(rows[0][1]) if rows else []
    extra = [(label, cells) for label, cells in rows if list(cells) != names]
    rows = [(label, cells) for label, cells in rows if list(cells) == names]
    lines = [
        "## Engines",
        "",
        f"One run of `bench/bench_engines.py --plans {plans}` ({quads:,} quads; "
        f"{time.strftime('%Y-%m-%d', time.gmtime())}, this 2-core machine, shared with other "
        "work: compare columns of one row, not runs). Load: the corpus's N-Quads dump into "
        "a new build through `start_build(...).load()` and its commit (embedded: Oxigraph's "
        "bulk loader; engines: one Graph Store Protocol POST per 20,000 triples).",
        "",
        "| store | load seconds | quads/s |",
        "|---|---|---|",
    ]
    for name, seconds in loads.items():
        lines.append(f"| {name} | {seconds:.1f} | {quads / seconds:,.0f} |")
    lines += [
        "",
        f"Analyst queries, median of {RUNS} runs of each bound text, then the median over "
        "the texts, milliseconds (result cache off; one query at a time). A failure is "
        "shown with its status.",
        "",
        "| query | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for label, cells in rows:
        lines.append(f"| {label} | " + " | ".join(cells[n] for n in names) + " |")
    for label, cells in extra:
        for name, value in cells.items():
            lines += [
                "",
                f"{name}, {label}: {value} ms (docs/engines.md: one merged graph per build).",
            ]
    return "\n".join(lines) + "\n"


def _write(section: str) -> None:
    text = DOC.read_text("utf-8") if DOC.exists() else "# Benchmarks\n"
    start = text.find("## Engines\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    DOC.write_text(text, "utf-8")


LOADS_HEADING = "### Virtuoso: Graph Store Protocol or its bulk loader"


def _virtuoso_loads(plans: int) -> None:
    """Load the same dump into one Virtuoso by GSP POSTs and by its bulk loader
    (``ASEANKG_STORE_ISQL``), alternately, twice each; write the subsection
    :data:`LOADS_HEADING` of the Engines section (the rest of it is left as it is)."""
    dataset = prepare_corpus(plans)
    seconds: dict[str, list[float]] = {"Graph Store Protocol POSTs": [], "bulk loader": []}
    with (
        tempfile.TemporaryDirectory(prefix="aseankg-bench-loads-") as tmp,
        virtuoso(Path(tmp) / "virtuoso") as v,
    ):
        os.environ.update(v.environment())
        load_dir = v.folder / "load"
        load_dir.mkdir()
        for _ in range(2):
            for mode in seconds:
                if mode == "bulk loader":
                    os.environ["ASEANKG_STORE_ISQL"] = v.isql
                    os.environ["ASEANKG_STORE_LOAD_DIR"] = str(load_dir)
                else:
                    os.environ.pop("ASEANKG_STORE_ISQL", None)
                    os.environ.pop("ASEANKG_STORE_LOAD_DIR", None)
                seconds[mode].append(_load(v.url, dataset.dump, dataset.store))
                print(mode, seconds[mode][-1], flush=True)
    lines = [
        LOADS_HEADING,
        "",
        f"`bench/bench_engines.py --virtuoso-loads --plans {plans}` ({dataset.quads:,} quads; "
        f"{time.strftime('%Y-%m-%d', time.gmtime())}, this shared 2-core machine): the same "
        "dump into one Virtuoso 7.2.5 through `start_build(...).load()` and its commit, the "
        "two ways alternately, twice each (each a whole build: the record, the commit, the "
        "previous build dropped).",
        "",
        "| load | seconds (each run) | quads/s (best) |",
        "|---|---|---|",
    ]
    for mode, runs in seconds.items():
        times = ", ".join(f"{t:.1f}" for t in runs)
        lines.append(f"| {mode} | {times} | {dataset.quads / min(runs):,.0f} |")
    section = "\n".join(lines) + "\n"
    text = DOC.read_text("utf-8")
    start = text.find(LOADS_HEADING)
    if start >= 0:
        end = text.find("\n#", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    else:
        engines = text.find("## Engines\n")
        end = text.find("\n## ", engines + 1) if engines >= 0 else -1
        if end >= 0:
            text = text[: end + 1] + section + text[end:]
        else:
            text = text.rstrip() + "\n\n" + section
    DOC.write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=40)
    parser.add_argument(
        "--virtuoso-loads",
        action="store_true",
        help="only the load into Virtuoso by GSP POSTs against its bulk loader",
    )
    args = parser.parse_args()
    if args.virtuoso_loads:
        _virtuoso_loads(args.plans)
        return
    dataset = prepare_corpus(args.plans)
    workloads = build_workloads(load_dump(dataset.dump))
    with tempfile.TemporaryDirectory(prefix="aseankg-bench-engines-") as tmp:
        folder = Path(tmp)
        with virtuoso(folder / "virtuoso") as v, oxigraph_server(folder / "oxigraph") as o:
            os.environ.update(v.environment())
            loads = {
                "embedded Oxigraph": _load(str(folder / "store"), dataset.dump, dataset.store),
                "Virtuoso 7.2.5": _load(v.url, dataset.dump, dataset.store),
                "Oxigraph server 0.5": _load(o.url, dataset.dump, dataset.store),
            }
            print(loads, flush=True)
            with _api(v.url) as over_v, _api(folder / "store") as over_e:
                columns = {
                    "API over Virtuoso": _through(over_v),
                    "Virtuoso direct": _direct(v),
                    "API over embedded": _through(over_e),
                }
                rows = _measure(workloads, columns)
            with _api(o.url) as over_o:  # one query shape: the explicit dataset's cost
                rows += _measure(workloads[:1], {"API over Oxigraph server": _through(over_o)})
    _write(_report(args.plans, dataset.quads, loads, rows))


if __name__ == "__main__":
    main()
