"""What a query job is and how one runs in-process: ``execute_job(store, job)`` runs a
:class:`QueryJob` on a pyoxigraph store and serialises its result (formats, row cap,
dataset, bindings, dumps) in the calling thread, giving a :class:`QueryResult` or a
:class:`Failure`. The executor (``aseankg.api.http.executor``) runs it in worker processes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from aseankg.graph.formats import by_name
from aseankg.queries.loader import load_query

__all__ = ["Failure", "QueryJob", "QueryResult", "ResultKind", "execute_job"]

ResultKind = Literal["solutions", "boolean", "graph"]


@dataclass(frozen=True)
class QueryJob:
    """One query to run. Formats are short names (``json``, ``ttl`` ...); ``None`` means
    that kind of result is not acceptable. ``bindings`` holds ``(variable, "iri"|"literal",
    value)`` triples, bound by pyoxigraph (SEP-0007 substitution), never pasted."""

    query: str
    union: bool = True
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    solutions_format: str | None = "json"
    graph_format: str | None = "ttl"
    row_cap: int = 10_000
    bindings: tuple[tuple[str, str, str], ...] = ()
    prefixes: tuple[tuple[str, str], ...] = ()
    dump_to: str | None = None


@dataclass(frozen=True)
class QueryResult:
    """A serialised result: ``format`` is the short name used, ``truncated`` says the
    row cap cut it, ``build`` is the build directory it was computed on."""

    kind: ResultKind
    format: str
    body: bytes
    truncated: bool = False
    build: str = ""


@dataclass(frozen=True)
class Failure:
    """Why a job gave no result: ``kind`` (syntax, dataset, not-acceptable, store, error;
    the egress screen adds update, refused, federate, remote) and a one-line message."""

    kind: Literal[
        "syntax",
        "dataset",
        "not-acceptable",
        "store",
        "error",
        "update",
        "refused",
        "federate",
        "remote",
    ]
    message: str


def _results_format(name: str) -> ox.QueryResultsFormat:
    results = by_name(name).results
    assert results is not None, name
    return results


def _rdf_format(name: str) -> ox.RdfFormat:
    rdf = by_name(name).rdf
    assert rdf is not None, name
    return rdf


def _term(kind: str, value: str) -> ox.NamedNode | ox.Literal:
    return ox.NamedNode(value) if kind == "iri" else ox.Literal(value)


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


def _serialise(results: Any, job: QueryJob) -> QueryResult | Failure:
    if isinstance(results, ox.QueryBoolean):
        if job.solutions_format is None:
            return Failure("not-acceptable", "no acceptable format for an ASK result")
        body = results.serialize(format=_results_format(job.solutions_format)) or b""
        return QueryResult("boolean", job.solutions_format, body)
    if isinstance(results, ox.QuerySolutions):
        if job.solutions_format is None:
            return Failure("not-acceptable", "no acceptable format for a SELECT result")
        tsv, truncated = _solutions_tsv(results, job.row_cap)
        fmt = job.solutions_format
        if fmt != "tsv":  # re-read the capped rows so pyoxigraph writes the exact format
            parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
            tsv = parsed.serialize(format=_results_format(fmt)) or b""
        return QueryResult("solutions", fmt, tsv, truncated)
    if job.graph_format is None:
        return Failure("not-acceptable", "no acceptable format for a CONSTRUCT/DESCRIBE result")
    triples = []
    truncated = False
    for count, triple in enumerate(results):
        if count >= job.row_cap:
            truncated = True
            break
        triples.append(triple)
    prefixes = dict(job.prefixes) if by_name(job.graph_format).takes_prefixes else None
    body = ox.serialize(triples, format=_rdf_format(job.graph_format), prefixes=prefixes) or b""
    return QueryResult("graph", job.graph_format, body, truncated)


def _dump(store: ox.Store, job: QueryJob) -> QueryResult:
    """Write the whole dataset (N-Quads, lines sorted so equal data gives equal bytes) or
    its union graph (any graph format) to ``job.dump_to``, via a temporary file."""
    assert job.dump_to is not None and job.graph_format is not None
    target = Path(job.dump_to)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    if job.graph_format == "nq":
        lines = (store.dump(format=ox.RdfFormat.N_QUADS) or b"").splitlines(keepends=True)
        partial.write_bytes(b"".join(sorted(lines)))
    else:
        triples = store.query(load_query("exports/graph").text, use_default_graph_as_union=True)
        assert isinstance(triples, ox.QueryTriples)
        fmt = _rdf_format(job.graph_format)
        ox.serialize(triples, str(partial), format=fmt, prefixes=dict(job.prefixes) or None)
    os.replace(partial, target)
    return QueryResult("graph", job.graph_format, b"")


def execute_job(store: ox.Store, job: QueryJob) -> QueryResult | Failure:
    """Run ``job`` on ``store`` and serialise its result, in the calling thread.

    Never raises for a bad query: returns a :class:`Failure` instead (the parent turns it
    into an HTTP error).

    >>> store = ox.Store()
    >>> execute_job(store, QueryJob("ASK {}")).body
    b'{"head":{},"boolean":true}'
    """
    if job.dump_to is not None:
        return _dump(store, job)
    options: dict[str, Any] = {}
    try:
        if job.default_graphs is not None or job.named_graphs is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
        elif job.union:
            options["use_default_graph_as_union"] = True
        if job.bindings:
            options["substitutions"] = {ox.Variable(k): _term(t, v) for k, t, v in job.bindings}
    except ValueError as exc:
        return Failure("dataset", f"invalid IRI: {exc}")
    try:
        results = store.query(job.query, **options)
        return _serialise(results, job)
    except SyntaxError as exc:
        return Failure("syntax", str(exc))
    except (OSError, ValueError, RuntimeError) as exc:
        return Failure("error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
