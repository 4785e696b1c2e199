"""The SPARQL 1.1 Protocol at /sparql against a real server: every protocol case, real clients."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pyoxigraph
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.cli_server import free_port

PLAN = "asean-canada-2021-2025"
PLAN_GRAPH = f"https://w3id.org/aseankg/id/graph/{PLAN}"
COUNT_LINES = (
    "PREFIX akg: <https://w3id.org/aseankg/ontology#> "
    "SELECT (COUNT(?l) AS ?n) WHERE { ?l a akg:ActionLine }"
)
LINE_151 = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "PREFIX akg: <https://w3id.org/aseankg/ontology#> "
    'SELECT ?text WHERE { ?l skos:notation "1.5.1" ; akg:text ?text }'
)
CONSTRUCT_151 = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    'CONSTRUCT { ?l skos:notation ?n } WHERE { ?l skos:notation ?n FILTER(?n = "1.5.1") }'
)
SPARQL_JSON = "application/sparql-results+json"


def count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


# ------------------------------------------------------------------- the three ways in


def test_get_answers_sparql_json_with_caching_headers(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": COUNT_LINES})
    assert count(response) == 106
    assert response.headers["content-type"] == f"{SPARQL_JSON}; charset=utf-8"
    assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]
    assert response.headers["etag"].startswith('"')
    assert "max-age" in response.headers["cache-control"]


def test_trailing_slash_redirects_to_the_one_endpoint(client: httpx.Client) -> None:
    response = client.get("/sparql/", params={"query": COUNT_LINES})
    assert response.status_code == 308
    assert response.headers["location"] == "/sparql?" + response.request.url.query.decode()
    assert (
        count(client.get("/sparql/", params={"query": COUNT_LINES}, follow_redirects=True)) == 106
    )
    posted = client.post("/sparql/", data={"query": COUNT_LINES}, follow_redirects=True)
    assert count(posted) == 106  # 308 keeps the method and the body


def test_post_form_is_decoded_exactly_once(client: httpx.Client) -> None:
    query = 'SELECT ?x WHERE { BIND("a+b%20c%2B" AS ?x) }'
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "a+b%20c%2B"


def test_post_direct_query(client: httpx.Client) -> None:
    headers = {"content-type": "application/sparql-query"}
    assert count(client.post("/sparql", content=COUNT_LINES, headers=headers)) == 106


def test_get_with_raw_utf8_and_percent_encoding_agree(client: httpx.Client) -> None:
    query = 'SELECT ?x WHERE { BIND("Hà Nội" AS ?x) }'
    response = client.get("/sparql?query=" + quote(query, safe=""))
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "Hà Nội"


def test_etag_revalidation_gives_304(client: httpx.Client) -> None:
    first = client.get("/sparql", params={"query": COUNT_LINES})
    again = client.get(
        "/sparql", params={"query": COUNT_LINES}, headers={"if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""


# ------------------------------------------------------------------- refusals


def test_query_and_update_together_is_400(client: httpx.Client) -> None:
    response = client.post("/sparql", data={"query": COUNT_LINES, "update": "CLEAR ALL"})
    problem(response, 400)


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("post", {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
        (
            "post",
            {
                "content": "DROP ALL",
                "headers": {"content-type": "application/sparql-update"},
            },
        ),
        ("get", {"params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}),
        ("get", {"params": {"query": "LOAD <http://example.org/data.ttl>"}}),
    ],
)
def test_updates_are_refused_with_403(
    client: httpx.Client, method: str, kwargs: dict[str, Any]
) -> None:
    problem(getattr(client, method)("/sparql", **kwargs), 403)
    assert count(client.get("/sparql", params={"query": COUNT_LINES})) == 106


def test_unknown_content_type_is_415(client: httpx.Client) -> None:
    response = client.post("/sparql", content="{}", headers={"content-type": "application/json"})
    problem(response, 415)


def test_post_without_query_is_400(client: httpx.Client) -> None:
    problem(client.post("/sparql", data={"format": "json"}), 400)


def test_two_queries_are_400(client: httpx.Client) -> None:
    problem(client.get(f"/sparql?query=ASK{{}}&query={quote(COUNT_LINES)}"), 400)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_write_methods_are_405_with_allow(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/sparql", content=b"")
    problem(response, 405)
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "POST"} <= allowed


def test_syntax_error_is_400_with_message_and_position(client: httpx.Client) -> None:
    body = problem(client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}), 400)
    assert body["type"].endswith("syntax-error")
    assert "1:" in body["detail"] and "expected" in body["detail"]


def test_head_is_get_without_body(client: httpx.Client) -> None:
    get = client.get("/sparql", params={"query": COUNT_LINES})
    head = client.head("/sparql", params={"query": COUNT_LINES})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["etag"] == get.headers["etag"]


# ------------------------------------------------------------------- charsets


def test_a_charset_other_than_utf8_is_refused_not_decoded(client: httpx.Client) -> None:
    query = 'SELECT ?x WHERE { BIND("Hà Nội" AS ?x) }'
    for media, body in (
        ("application/sparql-query; charset=utf-16", query.encode("utf-16")),
        ("application/sparql-query; charset=UTF-16LE", query.encode("utf-16-le")),
        ("application/sparql-query; charset=iso-8859-1", 'ASK { "café" }'.encode("latin-1")),
        ("application/x-www-form-urlencoded; charset=iso-8859-1", b"query=ASK%20%7B%7D"),
    ):
        response = client.post("/sparql", content=body, headers={"content-type": media})
        assert problem(response, 415)["type"].endswith("/unsupported-charset"), media
    for media in (
        "application/sparql-query; charset=UTF-8",
        'application/sparql-query;charset="utf8"',
    ):
        response = client.post("/sparql", content=query.encode(), headers={"content-type": media})
        assert response.json()["results"]["bindings"][0]["x"]["value"] == "Hà Nội"


def test_undecodable_body_is_400_and_unknown_charset_415(client: httpx.Client) -> None:
    headers = {"content-type": "application/sparql-query"}
    problem(client.post("/sparql", content=b"ASK { \xff\xfe\xfa }", headers=headers), 400)
    problem(client.get("/sparql?query=ASK%7B%7D%FF"), 400)
    headers = {"content-type": "application/sparql-query; charset=x-no-such"}
    problem(client.post("/sparql", content=b"ASK {}", headers=headers), 415)


# ------------------------------------------------------------------- negotiation


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, SPARQL_JSON),
        ("*/*", SPARQL_JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0.9, text/tab-separated-values;q=0.8", "text/csv"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", SPARQL_JSON),
        ("text/*;q=0.3, application/sparql-results+json;q=0.2", "application/sparql-results+xml"),
    ],
)
def test_select_is_negotiated_with_q_values(
    client: httpx.Client, accept: str | None, media_type: str
) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": LINE_151}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert "Continue to support the work" in response.text


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/n-quads", "application/n-quads"),
        ("application/trig;q=0.9, text/turtle;q=0.1", "application/trig"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
    ],
)
def test_construct_is_negotiated_and_parses(
    client: httpx.Client, accept: str | None, media_type: str
) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": CONSTRUCT_151}, headers=headers)
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type)
    assert rdf_format is not None
    quads = list(pyoxigraph.parse(response.content, format=rdf_format))
    assert {q.object.value for q in quads} == {"1.5.1"}


def test_nothing_acceptable_is_406(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": LINE_151}, headers={"accept": "image/png"})
    problem(response, 406)
    response = client.get(
        "/sparql", params={"query": CONSTRUCT_151}, headers={"accept": "text/csv"}
    )
    problem(response, 406)


def test_format_parameter_overrides_accept(client: httpx.Client) -> None:
    params = {"query": LINE_151, "format": "csv"}
    response = client.get("/sparql", params=params, headers={"accept": SPARQL_JSON})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert response.headers["content-type"].startswith("text/csv")
    assert rows[0] == ["text"] and rows[1][0].startswith("Continue to support")
    response = client.get("/sparql", params={"query": CONSTRUCT_151, "format": "nt"})
    assert response.headers["content-type"].startswith("application/n-triples")
    problem(client.get("/sparql", params={"query": LINE_151, "format": "docx"}), 400)


def test_ask_in_json_and_xml(client: httpx.Client) -> None:
    query = "ASK { ?s a <https://w3id.org/aseankg/ontology#ActionLine> }"
    assert client.get("/sparql", params={"query": query}).json()["boolean"] is True
    xml = client.get("/sparql", params={"query": query, "format": "xml"}).text
    assert "<boolean>true</boolean>" in xml


# ------------------------------------------------------------------- the dataset


def _plan_triples(client: httpx.Client) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{PLAN_GRAPH}> {{ ?s ?p ?o }} }}"
    return count(client.get("/sparql", params={"query": query}))


def test_default_graph_is_the_union_of_named_graphs(client: httpx.Client) -> None:
    query = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(client.get("/sparql", params={"query": query})) >= 2
    union = count(client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}))
    assert union > _plan_triples(client)


def test_default_graph_uri_selects_the_default_graph(client: httpx.Client) -> None:
    params = {"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "default-graph-uri": PLAN_GRAPH}
    assert count(client.get("/sparql", params=params)) == _plan_triples(client)


def test_named_graph_uri_limits_the_named_graphs(client: httpx.Client) -> None:
    params = {
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "named-graph-uri": PLAN_GRAPH,
    }
    rows = client.get("/sparql", params=params).json()["results"]["bindings"]
    assert [row["g"]["value"] for row in rows] == [PLAN_GRAPH]


def test_from_clause_is_honoured(client: httpx.Client) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{PLAN_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert count(client.get("/sparql", params={"query": query})) == _plan_triples(client)


def test_invalid_dataset_iri_is_400(client: httpx.Client) -> None:
    params = {"query": COUNT_LINES, "default-graph-uri": "not an iri"}
    problem(client.get("/sparql", params=params), 400)


# ------------------------------------------------------------------- CORS


def test_cors_allows_any_origin_without_credentials(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": COUNT_LINES}, headers={"origin": "https://portal.example"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


def test_cors_preflight_for_post_with_content_type(client: httpx.Client) -> None:
    response = client.options(
        "/sparql",
        headers={
            "origin": "https://portal.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()


# ------------------------------------------------------------------- self-description


def test_service_description_for_non_browsers(client: httpx.Client, server: str) -> None:
    response = client.get("/sparql")
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoint = rdflib.URIRef(f"{server}/sparql")
    assert (endpoint, sd.endpoint, endpoint) in graph
    assert (endpoint, sd.feature, sd.UnionDefaultGraph) in graph
    assert (endpoint, sd.feature, sd.BasicFederatedQuery) not in graph
    names = set(graph.objects(None, sd.name))
    assert rdflib.URIRef(PLAN_GRAPH) in names
    jsonld = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert json.loads(jsonld.text)


def test_browser_gets_the_query_page(client: httpx.Client) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", headers={"accept": accept})
    assert response.headers["content-type"].startswith("text/html")
    assert 'action="/sparql"' in response.text and 'name="query"' in response.text


# ------------------------------------------------------------------- real clients


@pytest.mark.parametrize("return_format", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_every_format(server: str, return_format: str) -> None:
    wrapper = SPARQLWrapper(f"{server}/sparql")
    wrapper.setQuery(LINE_151)
    wrapper.setReturnFormat(return_format)
    result: Any = wrapper.query().convert()
    if return_format == JSON:
        text = result["results"]["bindings"][0]["text"]["value"]
    elif return_format == XML:
        text = result.getElementsByTagName("literal")[0].firstChild.data
    else:
        raw = result.decode("utf-8") if isinstance(result, bytes) else result
        text = raw.splitlines()[1]
    assert "Continue to support the work" in text


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("return_format", [TURTLE, N3, RDFXML, JSONLD, XML])
def test_sparqlwrapper_construct_in_every_format(server: str, return_format: str) -> None:
    wrapper = SPARQLWrapper(f"{server}/sparql")
    wrapper.setQuery(CONSTRUCT_151)
    wrapper.setReturnFormat(return_format)
    result: Any = wrapper.query().convert()
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(data=result)
    assert {str(o) for o in graph.objects()} == {"1.5.1"}


def test_sparqlwrapper_post(server: str) -> None:
    wrapper = SPARQLWrapper(f"{server}/sparql")
    wrapper.setMethod("POST")
    wrapper.setQuery(COUNT_LINES)
    wrapper.setReturnFormat(JSON)
    result: Any = wrapper.query().convert()
    assert result["results"]["bindings"][0]["n"]["value"] == "106"


def test_rdflib_federates_into_the_endpoint(server: str) -> None:
    # rdflib sends a SERVICE sub-select without the outer prologue: full IRIs only.
    notation = "<http://www.w3.org/2004/02/skos/core#notation>"
    query = f"""
        SELECT ?line WHERE {{
          SERVICE <{server}/sparql> {{
            SELECT ?line WHERE {{ ?l {notation} ?line FILTER(STRSTARTS(?line, "1.5.")) }}
          }}
        }} ORDER BY ?line"""
    rows = list(rdflib.Graph().query(query))
    assert [str(row[0]) for row in rows][:2] == ["1.5.1", "1.5.2"]  # type: ignore[index]


# ------------------------------------------------------------------- the command


@pytest.mark.slow
def test_serve_command_with_two_workers(seed_store: Path) -> None:
    port = free_port()
    cli = Path(sys.executable).with_name("aseankg")
    command = [str(cli), "serve", "--store", str(seed_store), "--port", str(port), "--workers", "2"]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ}
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120  # several uvicorn workers start slowly on a busy CI box
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        with httpx.Client(base_url=url, timeout=60) as http:
            answers = [count(http.get("/sparql", params={"query": COUNT_LINES})) for _ in range(6)]
        assert answers == [106] * 6
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert b'"path":"/sparql"' in stderr  # one structured access-log line per request


def test_serve_without_a_store_is_a_one_line_error(tmp_path: Path) -> None:
    cli = Path(sys.executable).with_name("aseankg")
    done = subprocess.run(
        [str(cli), "serve", "--store", str(tmp_path / "none")], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.startswith("aseankg: error: no store") and "Traceback" not in done.stderr


def test_plan_id_is_what_the_graph_holds(client: httpx.Client) -> None:
    query = "PREFIX dct: <http://purl.org/dc/terms/> SELECT ?id { ?p dct:identifier ?id }"
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert PLAN in {row["id"]["value"] for row in rows}
