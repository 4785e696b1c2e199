"""Running and serialising one job in-process: formats, row cap, dataset, bindings, dumps."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from aseankg.api.http.executor import Failure, QueryJob, QueryResult, execute_job

G1, G2 = ox.NamedNode("http://example.org/g1"), ox.NamedNode("http://example.org/g2")
P = ox.NamedNode("http://example.org/p")


@pytest.fixture()
def store() -> ox.Store:
    store = ox.Store()
    for i in range(5):
        subject = ox.NamedNode(f"http://example.org/s{i}")
        store.add(ox.Quad(subject, P, ox.Literal(f'value {i}\twith\n"escapes"'), G1))
    store.add(
        ox.Quad(ox.NamedNode("http://example.org/t"), P, ox.Literal("chat", language="fr"), G2)
    )
    return store


def result(outcome: QueryResult | Failure) -> QueryResult:
    assert isinstance(outcome, QueryResult), outcome
    return outcome


def test_union_default_graph_and_json(store: ox.Store) -> None:
    out = result(execute_job(store, QueryJob("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")))
    assert json.loads(out.body)["results"]["bindings"][0]["n"]["value"] == "6"
    assert (out.kind, out.format, out.truncated) == ("solutions", "json", False)


def test_named_dataset_replaces_the_union(store: ox.Store) -> None:
    job = QueryJob(
        "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", default_graphs=(G2.value,), named_graphs=()
    )
    out = result(execute_job(store, job))
    assert json.loads(out.body)["results"]["bindings"][0]["n"]["value"] == "1"


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_row_cap_in_every_solution_format(store: ox.Store, fmt: str) -> None:
    job = QueryJob("SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s", solutions_format=fmt, row_cap=3)
    out = result(execute_job(store, job))
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


def test_csv_keeps_escaped_values_intact(store: ox.Store) -> None:
    job = QueryJob("SELECT ?o { ?s ?p ?o } ORDER BY ?o", solutions_format="csv")
    rows = list(csv.reader(io.StringIO(result(execute_job(store, job)).body.decode())))
    assert rows[0] == ["o"] and rows[1] == ["chat"] and rows[2] == ['value 0\twith\n"escapes"']


def test_result_within_the_cap_is_not_truncated(store: ox.Store) -> None:
    out = result(execute_job(store, QueryJob("SELECT * { ?s ?p ?o }", row_cap=6)))
    assert not out.truncated and len(json.loads(out.body)["results"]["bindings"]) == 6


def test_construct_cap_and_format(store: ox.Store) -> None:
    job = QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", graph_format="nt", row_cap=2)
    out = result(execute_job(store, job))
    assert out.kind == "graph" and out.truncated
    assert len(out.body.decode().strip().splitlines()) == 2


def test_bindings_are_substituted_not_pasted(store: ox.Store) -> None:
    job = QueryJob(
        "SELECT ?s ?o { ?s ?p ?o }",
        bindings=(("s", "iri", "http://example.org/t"),),
    )
    rows = json.loads(result(execute_job(store, job)).body)["results"]["bindings"]
    assert [r["o"]["value"] for r in rows] == ["chat"]
    hostile = QueryJob("SELECT ?o { ?s ?p ?o }", bindings=(("o", "literal", '" } DROP ALL #'),))
    assert json.loads(result(execute_job(store, hostile)).body)["results"]["bindings"] == []


@pytest.mark.parametrize(
    ("job", "kind"),
    [
        (QueryJob("SELECT * { ?s ?p }"), "syntax"),
        (QueryJob("ASK {}", default_graphs=("not an iri",)), "dataset"),
        (QueryJob("ASK {}", solutions_format=None), "not-acceptable"),
        (QueryJob("SELECT * {}", solutions_format=None), "not-acceptable"),
        (QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", graph_format=None), "not-acceptable"),
    ],
)
def test_failures_are_returned_not_raised(store: ox.Store, job: QueryJob, kind: str) -> None:
    outcome = execute_job(store, job)
    assert isinstance(outcome, Failure) and outcome.kind == kind and outcome.message


def test_syntax_failure_names_the_position(store: ox.Store) -> None:
    outcome = execute_job(store, QueryJob("SELECT * { ?s ?p }"))
    assert isinstance(outcome, Failure) and outcome.message.startswith("error at 1:")


def test_dumps_are_sorted_nquads_or_union_turtle(store: ox.Store, tmp_path: Path) -> None:
    nq = tmp_path / "all.nq"
    result(execute_job(store, QueryJob("", graph_format="nq", dump_to=str(nq))))
    lines = nq.read_bytes().splitlines()
    assert len(lines) == 6 and lines == sorted(lines)
    assert not list(tmp_path.glob(".*part"))
    ttl = tmp_path / "all.ttl"
    prefixes = (("ex", "http://example.org/"),)
    result(
        execute_job(store, QueryJob("", graph_format="ttl", dump_to=str(ttl), prefixes=prefixes))
    )
    triples = list(ox.parse(ttl.read_bytes(), format=ox.RdfFormat.TURTLE))
    assert len(triples) == 6 and ttl.read_text().startswith("@prefix ex:")
