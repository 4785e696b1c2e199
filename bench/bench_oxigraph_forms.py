"""Oxigraph server: which form of a build's dataset is queried fast, measured in one run.

Usage: ``.venv/bin/python bench/bench_oxigraph_forms.py [--plans N] [--write]`` (default
20: the seed plans plus synthetic ones, bench/datasets.py). It starts an Oxigraph server
on loopback (bench/engines.py), builds the corpus's N-Quads dump into it twice through
``aseankg.graph.store.start_build`` (so the server holds a current and a previous build,
as it does in service), then times each query text (3 runs, the median; then the median
over a workload's texts) sent straight to the server with the current build named in
each of these forms:

- ``list``: today's form: every graph of the build as a ``default-graph-uri`` and as a
  ``named-graph-uri`` (Oxigraph scans each listed graph for every triple pattern);
- ``merged``: the build's triples also in one graph ``{base}store/{build}/default``, the
  only ``default-graph-uri``; the named graphs still listed for ``GRAPH`` patterns
  (the server's ``union-default-graph`` is no candidate: it refuses it with a list of
  named graphs, and without one it is every build of the server);

against the in-process pyoxigraph store of the same dump (union default graph, as the
embedded store is read), and through our API (``aseankg`` served on the server, the
result cache off) and over the embedded folder store. Each direct answer's number of
rows is checked against the in-process store's; a form that differs is marked ✗. The
analyst queries are those of bench/workloads.py; the page queries are bound to an actor,
a plan and an action line of the data, and the API column for them is the HTML page.
``--write`` puts the table into the Engines section of docs/benchmarks.md (its
"Oxigraph server: the form of a build" part only).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aseankg.graph.backends.engine import EngineBackend
from aseankg.graph.store import current_build
from aseankg.queries.loader import bind_query, load_query
from bench.bench_engines import _api, _load
from bench.datasets import prepare_corpus
from bench.engines import oxigraph_server
from bench.workloads import build_workloads, load_dump

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
RUNS = 3
PAGES = ("resource-in", "resource-out", "line-mentions", "line-place", "plan-sections")
_PICK = """
PREFIX akg: <https://w3id.org/aseankg/ontology#>
SELECT ?actor ?line ?plan WHERE {
  ?line a akg:ActionLine ; akg:plan ?plan ; akg:referencesActor ?actor .
} ORDER BY ?line LIMIT 1 OFFSET 40
"""
_DISTINCT = "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
_START = "<!-- oxigraph-forms:start -->"
_END = "<!-- oxigraph-forms:end -->"

Send = Callable[[str], tuple[float, tuple[int, int] | None, str]]


def _median_ms(call: Callable[[], httpx.Response]) -> tuple[float, httpx.Response]:
    times, response = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        try:
            response = call()
        except httpx.HTTPError as exc:  # reported as a failed cell, the run goes on
            response = httpx.Response(599, text=f"{type(exc).__name__}: {exc}")
        times.append((time.perf_counter() - started) * 1000)
    assert response is not None
    return statistics.median(times), response


def _rows(response: httpx.Response) -> tuple[int, int] | None:
    """The number of rows of a JSON answer, and of distinct rows."""
    if response.status_code != 200:
        return None
    data = json.loads(response.content)
    if "boolean" in data:
        return 1, 1
    rows = [
        tuple(sorted((k, v["type"], v["value"]) for k, v in row.items()))
        for row in data["results"]["bindings"]
    ]
    return len(rows), len(set(rows))


def _direct(root: str, dataset: list[tuple[str, str]]) -> Send:
    http = httpx.Client(timeout=300, trust_env=False)

    def send(text: str) -> tuple[float, tuple[int, int] | None, str]:
        body = urlencode([("query", text), *dataset]).encode("ascii")
        ms, response = _median_ms(
            lambda: http.post(
                f"{root}/query",
                content=body,
                headers={
                    "accept": "application/sparql-results+json",
                    "content-type": "application/x-www-form-urlencoded",
                },
            )
        )
        return ms, _rows(response), "" if response.status_code == 200 else response.text[:80]

    return send


def _through(url: str) -> Send:
    http = httpx.Client(base_url=url, timeout=300)

    def send(text: str) -> tuple[float, tuple[int, int] | None, str]:
        ms, response = _median_ms(
            lambda: http.post(
                "/sparql", data={"query": text}, headers={"accept": "application/json"}
            )
        )
        return ms, _rows(response), "" if response.status_code == 200 else response.text[:80]

    return send


def _page(url: str) -> Send:
    http = httpx.Client(base_url=url, timeout=300)

    def send(iri: str) -> tuple[float, tuple[int, int] | None, str]:
        ms, response = _median_ms(
            lambda: http.get("/id/" + iri.split("/id/", 1)[1], headers={"accept": "text/html"})
        )
        return ms, None, "" if response.status_code == 200 else str(response.status_code)

    return send


def _local(store: ox.Store) -> Send:
    def send(text: str) -> tuple[float, tuple[int, int] | None, str]:
        times, rows = [], (0, 0)
        for _ in range(RUNS):
            started = time.perf_counter()
            result = store.query(text, use_default_graph_as_union=True)
            if isinstance(result, ox.QuerySolutions):
                found = [tuple(str(term) for term in row) for row in result]
                rows = len(found), len(set(found))
            else:
                rows = 1, 1
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), rows, ""

    return send


def _first(store: ox.Store, text: str) -> list[ox.NamedNode | ox.Literal]:
    """The first row of a SELECT on ``store`` (union default graph)."""
    result = store.query(text, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return [term for term in next(iter(result)) if isinstance(term, ox.NamedNode | ox.Literal)]


def _cell(send: Send, texts: tuple[str, ...], local: ox.Store | None) -> tuple[float, list[str]]:
    """The median milliseconds over ``texts`` and what differs from the in-process
    answer: ``✗`` distinct rows differ, ``=set`` only duplicate rows collapsed."""
    times, notes = [], []
    for text in texts:
        took, got, failure = send(text)
        times.append(took)
        if failure:
            notes.append(f"✗ {failure}")
        elif local is not None and got is not None:
            expected = _local(local)(text)[1]
            assert expected is not None
            rows, distinct = expected
            if got[1] != distinct:
                notes.append(f"✗ {got[1]} distinct rows, expected {distinct}")
            elif got[0] != rows:
                notes.append(f"=set ({got[0]} rows, in-process {rows} with duplicates)")
    return statistics.median(times), notes


def _merge(root: str, graphs: tuple[str, ...], merged: str) -> float:
    """Seconds to fill ``merged`` with the triples of ``graphs`` on the server
    (SPARQL Update ``ADD``, server side, one request)."""
    started = time.monotonic()
    update = " ;\n".join(f"ADD SILENT <{g}> TO <{merged}>" for g in graphs)
    response = httpx.post(f"{root}/update", data={"update": update}, timeout=600)
    response.raise_for_status()
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--texts", type=int, default=2, help="bound texts per workload")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    dataset = prepare_corpus(args.plans)
    local = load_dump(dataset.dump)
    distinct = int(_first(local, _DISTINCT)[0].value)
    workloads = build_workloads(local)
    pick = _first(local, _PICK)
    actor, line, plan = (str(term.value) for term in pick)
    values = {"resource-in": actor, "resource-out": actor, "line-mentions": line,
              "line-place": line, "plan-sections": plan}  # fmt: skip
    pages = [
        (name, bind_query(load_query(f"pages/{name}"), {"this": values[name]})) for name in PAGES
    ]
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="aseankg-bench-oxiforms-") as tmp:
        folder = Path(tmp)
        with oxigraph_server(folder / "oxigraph") as engine:
            root = engine.url.removeprefix("oxigraph+")
            loads = [_load(engine.url, dataset.dump, dataset.store) for _ in range(2)]
            build = current_build(engine.url)
            assert build is not None
            base = build.manifest.base
            merged = f"{base}store/{build.id}/default"
            record = EngineBackend.from_url(engine.url).records()[0][build.id]
            if record.get("default") == merged:
                notes.append(
                    f"the build made the merged graph itself (its load: {loads[-1]:.1f} s)"
                )
                merge_s = None
            else:
                merge_s = _merge(root, build.graphs, merged)
            graphs = list(build.graphs)
            named = [("named-graph-uri", g) for g in graphs]
            columns: dict[str, Send] = {
                "in-process pyoxigraph": _local(local),
                "list (a)": _direct(root, [("default-graph-uri", g) for g in graphs] + named),
                "merged (b)": _direct(root, [("default-graph-uri", merged), *named]),
            }
            with _api(engine.url) as over_o, _api(dataset.store) as over_e:
                columns["API over server"] = _through(over_o)
                columns["API over embedded"] = _through(over_e)
                rows = []
                for workload in workloads:
                    texts = workload.texts[: args.texts]
                    cells = {name: _cell(send, texts, local) for name, send in columns.items()}
                    rows.append((f"{workload.name} ({workload.family})", cells))
                    print(rows[-1], flush=True)
                server_page, embedded_page = _page(over_o), _page(over_e)
                for name, text in pages:
                    cells = {
                        column: _cell(send, (text,), local)
                        for column, send in columns.items()
                        if not column.startswith("API")
                    }
                    cells["API over server"] = _cell(server_page, (values[name],), None)
                    cells["API over embedded"] = _cell(embedded_page, (values[name],), None)
                    rows.append((f"page {name}", cells))
                    print(rows[-1], flush=True)
    report = _report(args.plans, dataset.quads, distinct, loads, merge_s, rows, notes)
    print(report)
    if args.write:
        _write(report)


def _report(
    plans: int,
    quads: int,
    distinct: int,
    loads: list[float],
    merge_s: float | None,
    rows: list[tuple[str, dict[str, tuple[float, list[str]]]]],
    notes: list[str],
) -> str:
    names = list(rows[0][1])
    lines = [
        _START,
        "### Oxigraph server: the form of a build",
        "",
        f"One run of `bench/bench_oxigraph_forms.py --plans {plans}` ({quads:,} quads, "
        f"{distinct:,} distinct triples; {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, "
        "this shared 2-core machine). The server holds two builds (current and previous); "
        f"each load through `start_build` took {', '.join(f'{s:.1f}' for s in loads)} s"
        + (
            f"; filling the merged graph server-side (`ADD`) took {merge_s:.1f} s"
            if merge_s is not None
            else ""
        )
        + ("; " + "; ".join(notes) if notes else "")
        + ". Milliseconds, median of 3 runs, then over a workload's texts; "
        "× = the ratio to the in-process pyoxigraph store. ✗ = rows differ from it. "
        "Page rows: direct columns send the page's query, API columns fetch the HTML page.",
        "",
        "| query | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for label, cells in rows:
        floor = cells["in-process pyoxigraph"][0] or 1e-9
        out = []
        for name in names:
            ms, failures = cells[name]
            cell = f"{ms:,.1f} ({ms / floor:,.1f}×)"
            if failures:
                cell += f" {failures[0][:60]}"
            out.append(cell)
        lines.append(f"| {label} | " + " | ".join(out) + " |")
    lines.append(_END)
    return "\n".join(lines) + "\n"


def _write(section: str) -> None:
    text = DOC.read_text("utf-8")
    start, end = text.find(_START), text.find(_END)
    if start >= 0 and end > start:
        text = text[:start] + section + text[end + len(_END) + 1 :]
    else:
        marker = text.find("## Engines\n")
        after = text.find("\n## ", marker + 1) if marker >= 0 else -1
        if after < 0:
            text = text.rstrip() + "\n\n" + section
        else:
            text = text[: after + 1] + "\n" + section + text[after + 1 :]
    DOC.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
