"""Run SPARQL on the store with Oxigraph's own engine: the one way a query is executed.

:func:`execute` runs a :class:`QueryJob` (the query, its dataset, the
acceptable result formats, the byte budget) on a pyoxigraph store in the calling thread
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

import dataclasses
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal, cast

import pyoxigraph as ox

from aseankg.graph.backends.engine import EngineStore
from aseankg.graph.errors import (
    DatasetError,
    QueryError,
    QueryIOError,
    QuerySyntaxError,
    ResultFormatError,
    ResultTooLargeError,
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
    ``None`` means that kind of result is not acceptable. An ASK answers in
    ``solutions_format`` when that has a boolean form (JSON, XML), else in
    ``boolean_format`` (``None``: CSV/TSV have no boolean form, so the ASK is refused).

    A result is complete or an error: ``byte_budget`` (``None``: none) bounds the body, and
    a result over it raises :class:`ResultTooLargeError` before any byte is given, unless
    ``truncate`` asks for a prefix of its rows (or triples) that fits (halved until it
    does, so at least half the longest that would), marked ``truncated``. ``row_cap``
    (``None``: none) cuts SELECT rows and CONSTRUCT triples and marks the result
    ``truncated``: only asked for with ``truncate``.

    Values come into the query text through the one binding API, the loader's typed
    ``VALUES`` (``aseankg.queries.loader``), never pasted. ``default_graphs`` /
    ``named_graphs`` name the dataset; otherwise ``union`` makes the default graph the
    union of the named graphs. ``base_iri`` resolves relative IRIs in the query (``None``:
    a relative IRI is a syntax error). ``prefixes`` are written into Turtle-like results."""

    query: str
    union: bool = True
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    solutions_format: str | None = "json"
    graph_format: str | None = "ttl"
    boolean_format: str | None = None
    row_cap: int | None = None
    byte_budget: int | None = None
    truncate: bool = False
    base_iri: str | None = None
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class QueryResult:
    """A serialised result: ``format`` is the short name used; ``truncated`` says a row cap
    or the byte budget cut it (with ``truncate``) after ``rows`` rows or triples; ``size``
    is the body's length in bytes (``body`` is empty when it went to an ``output``);
    ``build`` names the build it was computed on (set by the caller that knows it; empty
    in-process)."""

    kind: ResultKind
    format: str
    body: bytes
    truncated: bool = False
    build: str = ""
    size: int = 0
    rows: int = 0


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
    if job.base_iri is not None:
        options["base_iri"] = job.base_iri
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


class _OverBudget(Exception):
    """Raised by :class:`_Budget` inside a serialiser: the body went over the budget."""


class _Budget:
    """A binary writer over ``target`` that counts the bytes and refuses (raises
    :class:`_OverBudget`) the write that would take them past ``limit``; ``reset`` empties
    ``target`` for another attempt (``target`` must be seekable)."""

    def __init__(self, target: IO[bytes], limit: int | None) -> None:
        self.target, self.limit, self.size = target, limit, 0
        self.start = target.tell()

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            raise _OverBudget
        return self.target.write(data)

    def flush(self) -> None:
        self.target.flush()

    @property
    def io(self) -> IO[bytes]:
        """This writer as the binary file the serialisers take (they only call ``write``)."""
        return cast("IO[bytes]", self)

    def reset(self) -> None:
        self.target.seek(self.start)
        self.target.truncate()
        self.size = 0


def _too_large(job: QueryJob) -> ResultTooLargeError:
    return ResultTooLargeError(
        f"the result is over the limit of {job.byte_budget} bytes: narrow the query "
        "(a LIMIT, fewer variables), ask for truncate=true to get its first rows, or "
        "download the dumps"
    )


def _halving(count: int) -> Iterator[int]:
    """``count``, then ever smaller prefixes down to 0: the attempts of a truncation."""
    while count > 0:
        yield count
        count //= 2
    yield 0


def _tsv_row(row: ox.QuerySolution, width: int) -> str:
    return "\t".join("" if row[i] is None else str(row[i]) for i in range(width))


def _solutions(results: ox.QuerySolutions, job: QueryJob, fmt: str, out: _Budget) -> QueryResult:
    if not job.truncate and job.row_cap is None:
        try:
            results.serialize(output=out.io, format=_results_format(fmt))
        except _OverBudget:
            raise _too_large(job) from None
        return QueryResult("solutions", fmt, b"", size=out.size)
    # the rows up to the cap (and, as TSV, up to the budget) kept as TSV (lossless), then
    # re-read so pyoxigraph writes the exact format; halved until they fit the budget
    names = [v.value for v in results.variables]
    head, held, complete = "\t".join("?" + n for n in names), 0, True
    lines: list[str] = []
    for row in results:
        if job.row_cap is not None and len(lines) >= job.row_cap:
            complete = False
            break
        lines.append(_tsv_row(row, len(names)))
        held += len(lines[-1]) + 1
        if job.byte_budget is not None and held > job.byte_budget:
            complete = False
            break
    for count in _halving(len(lines)):
        tsv = "\n".join([head, *lines[:count]]) + "\n"
        parsed = ox.parse_query_results(tsv.encode("utf-8"), format=ox.QueryResultsFormat.TSV)
        try:
            parsed.serialize(output=out.io, format=_results_format(fmt))
        except _OverBudget:
            if not job.truncate:
                raise _too_large(job) from None
            out.reset()
            continue
        cut = not complete or count < len(lines)
        return QueryResult("solutions", fmt, b"", cut, size=out.size, rows=count)
    raise _too_large(job)  # not even the header fits


