"""``aseankg query NAME|FILE``: run a named query or a .rq file, locally or on an endpoint."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import typer

from aseankg.api.commands.store_errors import STORE_HELP, check_store_option, reading_store
from aseankg.graph.errors import QueryError
from aseankg.graph.formats import GRAPH_FORMATS, SOLUTION_FORMATS, by_name, find_format
from aseankg.graph.query import QueryJob, execute, render_table, select_table, table_from_json
from aseankg.graph.store import DEFAULT_STORE, open_store, read_manifest
from aseankg.queries.loader import NamedQuery, QueryLoadError, bind_query, load_query

if TYPE_CHECKING:
    from aseankg.graph.store import ReadStore

__all__ = ["OUTPUT_FORMATS", "misused_params", "parse_params", "query", "register"]

OUTPUT_FORMATS = ("table", *(fmt.name for fmt in SOLUTION_FORMATS))


def parse_params(items: list[str]) -> dict[str, str]:
    """``["k=v", ...]`` as a dict.

    Raises:
        typer.BadParameter: an item has no ``=``.
    """
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        values[name.strip()] = value
    return values


def misused_params(named: NamedQuery, values: Mapping[str, str]) -> bool:
    """Whether ``values`` name a parameter ``named`` does not have, or leave out one it
    requires: a usage error, unlike a value the parameter's type refuses."""
    known = {p.name for p in named.params}
    required = {p.name for p in named.params if p.required}
    return bool(set(values) - known or required - set(values))


def _check_plan(values: Mapping[str, str], named: NamedQuery, store: str) -> None:
    """Refuse a ``plan`` parameter that names no plan of the store at ``store``.

    Raises:
        QueryError: the store holds no plan of that id (a bad value: exit 1).
    """
    plan = values.get("plan", "").strip()
    if not plan or named.param("plan") is None:
        return
    held = sorted(entry.plan for entry in read_manifest(store).plans)
    if plan not in held:
        known = ", ".join(held[:10]) + (f" and {len(held) - 10} more" if len(held) > 10 else "")
        raise QueryError(
            f"parameter plan: the store at {store} holds no plan {plan!r} "
            f"(it holds {known or 'no plan'})"
        )


_ACCEPT = {
    "table": "application/sparql-results+json",
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "xml": "application/sparql-results+xml",
}
_ERROR_BYTES = 65536


def _refusal(error: HTTPError) -> str:
    """What an endpoint's error response says, in one line: a problem+json ``detail``
    (our server's, with the query's line:column), else the body's first line."""
    status = f"HTTP {error.code}"
    try:
        body = error.read(_ERROR_BYTES).decode("utf-8", "replace")
    except OSError:
        body = ""
    try:
        problem: Any = json.loads(body)
    except ValueError:
        problem = None
    if isinstance(problem, dict) and isinstance(problem.get("detail"), str):
        title = problem.get("title")
        return (
            f"{status} {title}: {problem['detail']}" if title else f"{status}: {problem['detail']}"
        )
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    text = lines[0] if lines and not lines[0].startswith("<") else (error.reason or "")
    return f"{status}: {text}" if text else status


