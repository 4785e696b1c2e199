"""What differs between SPARQL engines: where their endpoints are, how they want a query
sent, how they authenticate writes, and how their failures read.

Two dialects are spoken (measured against Virtuoso 7.2.5 from Debian and Oxigraph server
0.5; docs/engines.md has the numbers and the dialects to come, QLever and Fuseki):

- ``virtuoso``: the URL names the SPARQL endpoint (``http://host:8890/sparql``). Queries
  go as a form-encoded POST (an ``application/sparql-query`` POST hangs); writes go to
  ``/sparql-graph-crud-auth`` (Graph Store Protocol) and updates to ``/sparql-auth``,
  both with HTTP digest authentication; graphs are read without credentials from
  ``/sparql-graph-crud``, so the query workers need none. Its default graph holds
  system graphs, so the union of our graphs is always named explicitly. ASK answers
  come back as a one-row SELECT of ``__ASK_RETVAL``; its JSON results write an
  ``xsd:boolean`` as ``1``/``0`` (its XML results write ``true``/``false``, so results
  are asked as XML); refusals come back as HTTP 500 with an SQL state in the text:
  ``SR186``/``SECURITY`` (no permission), ``SQ200``/"estimated execution time" (the
  cost estimate), and a result cut by its anytime limit says ``X-SQL-State: S1TAT``. A
  query the client gave up on runs on in the engine, so each query carries the API's
  time limit as ``timeout`` (milliseconds): the engine stops when the API does. It cuts
  every result at its ``ResultSetMaxRows`` (10,000 by default) without an error: a
  SELECT at that many rows (then it sends ``X-SPARQL-MaxRows``), a CONSTRUCT and a Graph
  Store Protocol GET at one more triple, with no header.
- ``oxigraph``: the URL names the server root (``http://host:7878``); ``/query``,
  ``/update`` and ``/store`` (Graph Store Protocol, ``graph=``); no authentication of
  its own (credentials, when given, go as HTTP basic to a proxy in front of it). It
  evaluates a default graph given as a list of graphs by scanning every listed graph for
  each triple pattern (an order of magnitude slower than one graph: docs/benchmarks.md),
  and refuses ``union-default-graph`` together with a list of named graphs, so a build
  also keeps the merge of its graphs in one graph, the query's only default graph
  (``merged_default``: docs/engines.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from aseankg.graph.errors import (
    GraphError,
    QueryError,
    QueryIOError,
    QueryRefusedError,
    QueryTimeoutError,
    StoreAccessError,
)

__all__ = ["DIALECTS", "Dialect"]

_DETAIL = 200


def _detail(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    line = lines[0] if lines else "no detail"
    return line if len(line) <= _DETAIL else line[: _DETAIL - 1] + "…"


@dataclass(frozen=True)
class Dialect:
    """One engine's ways. ``query_path`` etc. are appended to the server root (the URL
    without the dialect's ``endpoint_path``); ``graph_param`` names the graph in Graph
    Store Protocol requests; ``auth`` is how credentials are sent; ``merged_default``:
    a build also copies its graphs into one graph, read as the default graph."""

    name: str
    endpoint_path: str
    query_path: str
    update_path: str
    update_param: str
    store_path: str
    read_store_path: str
    graph_param: str
    auth: Literal["digest", "basic"]
    results: Literal["json", "xml"] = "json"
    ask_as_select: bool = False
    timeout_param: str | None = None  # a per-query time limit in milliseconds
    merged_default: bool = False  # a build keeps the merge of its graphs in one graph
    max_rows: int | None = None  # the engine's default cut of results (rows, triples)
    max_rows_header: str | None = None  # the header it sends when it may have cut

    def failure(self, status: int, text: str, *, writing: bool = False) -> GraphError:
        """The graph-layer error for an engine's answer ``status`` with body ``text``
        (``writing``: a load, update or record change, not a query)."""
        detail = _detail(text)
        upper = text.upper()
        if status in (401, 403) or "SR186" in upper or "SECURITY:" in upper:
            return StoreAccessError(
                f"the {self.name} engine refused access ({status}: {detail}); set "
                "ASEANKG_STORE_USER and ASEANKG_STORE_PASSWORD to an account that may "
                + ("write" if writing else "read")
            )
        if "SQ200" in upper or "ESTIMATED EXECUTION TIME" in upper:
            return QueryRefusedError(
                f"the {self.name} engine refused the query by its cost estimate: {detail}"
            )
        if "S1TAT" in upper:
            return QueryTimeoutError(f"the {self.name} engine ran out of time: {detail}")
        if status == 400 and not writing:
            return QueryError(f"the {self.name} engine refused the query: {detail}")
        return QueryIOError(f"the {self.name} engine failed ({status}): {detail}")


DIALECTS: dict[str, Dialect] = {
    "virtuoso": Dialect(
        name="virtuoso",
        endpoint_path="/sparql",
        query_path="/sparql",
        update_path="/sparql-auth",
        update_param="query",
        store_path="/sparql-graph-crud-auth",
        read_store_path="/sparql-graph-crud",
        graph_param="graph-uri",
        auth="digest",
        results="xml",
        ask_as_select=True,
        timeout_param="timeout",
        max_rows=10_000,
        max_rows_header="x-sparql-maxrows",
    ),
    "oxigraph": Dialect(
        name="oxigraph",
        endpoint_path="",
        query_path="/query",
        update_path="/update",
        update_param="update",
        store_path="/store",
        read_store_path="/store",
        graph_param="graph",
        auth="basic",
        merged_default=True,
    ),
}
