"""Queries run on Oxigraph; results in W3C formats or as a table."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from aseankg.graph.errors import QueryError
from aseankg.graph.query import render_table, run_query, select_table, table_from_json


@pytest.fixture
def store() -> Store:
    store = Store()
    graph = NamedNode("http://example.org/g")
    for n in ("1", "2"):
        store.add(
            Quad(
                NamedNode(f"http://example.org/s{n}"),
                NamedNode("http://example.org/p"),
                Literal(f"v{n}"),
                graph,
            )
        )
    return store


_SELECT = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o"


def test_the_default_graph_is_the_union_of_named_graphs(store: Store) -> None:
    table = select_table(store, _SELECT)
    assert table.variables == ("s", "o")
    assert table.rows == (("http://example.org/s1", "v1"), ("http://example.org/s2", "v2"))


def test_json_and_csv_are_w3c_results(store: Store) -> None:
    data = json.loads(run_query(store, _SELECT, "json"))
    assert data["head"]["vars"] == ["s", "o"]
    assert data["results"]["bindings"][0]["o"] == {"type": "literal", "value": "v1"}
    assert run_query(store, _SELECT, "csv").decode() == (
        "s,o\r\nhttp://example.org/s1,v1\r\nhttp://example.org/s2,v2\r\n"
    )
    assert json.loads(run_query(store, "ASK { ?s ?p ?o }", "json"))["boolean"] is True


def test_table_rendering_and_endpoint_json(store: Store) -> None:
    text = run_query(store, _SELECT, "table").decode()
    assert text.splitlines()[0].split() == ["s", "o"]
    assert text.endswith("(2 rows)\n")
    table = table_from_json(json.loads(run_query(store, _SELECT, "json")))
    assert render_table(table) == text


def test_construct_gives_rdf(store: Store) -> None:
    data = run_query(store, "CONSTRUCT WHERE { ?s ?p ?o }", "nt").decode()
    assert data.count("\n") == 2


def test_bad_queries_are_query_errors(store: Store) -> None:
    with pytest.raises(QueryError, match="does not parse"):
        run_query(store, "SELEKT nothing", "json")
    with pytest.raises(QueryError):
        run_query(store, "CONSTRUCT WHERE { ?s ?p ?o }", "csv" if False else "xlsx")
    with pytest.raises(QueryError):
        table_from_json({"unexpected": 1})
