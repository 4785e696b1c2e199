"""Queries run on Oxigraph through execute(): formats, row cap, dataset, errors;
results in W3C formats or as a table."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from aseankg.graph.errors import (
    DatasetError,
    QueryError,
    QueryIOError,
    QuerySyntaxError,
    ResultFormatError,
    ResultTooLargeError,
)
from aseankg.graph.query import (
    QueryJob,
    QueryResult,
    execute,
    render_table,
    select_table,
    table_from_json,
)


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


def _run(store: Store, query: str, fmt: str) -> bytes:
    return execute(store, QueryJob(query, solutions_format=fmt, graph_format=fmt)).body


def test_json_and_csv_are_w3c_results(store: Store) -> None:
    data = json.loads(_run(store, _SELECT, "json"))
    assert data["head"]["vars"] == ["s", "o"]
    assert data["results"]["bindings"][0]["o"] == {"type": "literal", "value": "v1"}
    assert _run(store, _SELECT, "csv").decode() == (
        "s,o\r\nhttp://example.org/s1,v1\r\nhttp://example.org/s2,v2\r\n"
    )
    assert json.loads(_run(store, "ASK { ?s ?p ?o }", "json"))["boolean"] is True


def test_table_rendering_and_endpoint_json(store: Store) -> None:
    text = render_table(select_table(store, _SELECT))
    assert text.splitlines()[0].split() == ["s", "o"]
    assert text.endswith("(2 rows)\n")
    table = table_from_json(json.loads(_run(store, _SELECT, "json")))
    assert render_table(table) == text


def test_construct_gives_rdf(store: Store) -> None:
    data = _run(store, "CONSTRUCT WHERE { ?s ?p ?o }", "nt").decode()
    assert data.count("\n") == 2


def test_bad_queries_are_query_errors(store: Store) -> None:
    with pytest.raises(QueryError, match="does not parse"):
        select_table(store, "SELEKT nothing")
    with pytest.raises(QueryError, match="a table needs a SELECT or ASK"):
        select_table(store, "CONSTRUCT WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError):
        table_from_json({"unexpected": 1})


G1, G2 = ox.NamedNode("http://example.org/g1"), ox.NamedNode("http://example.org/g2")
P = ox.NamedNode("http://example.org/p")


@pytest.fixture()
def graphs() -> ox.Store:
    store = ox.Store()
    for i in range(5):
        subject = ox.NamedNode(f"http://example.org/s{i}")
        store.add(ox.Quad(subject, P, ox.Literal(f'value {i}\twith\n"escapes"'), G1))
    store.add(
        ox.Quad(ox.NamedNode("http://example.org/t"), P, ox.Literal("chat", language="fr"), G2)
    )
    return store


def result(outcome: QueryResult) -> QueryResult:
    assert isinstance(outcome, QueryResult), outcome
    return outcome


def test_union_default_graph_and_json(graphs: ox.Store) -> None:
    out = result(execute(graphs, QueryJob("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))
    assert json.loads(out.body)["results"]["bindings"][0]["n"]["value"] == "6"
    assert (out.kind, out.format, out.truncated) == ("solutions", "json", False)


def test_named_dataset_replaces_the_union(graphs: ox.Store) -> None:
    job = QueryJob(
        "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", default_graphs=(G2.value,), named_graphs=()
    )
    out = result(execute(graphs, job))
    assert json.loads(out.body)["results"]["bindings"][0]["n"]["value"] == "1"


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_row_cap_in_every_solution_format(graphs: ox.Store, fmt: str) -> None:
    job = QueryJob("SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s", solutions_format=fmt, row_cap=3)
    out = result(execute(graphs, job))
    assert out.truncated and out.format == fmt
    if fmt == "csv":  # lossy by definition: pyoxigraph does not read it back
        assert len(list(csv.reader(io.StringIO(out.body.decode())))) == 4
        return
    parsed = ox.parse_query_results(out.body, format=getattr(ox.QueryResultsFormat, fmt.upper()))
    assert isinstance(parsed, ox.QuerySolutions)
    rows = list(parsed)
    first = rows[0]["o"]
    assert len(rows) == 3
    assert isinstance(first, ox.Literal) and first.value == 'value 0\twith\n"escapes"'


def test_csv_keeps_escaped_values_intact(graphs: ox.Store) -> None:
    job = QueryJob("SELECT ?o { ?s ?p ?o } ORDER BY ?o", solutions_format="csv")
    rows = list(csv.reader(io.StringIO(result(execute(graphs, job)).body.decode())))
    assert rows[0] == ["o"] and rows[1] == ["chat"] and rows[2] == ['value 0\twith\n"escapes"']


def test_result_within_the_cap_is_not_truncated(graphs: ox.Store) -> None:
    out = result(execute(graphs, QueryJob("SELECT * { ?s ?p ?o }", row_cap=6)))
    assert not out.truncated and len(json.loads(out.body)["results"]["bindings"]) == 6


def test_construct_cap_and_format(graphs: ox.Store) -> None:
    job = QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", graph_format="nt", row_cap=2)
    out = result(execute(graphs, job))
    assert out.kind == "graph" and out.truncated
    assert len(out.body.decode().strip().splitlines()) == 2


@pytest.mark.parametrize(
    ("job", "error"),
    [
        (QueryJob("SELECT * { ?s ?p }"), QuerySyntaxError),
        (QueryJob("ASK {}", default_graphs=("not an iri",)), DatasetError),
        (QueryJob("ASK {}", solutions_format=None), ResultFormatError),
        (QueryJob("SELECT * {}", solutions_format=None), ResultFormatError),
        (QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", graph_format=None), ResultFormatError),
        (QueryJob("SELECT * { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }"), QueryIOError),
    ],
)
def test_failures_raise_the_graph_layers_errors(
    graphs: ox.Store, job: QueryJob, error: type[QueryError]
) -> None:
    with pytest.raises(error) as raised:
        execute(graphs, job)
    assert str(raised.value) and "\n" not in str(raised.value)


def test_syntax_failure_names_the_position(graphs: ox.Store) -> None:
    with pytest.raises(QuerySyntaxError, match=r"does not parse: error at 1:"):
        execute(graphs, QueryJob("SELECT * { ?s ?p }"))


def test_without_a_cap_every_row_comes(graphs: ox.Store) -> None:
    out = execute(graphs, QueryJob("SELECT * { ?s ?p ?o }", row_cap=None, solutions_format="tsv"))
    assert not out.truncated and len(out.body.decode().splitlines()) == 7


def test_a_result_over_the_byte_budget_is_an_error_not_a_cut(graphs: ox.Store) -> None:
    whole = execute(graphs, QueryJob("SELECT * { ?s ?p ?o }")).body
    fits = execute(graphs, QueryJob("SELECT * { ?s ?p ?o }", byte_budget=len(whole)))
    assert fits.body == whole and not fits.truncated and fits.size == len(whole)
    for job in (
        QueryJob("SELECT * { ?s ?p ?o }", byte_budget=len(whole) - 1),
        QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", byte_budget=100),
    ):
        with pytest.raises(ResultTooLargeError, match=r"over the limit of .* truncate=true"):
            execute(graphs, job)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "ttl"])
def test_truncate_gives_a_prefix_that_fits(graphs: ox.Store, fmt: str) -> None:
    query = "SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s"
    if fmt == "ttl":
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    whole = execute(graphs, QueryJob(query, solutions_format=fmt, graph_format=fmt)).body
    job = QueryJob(
        query,
        solutions_format=fmt,
        graph_format=fmt,
        byte_budget=len(whole) * 2 // 3,
        truncate=True,
    )
    out = execute(graphs, job)
    assert out.truncated and 0 < out.rows < 6 and len(out.body) <= len(whole) * 2 // 3
    kept = execute(
        graphs, QueryJob(query, solutions_format=fmt, graph_format=fmt, row_cap=out.rows)
    )
    assert out.body == kept.body


def test_output_goes_to_a_file_when_given(graphs: ox.Store) -> None:
    sink = io.BytesIO()
    out = execute(graphs, QueryJob("SELECT * { ?s ?p ?o }", solutions_format="tsv"), output=sink)
    assert out.body == b"" and out.size == len(sink.getvalue())
    assert len(sink.getvalue().decode().splitlines()) == 7


def test_relative_iris_resolve_against_the_base(graphs: ox.Store) -> None:
    query = "CONSTRUCT { <s> <p> 1 } WHERE {}"
    with pytest.raises(QuerySyntaxError):
        execute(graphs, QueryJob(query, graph_format="nt"))
    out = execute(graphs, QueryJob(query, graph_format="nt", base_iri="https://example.org/id/"))
    assert out.body.decode().startswith("<https://example.org/id/s> <https://example.org/id/p> ")


def test_an_ask_has_no_csv_form(graphs: ox.Store) -> None:
    for fmt in ("csv", "tsv"):
        with pytest.raises(ResultFormatError, match="no boolean form"):
            execute(graphs, QueryJob("ASK {}", solutions_format=fmt))
        out = execute(graphs, QueryJob("ASK {}", solutions_format=fmt, boolean_format="xml"))
        assert out.format == "xml" and b"<boolean>true</boolean>" in out.body
