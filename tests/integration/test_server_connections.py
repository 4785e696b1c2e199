"""Connection limits against a real server on loopback: silent, idle and half-sent
connections are closed, the connection cap makes room for new clients, oversized heads
get problem+json, and a client that drops mid-body is neither a traceback nor a 5xx.

The servers here have short timeouts (1 s) so the tests stay quick; the assertions are on
what the client sees (an answer, an end of stream), never on how long it took: the
socket timeouts (30 s) only end a hang.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import re
import select
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from urllib.parse import quote, urlsplit

import httpx
import pytest

from aseankg.api.http.connections import ConnectionLimits
from aseankg.api.http.settings import Settings

ServeWith = Callable[..., AbstractContextManager[str]]  # the serve_with fixture

HANG = 30.0  # seconds after which a test gives up waiting: a bound, not a measurement
SHORT = ConnectionLimits(head_timeout=1.0, body_timeout=1.0, keep_alive=1)


@pytest.fixture(scope="module")
def guarded(settings: Settings, serve_with: ServeWith) -> Iterator[str]:
    """A server with 1 s head, body and keep-alive timeouts."""
    with serve_with(dataclasses.replace(settings, query_workers=1), limits=SHORT) as url:
        yield url


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80))
    sock.settimeout(HANG)
    return sock


def _read_to_end(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (raises on a hang)."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def _metric_lines(url: str, name: str) -> list[str]:
    text = httpx.get(url + "/metrics", timeout=HANG).text
    return [line for line in text.splitlines() if line.startswith(name + "{")]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        if record.exc_info:
            self.lines.append("Traceback")


@pytest.fixture()
def server_log() -> Iterator[list[str]]:
    """Lines logged by uvicorn and the service while the test runs (tracebacks marked)."""
    handler = _Records()
    loggers = [logging.getLogger(name) for name in ("uvicorn.error", "uvicorn", "aseankg")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)


# ------------------------------------------------------------------ timeouts


def test_a_connection_that_sends_nothing_is_closed(guarded: str) -> None:
    with _connect(guarded) as sock:
        assert _read_to_end(sock) == b""  # closed silently: nothing was asked


def test_a_head_that_never_ends_gets_408_and_is_closed(guarded: str) -> None:
    with _connect(guarded) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        response = _read_to_end(sock)
    assert _status(response) == 408
    assert b"application/problem+json" in response and b"request-timeout" in response


def test_a_head_dripped_byte_by_byte_is_still_cut_off(guarded: str) -> None:
    """Sending slowly does not reset the head timeout (slowloris)."""
    request = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"a" * 1000
    with _connect(guarded) as sock:
        closed = False
        for byte in request:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            readable, _, _ = select.select([sock], [], [], 0.01)
            if readable:
                closed = True
                break
        assert closed, "the server waited for the whole dripped head"
        assert _status(_read_to_end(sock)) == 408


def test_a_body_that_never_ends_is_closed(guarded: str) -> None:
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/sparql-query\r\nContent-Length: 1000\r\n\r\n"
    )
    with _connect(guarded) as sock:
        sock.sendall(head + b"ASK { ?s")
        assert _read_to_end(sock) == b""


def test_an_idle_keep_alive_connection_is_closed_after_its_answer(guarded: str) -> None:
    with _connect(guarded) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        response = _read_to_end(sock)  # the answer, then the end of the stream
    assert _status(response) == 200 and b'"status":"ok"' in response


def test_a_client_dropping_mid_body_is_no_traceback_and_no_5xx(
    guarded: str, server_log: list[str]
) -> None:
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/sparql-query\r\nContent-Length: 5000\r\n\r\n"
    )
    with _connect(guarded) as sock:
        sock.sendall(head + b"SELECT * WHERE { ?s ?p ?o }" + b" " * 100)
        time.sleep(0.2)  # let the server start reading the body
    for _ in range(300):  # the server sees the drop: poll its own count (bounded)
        if any(
            'status="499"' in line for line in _metric_lines(guarded, "aseankg_http_requests_total")
        ):
            break
        time.sleep(0.05)
    requests = _metric_lines(guarded, "aseankg_http_requests_total")
    assert any('route="/sparql"' in line and 'status="499"' in line for line in requests)
    assert not any(re.search(r'status="5\d\d"', line) for line in requests), requests
    errors = _metric_lines(guarded, "aseankg_http_errors_total")
    assert any('kind="client-disconnected"' in line for line in errors)
    assert not [line for line in server_log if "Traceback" in line or "Exception" in line]


# ------------------------------------------------------------------ the connection cap


def test_idle_connections_over_the_cap_make_room_for_a_new_client(
    settings: Settings, serve_with: ServeWith
) -> None:
    """With a cap of 10 and a head timeout longer than the test, 30 idle sockets: the
    oldest idle ones are closed as new ones arrive, and /health is still answered."""
    limits = ConnectionLimits(head_timeout=120.0, max_connections=10)
    with serve_with(dataclasses.replace(settings, query_workers=1), limits=limits) as url:
        idle = [_connect(url) for _ in range(30)]
        try:
            with httpx.Client(base_url=url, timeout=HANG) as http:
                assert http.get("/health").status_code == 200
            closed = 0
            for sock in idle:
                readable, _, _ = select.select([sock], [], [], 0)
                if readable and sock.recv(1) == b"":
                    closed += 1
            assert closed >= 20  # at most 10 kept open, whatever the timeouts say
        finally:
            for sock in idle:
                sock.close()


def test_over_the_cap_with_nobody_idle_a_new_request_is_503_busy(
    settings: Settings, serve_with: ServeWith
) -> None:
    """Cap 2, both connections waiting for the server (slow queries): a third client
    is told so (503 busy problem, Retry-After), not left hanging."""
    limits = ConnectionLimits(max_connections=2)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    changed = dataclasses.replace(settings, query_workers=1, query_timeout=3.0)
    with serve_with(changed, limits=limits) as url:
        busy = []
        for _ in range(2):
            sock = _connect(url)
            target = "/sparql?query=" + quote(slow)
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            busy.append(sock)
        try:
            time.sleep(0.5)  # let the server read both requests
            response = httpx.get(url + "/health", timeout=HANG)
            assert response.status_code == 503
            assert response.json()["type"].endswith("/busy")
            assert response.headers["retry-after"] == "1"
        finally:
            for sock in busy:
                sock.close()


# ------------------------------------------------------------------ head size


def _problem(response: bytes) -> dict[str, object]:
    head, _, body = response.partition(b"\r\n\r\n")
    assert b"content-type: application/problem+json" in head.lower()
    problem: dict[str, object] = json.loads(body)
    return problem


@pytest.mark.parametrize("size", [70_000, 2_000_000])
def test_a_query_string_over_64_kib_is_413_problem(
    server: str, client: httpx.Client, size: int
) -> None:
    """Too long for httpx (it refuses URLs over 64 KiB itself): a raw request."""
    target = b"/sparql?query=" + b"a" * size
    with _connect(server) as sock:
        # the server may answer and stop reading before all is sent: the answer is there
        with contextlib.suppress(OSError):
            sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        response = _read_to_end(sock)
    assert _status(response) == 413
    problem = _problem(response)
    assert problem["status"] == 413 and "POST" in str(problem["detail"])
    assert client.get("/health").status_code == 200


def test_a_sparql_query_of_a_few_kib_by_get_is_answered(client: httpx.Client) -> None:
    query = "ASK { ?s ?p ?o }" + " " * 20_000
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200 and response.json()["boolean"] is True


def test_headers_over_64_kib_are_431_problem(client: httpx.Client) -> None:
    headers = {f"x-pad-{i}": "b" * 1000 for i in range(80)}
    response = client.get("/health", headers=headers)
    assert response.status_code == 431
    assert response.json()["type"].endswith("/headers-too-large")


def test_a_malformed_head_is_400_problem(server: str) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n")
        response = _read_to_end(sock)
    assert _status(response) == 400 and b"application/problem+json" in response


def test_a_post_offering_h2c_keeps_its_body(guarded: str) -> None:
    """Java's HttpClient offers ``Upgrade: h2c`` on every request (issue 18)."""
    body = b"ASK { ?s ?p ?o }"
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        b"Upgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n"
        b"Content-Type: application/sparql-query\r\nAccept: application/sparql-results+json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    with _connect(guarded) as sock:
        sock.sendall(request)
        response = _read_to_end(sock)
    assert _status(response) == 200 and b'"boolean":true' in response
