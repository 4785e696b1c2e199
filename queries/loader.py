"""Named queries: ``queries/NAME.rq`` files with a header, and safe parameter binding.

Each file opens with comment lines::

    # title: Action lines by actor
    # description: The action lines that name an actor or any body under it.
    # params: actor (string, required), plan (string)
    #   actor: the actor's acronym, label or IRI
    #   plan: a plan id; every plan when absent

A parameter appears in the query as ``VALUES ?name { UNDEF }`` — valid SPARQL on its own
(the variable is left unbound, so an absent optional parameter filters nothing). Binding
replaces that block with the value as a typed RDF term, written by this module after the
value is checked against its declared type: never a raw string pasted into the query.
Types: ``string`` (one literal), ``words`` (one literal per word), ``integer``, ``iri``,
and ``name``: an entity's IRI (bound as that IRI) or one of its names, bound as the
literal as given and in upper case, each plain and tagged ``@en``, so that a query can
find the entity through the store's indexes (``?e (skos:prefLabel|akg:acronym)? ?name``)
instead of scanning every label: acronyms match in any case, labels as written.

>>> query = load_query("action-lines-by-actor")
>>> "VALUES ?actor { \\"AICHR\\" }" in bind_query(query, {"actor": "AICHR"})
True
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = [
    "PARAM_TYPES",
    "NamedQuery",
    "Param",
    "QueryLoadError",
    "bind_query",
    "list_queries",
    "load_query",
    "parse_query",
]

PARAM_TYPES = ("string", "words", "name", "integer", "iri")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_PARAM = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)(?:\s*\((?P<spec>[^)]*)\))?$")
_PARAM_DOC = re.compile(r"^#\s+(?P<name>[a-z][a-z0-9_]*):\s*(?P<text>.+)$")
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_MAX_VALUE = 1000


class QueryLoadError(ValueError):
    """A named query is unknown or malformed, or a parameter value is not acceptable."""


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    type: str = "string"
    required: bool = False
    description: str = ""

    @property
    def placeholder(self) -> re.Pattern[str]:
        return re.compile(r"VALUES\s+\?" + re.escape(self.name) + r"\s*\{\s*UNDEF\s*\}")


@dataclass(frozen=True)
class NamedQuery:
    """A query with its header: name (file stem), title, description, params, text."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def _parse_params(line: str, source: str) -> list[Param]:
    if line.strip().lower() in ("", "none"):
        return []
    params: list[Param] = []
    for chunk in re.split(r",\s*(?![^()]*\))", line.strip()):
        match = _PARAM.match(chunk.strip())
        if match is None:
            raise QueryLoadError(f"{source}: malformed parameter {chunk.strip()!r}")
        spec = [s.strip() for s in (match.group("spec") or "string").split(",") if s.strip()]
        kind = next((s for s in spec if s in PARAM_TYPES), "string")
        unknown = [s for s in spec if s not in PARAM_TYPES and s != "required"]
        if unknown:
            raise QueryLoadError(f"{source}: unknown parameter option {unknown[0]!r}")
        params.append(Param(match.group("name"), kind, "required" in spec))
    return params


def parse_query(text: str, name: str) -> NamedQuery:
    """Parse the header of a query file's ``text``.

    Raises:
        QueryLoadError: the header lacks ``# title:``, ``# description:`` or ``# params:``,
            or a declared parameter has no ``VALUES ?name { UNDEF }`` block.
    """
    header: dict[str, str] = {}
    docs: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        key, _, value = line[1:].partition(":")
        if key.strip() in ("title", "description", "params") and not line.startswith("#  "):
            header[key.strip()] = value.strip()
        elif (doc := _PARAM_DOC.match(line)) is not None:
            docs[doc.group("name")] = doc.group("text").strip()
    missing = [key for key in ("title", "description", "params") if key not in header]
    if missing:
        raise QueryLoadError(f"query {name}: header line '# {missing[0]}:' is missing")
    params = []
    for param in _parse_params(header["params"], f"query {name}"):
        if not param.placeholder.search(text):
            raise QueryLoadError(f"query {name}: no 'VALUES ?{param.name} {{ UNDEF }}' block")
        params.append(Param(param.name, param.type, param.required, docs.get(param.name, "")))
    return NamedQuery(name, header["title"], header["description"], tuple(params), text)