def _on_endpoint(url: str, text: str, format: str) -> bytes:
    """POST ``text`` to the SPARQL endpoint at ``url`` (SPARQL 1.1 Protocol, a form);
    answer in ``format``.

    The request is made with urllib rather than SPARQLWrapper, which turns every 400
    into its generic "QueryBadFormed" and drops the endpoint's own explanation.

    Raises:
        QueryError: the URL is not http(s), the endpoint cannot be reached, or it refuses
            the query (with what it said, e.g. ``HTTP 400 Bad request: ... line 3,
            column 7``).
    """
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise QueryError(f"the endpoint {url} is not an http:// or https:// URL")
    request = Request(
        url,
        data=urlencode({"query": text}).encode("utf-8"),
        headers={
            "Accept": _ACCEPT[format],
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "aseankg-cli",
        },
        method="POST",
    )
    try:
        with urlopen(request, timeout=120) as response:
            cut = response.headers.get("X-SPARQL-Truncated")
            body = bytes(response.read())
    except HTTPError as exc:
        raise QueryError(f"the endpoint {url} refused the query: {_refusal(exc)}") from exc
    except (URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise QueryError(f"the endpoint {url} cannot be reached: {reason}") from exc
    if cut is not None:  # never print a cut answer as if it were whole
        raise QueryError(f"the endpoint {url} cut the result (X-SPARQL-Truncated: {cut})")
    if format != "table":
        return body
    try:
        data: Any = json.loads(body)
    except ValueError as exc:
        raise QueryError(f"the endpoint {url} did not answer with SPARQL JSON results") from exc
    if not isinstance(data, dict):
        raise QueryError(f"the endpoint {url} did not answer with SPARQL JSON results")
    return render_table(table_from_json(data)).encode("utf-8")


def _on_store(store: ReadStore, text: str, format: str, base: str | None) -> bytes:
    """Run ``text`` on ``store``, complete (no row cap, no byte budget), relative IRIs
    resolved against ``base`` as the endpoint does; answer in ``format``. A CONSTRUCT or
    DESCRIBE asked as json/xml gives JSON-LD/RDF-XML, asked as csv/tsv N-Triples; an ASK
    asked as csv/tsv is an error (they have no boolean form; the endpoint says 406).

    Raises:
        QueryError: the query does not parse, fails, or ``format`` does not fit it.
    """
    if format == "table":
        return render_table(select_table(store, text, base_iri=base)).encode("utf-8")
    graph = find_format(format, GRAPH_FORMATS) or by_name("nt")
    job = QueryJob(text, solutions_format=format, graph_format=graph.name, base_iri=base)
    return execute(store, job).body


def query(
    name: Annotated[str, typer.Argument(help="A named query (see docs/queries.md) or a .rq file.")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", help="A parameter of the query as NAME=VALUE (repeatable)."),
    ] = None,
    store: Annotated[
        str, typer.Option("--store", help=STORE_HELP, callback=check_store_option)
    ] = str(DEFAULT_STORE),
    endpoint: Annotated[
        str | None,
        typer.Option("--endpoint", help="Run on this SPARQL endpoint URL instead of the store."),
    ] = None,
    format: Annotated[
        str,
        typer.Option(
            "--format", help="table, or a W3C SPARQL results format: csv, json (also tsv, xml)."
        ),
    ] = "table",
) -> None:
    """Run a named query (or a .rq file) and print its results on stdout.

    Parameters are bound as typed RDF terms after checking their values, never pasted
    into the query text. Exit 2 for a missing or unknown parameter name (a usage error);
    exit 1 for an unknown query, a bad parameter value (a plan the store does not hold,
    too), a failing query, an endpoint's refusal (with what it said) or a damaged store.
    """
    if format not in OUTPUT_FORMATS:
        raise typer.BadParameter(
            f"{format!r} is not one of {', '.join(OUTPUT_FORMATS)}", param_hint="--format"
        )
    values = parse_params(param or [])
    try:
        named = load_query(name)
    except QueryLoadError as exc:
        raise QueryError(str(exc)) from exc
    try:
        text = bind_query(named, values)
    except QueryLoadError as exc:
        if misused_params(named, values):
            raise typer.BadParameter(str(exc), param_hint="--param") from exc
        raise QueryError(str(exc)) from exc
    if endpoint is not None:
        output = _on_endpoint(endpoint, text, format)
    else:
        with reading_store(store):
            _check_plan(values, named, store)
            base = read_manifest(store).base or None
            output = _on_store(open_store(store), text, format, base)
    sys.stdout.buffer.write(output)
    if format in ("json", "xml") and not output.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    sys.stdout.buffer.flush()


def register(app: typer.Typer) -> None:
    """Add the ``query`` command to ``app``."""
    app.command("query")(query)
