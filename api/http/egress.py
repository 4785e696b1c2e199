"""The egress policy: which remote endpoints a query may make the server call.

pyoxigraph runs ``SERVICE`` itself, in Rust, with no hook, and exposes no parse-only
API, so every query is scanned before it runs. The scanner tokenises the query the way
Oxigraph's grammar does, skipping IRIs, strings, comments, variables, prefixed names and
language tags, and reports the query form, whether it has ``FROM``/``FROM NAMED``
clauses, and the target of every ``SERVICE``. Like Oxigraph, it applies ``\\uXXXX`` /
``\\UXXXXXXXX`` escapes inside IRIs (``<http://127.0.0.1\\u003A9/>`` is port 9) and
nowhere else: an escaped keyword (``SERVI\\u0043E``) is a syntax error for Oxigraph, so
it cannot hide a call. Where the two could disagree, the scanner errs towards seeing a
``SERVICE`` (a refusal), never towards missing one.

A ``SERVICE`` is allowed only when its IRI is a constant, starts with a configured
allowlist prefix, and its host resolves only to public addresses (never loopback,
private, link-local, multicast or reserved, checked after DNS). ``FROM``/``FROM NAMED``
only select graphs of the local store (pyoxigraph never fetches them); ``LOAD`` is an
update and never runs here.

>>> scan_query("PREFIX e: <http://x/> SELECT * { SERVICE e:s { ?a ?b ?c } }").services
('http://x/s',)
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from aseankg.api.http.errors import Forbidden

__all__ = ["QueryScan", "check_services", "scan_query", "unescape_codepoints"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '''(?:[^'\\]|\\.|'(?!''))*'''
              | "(?:[^"\\\n\r]|\\.)*"
              | '(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][^\s(){}\[\],;.=<>!&|+*/^"'\#]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d_][\w.\-]*)?:(?:[\w:%\-.]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<word>[^\W\d][\w]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass(frozen=True)
class QueryScan:
    """What the scanner found: ``form`` (``SELECT`` ... or an update keyword, ``None``
    when unrecognisable), ``has_dataset_clause`` (``FROM`` / ``FROM NAMED``), and the
    resolved IRI of each ``SERVICE`` (``None`` for a variable or an unresolvable name)."""

    form: str | None
    has_dataset_clause: bool
    services: tuple[str | None, ...]

    @property
    def is_update(self) -> bool:
        return self.form in _UPDATES


def unescape_codepoints(text: str) -> str:
    """Apply ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes (those naming no character stay)."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _ESCAPE.sub(replace, text)


def _tokens(text: str) -> list[tuple[str, str]]:
    kept = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            kept.append((kind, match.group()))
    return kept


def _resolve(kind: str, value: str, base: str | None, prefixes: dict[str, str]) -> str | None:
    if kind == "iri":
        iri = unescape_codepoints(value[1:-1])
        resolved = urljoin(base, iri) if base else iri
        return resolved if urlsplit(resolved).scheme else None
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix not in prefixes:
            return None
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def scan_query(text: str) -> QueryScan:
    """Scan a query (see the module docstring); never raises."""
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base: str | None = None
    form: str | None = None
    has_from = False
    services: list[str | None] = []
    for index, (kind, value) in enumerate(tokens):
        word = value.upper() if kind == "word" else ""
        following = tokens[index + 1 : index + 4]
        if word == "BASE" and following and following[0][0] == "iri":
            base = _resolve("iri", following[0][1], base, prefixes)
        elif word == "PREFIX" and len(following) >= 2 and following[0][0] == "pname":
            if following[1][0] == "iri":
                prefixes[following[0][1].rstrip(":")] = (
                    _resolve("iri", following[1][1], base, prefixes) or ""
                )
        elif form is None and (word in _FORMS or word in _UPDATES):
            form = word
        elif word == "FROM":
            has_from = True
        elif word == "SERVICE":
            rest = [t for t in following if t != ("word", t[1]) or t[1].upper() != "SILENT"]
            target = rest[0] if rest else ("other", "")
            services.append(_resolve(target[0], target[1], base, prefixes))
    return QueryScan(form, has_from, tuple(services))


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


def check_services(
    scan: QueryScan, *, allowlist: Sequence[str], allow_loopback: bool = False
) -> None:
    """Refuse the query unless every ``SERVICE`` it calls is allowed (module docstring).

    Raises ``Forbidden`` (kind ``service-refused``) naming the first refused target;
    resolves host names with DNS, and makes no other connection.
    """
    for iri in scan.services:
        if iri is None:
            raise Forbidden(
                "SERVICE with a variable or unresolvable IRI is not allowed", kind="service-refused"
            )
        if not any(_matches(iri, prefix) for prefix in allowlist):
            raise Forbidden(
                f"SERVICE <{iri}> is not in the allowlist of this endpoint", kind="service-refused"
            )
        parts = urlsplit(iri)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Forbidden(f"SERVICE <{iri}> is not an http(s) IRI", kind="service-refused")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
        except (OSError, ValueError):
            raise Forbidden(
                f"SERVICE <{iri}>: host does not resolve", kind="service-refused"
            ) from None
        if not infos or not all(_public(str(info[4][0]), allow_loopback) for info in infos):
            raise Forbidden(
                f"SERVICE <{iri}> resolves to a non-public address", kind="service-refused"
            )
