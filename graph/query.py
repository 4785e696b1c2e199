"""Run SPARQL on the store with Oxigraph's own engine: the one way a query is executed.

:func:`execute` runs a :class:`QueryJob` (the query, its dataset, the
acceptable result formats and the row cap) on a pyoxigraph store in the calling thread
and gives a :class:`QueryResult`: serialised bytes in a format of the registry
(:mod:`aseankg.graph.formats`). The CLI calls it in-process; the endpoint calls it in
its query worker processes (``aseankg.api.http.executor``), which send the bytes back.
The default graph is the union of the named graphs unless the job names its dataset.

Raises (from :func:`execute`)::

    QuerySyntaxError    the query does not parse
    DatasetError        a dataset or bound IRI is not an IRI
    ResultFormatError   the result's kind (SELECT/ASK or CONSTRUCT/DESCRIBE) has no
                        acceptable format
    QueryIOError        reading the data failed (the store on disk is damaged, a SERVICE
                        endpoint failed): the engine's OSError or RuntimeError
    QueryError          the query failed while running (any other evaluation error)

>>> from pyoxigraph import Store
>>> job = QueryJob("SELECT ?x WHERE { BIND(1 AS ?x) }", solutions_format="csv")
>>> print(execute(Store(), job).body.decode(), end="")
x\r
1\r
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pyoxigraph as ox

from aseankg.graph.backends.engine import EngineStore
from aseankg.graph.errors import (
    DatasetError,
    QueryError,
    QueryIOError,
    QuerySyntaxError,
    ResultFormatError,
)
from aseankg.graph.formats import by_name

__all__ = [
    "QueryJob",
    "QueryResult",
    "ResultKind",
    "ResultTable",
    "execute",
    "render_table",
    "select_table",
    "table_from_json",
]

ResultKind = Literal["solutions", "boolean", "graph"]


@dataclass(frozen=True)
class QueryJob:
    """One query to run. Formats are short names of the registry (``json``, ``ttl`` ...);
    ``None`` means that kind of result is not acceptable. ``row_cap`` cuts SELECT rows and
    CONSTRUCT triples (``None``: no cap). Values come into the query text through the one
    binding API, the loader's typed ``VALUES`` (``aseankg.queries.loader``), never pasted.
    ``default_graphs`` / ``named_graphs`` name the dataset; otherwise ``union`` makes the
    default graph the union of the named graphs. ``prefixes`` are written into Turtle-like
    results."""

    query: str
    union: bool = True
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    solutions_format: str | None = "json"
    graph_format: str | None = "ttl"
    row_cap: int | None = 10_000
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class QueryResult:
    """A serialised result: ``format`` is the short name used, ``truncated`` says the
    row cap cut it, ``build`` names the build it was computed on (set by the caller that
    knows it; empty in-process)."""

    kind: ResultKind
    format: str
    body: bytes
    truncated: bool = False
    build: str = ""


@dataclass(frozen=True)
class ResultTable:
    """Rows of a SELECT (or ASK: one column ``boolean``) as display strings."""

    variables: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _options(job: QueryJob) -> dict[str, Any]:
    options: dict[str, Any] = {}
    try:
        if job.default_graphs is not None or job.named_graphs is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
        elif job.union:
            options["use_default_graph_as_union"] = True
    except ValueError as exc:
        raise DatasetError(f"invalid IRI: {_first_line(exc)}") from exc
    return options


def _results_format(name: str) -> ox.QueryResultsFormat:
    results = by_name(name).results
    if results is None:
        raise ResultFormatError(f"{name} is not a SPARQL results format")
    return results


def _rdf_format(name: str) -> ox.RdfFormat:
    rdf = by_name(name).rdf
    if rdf is None:
        raise ResultFormatError(f"{name} is not an RDF format")
    return rdf


def _solutions_tsv(results: ox.QuerySolutions, cap: int) -> tuple[bytes, bool]:
    names = [v.value for v in results.variables]
    lines = ["\t".join("?" + n for n in names)]
    truncated = False
    for count, row in enumerate(results):
        if count >= cap:
            truncated = True
            break
        lines.append("\t".join("" if row[i] is None else str(row[i]) for i in range(len(names))))
    return ("\n".join(lines) + "\n").encode("utf-8"), truncated


def _solutions(results: ox.QuerySolutions, job: QueryJob, fmt: str) -> QueryResult:
    if job.row_cap is None:
        return QueryResult("solutions", fmt, results.serialize(format=_results_format(fmt)) or b"")
    # the rows up to the cap as TSV (lossless), re-read so pyoxigraph writes the exact format
    tsv, truncated = _solutions_tsv(results, job.row_cap)
    if fmt != "tsv":
        parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        tsv = parsed.serialize(format=_results_format(fmt)) or b""
    return QueryResult("solutions", fmt, tsv, truncated)


def _graph(results: Iterable[ox.Triple], job: QueryJob, fmt: str) -> QueryResult:
    triples = []
    truncated = False
    for count, triple in enumerate(results):
        if job.row_cap is not None and count >= job.row_cap:
            truncated = True
            break
        triples.append(triple)
    prefixes = dict(job.prefixes) if job.prefixes and by_name(fmt).takes_prefixes else None
    body = ox.serialize(triples, format=_rdf_format(fmt), prefixes=prefixes) or b""
    return QueryResult("graph", fmt, body, truncated)


def _serialise(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Iterator[ox.Triple],
    job: QueryJob,
) -> QueryResult:
    if isinstance(results, ox.QueryBoolean):
        if job.solutions_format is None:
            raise ResultFormatError("no acceptable format for an ASK result")
        fmt = job.solutions_format
        return QueryResult("boolean", fmt, results.serialize(format=_results_format(fmt)) or b"")
    if isinstance(results, ox.QuerySolutions):
        if job.solutions_format is None:
            raise ResultFormatError("no acceptable format for a SELECT result")
        return _solutions(results, job, job.solutions_format)
    if job.graph_format is None:
        raise ResultFormatError("no acceptable format for a CONSTRUCT/DESCRIBE result")
    return _graph(results, job, job.graph_format)


def execute(store: ox.Store | EngineStore, job: QueryJob) -> QueryResult:
    """Run ``job`` on ``store`` and serialise its result, in the calling thread.

    ``store`` is an embedded pyoxigraph store or a SPARQL engine's view of one build
    (:class:`~aseankg.graph.backends.engine.EngineStore`, whose answers arrive as
    pyoxigraph's result objects): caps and formats are applied here for both.

    Raises:
        QuerySyntaxError: the query does not parse.
        DatasetError: a dataset graph or a bound IRI is not an IRI.
        ResultFormatError: no acceptable format for the kind of result the query gives.
        QueryIOError: reading the data failed (a damaged store, a SERVICE endpoint):
            the engine's ``OSError`` or ``RuntimeError`` (RocksDB reports damage so).
        QueryError: the query failed while running (the engine's ``ValueError``).

    >>> execute(ox.Store(), QueryJob("ASK {}")).body
    b'{"head":{},"boolean":true}'
    """
    options = _options(job)
    try:
        return _serialise(store.query(job.query, **options), job)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"the query does not parse: {_first_line(exc)}") from exc
    except (OSError, RuntimeError) as exc:
        raise QueryIOError(f"the query could not read its data: {_first_line(exc)}") from exc
    except ValueError as exc:
        raise QueryError(f"the query failed: {_first_line(exc)}") from exc


def select_table(store: ox.Store | EngineStore, query: str) -> ResultTable:
    """Run a SELECT or ASK ``query`` (no row cap) and return its rows as strings.

    Raises:
        QueryError: as :func:`execute`, or the query is a CONSTRUCT/DESCRIBE.
    """
    job = QueryJob(query, graph_format=None, row_cap=None)
    try:
        result = execute(store, job)
    except ResultFormatError as exc:
        raise QueryError("a table needs a SELECT or ASK query") from exc
    return table_from_json(json.loads(result.body))


def table_from_json(data: dict[str, Any]) -> ResultTable:
    """A table from W3C SPARQL JSON results (as an endpoint returns them).

    Raises:
        QueryError: ``data`` is not SPARQL JSON results.
    """
    if "boolean" in data:
        return ResultTable(("boolean",), ((str(bool(data["boolean"])).lower(),),))
    try:
        names = tuple(str(name) for name in data["head"]["vars"])
        bindings: Iterable[dict[str, dict[str, str]]] = data["results"]["bindings"]
        rows = tuple(
            tuple(str(row.get(name, {}).get("value", "")) for name in names) for row in bindings
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise QueryError("the endpoint did not answer with SPARQL JSON results") from exc
    return ResultTable(names, rows)


def _cell(value: str, width: int) -> str:
    return value.replace("\n", " ").ljust(width)


def render_table(table: ResultTable, *, max_width: int = 60) -> str:
    """A plain text table with a header, a rule and a row count line."""
    shown: list[Sequence[str]] = [[value.replace("\n", " ") for value in row] for row in table.rows]
    clipped = [
        [v if len(v) <= max_width else v[: max_width - 1] + "…" for v in row] for row in shown
    ]
    widths = [
        max([len(name)] + [len(row[i]) for row in clipped])
        for i, name in enumerate(table.variables)
    ]
    out = io.StringIO()
    out.write("  ".join(_cell(n, w) for n, w in zip(table.variables, widths, strict=True)).rstrip())
    out.write("\n" + "  ".join("-" * w for w in widths) + "\n")
    for row in clipped:
        out.write("  ".join(_cell(v, w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")
    count = len(table.rows)
    out.write(f"({count} row{'s' if count != 1 else ''})\n")
    return out.getvalue()
