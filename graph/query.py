"""Run SPARQL on the store with Oxigraph's own engine, and render the results.

The default graph is the union of the named graphs. SELECT and ASK results come out in
the W3C SPARQL results formats (JSON, CSV, TSV, XML) or as a plain text table;
CONSTRUCT and DESCRIBE results as RDF (Turtle, N-Triples ...).

>>> from pyoxigraph import Store
>>> print(run_query(Store(), "SELECT ?x WHERE { BIND(1 AS ?x) }", "csv").decode(), end="")
x\r
1\r
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Store,
)

from aseankg.graph.errors import QueryError
from aseankg.graph.formats import GRAPH_FORMATS, SOLUTION_FORMATS, by_name, find_format

__all__ = [
    "RESULT_FORMATS",
    "ResultTable",
    "render_table",
    "run_query",
    "select_table",
    "table_from_json",
]

RESULT_FORMATS = ("table", *(fmt.name for fmt in SOLUTION_FORMATS))


@dataclass(frozen=True)
class ResultTable:
    """Rows of a SELECT (or ASK: one column ``boolean``) as display strings."""

    variables: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _execute(store: Store, query: str) -> QuerySolutions | QueryBoolean | QueryTriples:
    try:
        return store.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {str(exc).splitlines()[0]}") from exc
    except (OSError, ValueError) as exc:
        raise QueryError(f"the query failed: {exc}") from exc


def _display(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode | Literal | BlankNode):
        return term.value
    return str(term)


def select_table(store: Store, query: str) -> ResultTable:
    """Run a SELECT or ASK ``query`` and return its rows as strings.

    Raises:
        QueryError: the query does not parse, fails, or is a CONSTRUCT/DESCRIBE.
    """
    result = _execute(store, query)
    if isinstance(result, QueryBoolean):
        return ResultTable(("boolean",), ((str(bool(result)).lower(),),))
    if not isinstance(result, QuerySolutions):
        raise QueryError("a table needs a SELECT or ASK query")
    names = tuple(variable.value for variable in result.variables)
    try:
        rows = tuple(tuple(_display(solution[name]) for name in names) for solution in result)
    except OSError as exc:
        raise QueryError(f"the query failed: {exc}") from exc
    return ResultTable(names, rows)


def run_query(store: Store, query: str, format: str = "json") -> bytes:
    """Run ``query`` and serialise its result in ``format``.

    ``format`` is one of json, csv, tsv, xml (W3C results formats for SELECT/ASK; for
    CONSTRUCT/DESCRIBE: JSON-LD, N-Triples, RDF/XML) or table; ttl and nt also serve
    CONSTRUCT/DESCRIBE.

    Raises:
        QueryError: the query does not parse or fails, or ``format`` does not fit it.
    """
    if format == "table":
        return render_table(select_table(store, query)).encode("utf-8")
    result = _execute(store, query)
    try:
        if isinstance(result, QueryTriples):
            graph = find_format(format, GRAPH_FORMATS)
            if graph is None and find_format(format, SOLUTION_FORMATS) is not None:
                graph = by_name("nt")  # a table format asked: one triple a line
            if graph is None or graph.rdf is None:
                raise QueryError(f"format {format} does not fit a CONSTRUCT/DESCRIBE query")
            return bytes(result.serialize(format=graph.rdf) or b"")
        solutions = find_format(format, SOLUTION_FORMATS)
        if solutions is None or solutions.results is None:
            raise QueryError(f"format {format} does not fit a SELECT/ASK query")
        return bytes(result.serialize(format=solutions.results) or b"")
    except OSError as exc:
        raise QueryError(f"the query failed: {exc}") from exc


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
