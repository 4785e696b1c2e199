"""``aseankg query NAME|FILE``: run a named query or a .rq file, locally or on an endpoint."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Annotated, Any

import typer

from aseankg.api.commands.output import tolerate_closed_stdout
from aseankg.graph.errors import QueryError
from aseankg.graph.query import render_table, run_query, table_from_json
from aseankg.graph.store import DEFAULT_STORE, open_store
from aseankg.queries.loader import NamedQuery, QueryLoadError, bind_query, load_query

__all__ = ["FORMATS", "misused_params", "parse_params", "query", "register"]

FORMATS = ("table", "csv", "json", "tsv", "xml")


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


def _on_endpoint(url: str, text: str, format: str) -> bytes:
    """Send ``text`` to the SPARQL endpoint at ``url``; answer in ``format``.

    Raises:
        QueryError: the endpoint cannot be reached or refuses the query.
    """
    from SPARQLWrapper import CSV, JSON, POST, TSV, XML, SPARQLWrapper

    client = SPARQLWrapper(url)
    client.setQuery(text)
    client.setMethod(POST)
    client.setTimeout(120)
    wanted = {"table": JSON, "json": JSON, "csv": CSV, "tsv": TSV, "xml": XML}[format]
    client.setReturnFormat(wanted)
    try:
        response = client.query().response.read()
    except Exception as exc:  # SPARQLWrapper and urllib raise many types; one line for the user
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise QueryError(f"the endpoint {url} failed: {message}") from exc
    body = bytes(response)
    if format != "table":
        return body
    try:
        data: Any = json.loads(body)
    except ValueError as exc:
        raise QueryError(f"the endpoint {url} did not answer with SPARQL JSON results") from exc
    return render_table(table_from_json(data)).encode("utf-8")


def query(
    name: Annotated[str, typer.Argument(help="A named query (see docs/queries.md) or a .rq file.")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", help="A parameter of the query as NAME=VALUE (repeatable)."),
    ] = None,
    store: Annotated[str, typer.Option("--store", help="The store directory.")] = str(
        DEFAULT_STORE
    ),
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
    exit 1 for an unknown query, a bad parameter value or a failing query.
    """
    if format not in FORMATS:
        raise typer.BadParameter(
            f"{format!r} is not one of {', '.join(FORMATS)}", param_hint="--format"
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
        output = run_query(open_store(store), text, format)
    with tolerate_closed_stdout():
        sys.stdout.buffer.write(output)
        if format in ("json", "xml") and not output.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.buffer.flush()


def register(app: typer.Typer) -> None:
    """Add the ``query`` command to ``app``."""
    app.command("query")(query)
