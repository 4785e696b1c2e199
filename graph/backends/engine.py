"""A SPARQL engine as the store: the SPARQL 1.1 Protocol to read, the Graph Store Protocol
to load, SPARQL Update for the build record; blue/green builds by graph name.

``--store virtuoso+http://127.0.0.1:8890/sparql`` or ``oxigraph+http://127.0.0.1:7878``:
the scheme names the dialect (:mod:`aseankg.graph.backends.dialects`), the rest is the
engine's URL. Credentials come from ``ASEANKG_STORE_USER`` / ``ASEANKG_STORE_PASSWORD``
only (a URL with credentials in it is refused, so they never sit on a command line).

Blue/green: a build loads its graphs under build-specific names minted under the base
IRI, ``{base}store/{build}/graph/{plan}`` for ``{base}graph/{plan}``, with one Graph
Store Protocol POST per batch of a graph. It is checked over SPARQL (the same check
queries as the embedded store), then one ``INSERT DATA`` into the record graph
``urn:x-aseankg:builds`` makes it current: the record of the newest committed build is
the current one. Readers read the record, then only that build's graphs, named
explicitly as the query's dataset (never the engine's own default graph): they see the
old build or the new one, never half. A killed build leaves graphs that no record
points at; the next build drops them (each graph is listed in the record as it starts
loading). Graph names in queries and answers are renamed between public and private
(:mod:`aseankg.graph.backends.sparql_text`), so clients only ever see public names.

A dialect with ``merged_default`` (Oxigraph server, which scans every graph of a listed
default graph for each triple pattern) also keeps the merge of a build's graphs in one
graph, ``{base}store/{build}/default``: each batch is posted to it as to its own graph
(a graph is a set: a triple of two plan graphs is there once, the RDF merge), and it is
the queries' only ``default-graph-uri``, for the cross-plan step and the checks as for
readers; the build's graphs stay the ``named-graph-uri`` list (``GRAPH`` patterns,
exports). It is listed in the record before its first triple and named in the commit
(``default``), so it comes and goes with its build. Dropping a graph of a build being
loaded makes it anew on the engine (``ADD``) before the next query.

:class:`EngineStore` reads one build with the methods of a pyoxigraph ``Store`` the
program uses (``query``, ``quads_for_pattern`` for one graph, ``named_graphs``,
``len``); its results are pyoxigraph's own result objects, parsed as the answer streams
in, so ``aseankg.graph.query.execute`` serialises, caps and negotiates them in front of
the engine exactly as for the embedded store. A query is first parsed by Oxigraph
(an empty in-memory store), so the engine is sent only SPARQL that Oxigraph's grammar
accepts: no engine-specific pragmas (Virtuoso's ``DEFINE get:soft`` would fetch URLs).

>>> EngineAddress.parse("virtuoso+http://127.0.0.1:8890/sparql").root
'http://127.0.0.1:8890'
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import io
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, cast
from urllib.parse import urlencode, urlsplit

import httpx
import pyoxigraph as ox

from aseankg.graph.backends.dialects import DIALECTS, Dialect
from aseankg.graph.backends.record import Backend, Build, Manifest
from aseankg.graph.backends.sparql_text import Renamer, has_dataset_clause
from aseankg.graph.backends.virtuoso_loader import BulkLoader
from aseankg.graph.errors import EngineTruncatedError, GraphError, QueryIOError, StoreError
from aseankg.queries.loader import load_query

__all__ = [
    "ENV_MAX_ROWS",
    "ENV_PASSWORD",
    "ENV_USER",
    "RECORD_GRAPH",
    "EngineAddress",
    "EngineBackend",
    "EngineBuild",
    "EngineClient",
    "EngineStore",
    "is_engine_url",
    "max_rows",
]

ENV_USER = "ASEANKG_STORE_USER"
ENV_PASSWORD = "ASEANKG_STORE_PASSWORD"
ENV_MAX_ROWS = "ASEANKG_STORE_MAX_ROWS"  # the engine's ResultSetMaxRows, if not its default
RECORD_GRAPH = "urn:x-aseankg:builds"
_COMMITTED = "urn:x-aseankg:committed"
_LOADING = "urn:x-aseankg:loading"
_BUILD = "urn:x-aseankg:build:"
_STORE = "urn:x-aseankg:store"
_WRITABLE = "urn:x-aseankg:writable"
_NONE = "urn:x-aseankg:none"  # a graph that never exists: an empty part of a dataset
_BATCH = 20_000  # triples per Graph Store Protocol POST
_RECORD_TTL = 1.0  # seconds a read of the record is reused (older builds are kept)
_JSON = "application/sparql-results+json"
_XML = "application/sparql-results+xml"
_NTRIPLES = "application/n-triples"

_Form = Literal["solutions", "boolean", "graph"]


def is_engine_url(text: str) -> bool:
    """Whether ``text`` is a URL naming a dialect this program speaks
    (``virtuoso+http://…``, ``oxigraph+https://…``)."""
    scheme, sep, _ = text.partition("://")
    dialect, plus, transport = scheme.lower().partition("+")
    return bool(sep and plus) and dialect in DIALECTS and transport in ("http", "https")


@dataclass(frozen=True)
class EngineAddress:
    """Where an engine listens: ``url`` as given, its ``dialect``, the server ``root``
    (scheme, host, port and any path before the dialect's endpoint), ``host`` and
    ``port`` (what the query workers' engine lane may connect to)."""

    url: str
    dialect: Dialect
    root: str
    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> EngineAddress:
        """Read an engine URL.

        Raises:
            StoreError: not ``dialect+http(s)://host[:port][/path]`` of a known dialect,
                or credentials in it.
        """
        names = " or ".join(f"{name}+http://host:port" for name in DIALECTS)
        if not is_engine_url(text):
            raise StoreError(
                f"{text!r} is not a folder nor an engine URL this program speaks: "
                f"give a folder, or {names}"
            )
        scheme, _, rest = text.partition("://")
        name, _, transport = scheme.lower().partition("+")
        dialect = DIALECTS[name]
        try:
            parts = urlsplit(f"{transport}://{rest}")
            port = parts.port or (443 if transport == "https" else 80)
        except ValueError as exc:
            raise StoreError(f"{text!r} is not an engine URL: {exc}") from None
        if parts.username is not None or parts.password is not None:
            raise StoreError(
                f"put no credentials in the engine URL: set {ENV_USER} and {ENV_PASSWORD}"
            )
        if not parts.hostname or parts.query or parts.fragment:
            raise StoreError(f"{text!r} is not an engine URL: expected {names}")
        path = parts.path.rstrip("/")
        if dialect.endpoint_path and path.endswith(dialect.endpoint_path):
            path = path[: -len(dialect.endpoint_path)]
        host = parts.hostname
        netloc = f"[{host}]" if ":" in host else host
        return cls(text, dialect, f"{transport}://{netloc}:{port}{path}", host, port)


def max_rows(dialect: Dialect) -> int | None:
    """The row limit at which ``dialect``'s engine cuts results silently:
    ``$ASEANKG_STORE_MAX_ROWS`` (0: none), else the dialect's default (Virtuoso: 10,000);
    None when it has none.

    Raises ``StoreError`` when the variable is not a whole number."""
    text = os.environ.get(ENV_MAX_ROWS, "").strip()
    if not text:
        return dialect.max_rows
    if not text.isdigit():
        raise StoreError(
            f"{ENV_MAX_ROWS} is the engine's ResultSetMaxRows, a whole number: {text!r}"
        )
    return int(text) or None


def _cut_message(dialect: Dialect, count: int, what: str) -> str:
    advice = "narrow the query, ask for truncate=true for its first rows, or " * (what == "result")
    return (
        f"the {dialect.name} engine cut the {what} at its row limit ({count} rows or "
        f"triples, its ResultSetMaxRows): no part of it is given; {advice}raise the "
        f"engine's limit (and set {ENV_MAX_ROWS} to it)"
    )


class EngineClient:
    """HTTP to one engine (httpx, no proxy from the environment), with its credentials."""

    def __init__(
        self, address: EngineAddress, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.address = address
        user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
        auth: httpx.Auth | None = None
        if user is not None and password is not None:
            digest = address.dialect.auth == "digest"
            auth = httpx.DigestAuth(user, password) if digest else httpx.BasicAuth(user, password)
        self.http = httpx.Client(
            transport=transport,
            auth=auth,
            timeout=httpx.Timeout(None, connect=10.0),
            trust_env=False,
            headers={"User-Agent": "aseankg"},
        )

    def url(self, path: str) -> str:
        return self.address.root + path

    def _fail(self, response: httpx.Response, *, writing: bool) -> GraphError:
        text = response.read().decode("utf-8", "replace")
        error: GraphError = self.address.dialect.failure(
            response.status_code, text, writing=writing
        )
        return error

    def send(
        self,
        method: str,
        path: str,
        *,
        writing: bool,
        stream: bool = False,
        ok: tuple[int, ...] = (),
        **kwargs: Any,
    ) -> httpx.Response:
        """One request; an answer of status >= 400 (not in ``ok``) is raised as the
        dialect's error. Raises ``StoreError`` (writing) or ``QueryIOError`` (reading)
        when the engine cannot be reached."""
        request = self.http.build_request(method, self.url(path), **kwargs)
        try:
            try:
                response = self.http.send(request, stream=stream)
            except (httpx.RemoteProtocolError, httpx.ReadError):
                if writing:
                    raise
                # a read on a keep-alive connection the engine had closed: once more, anew
                response = self.http.send(request, stream=stream)
        except httpx.HTTPError as exc:
            message = f"cannot reach the {self.address.dialect.name} engine at {self.address.url}"
            error = StoreError if writing else QueryIOError
            raise error(f"{message}: {exc}") from exc
        if response.status_code >= 400 and response.status_code not in ok:
            try:
                raise self._fail(response, writing=writing)
            finally:
                response.close()
        return response

    def query(self, text: str, dataset: Sequence[tuple[str, str]], accept: str) -> httpx.Response:
        """A query as a form-encoded POST (every dialect takes it); the answer streams."""
        return self.send(
            "POST",
            self.address.dialect.query_path,
            writing=False,
            stream=True,
            content=urlencode([("query", text), *dataset]).encode("ascii"),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )

    def rows(self, text: str, dataset: Sequence[tuple[str, str]] = ()) -> list[dict[str, str]]:
        """The rows of a small SELECT of ours, as ``{variable: value}``.

        Raises ``StoreError`` when the engine fails or answers no SPARQL JSON."""
        try:
            response = self.query(text, dataset, _JSON)
            data = json.loads(response.read())
            header = self.address.dialect.max_rows_header
            if header and header in response.headers:
                count = len(data["results"]["bindings"])
                raise StoreError(_cut_message(self.address.dialect, count, "build record"))
            return [
                {name: str(term["value"]) for name, term in row.items()}
                for row in data["results"]["bindings"]
            ]
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"the engine at {self.address.url} answered no results") from exc
        except GraphError as exc:
            if isinstance(exc, StoreError):
                raise
            raise StoreError(str(exc)) from exc

    def update(self, text: str) -> None:
        """Run a SPARQL Update of ours (the build record)."""
        dialect = self.address.dialect
        self.send("POST", dialect.update_path, writing=True, data={dialect.update_param: text})

    def post_graph(self, graph: str, ntriples: bytes) -> None:
        """Add N-Triples to ``graph`` (Graph Store Protocol POST)."""
        dialect = self.address.dialect
        self.send(
            "POST",
            dialect.store_path,
            writing=True,
            params={dialect.graph_param: graph},
            content=ntriples,
            headers={"Content-Type": _NTRIPLES},
        )

    def delete_graph(self, graph: str) -> None:
        """Drop ``graph`` (Graph Store Protocol DELETE; a missing graph is fine)."""
        dialect = self.address.dialect
        self.send(
            "DELETE",
            dialect.store_path,
            writing=True,
            params={dialect.graph_param: graph},
            ok=(404,),
        )

    def get_graph(self, graph: str) -> httpx.Response:
        """The triples of ``graph`` as N-Triples (Graph Store Protocol GET), streaming."""
        dialect = self.address.dialect
        return self.send(
            "GET",
            dialect.read_store_path,
            writing=False,
            stream=True,
            ok=(404,),
            params={dialect.graph_param: graph},
            headers={"Accept": _NTRIPLES},
        )


class _Answer(io.RawIOBase):
    """An engine's answer as a binary stream, private graph names renamed back on the
    way; closes the response at its end. A broken connection reads as an ``OSError``."""

    def __init__(self, response: httpx.Response, renamer: Renamer, *, count: bytes = b"") -> None:
        super().__init__()
        self._response = response
        self._chunks = response.iter_bytes()
        self._renamer = renamer
        self._pending = b""
        self._ready = b""
        self._done = False
        self._mark, self._tail = count, b""
        self.count = 0  # how many times ``count`` (a row's or a triple's mark) came so far

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        private = self._renamer.private.encode("utf-8")
        while not self._ready and not self._done:
            try:
                chunk = next(self._chunks)
            except StopIteration:
                self._done = True
                self._ready, self._pending = self._renamer.answer(self._pending), b""
                self._response.close()
                return
            except httpx.HTTPError as exc:
                self.close()
                raise OSError(f"the engine's answer broke off: {exc}") from exc
            if self._mark:
                seen = self._tail + chunk
                self.count += seen.count(self._mark)
                self._tail = seen[len(seen) - len(self._mark) + 1 :]
            data = self._pending + chunk
            last = data.rfind(private)
            cut = max(last + len(private) if last >= 0 else 0, len(data) - len(private) + 1)
            self._ready, self._pending = self._renamer.answer(data[:cut]), data[cut:]

    def readinto(self, buffer: Any) -> int:
        self._fill()
        size = min(len(buffer), len(self._ready))
        buffer[:size] = self._ready[:size]
        self._ready = self._ready[size:]
        return size

    def close(self) -> None:
        self._response.close()
        super().close()


_EMPTY = ox.Store()


def _form_of(query: str, base_iri: str | None = None) -> _Form:
    """The kind of result of ``query`` by Oxigraph's own parse (on an empty store).

    Raises ``SyntaxError`` as pyoxigraph does for a query it cannot parse."""
    try:
        result = _EMPTY.query(query, base_iri=base_iri)
    except SyntaxError:
        raise
    except (OSError, RuntimeError, ValueError):  # it parsed; the empty run failed (SERVICE)
        return "graph" if _looks_like_graph(query) else "solutions"
    if isinstance(result, ox.QueryBoolean):
        return "boolean"
    if isinstance(result, ox.QuerySolutions):
        return "solutions"
    return "graph"


def _looks_like_graph(query: str) -> bool:
    words = query.upper().split()
    forms = [w for w in words if w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")]
    return bool(forms) and forms[0] in ("CONSTRUCT", "DESCRIBE")


_TRUE = ox.parse_query_results(b'{"head":{},"boolean":true}', format=ox.QueryResultsFormat.JSON)
_FALSE = ox.parse_query_results(b'{"head":{},"boolean":false}', format=ox.QueryResultsFormat.JSON)


class EngineStore:
    """One build of an engine, read like a pyoxigraph ``Store`` (module docstring).
    ``graphs`` are the build's private graph names, ``renamer`` maps them."""

    def __init__(
        self,
        client: EngineClient,
        graphs: tuple[str, ...],
        renamer: Renamer,
        *,
        writer: EngineBuild | None = None,
        timeout: float | None = None,
        default: str = "",
    ) -> None:
        self.client = client
        self.graphs = graphs
        self.renamer = renamer
        self.default = default  # the graph holding the merge of ``graphs``, if any
        self._allowed = frozenset(graphs)
        self._answer: _Answer | None = None
        self._writer = writer
        self._timeout = timeout
        self._flagged = False  # the engine said it may have cut the last answer
        self._form: _Form = "solutions"

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads to a build still being loaded (the build's cross-plan step).

        Raises ``StoreError`` when this is a committed build (read-only) or the engine
        refuses the data."""
        if self._writer is None:
            raise StoreError("a committed build on an engine is read-only")
        self._writer.add(quads)
        self.graphs = tuple(sorted(self._writer.graphs))
        self._allowed = frozenset(self.graphs)

    def remove_graph(self, graph: ox.NamedNode) -> None:
        """Drop one graph (by its public name) of a build still being loaded.

        Raises ``StoreError`` as :meth:`extend`."""
        if self._writer is None:
            raise StoreError("a committed build on an engine is read-only")
        self.client.delete_graph(self.renamer.iri(graph.value))
        self._writer.removed()

    def close(self) -> None:
        """Close the answer still streaming, if any."""
        if self._answer is not None:
            self._answer.close()
            self._answer = None

    def _graph(self, name: str) -> str:
        private = self.renamer.iri(name)
        return private if private in self._allowed else _NONE

    def _dataset(
        self,
        query: str,
        union: bool,
        default_graph: Sequence[ox.NamedNode] | None,
        named_graphs: Sequence[ox.NamedNode] | None,
    ) -> list[tuple[str, str]]:
        if default_graph is not None or named_graphs is not None:
            default = [self._graph(g.value) for g in default_graph or ()] or [_NONE]
            named = [self._graph(g.value) for g in named_graphs or ()] or [_NONE]
        elif has_dataset_clause(query):
            return []  # FROM clauses of ours only: see Renamer.query(…, graphs=…)
        else:
            # one merged graph where the dialect keeps one: a list is scanned graph by graph
            merged = [self.default] if self.default else list(self.graphs)
            default = merged if union else [_NONE]
            named = list(self.graphs)
        return [("default-graph-uri", g) for g in default or [_NONE]] + [
            ("named-graph-uri", g) for g in named or [_NONE]
        ]

    def query(
        self,
        query: str,
        *,
        use_default_graph_as_union: bool = False,
        default_graph: Sequence[ox.NamedNode] | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        base_iri: str | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]:
        """Run ``query`` on the engine over this build's graphs (the dataset as
        pyoxigraph's ``Store.query`` takes it) and parse the answer as it streams.

        Raises:
            SyntaxError: Oxigraph cannot parse the query (nothing is sent).
            GraphError: the engine refused or failed (the dialect's errors), or cannot
                be reached (``QueryIOError``).
        """
        self.close()
        if self._writer is not None:  # a build being loaded: its merged graph brought up to date
            self.default = self._writer.sync()
        form = _form_of(query, base_iri)
        text = self.renamer.query(query, graphs=self._allowed, none=_NONE)
        if base_iri is not None:
            text = f"BASE <{base_iri}>\n{text}"
        dataset = self._dataset(query, use_default_graph_as_union, default_graph, named_graphs)
        dialect = self.client.address.dialect
        if dialect.timeout_param and self._timeout:
            dataset.append((dialect.timeout_param, str(max(1, int(self._timeout * 1000)))))
        results = _XML if dialect.results == "xml" else _JSON
        response = self.client.query(text, dataset, _NTRIPLES if form == "graph" else results)
        if response.headers.get("x-sql-state", "").upper() == "S1TAT":
            response.close()
            raise self.client.address.dialect.failure(500, "S1TAT: the anytime limit cut it")
        header = dialect.max_rows_header
        self._flagged = bool(header and header in response.headers)
        self._form = form
        mark = b"\n" if form == "graph" else b"<result>" if results == _XML else b""
        self._answer = answer = _Answer(response, self.renamer, count=mark)
        if form == "graph":
            stream = cast(IO[bytes], answer)
            return (quad.triple for quad in ox.parse(stream, format=ox.RdfFormat.N_TRIPLES))
        parsed = ox.parse_query_results(
            cast(IO[bytes], answer),
            format=ox.QueryResultsFormat.XML if results == _XML else ox.QueryResultsFormat.JSON,
        )
        if form == "boolean" and isinstance(parsed, ox.QuerySolutions):
            # Virtuoso: ASK as a one-row SELECT of __ASK_RETVAL (1 or 0), no row when false
            values = [row[0] for row in parsed]
            true = any(isinstance(v, ox.Literal) and v.value in ("1", "true") for v in values)
            return _TRUE if true else _FALSE
        return parsed

    def engine_cut(self, *, allowed: bool) -> bool:
        """Whether the engine cut the last query's answer at its row limit (read to its
        end): it said so, or the answer holds exactly that many rows (SELECT) or that many
        or one more triples (CONSTRUCT, DESCRIBE), so a complete answer of that size is
        taken as cut. ``allowed``: the caller asked for a cut result.

        Raises:
            EngineTruncatedError: it was cut and ``allowed`` is false.
            StoreError: ``ASEANKG_STORE_MAX_ROWS`` is not a whole number.
        """
        answer = self._answer
        if answer is None or self._form == "boolean":
            return False
        dialect = self.client.address.dialect
        limit = max_rows(dialect)
        count = answer.count
        sizes = (limit,) if self._form == "solutions" else (limit, (limit or 0) + 1)
        if not (self._flagged or (limit is not None and count in sizes)):
            return False
        if not allowed:
            raise EngineTruncatedError(_cut_message(dialect, count, "result"))
        return True

    def quads_for_pattern(
        self,
        subject: None,
        predicate: None,
        object: None,
        graph_name: ox.NamedNode | ox.DefaultGraph | ox.BlankNode,
    ) -> Iterator[ox.Quad]:
        """Every quad of one graph (by its public name), by a Graph Store Protocol GET;
        the default graph of a build is empty (its data is in named graphs).

        Raises ``QueryIOError`` when the engine fails or cannot be reached, and
        ``EngineTruncatedError`` (after the triples it gave) when it cut the graph at its
        row limit (Virtuoso's ``ResultSetMaxRows`` applies to these GETs too)."""
        if not isinstance(graph_name, ox.NamedNode):
            return
        if graph_name.value not in {self.renamer.back(g) for g in self.graphs}:
            return
        response = self.client.get_graph(self.renamer.iri(graph_name.value))
        if response.status_code == 404:
            response.close()
            return
        answer = _Answer(response, self.renamer, count=b"\n")
        try:
            for quad in ox.parse(cast(IO[bytes], answer), format=ox.RdfFormat.N_TRIPLES):
                yield ox.Quad(quad.subject, quad.predicate, quad.object, graph_name)
        finally:
            answer.close()
        dialect = self.client.address.dialect
        limit = max_rows(dialect)
        if limit is not None and answer.count in (limit, limit + 1):
            raise EngineTruncatedError(
                _cut_message(dialect, answer.count, f"graph <{graph_name.value}>")
            )

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The build's graphs, by their public names."""
        return iter([ox.NamedNode(self.renamer.back(g)) for g in self.graphs])

    def __len__(self) -> int:
        """The number of quads of the build. Raises ``StoreError`` as for a query."""
        named = [("default-graph-uri", _NONE)] + [("named-graph-uri", g) for g in self.graphs]
        rows = self.client.rows(load_query("service/store-quads").text, named)
        return int(rows[0]["n"]) if rows else 0


def _renamer(base: str, build: str) -> Renamer:
    return Renamer(f"{base}graph/", f"{base}store/{build}/graph/")


def _merged(base: str, build: str) -> str:
    """The graph of a build that holds the merge of its graphs (``merged_default``)."""
    return f"{base}store/{build}/default"


def _literal(value: str) -> str:
    return str(json.dumps(value))  # a JSON string is a valid SPARQL string literal


_CURRENT: dict[str, tuple[float, Build | None]] = {}
_CLIENTS: dict[tuple[str, str | None, str | None], EngineClient] = {}


@atexit.register
def _close_clients() -> None:
    for client in _CLIENTS.values():
        client.http.close()


class EngineBuild:
    """A build being loaded into an engine under its own graph names."""

    def __init__(self, backend: EngineBackend, build: str) -> None:
        self.backend = backend
        self._id = build
        self._workdir = Path(tempfile.mkdtemp(prefix="aseankg-build-"))
        self._graphs: dict[str, str] = {}
        self._base: str | None = None
        self._committed = False
        self._merged = ""  # its merged graph, once started (module docstring)
        self._remerge = False  # a graph was dropped: the merged graph is made anew

    @property
    def id(self) -> str:
        return self._id

    @property
    def workdir(self) -> Path:
        return self._workdir

    @property
    def committed(self) -> bool:
        return self._committed

    def _private(self, public: str) -> str:
        name = self._graphs.get(public)
        if name is not None:
            return name
        marker = public.rfind("/graph/")
        base = public[: marker + 1] if marker >= 0 else None
        if base is None or (self._base is not None and base != self._base):
            raise StoreError(f"the graph <{public}> is not under the build's base {self._base}")
        self._base = base
        name = _renamer(base, self._id).iri(public)
        subject = f"<{_BUILD}{self._id}>"
        self.backend.client.update(
            f"INSERT DATA {{ GRAPH <{RECORD_GRAPH}> {{ {subject} <{_LOADING}> "
            f"{_literal(name)} }} }}"
        )
        self._graphs[public] = name
        return name

    def _post(self, graph: str, triples: list[ox.Triple]) -> None:
        if triples:
            data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            self.backend.client.post_graph(self._private(graph), data)
            if self.backend.address.dialect.merged_default:
                self.backend.client.post_graph(self._merged_graph(), data)

    def _merged_graph(self) -> str:
        if not self._merged:
            name = _merged(self._base or "", self._id)
            self.backend.client.update(  # listed first, so a killed build's copy is dropped
                f"INSERT DATA {{ GRAPH <{RECORD_GRAPH}> {{ <{_BUILD}{self._id}> <{_LOADING}> "
                f"{_literal(name)} }} }}"
            )
            self._merged = name
        return self._merged

    def removed(self) -> None:
        """A graph of this build was dropped: its triples leave the merged graph."""
        self._remerge = bool(self._merged)

    def sync(self) -> str:
        """The merged graph of this build, up to date with its graphs ("" for a dialect
        that keeps none). Each batch is posted to it as to its own graph; after a graph
        was dropped it is made anew on the engine (``DROP``, then ``ADD`` of each graph,
        one request).

        Raises ``StoreError`` when the engine refuses."""
        if self._remerge:
            steps = [f"DROP SILENT GRAPH <{self._merged}>"]
            steps += [f"ADD SILENT <{g}> TO <{self._merged}>" for g in sorted(self.graphs)]
            self.backend.client.update(" ;\n".join(steps))
            self._remerge = False
        return self._merged

    @property
    def graphs(self) -> set[str]:
        """The private names of the graphs loaded so far."""
        return set(self._graphs.values())

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads (graphs by their public names), a graph's in batches.

        Raises ``StoreError`` when a quad is in no named graph or the engine refuses."""
        graph, batch = "", list[ox.Triple]()
        for quad in quads:
            name = quad.graph_name
            if not isinstance(name, ox.NamedNode):
                raise StoreError("a quad outside a named graph")
            if name.value != graph or len(batch) >= _BATCH:
                self._post(graph, batch)
                graph, batch = name.value, []
            batch.append(quad.triple)
        self._post(graph, batch)

    def load(self, files: Sequence[Path]) -> None:
        """Load N-Quads files, a graph's quads in batches of Graph Store Protocol POSTs;
        into Virtuoso by its bulk loader instead when ``ASEANKG_STORE_ISQL`` and
        ``ASEANKG_STORE_LOAD_DIR`` are set (:mod:`~aseankg.graph.backends.virtuoso_loader`).

        Raises:
            StoreError: a file cannot be read or parsed, a quad is in no named graph,
                the engine refuses the data, or the bulk loader is misconfigured or fails.
        """
        if self.backend.address.dialect.name == "virtuoso":
            loader = BulkLoader.from_environment()
            if loader is not None:
                loader.load(self._id, files, self._private)
                return
        for path in files:
            try:
                self.add(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
            except (OSError, SyntaxError) as exc:
                raise StoreError(
                    f"cannot load {path.name} into {self.backend.name}: {exc}"
                ) from exc

    def reader(self) -> EngineStore:
        """This build's graphs, for the checks before the commit."""
        base = self._base or ""
        return EngineStore(
            self.backend.client,
            tuple(sorted(self._graphs.values())),
            _renamer(base, self._id),
            writer=self,
        )

    def commit(self, manifest: Manifest) -> None:
        """Write this build's record: from now on it is the current build.

        Raises:
            StoreError: the engine refuses the record, or the manifest's base is not
                the one the graphs were loaded under.
        """
        if self._base is not None and manifest.base and manifest.base != self._base:
            raise StoreError(f"the manifest's base {manifest.base} is not the graphs' base")
        record = {
            "id": self._id,
            "manifest": manifest.to_json(),
            "graphs": sorted(self._graphs.values()),
        }
        merged = self.sync()
        if merged:
            record["default"] = merged
        subject = f"<{_BUILD}{self._id}>"
        self.backend.client.update(
            f"INSERT DATA {{ GRAPH <{RECORD_GRAPH}> {{ {subject} <{_COMMITTED}> "
            f"{_literal(json.dumps(record, sort_keys=True))} }} }}"
        )
        self._committed = True
        self.backend.forget()

    def discard(self) -> None:
        """Remove the work folder and, unless committed, this build's graphs and record
        (best effort: a later build drops what is left)."""
        shutil.rmtree(self._workdir, ignore_errors=True)
        if self._committed:
            return
        with contextlib.suppress(GraphError):
            self.backend.prune(10**6, building="-")  # drops nothing committed


class EngineBackend:
    """The builds kept in one engine (module docstring); ``transport`` is the httpx
    transport to reach it (a query worker's engine lane), else a direct connection."""

    def __init__(
        self,
        address: EngineAddress,
        *,
        transport: httpx.BaseTransport | None = None,
        query_timeout: float | None = None,
    ) -> None:
        self.address = address
        self._transport = transport
        self._timeout = query_timeout
        self._client: EngineClient | None = None
        self._rows: list[dict[str, str]] = []

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        query_timeout: float | None = None,
    ) -> EngineBackend:
        """The backend of an engine URL; ``query_timeout`` (seconds) is sent with each
        query to a dialect that takes one. Raises ``StoreError`` as
        :meth:`EngineAddress.parse`."""
        return cls(EngineAddress.parse(url), transport=transport, query_timeout=query_timeout)

    @property
    def name(self) -> str:
        return self.address.url

    @property
    def client(self) -> EngineClient:
        if self._client is None:
            if self._transport is None:  # one client (and its pool) per engine and process
                key = (self.name, os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD))
                if key not in _CLIENTS:
                    _CLIENTS[key] = EngineClient(self.address)
                self._client = _CLIENTS[key]
            else:
                self._client = EngineClient(self.address, transport=self._transport)
        return self._client

    def records(self) -> tuple[dict[str, dict[str, Any]], dict[str, set[str]]]:
        """The committed builds' records by id, and the graphs each started, uncommitted
        build loads (a build being loaded, or one that was killed or failed).

        Raises ``StoreError`` when the engine cannot be read or a record is damaged."""
        rows = self.client.rows(load_query("service/store-records").text)
        committed: dict[str, dict[str, Any]] = {}
        loading: dict[str, set[str]] = {}
        self._rows = rows
        for row in rows:
            if not row["b"].startswith(_BUILD):
                continue
            build = row["b"].removeprefix(_BUILD)
            if row["p"] == _COMMITTED:
                try:
                    record = json.loads(row["o"])
                    Manifest.from_json(record["manifest"])
                except (ValueError, KeyError, TypeError) as exc:
                    raise StoreError(
                        f"the build record of {build} in {self.name} is damaged: {exc}"
                    ) from exc
                committed[build] = record
            elif row["p"] == _LOADING:
                loading.setdefault(build, set()).add(row["o"])
        return committed, {
            build: graphs for build, graphs in loading.items() if build not in committed
        }

    def current(self) -> Build | None:
        """The newest committed build, or None (a read of the record is reused for a
        second). Raises ``StoreError`` when the engine cannot be read."""
        seen = _CURRENT.get(self.name)
        now = time.monotonic()
        if seen is not None and now - seen[0] < _RECORD_TTL:
            return seen[1]
        committed, _ = self.records()
        build = None
        if committed:
            record = committed[max(committed)]
            manifest = Manifest.from_json(record["manifest"])
            owner = cast("Backend", self)  # it is one; mypy cannot tell inside the import cycle
            graphs, default = tuple(record["graphs"]), str(record.get("default", ""))
            build = Build(record["id"], manifest, self.name, owner, graphs=graphs, default=default)
        _CURRENT[self.name] = (now, build)
        return build

    def open_build(self, build: Build, *, read_only: bool = True) -> EngineStore:
        """A read view of ``build`` (engines are read-only for readers). Raises nothing."""
        renamer = _renamer(build.manifest.base, build.id)
        return EngineStore(
            self.client, build.graphs, renamer, timeout=self._timeout, default=build.default
        )

    def forget(self) -> None:
        """Read the record again at the next :meth:`current` (after a commit)."""
        _CURRENT.pop(self.name, None)

    def prune(self, keep: int, *, building: str = "") -> None:
        """Drop the graphs and records of builds other than the newest ``keep``
        committed ones and ``building``; a killed build's graphs go here too.

        Raises ``StoreError`` when the engine refuses."""
        committed, loading = self.records()
        kept = set(sorted(committed, reverse=True)[:keep]) | {building}
        started = {
            row["b"].removeprefix(_BUILD) for row in self._rows if row["b"].startswith(_BUILD)
        }
        for build in sorted(started - kept):
            record = committed.get(build, {})
            graphs = set(record.get("graphs", ())) | loading.get(build, set())
            graphs |= {record["default"]} if record.get("default") else set()
            for graph in sorted(graphs):
                self.client.delete_graph(graph)
            subject = f"{_BUILD}{build}"
            triples = " ".join(
                f"<{subject}> <{row['p']}> {_literal(row['o'])} ."
                for row in self._rows
                if row["b"] == subject
            )
            self.client.update(f"DELETE DATA {{ GRAPH <{RECORD_GRAPH}> {{ {triples} }} }}")

    @contextlib.contextmanager
    def start(self, *, keep: int) -> Iterator[EngineBuild]:
        """Take this machine's build lock for the engine, drop leftovers, yield a new
        build; discard it unless committed (module docstring).

        Raises:
            StoreError: another build of this machine holds the lock, or the engine
                cannot be reached or refuses.
        """
        digest = hashlib.sha256(self.name.encode("utf-8")).hexdigest()[:16]
        path = Path(tempfile.gettempdir()) / f"aseankg-engine-{digest}.lock"
        try:
            lock = open(path, "a+b")  # noqa: SIM115 - held for the whole build
        except OSError as exc:
            raise StoreError(f"cannot take the build lock {path}: {exc}") from exc
        try:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError(f"another build is writing the store at {self.name}") from exc
            # a write first (an idempotent one), so a refused account fails before the
            # build spends its time on the plans
            self.client.update(
                f"INSERT DATA {{ GRAPH <{RECORD_GRAPH}> {{ <{_STORE}> <{_WRITABLE}> true }} }}"
            )
            self.prune(keep)
            stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
            build = EngineBuild(self, f"{stamp}{time.time_ns() % 10**9:09d}-{os.getpid()}")
            try:
                yield build
            finally:
                build.discard()
            if build.committed:
                self.prune(keep)
        finally:
            lock.close()
