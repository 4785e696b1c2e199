"""No egress by default: SERVICE refused unless allowlisted and public; FROM never fetched.

A loopback listener stands in for an internal service an attacker would like the
endpoint to call; every refused query must leave it with no connection at all.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import httpx
import pytest

from aseankg.api.http.egress import (
    QueryScan,
    UnverifiableQuery,
    check_addresses,
    check_allowlist,
    mentions_service,
    scan_query,
    unescape_codepoints,
    verified_scan,
)
from aseankg.api.http.errors import Forbidden


class Listener:
    """A loopback TCP listener that counts the connections it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    spy = Listener()
    yield spy
    spy.close()


def refused(response: httpx.Response) -> str:
    assert response.status_code == 403, response.text
    body = response.json()
    assert body["type"].endswith("/service-refused")
    detail: str = body["detail"]
    return detail


def ssrf_queries(port: int) -> list[str]:
    target = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <http://127.0.0.1:{port}/> SELECT * {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1\\u003A{port}/sparql> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ ?s ?p "a\\u0022" . SERVICE <{target}> {{ ?s ?p ?o }} }}',
        f"SELECT * WHERE {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"select * where {{ service <http://localhost:{port}/> {{ ?s ?p ?o }} }}",
    ]


def test_service_is_refused_by_default_with_no_connection(
    client: httpx.Client, listener: Listener
) -> None:
    for query in ssrf_queries(listener.port):
        refused(client.get("/sparql", params={"query": query}))
        refused(client.post("/sparql", data={"query": query}))
    assert listener.connections == 0
    assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_allowlisted_loopback_is_still_refused(
    make_server: Callable[..., str], listener: Listener
) -> None:
    url = make_server(service_allowlist=(f"http://127.0.0.1:{listener.port}/",))
    with httpx.Client(base_url=url, timeout=30) as client:
        query = ssrf_queries(listener.port)[0]
        assert "non-public" in refused(client.get("/sparql", params={"query": query}))
        # a variable SERVICE stays refused even with an allowlist
        refused(client.get("/sparql", params={"query": ssrf_queries(listener.port)[6]}))
    assert listener.connections == 0


def test_escapes_cannot_hide_a_service(client: httpx.Client, listener: Listener) -> None:
    """Oxigraph applies \\u escapes only inside IRIs and strings; the verified parse
    refuses any escape in an IRI or string of a query that mentions ``service`` (with
    escapes applied): an escaped keyword (a syntax error for Oxigraph) and an escaped
    quote in an IRI are refused (403), an escaped newline does not end a comment (200);
    none of them makes a call."""
    target = f"http://127.0.0.1:{listener.port}/sparql"
    service = f"SERVICE <{target}> {{ ?s ?p ?o }}"
    cases = [
        (f"SELECT * WHERE {{ SERVI\\u0043E <{target}> {{ ?s ?p ?o }} }}", 403),
        (f'SELECT * WHERE {{ <http://x\\u0022> <http://p> "o" . {service} ?a ?b "c" }}', 403),
        (f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1 # \\u000A {service}", 200),
    ]
    for query, status in cases:
        assert client.get("/sparql", params={"query": query}).status_code == status, query
    assert listener.connections == 0


def test_remote_from_is_never_fetched(client: httpx.Client, listener: Listener) -> None:
    graph = f"http://127.0.0.1:{listener.port}/data.ttl"
    query = f"SELECT (COUNT(*) AS ?n) FROM <{graph}> FROM NAMED <{graph}> WHERE {{ ?s ?p ?o }}"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "0"
    load = client.post("/sparql", data={"update": f"LOAD <{graph}>"})
    assert load.status_code == 403
    assert listener.connections == 0


def test_allowed_service_path_federates_into_a_second_server(
    make_server: Callable[..., str], server: str
) -> None:
    """With the test-only loopback setting, an allowlisted SERVICE really runs."""
    url = make_server(service_allowlist=(f"{server}/sparql",), allow_loopback_service=True)
    query = f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?line WHERE {{ SERVICE <{server}/sparql> {{ ?l skos:notation ?line
        FILTER(STRSTARTS(?line, "1.5.")) }} }} ORDER BY ?line"""
    with httpx.Client(base_url=url, timeout=30) as client:
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 200, response.text
        lines = [row["line"]["value"] for row in response.json()["results"]["bindings"]]
        assert lines[:2] == ["1.5.1", "1.5.2"]
        description = client.get("/sparql", headers={"accept": "text/turtle"}).text
        assert "BasicFederatedQuery" in description
        other = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
        assert "allowlist" in refused(client.get("/sparql", params={"query": other}))


@pytest.mark.parametrize(
    "iri",
    [
        "http://10.0.0.8/sparql",
        "http://192.168.1.1/sparql",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/sparql",
        "http://[fe80::1]/sparql",
        "http://0.0.0.0/sparql",
    ],
)
def test_private_and_link_local_addresses_are_refused(iri: str) -> None:
    scan = verified_scan(f"SELECT * WHERE {{ SERVICE <{iri}> {{ ?s ?p ?o }} }}")
    check_allowlist(scan, (iri,))
    with pytest.raises(Forbidden, match="non-public"):
        check_addresses(scan)


def test_allowlist_prefixes_match_on_boundaries() -> None:
    scan = verified_scan("SELECT * { SERVICE <http://example.org.evil.test/sparql> {} }")
    with pytest.raises(Forbidden, match="allowlist"):
        check_allowlist(scan, ("http://example.org",))
    scan = verified_scan("SELECT * { SERVICE <http://example.org@10.0.0.1/sparql> {} }")
    with pytest.raises(Forbidden):
        check_allowlist(scan, ("http://example.org",))
        check_addresses(scan)


def test_relative_and_redeclared_targets_are_never_allowed() -> None:
    """Targets Oxigraph might resolve differently from rdflib are refused as written."""
    for query in (
        "BASE <http://example.org/> SELECT * { SERVICE <sparql> {} }",
        "PREFIX e: <http://example.org/> PREFIX e: <http://10.0.0.1/> SELECT * { SERVICE e:s {} }",
    ):
        with pytest.raises(Forbidden, match="relative"):
            check_allowlist(verified_scan(query), ("http://example.org/",))


@pytest.mark.parametrize(
    ("query", "services", "form", "has_from"),
    [
        ('SELECT * { ?s ?p "SERVICE <http://a/>" } # SERVICE <http://b/>', (), "SELECT", False),
        ("SELECT * { ?service <http://x/SERVICE> ?o }", (), "SELECT", False),
        ('ASK { ?s ?p "x"@service }', (), "ASK", False),
        ("PREFIX from: <http://x/> SELECT * { ?s from:p ?o }", (), "SELECT", False),
        ("SELECT * FROM <http://g/> { ?s ?p ?o }", (), "SELECT", True),
        (
            "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://a/> { ?s ?p ?o } }",
            ("http://a/",),
            "CONSTRUCT",
            False,
        ),
        ('SELECT * { ?s ?p """SERVICE <http://a/>""" }', (), "SELECT", False),
        ("DESCRIBE <http://a/>", (), "DESCRIBE", False),
        ("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", (), "WITH", False),
    ],
)
def test_the_scanner_sees_keywords_only_where_the_grammar_does(
    query: str, services: tuple[str, ...], form: str, has_from: bool
) -> None:
    scan: QueryScan = verified_scan(query) if mentions_service(query) else scan_query(query)
    assert scan_query(query).form == form
    assert scan_query(query).has_dataset_clause is has_from
    assert scan.services == services
    assert scan.form == form
    assert scan.has_dataset_clause is has_from


def test_escapes_count_for_the_trigger_and_fail_the_verified_parse() -> None:
    assert unescape_codepoints("SERVI\\u0043E \\U0001F600 \\uD800") == "SERVICE \U0001f600 \\uD800"
    assert mentions_service("SELECT * { ?s ?p 'SERVI\\u0043E' }")
    assert not mentions_service("SELECT * { ?s ?p 'SERVI\\u0044E' }")
    for query in (
        "SELECT * { SERVICE <http://a\\u002Fb/> {} }",
        'SELECT * { ?s ?p "a\\u0022, " . SERVICE <http://c/> {} ?d ?e "\\u0022" }',
    ):
        with pytest.raises(UnverifiableQuery):
            verified_scan(query)
