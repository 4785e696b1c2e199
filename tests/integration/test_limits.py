"""Limits that hold under load, against a real server: time limit, row cap, body cap,
and a server that keeps serving after each refusal (the waiting line and its ``busy``
answers: test_load.py)."""

from __future__ import annotations

import csv as csv_module
import io
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TRIVIAL = "ASK { ?s ?p ?o }"
LINE_TEXT = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "PREFIX akg: <https://w3id.org/aseankg/ontology#> "
    'SELECT ?text WHERE {{ ?l skos:notation "{notation}" ; akg:text ?text }}'
)


def metric(client: httpx.Client, name: str) -> float:
    """The value of an unlabelled metric from /metrics."""
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"metric {name} not exposed")


def wait_until(condition: Callable[[], bool]) -> None:
    """Poll ``condition`` (the state is checked, not the clock; the bound only ends a hang)."""
    for _ in range(600):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition never became true")


def assert_still_serving(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": TRIVIAL})
    assert response.status_code == 200 and response.json()["boolean"] is True


def test_timeout_is_503_problem_before_any_result_byte(client: httpx.Client) -> None:
    before = metric(client, "aseankg_query_timeouts_total")
    response = client.get("/sparql", params={"query": HEAVY})
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/timeout") and "time limit" in body["detail"]
    assert "x-sparql-truncated" not in response.headers
    assert metric(client, "aseankg_query_timeouts_total") == before + 1
    assert_still_serving(client)


def test_trivial_query_completes_while_a_heavy_one_runs(server: str, client: httpx.Client) -> None:
    finished: list[str] = []

    def run(name: str, query: str) -> None:
        with httpx.Client(base_url=server, timeout=60) as http:
            http.get("/sparql", params={"query": query})
        finished.append(name)

    heavy = threading.Thread(target=run, args=("heavy", HEAVY))
    heavy.start()
    wait_until(lambda: metric(client, "aseankg_queries_running") >= 1)
    run("trivial", TRIVIAL)
    heavy.join()
    assert finished == ["trivial", "heavy"]


def test_fifty_concurrent_clients_all_answered_correctly(server: str, client: httpx.Client) -> None:
    notations = [f"{s}.{a}.{n}" for s in (1, 2) for a in (1, 2, 3) for n in (1, 2)]
    expected = {
        n: client.get("/sparql", params={"query": LINE_TEXT.format(notation=n)}).json()
        for n in notations
    }
    assert all(e["results"]["bindings"] for e in expected.values())

    def ask(index: int) -> bool:
        notation = notations[index % len(notations)]
        with httpx.Client(base_url=server, timeout=60) as http:
            response = http.get("/sparql", params={"query": LINE_TEXT.format(notation=notation)})
        return response.status_code == 200 and response.json() == expected[notation]

    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(ask, range(50)))
    assert answers == [True] * 50


def test_a_complete_result_has_no_row_cap(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200 and "x-sparql-truncated" not in response.headers
    assert len(response.json()["results"]["bindings"]) > 10_000  # the row cap is 1000


def test_truncate_true_cuts_at_the_row_cap_and_says_so(client: httpx.Client) -> None:
    everything = {"query": "SELECT * WHERE { ?s ?p ?o }", "truncate": "true"}
    response = client.get("/sparql", params=everything)
    assert response.status_code == 200
    assert response.headers["x-sparql-truncated"] == "1000"
    assert len(response.json()["results"]["bindings"]) == 1000
    csv = client.get("/sparql", params={**everything, "format": "csv"})
    assert csv.headers["x-sparql-truncated"] == "1000"
    assert len(list(csv_module.reader(io.StringIO(csv.text)))) == 1001
    construct = {"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt", "truncate": "true"}
    graph = client.get("/sparql", params=construct)
    assert graph.headers["x-sparql-truncated"] == "1000"
    assert len(graph.text.strip().splitlines()) == 1000


def test_small_result_is_not_marked_truncated(client: httpx.Client) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 999"
    response = client.get("/sparql", params={"query": query, "truncate": "true"})
    assert "x-sparql-truncated" not in response.headers
    assert len(response.json()["results"]["bindings"]) == 999


def test_oversize_body_is_413_and_server_keeps_serving(client: httpx.Client) -> None:
    query = "ASK { " + "?s ?p ?o . " * 10_000 + "}"
    response = client.post(
        "/sparql", content=query, headers={"content-type": "application/sparql-query"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert_still_serving(client)


def test_oversize_body_without_content_length_is_413(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"#" * 1000

    response = client.post(
        "/sparql",
        content=chunks(),
        headers={"content-type": "application/sparql-query"},
    )
    assert response.status_code == 413
    assert_still_serving(client)


@pytest.mark.parametrize(
    "raw",
    [
        b"GET /sparql?query=%ZZ%ff HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 9\r\n\r\nquery=%C3",
        b"GET /sparql?query=SELECT%20*%20WHERE%20%7B HTTP/1.1\r\nHost: x\r\n\r\n",
    ],
)
def test_malformed_requests_get_4xx_and_server_keeps_serving(
    server: str, client: httpx.Client, raw: bytes
) -> None:
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(raw)
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 4"), status_line
    assert_still_serving(client)


def test_metrics_count_requests_latency_and_errors(client: httpx.Client) -> None:
    client.get("/sparql", params={"query": "SELECT * WHERE {"})
    text = client.get("/metrics").text
    assert 'aseankg_http_requests_total{method="GET",route="/sparql",status="400"}' in text
    assert 'aseankg_http_request_duration_seconds_bucket{le="0.005",route="/sparql"}' in text
    assert 'aseankg_http_errors_total{kind="syntax-error"}' in text


def test_health_names_the_dataset_version(client: httpx.Client) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and len(body["version"]) >= 8
