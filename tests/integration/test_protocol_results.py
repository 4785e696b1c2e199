"""Issue 18 on a real server: complete-or-error results (byte budget, ``truncate=true``,
large results streamed from the worker's spool file), no duplicate rows from the union
default graph, relative IRIs against the data's base, ASK asked for as CSV/TSV."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from aseankg.api.http.settings import Settings
from aseankg.graph.query import QueryJob, execute
from aseankg.graph.store import open_store
from tests.integration.conftest import BASE, ServeWith

EVERYTHING = "SELECT * WHERE { ?s ?p ?o }"
# twice every triple: about 5 MB of SPARQL JSON, over the 4 MiB a worker sends inline
DOUBLED = "SELECT * WHERE { ?s ?p ?o VALUES ?copy { 1 2 } }"
BUDGET = 1_000_000


@pytest.fixture(scope="module")
def budget_server(settings: Settings, serve_with: ServeWith) -> Iterator[str]:
    """The seed on a server whose results may be at most 1 MB (the seed's union graph is
    2.6 MB of SPARQL JSON); no result cache, so every answer is computed."""
    changed = Settings(**{**vars(settings), "result_budget": BUDGET, "cache_bytes": 0})
    with serve_with(changed) as url:
        yield url


def _problem(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"].endswith("/" + kind) and body["detail"]
    return body


def _count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# ------------------------------------------------------------------ union default graph


_COUNTS = "SELECT (COUNT(*) AS ?all) (COUNT(DISTINCT *) AS ?distinct) { ?s ?p ?o }"


def test_no_triple_lives_in_two_graphs_of_a_built_store(seed_store: Path) -> None:
    """The seed's real build: its plan graph, the ontology, authority and build graphs
    (the software agent and the plan's partner were each written into two of them)."""
    row = json.loads(execute(open_store(seed_store), QueryJob(_COUNTS)).body)
    row = row["results"]["bindings"][0]
    assert int(row["all"]["value"]) > 10_000
    assert row["all"]["value"] == row["distinct"]["value"]


def test_the_endpoint_gives_no_row_twice(client: httpx.Client) -> None:
    row = client.get("/sparql", params={"query": _COUNTS}).json()["results"]["bindings"][0]
    assert int(row["all"]["value"]) > 10_000
    assert row["all"]["value"] == row["distinct"]["value"]


# ------------------------------------------------------------------ complete or an error


def test_a_result_over_the_budget_is_a_problem_before_any_byte(budget_server: str) -> None:
    for params in (
        {"query": EVERYTHING},
        {"query": EVERYTHING, "format": "xml"},
        {"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"},
    ):
        response = httpx.get(budget_server + "/sparql", params=params, timeout=60)
        detail = _problem(response, 422, "result-too-large")["detail"]
        assert "1000000 bytes" in detail and "truncate=true" in detail


def test_truncate_true_gives_what_fits_and_says_so(budget_server: str) -> None:
    params = {"query": EVERYTHING, "truncate": "true"}
    response = httpx.get(budget_server + "/sparql", params=params, timeout=60)
    assert response.status_code == 200
    rows = len(response.json()["results"]["bindings"])
    assert response.headers["x-sparql-truncated"] == str(rows)
    assert 0 < rows <= 1000 and len(response.content) <= BUDGET  # the row cap is 1000
    refused = httpx.get(budget_server + "/sparql", params={**params, "truncate": "maybe"})
    _problem(refused, 400, "invalid-parameter")


def test_a_large_result_is_whole_when_streamed(client: httpx.Client) -> None:
    expected = _count(
        client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    )
    with client.stream("GET", "/sparql", params={"query": DOUBLED}) as response:
        assert response.status_code == 200
        body = response.read()
    assert len(body) > 4 * 1024**2 and int(response.headers["content-length"]) == len(body)
    assert len(json.loads(body)["results"]["bindings"]) == 2 * expected
    graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert len(graph.text.strip().splitlines()) == expected


# ------------------------------------------------------------------ base IRI, ASK as CSV


def test_relative_iris_resolve_against_the_data_base(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}", "format": "nt"}
    )
    assert response.status_code == 200, response.text
    assert response.text.startswith(f"<{BASE}s> <{BASE}p> ")
    ask = client.get("/sparql", params={"query": "ASK { <actor/aichr> ?p ?o }"})
    assert ask.json()["boolean"] is True


def test_ask_as_csv_or_tsv(client: httpx.Client) -> None:
    for media in ("text/csv", "text/tab-separated-values"):
        only = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": media})
        _problem(only, 406, "not-acceptable")
        named = client.get("/sparql", params={"query": "ASK {}", "format": media})
        _problem(named, 406, "not-acceptable")
        wider = client.get(
            "/sparql",
            params={"query": "ASK {}"},
            headers={"accept": f"{media}, application/sparql-results+xml;q=0.5"},
        )
        assert wider.status_code == 200
        assert wider.headers["content-type"].startswith("application/sparql-results+xml")
        assert "<boolean>true</boolean>" in wider.text
        select = client.get("/sparql", params={"query": "SELECT * {}"}, headers={"accept": media})
        assert select.headers["content-type"].startswith(media)


# ------------------------------------------------------------------ the CLI, consistent

ASEANKG = str(Path(sys.executable).with_name("aseankg"))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ASEANKG, "query", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_cli_never_prints_a_cut_answer(server: str, tmp_path: Path) -> None:
    query = tmp_path / "everything.rq"
    query.write_text(EVERYTHING + "\n", "utf-8")
    whole = _cli(str(query), "--endpoint", server + "/sparql", "--format", "tsv")
    assert whole.returncode == 0, whole.stderr
    assert len(whole.stdout.splitlines()) > 10_000  # the server's row cap is 1000
    cut = _cli(str(query), "--endpoint", server + "/sparql?truncate=true", "--format", "tsv")
    assert cut.returncode == 1 and cut.stdout == ""
    assert cut.stderr.strip().splitlines() == [
        f"aseankg: error: the endpoint {server}/sparql?truncate=true cut the result "
        "(X-SPARQL-Truncated: 1000)"
    ]


def test_the_cli_resolves_relative_iris_as_the_endpoint(seed_store: Path, tmp_path: Path) -> None:
    query = tmp_path / "relative.rq"
    query.write_text("SELECT ?p WHERE { <actor/aichr> ?p ?o } LIMIT 1\n", "utf-8")
    done = _cli(str(query), "--store", str(seed_store), "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2
