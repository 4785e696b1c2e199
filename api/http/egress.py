"""The egress policy: which remote endpoints a query may make the server call, and the
two guards that enforce it inside the query workers.

pyoxigraph runs ``SERVICE`` itself, in Rust: it has no service-handler hook and no
parse-only API, so the decision cannot come from Oxigraph's own parse. Two independent
guards stand in for it, and each alone stops a call to a host that is not allowed:

1. **The verified parse** (:func:`screen_job`, in the worker, before the query runs).
   A ``SERVICE`` keyword is spelt out in ASCII in any query Oxigraph runs (its keywords
   are matched ASCII-case-insensitively, measured: ``SERV\\u0131CE`` and ``\\u017FERVICE``
   are syntax errors, and it applies ``\\uXXXX`` escapes inside IRIs and strings only:
   ``SERVI\\u0043E`` is a syntax error too). So a query whose text, with escapes applied
   (SPARQL 19.2, for an engine that follows it), does not contain ``service`` in any case
   cannot call anything (:func:`mentions_service`, linear). Every query that does is
   parsed with a real SPARQL grammar, rdflib's, and its form, ``FROM`` clauses and the
   target of every ``SERVICE`` are read from the parse tree; a query rdflib cannot parse
   is refused ("cannot verify"), because it may hide a call. Two adjustments make
   rdflib's parse agree with Oxigraph's where both accept a text: rdflib's own
   ``parseQuery`` applies ``\\u`` escapes before parsing, which would turn
   ``"a\\u0022"`` (a one-quote string for Oxigraph) into a string that ends early and
   can swallow a ``SERVICE`` Oxigraph sees, so the grammar is run on the raw text
   (where it rejects ``\\u`` in IRIs and strings: a refusal, never a miss); and
   rdflib's comments end only at ``\\n`` while Oxigraph's end at ``\\r`` too (measured:
   ``# c \\r SERVICE <...> {...} \\n`` was a call rdflib did not see), so ``\\r`` becomes
   ``\\n`` first, which changes no token boundary for Oxigraph. Where the two grammars
   disagree otherwise (glued tokens such as ``trueSERVICE``, which Oxigraph reads as
   ``true SERVICE``; RDF 1.2 syntax), rdflib fails, so the query is refused. The
   fuzzing tests (``tests/integration/test_egress_fuzz.py``) glue ``SERVICE``, ``FROM``
   and ``LOAD`` to every kind of token.
2. **The network sandbox** (:mod:`aseankg.api.http.sandbox`): every query worker runs
   under a seccomp filter that makes ``socket()`` fail for every family but ``AF_UNIX``,
   so a call the parse got wrong fails before a packet leaves (and is answered 403).

A ``SERVICE`` is allowed only when its target is a constant, absolute IRI (not a
variable, not relative to ``BASE``) that starts with a configured allowlist prefix
(:func:`check_allowlist`), is ``http(s)``, and whose host resolves only to public
addresses (never loopback, private, link-local, multicast or reserved, checked after
DNS: :func:`check_addresses`). Such a query needs the network, so the sandboxed worker
answers "federate" and the executor runs it again in its federation lane: a worker
without the filter that re-does the parse and both checks itself before it runs the
query. Residual risk, accepted only when an allowlist is configured: a query whose
verified parse names only allowed, public targets runs with the network, so a
disagreement between rdflib's and Oxigraph's grammar that hid a second ``SERVICE``
from rdflib would reach that host; and Oxigraph resolves the host again when it
connects (DNS rebinding is not caught). Allowlist hosts you control.

``FROM``/``FROM NAMED`` only select graphs of the local store (pyoxigraph never fetches
them); ``LOAD`` is an update and never runs here (``Store.query`` parses queries only).
Form and ``FROM`` of a query without ``service`` come from :func:`scan_query`, a
tokeniser that is linear in the length of the query (each token is consumed once; no
alternative scans far and fails) and whose mistakes cannot cause a call.

>>> scan_query("PREFIX e: <http://x/> SELECT * FROM <http://g/> { ?s ?p ?o }")
QueryScan(form='SELECT', has_dataset_clause=True, services=())
>>> verified_scan("PREFIX e: <http://x/> SELECT * { SERVICE e:s { ?a ?b ?c } }").services
('http://x/s',)
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from rdflib.plugins.sparql import parser as sparql_parser
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from aseankg.api.http.errors import Forbidden
from aseankg.api.http.problems import Failure
from aseankg.graph.errors import GraphError, QueryError, QueryIOError
from aseankg.graph.query import QueryJob

__all__ = [
    "EgressPolicy",
    "QueryScan",
    "UnverifiableQuery",
    "check_addresses",
    "check_allowlist",
    "explain_failure",
    "mentions_service",
    "scan_query",
    "screen_job",
    "unescape_codepoints",
    "verified_scan",
]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# One anchored alternative per token kind. Unterminated strings run to the end of their
# line (or of the text), and a name run ``a.b-c`` is matched once with an optional
# ``:local`` part, so no alternative fails after scanning far (the old ``pname``
# alternative rescanned ``a.a.a...`` from every start: quadratic). Only ``iri`` can fail
# late, and the run it scanned holds no ``<``, so each character is scanned by it once.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s++)
  | (?P<comment>\#[^\n\r]*+)
  | (?P<iri><[^<>"{}|^`\x00-\x20]*+>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*+(?:\"\"\"|\Z)
              | '''(?:[^'\\]|\\.|'(?!''))*+(?:'''|\Z)
              | "(?:[^"\\\n\r]|\\.)*+(?:"|(?=[\n\r])|\Z)
              | '(?:[^'\\\n\r]|\\.)*+(?:'|(?=[\n\r])|\Z))
  | (?P<var>[?$][^\s(){}\[\],;.=<>!&|+*/^"'\#\\]++)
  | (?P<lang>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)
  | (?P<punct>[(){}\[\],;=!&|+*/^>]++)
  | (?P<number>[0-9]++(?:\.[0-9]*+)?(?:[eE][+-]?[0-9]++)?|\.[0-9]++(?:[eE][+-]?[0-9]++)?)
  | (?P<word>[^\W\d_][\w.\-]*+)(?P<local>:(?:[\w:%\-.]|\\[^\s])*+)?
  | (?P<pname>:(?:[\w:%\-.]|\\[^\s])*+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_KEYWORDS = sorted(_FORMS | _UPDATES, key=len, reverse=True)


@dataclass(frozen=True)
class EgressPolicy:
    """What the workers of one lane may call: ``allowlist`` holds IRI prefixes a
    ``SERVICE`` may call (empty: none); ``allow_loopback`` admits loopback addresses
    (tests only); ``network`` says the lane runs without the sandbox (federation)."""

    allowlist: tuple[str, ...] = ()
    allow_loopback: bool = False
    network: bool = False


@dataclass(frozen=True)
class QueryScan:
    """What a scan or parse found: ``form`` (``SELECT`` ... or an update keyword, ``None``
    when unrecognisable), ``has_dataset_clause`` (``FROM`` / ``FROM NAMED``), and the
    IRI of each ``SERVICE`` (``None`` for a variable or a target that is not an absolute
    IRI as written)."""

    form: str | None
    has_dataset_clause: bool
    services: tuple[str | None, ...] = ()

    @property
    def is_update(self) -> bool:
        return self.form in _UPDATES


class UnverifiableQuery(Exception):
    """The query mentions ``service`` but the SPARQL grammar cannot parse it."""


def unescape_codepoints(text: str) -> str:
    """Apply ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes (those naming no character stay)."""

    def replace_one(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _ESCAPE.sub(replace_one, text)


def mentions_service(text: str) -> bool:
    """Whether ``text``, with escapes applied, contains ``service`` in any case: the only
    queries that can call another endpoint (module docstring). Linear; never raises."""
    return "service" in unescape_codepoints(text).lower()


def scan_query(text: str) -> QueryScan:
    """Form and ``FROM`` of a query by the linear tokeniser (module docstring); reports
    no services (that is :func:`verified_scan`'s job). Never raises."""
    form: str | None = None
    has_from = False
    position, end = 0, len(text)
    while position < end:
        match = _TOKEN.match(text, position)
        assert match is not None  # ``other`` matches any character
        position = match.end()
        if match.lastgroup != "word":
            continue
        word = match.group().upper()
        if form is None:  # Oxigraph reads a glued keyword: ``ASKFROM`` is ``ASK FROM``
            form = next((k for k in _KEYWORDS if word.startswith(k)), None)
            word = word[len(form) :] if form else word
        if form is not None and word.startswith("FROM"):
            has_from = True
    return QueryScan(form, has_from)


def _field(node: CompValue, name: str) -> Any:
    # ``CompValue.get`` answers a missing key with the key itself
    return dict.get(node, name)


def _nodes(node: Any, depth: int = 0) -> Iterator[CompValue]:
    if depth > 400:
        raise UnverifiableQuery("the query nests too deeply")
    if isinstance(node, CompValue):
        yield node
        children: Any = node.values()
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        children = node
    else:
        return
    for child in children:
        yield from _nodes(child, depth + 1)


def _prefixes(prologue: Any) -> tuple[dict[str, str], set[str], bool]:
    prefixes: dict[str, str] = {}
    twice: set[str] = set()
    has_base = False
    for declaration in prologue:
        if declaration.name == "Base":
            has_base = True
        elif declaration.name == "PrefixDecl":
            name = str(_field(declaration, "prefix") or "")
            if name in prefixes:
                twice.add(name)
            prefixes[name] = str(_field(declaration, "iri"))
    return prefixes, twice, has_base


def _target(term: Any, prefixes: dict[str, str], twice: set[str]) -> str | None:
    """The IRI a ``SERVICE`` calls, or ``None`` when it is a variable or not absolute as
    written (a relative IRI, a prefix declared twice or relative: Oxigraph might resolve
    it differently, so it is never allowed)."""
    if isinstance(term, Variable):
        return None
    if isinstance(term, URIRef):
        iri = str(term)
    elif isinstance(term, CompValue) and term.name == "pname":
        prefix = str(_field(term, "prefix") or "")
        if prefix not in prefixes or prefix in twice:
            return None
        iri = prefixes[prefix] + re.sub(r"\\(.)", r"\1", str(_field(term, "localname") or ""))
        if not urlsplit(prefixes[prefix]).scheme:
            return None
    else:
        return None
    return iri if urlsplit(iri).scheme else None


def verified_scan(text: str) -> QueryScan:
    """Form, ``FROM`` and ``SERVICE`` targets of a query, from rdflib's SPARQL grammar
    run on the raw text with ``\\r`` read as ``\\n`` (module docstring).

    Raises ``UnverifiableQuery`` when the grammar cannot parse it (or it nests too deeply).
    """
    try:
        tree = sparql_parser.Query.parse_string(text.replace("\r", "\n"), parse_all=True)
        prologue, query = tree[0], tree[1]
        prefixes, twice, _ = _prefixes(prologue)
        services = tuple(
            _target(_field(node, "term"), prefixes, twice)
            for node in _nodes(query)
            if node.name == "ServiceGraphPattern"
        )
    except UnverifiableQuery:
        raise
    except Exception as exc:  # any failure of the grammar may hide a call: refuse (fail closed)
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UnverifiableQuery(reason) from None
    form = str(query.name).removesuffix("Query").upper()
    return QueryScan(form, bool(_field(query, "datasetClause")), services)


def _public(address: str, allow_loopback: bool) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if allow_loopback and ip.is_loopback:
        return True
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


def _matches(iri: str, prefix: str) -> bool:
    if not iri.startswith(prefix):
        return False
    rest = iri[len(prefix) :]
    return prefix.endswith(("/", "#", "?")) or rest == "" or rest[0] in "/?#"


def check_allowlist(scan: QueryScan, allowlist: Sequence[str]) -> None:
    """Refuse the query unless every ``SERVICE`` target is a constant absolute
    ``http(s)`` IRI under an allowlist prefix (matched on a ``/``, ``?`` or ``#``
    boundary). Makes no connection.

    Raises ``Forbidden`` (kind ``service-refused``) naming the first refused target.
    """
    for iri in scan.services:
        if iri is None:
            raise Forbidden(
                "SERVICE with a variable or a relative IRI is not allowed",
                kind="service-refused",
            )
        if not any(_matches(iri, prefix) for prefix in allowlist):
            raise Forbidden(
                f"SERVICE <{iri}> is not in the allowlist of this endpoint", kind="service-refused"
            )
        parts = urlsplit(iri)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Forbidden(f"SERVICE <{iri}> is not an http(s) IRI", kind="service-refused")


def check_addresses(scan: QueryScan, *, allow_loopback: bool = False) -> None:
    """Refuse the query unless the host of every ``SERVICE`` resolves, and only to
    public addresses. Resolves host names with DNS and makes no other connection.

    Raises ``Forbidden`` (kind ``service-refused``) naming the first refused target.
    """
    for iri in scan.services:
        parts = urlsplit(iri or "")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            infos = socket.getaddrinfo(parts.hostname or "", port, proto=socket.IPPROTO_TCP)
        except (OSError, ValueError, UnicodeError):
            raise Forbidden(
                f"SERVICE <{iri}>: host does not resolve", kind="service-refused"
            ) from None
        if not infos or not all(_public(str(info[4][0]), allow_loopback) for info in infos):
            raise Forbidden(
                f"SERVICE <{iri}> resolves to a non-public address", kind="service-refused"
            )


def screen_job(job: QueryJob, policy: EgressPolicy) -> QueryJob | Failure:
    """In a worker, before ``job`` runs: refuse updates and calls the policy does not
    allow, answer "not acceptable" for a form with no format in the job, and read
    ``FROM`` clauses (the job then uses the query's dataset, not the union graph).

    Returns the job to run, or a :class:`Failure` (``update``, ``refused``,
    ``federate``: a call this lane may not make but the federation lane may,
    ``not-acceptable``). Raises nothing.
    """
    scan = scan_query(job.query)
    if scan.is_update:
        return Failure("update", "updates are not accepted by this endpoint")
    if mentions_service(job.query):
        try:
            scan = verified_scan(job.query)
            if scan.services:
                check_allowlist(scan, policy.allowlist)
                if not policy.network:
                    return Failure("federate", "the query calls an allowed endpoint")
                check_addresses(scan, allow_loopback=policy.allow_loopback)
        except UnverifiableQuery as exc:
            return Failure("refused", f"cannot verify that the query calls no endpoint: {exc}")
        except Forbidden as exc:
            return Failure("refused", exc.detail)
    wanted = job.solutions_format if scan.form in ("SELECT", "ASK") else job.graph_format
    if scan.form is not None and wanted is None:
        return Failure("not-acceptable", f"no acceptable format for a {scan.form} result")
    if scan.has_dataset_clause and job.default_graphs is None and job.named_graphs is None:
        return replace(job, union=False)
    return job


_NETWORK_ERRORS = ("os error", "lookup address", "connect", "connection", "dns", "timed out")


def explain_failure(error: GraphError, job: QueryJob, policy: EgressPolicy) -> GraphError | Failure:
    """What an engine error of ``job`` (a ``QueryIOError`` or a plain ``QueryError``) means
    for egress: in a sandboxed lane, a network error of a query that mentions ``service``
    is the sandbox stopping a call (``refused``, 403); in the federation lane, any engine
    error is the remote side's (``remote``, 502). Other errors are returned unchanged.
    Raises nothing."""
    if type(error) not in (QueryError, QueryIOError):
        return error
    message = str(error).partition(": ")[2] or str(error)
    if policy.network:
        return Failure("remote", f"the remote endpoint failed: {message}")
    text = message.lower()
    if mentions_service(job.query) and any(word in text for word in _NETWORK_ERRORS):
        return Failure(
            "refused", "the query tried to open a network connection; query workers have none"
        )
    return error