def _packaged() -> dict[str, str]:
    folder = resources.files("aseankg.queries")
    return {
        entry.name[:-3]: entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    }


def list_queries() -> list[NamedQuery]:
    """Every packaged named query, sorted by name.

    Raises:
        QueryLoadError: a packaged query file is malformed.
    """
    return [parse_query(text, name) for name, text in sorted(_packaged().items())]


def load_query(name_or_path: str | os.PathLike[str]) -> NamedQuery:
    """The named query ``NAME`` (a packaged ``NAME.rq``) or the ``.rq`` file at a path.

    A file without a header is accepted as a query with no parameters.

    Raises:
        QueryLoadError: no such named query or file, or its header is malformed.
    """
    text_name = os.fspath(name_or_path)
    path = Path(text_name)
    if path.suffix == ".rq" or os.sep in text_name:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryLoadError(f"cannot read the query file {text_name}: {exc}") from exc
        if text.lstrip().startswith("# title:"):
            return parse_query(text, path.stem)
        return NamedQuery(path.stem, path.stem, "", (), text)
    packaged = _packaged()
    if not _NAME.match(text_name) or text_name not in packaged:
        known = ", ".join(sorted(packaged))
        raise QueryLoadError(f"no named query {text_name!r} (known: {known})")
    return parse_query(packaged[text_name], text_name)


def _string_literal(value: str) -> str:
    if any(ord(ch) < 0x20 and ch not in "\t\n\r" for ch in value):
        raise QueryLoadError("parameter values may not hold control characters")
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _terms(param: Param, value: str) -> list[str]:
    """The RDF terms (SPARQL syntax) ``value`` binds ``param`` to.

    Raises:
        QueryLoadError: the value does not fit the parameter's type.
    """
    if len(value) > _MAX_VALUE:
        raise QueryLoadError(f"parameter {param.name} is longer than {_MAX_VALUE} characters")
    if param.type == "integer":
        if not _INTEGER.match(value.strip()):
            raise QueryLoadError(f"parameter {param.name} must be an integer, not {value!r}")
        return [f'"{int(value)}"^^<http://www.w3.org/2001/XMLSchema#integer>']
    if param.type == "iri":
        if not _IRI.match(value.strip()):
            raise QueryLoadError(f"parameter {param.name} must be an absolute IRI, not {value!r}")
        return [f"<{value.strip()}>"]
    if param.type == "name":
        name = value.strip()
        if re.match(r"^https?://", name):
            if not _IRI.match(name):
                raise QueryLoadError(f"parameter {param.name} is not a valid IRI: {value!r}")
            return [f"<{name}>"]
        forms = list(dict.fromkeys((name, name.upper())))
        literals = [_string_literal(form) for form in forms]
        return [term for literal in literals for term in (literal, f"{literal}@en")]
    if param.type == "words":
        words = list(dict.fromkeys(word.lower() for word in value.split()))
        if not words:
            raise QueryLoadError(f"parameter {param.name} needs at least one word")
        return [_string_literal(word) for word in words]
    return [_string_literal(value.strip())]


def _replacement(block: str) -> Callable[[re.Match[str]], str]:
    def replace(_match: re.Match[str]) -> str:
        return block

    return replace


def bind_query(query: NamedQuery, values: dict[str, str]) -> str:
    """The query text with each given parameter bound in its ``VALUES`` block.

    Raises:
        QueryLoadError: an unknown parameter, a missing required one, or a value that does
            not fit its declared type.
    """
    for name in values:
        if query.param(name) is None:
            known = ", ".join(p.name for p in query.params) or "none"
            raise QueryLoadError(f"query {query.name} has no parameter {name!r} (known: {known})")
    text = query.text
    for param in query.params:
        value = values.get(param.name)
        if value is None or not value.strip():
            if param.required:
                raise QueryLoadError(f"query {query.name} needs --param {param.name}=...")
            continue
        block = f"VALUES ?{param.name} {{ {' '.join(_terms(param, value))} }}"
        text = param.placeholder.sub(_replacement(block), text)
    return text