def _graph(
    results: ox.QueryTriples | Iterator[ox.Triple], job: QueryJob, fmt: str, out: _Budget
) -> QueryResult:
    prefixes = dict(job.prefixes) if job.prefixes and by_name(fmt).takes_prefixes else None
    rdf = _rdf_format(fmt)
    if not job.truncate and job.row_cap is None:
        try:
            ox.serialize(results, output=out.io, format=rdf, prefixes=prefixes)
        except _OverBudget:
            raise _too_large(job) from None
        return QueryResult("graph", fmt, b"", size=out.size)
    triples: list[ox.Triple] = []
    complete = True
    for triple in results:
        if job.row_cap is not None and len(triples) >= job.row_cap:
            complete = False
            break
        triples.append(triple)
    for count in _halving(len(triples)):
        try:
            ox.serialize(triples[:count], output=out.io, format=rdf, prefixes=prefixes)
        except _OverBudget:
            if not job.truncate:
                raise _too_large(job) from None
            out.reset()
            continue
        cut = not complete or count < len(triples)
        return QueryResult("graph", fmt, b"", cut, size=out.size, rows=count)
    raise _too_large(job)


def _boolean(results: ox.QueryBoolean, job: QueryJob, out: _Budget) -> QueryResult:
    fmt = job.solutions_format
    if fmt is None or fmt not in _BOOLEAN_FORMATS:
        fmt = job.boolean_format
    if fmt is None or fmt not in _BOOLEAN_FORMATS:
        raise ResultFormatError(
            "no acceptable format for an ASK result (CSV and TSV have no boolean form; "
            "ask for SPARQL JSON or XML)"
        )
    results.serialize(output=out.io, format=_results_format(fmt))
    return QueryResult("boolean", fmt, b"", size=out.size)


_BOOLEAN_FORMATS = ("json", "xml")


def _serialise(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Iterator[ox.Triple],
    job: QueryJob,
    out: _Budget,
) -> QueryResult:
    if isinstance(results, ox.QueryBoolean):
        return _boolean(results, job, out)
    if isinstance(results, ox.QuerySolutions):
        if job.solutions_format is None:
            raise ResultFormatError("no acceptable format for a SELECT result")
        return _solutions(results, job, job.solutions_format, out)
    if job.graph_format is None:
        raise ResultFormatError("no acceptable format for a CONSTRUCT/DESCRIBE result")
    return _graph(results, job, job.graph_format, out)


def execute(
    store: ox.Store | EngineStore, job: QueryJob, *, output: IO[bytes] | None = None
) -> QueryResult:
    """Run ``job`` on ``store`` and serialise its result, in the calling thread: into
    ``output`` (a seekable binary file; the result's ``body`` is then empty) or, without
    one, into the result's ``body``. Rows stream from the engine to the serialiser, so
    memory stays small however large the result; the byte budget is checked as it goes.

    ``store`` is an embedded pyoxigraph store or a SPARQL engine's view of one build
    (:class:`~aseankg.graph.backends.engine.EngineStore`, whose answers arrive as
    pyoxigraph's result objects): caps and formats are applied here for both.

    Raises:
        QuerySyntaxError: the query does not parse.
        DatasetError: a dataset graph or a bound IRI is not an IRI.
        ResultFormatError: no acceptable format for the kind of result the query gives.
        ResultTooLargeError: the result is over ``job.byte_budget`` (without ``truncate``).
        EngineTruncatedError: a SPARQL engine cut the result at its row limit (without
            ``truncate``; with it, the cut result is marked ``truncated``).
        QueryIOError: reading the data failed (a damaged store, a SERVICE endpoint):
            the engine's ``OSError`` or ``RuntimeError`` (RocksDB reports damage so).
        QueryError: the query failed while running (the engine's ``ValueError``).

    >>> execute(ox.Store(), QueryJob("ASK {}")).body
    b'{"head":{},"boolean":true}'
    """
    options = _options(job)
    target = output if output is not None else io.BytesIO()
    try:
        result = _serialise(
            store.query(job.query, **options), job, _Budget(target, job.byte_budget)
        )
        if isinstance(store, EngineStore) and store.engine_cut(allowed=job.truncate):
            result = dataclasses.replace(result, truncated=True)  # the engine's own cut
    except SyntaxError as exc:
        raise QuerySyntaxError(f"the query does not parse: {_first_line(exc)}") from exc
    except (OSError, RuntimeError) as exc:
        raise QueryIOError(f"the query could not read its data: {_first_line(exc)}") from exc
    except ValueError as exc:
        raise QueryError(f"the query failed: {_first_line(exc)}") from exc
    if output is None:
        assert isinstance(target, io.BytesIO)
        return dataclasses.replace(result, body=target.getvalue())
    return result


def select_table(
    store: ox.Store | EngineStore, query: str, *, base_iri: str | None = None
) -> ResultTable:
    """Run a SELECT or ASK ``query`` (complete: no cap; relative IRIs against
    ``base_iri``) and return its rows as strings.

    Raises:
        QueryError: as :func:`execute`, or the query is a CONSTRUCT/DESCRIBE.
    """
    job = QueryJob(query, graph_format=None, base_iri=base_iri)
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
