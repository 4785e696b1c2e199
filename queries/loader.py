"""Every SPARQL text of the project: ``queries/**/*.rq`` files with a header, and the one
way to bind values into them.

Each file opens with comment lines::

    # title: Action lines by actor
    # description: The action lines that name an actor or any body under it.
    # params: actor (name, required), plan (string)
    #   actor: the actor's acronym, label or IRI
    #   plan: a plan id; every plan when absent
    # view: table
    # tags: actors

and may say how its results show best (``# view:`` one of :data:`VIEWS`, the query page's
default result view, as WDQS's ``#defaultView``) and what it is about (``# tags:`` words
of :data:`TAGS`, the query page's example filters); it declares its own prefixes (``PREFIX
akg: <...>``), so the text runs as it is in any SPARQL client. The analysts' queries sit
at the top of ``queries/``; the project's own reads (the pages, the store checks, the
exports, the self-description) sit in subfolders (``pages/``, ``checks/`` ...), are named
by their path (``pages/plans``) and carry ``# internal: yes``, which keeps them out of
:func:`list_queries` and so out of the analysts' lists (the query page, the home page,
docs/queries.md).

A parameter appears in the query as ``VALUES ?name { UNDEF }`` — valid SPARQL on its own
(the variable is left unbound, so an absent optional parameter filters nothing). Binding
replaces that block with the value as a typed RDF term, written by this module after the
value is checked against its declared type: never a raw string pasted into the query.
Types: ``string`` (one literal), ``words`` (one literal per word), ``integer``, ``iri``,
and ``name``: an entity's IRI (bound as that IRI) or one of its names, bound as one plain
literal as given; the query itself matches names in any case (``LCASE`` on both sides), so
the text a user edits in the query page behaves as the CLI does. A parameter may close its
values to a list (``role (implements|conforms_to|references)``).

A query file holds a query (SELECT, ASK, CONSTRUCT, DESCRIBE): an update (``INSERT
DATA``, ``DELETE``, ``LOAD`` ...) is refused when the file is read.

>>> query = load_query("action-lines-by-actor")
>>> 'VALUES ?actor { "aichr" }' in bind_query(query, {"actor": "aichr"})
True
>>> query.view, query.tags
('table', ('actors',))
>>> load_query("pages/plans").internal
True
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = [
    "PARAM_TYPES",
    "TAGS",
    "VIEWS",
    "NamedQuery",
    "Param",
    "QueryLoadError",
    "bind_query",
    "list_queries",
    "load_query",
    "parse_query",
]

PARAM_TYPES = ("string", "words", "name", "integer", "iri")
VIEWS = ("table", "bar", "line", "heatmap", "graph")
TAGS = ("actors", "instruments", "sections", "plans", "editions", "topics")
_NAME = re.compile(r"^[a-z][a-z0-9-]*(?:/[a-z][a-z0-9-]*)?$")
_PARAM = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)(?:\s*\((?P<spec>[^)]*)\))?$")
_PARAM_DOC = re.compile(r"^#\s+(?P<name>[a-z][a-z0-9_]*):\s*(?P<text>.+)$")
_CHOICE = re.compile(r"^[A-Za-z0-9_.:-]+$")
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_MAX_VALUE = 1000
_HEADER_KEYS = ("title", "description", "params", "internal", "view", "tags")
_YES_NO = {"yes": True, "true": True, "no": False, "false": False}
# SPARQL tokens that matter to find a text's first keyword: IRIs, strings and comments
# (which may hold anything) are skipped whole
_TOKEN = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\s]*>)"""
    r'''|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_-]*:?)"
    r"|(?P<other>\S)",
    re.DOTALL,
)
_UPDATES = frozenset(
    ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
)


class QueryLoadError(ValueError):
    """A named query is unknown or malformed, or a parameter value is not acceptable."""


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query; ``choices`` closes its values to a list
    (empty: any value of its type)."""

    name: str
    type: str = "string"
    required: bool = False
    description: str = ""
    choices: tuple[str, ...] = ()

    @property
    def placeholder(self) -> re.Pattern[str]:
        return re.compile(r"VALUES\s+\?" + re.escape(self.name) + r"\s*\{\s*UNDEF\s*\}")


@dataclass(frozen=True)
class NamedQuery:
    """A query with its header: name (path under ``queries/`` without ``.rq``), title,
    description, params, text, whether it is one of the project's own (``internal``)
    rather than an analyst's question, its default result ``view`` ("" when the query page
    chooses from the result's shape) and its ``tags``."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    internal: bool = False
    view: str = ""
    tags: tuple[str, ...] = ()

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def body(self) -> str:
        """The text without its header: from the first line that is not a comment."""
        lines = self.text.splitlines(keepends=True)
        first = next((i for i, line in enumerate(lines) if not line.startswith("#")), 0)
        return "".join(lines[first:]).lstrip("\n")


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
        choices: tuple[str, ...] = ()
        for option in spec:
            if "|" in option:
                choices = tuple(c.strip() for c in option.split("|"))
                if not all(_CHOICE.match(c) for c in choices):
                    raise QueryLoadError(f"{source}: malformed list of values {option!r}")
            elif option not in PARAM_TYPES and option != "required":
                raise QueryLoadError(f"{source}: unknown parameter option {option!r}")
        params.append(Param(match.group("name"), kind, "required" in spec, choices=choices))
    return params


def _first_keyword(text: str) -> str:
    """The first keyword of ``text`` after its prologue (``PREFIX``/``BASE`` lines and
    comments), upper-cased; "" when there is none."""
    expect_iri = expect_prefix = False
    for token in _TOKEN.finditer(text):
        kind, value = token.lastgroup, token.group()
        if kind == "comment":
            continue
        if expect_prefix:
            expect_prefix, expect_iri = False, True
            if kind == "word" or value == ":":
                continue
        if expect_iri:
            expect_iri = False
            if kind == "iri":
                continue
        if kind == "word" and value.upper() == "PREFIX":
            expect_prefix = True
        elif kind == "word" and value.upper() == "BASE":
            expect_iri = True
        else:
            return value.upper() if kind == "word" else ""
    return ""


def _refuse_updates(text: str, name: str) -> None:
    keyword = _first_keyword(text)
    if keyword in _UPDATES:
        raise QueryLoadError(
            f"query {name}: updates are not allowed ({keyword} ...); a query file holds a"
            " SELECT, ASK, CONSTRUCT or DESCRIBE query"
        )


def parse_query(text: str, name: str) -> NamedQuery:
    """Parse the header of a query file's ``text``.

    Raises:
        QueryLoadError: the header lacks ``# title:``, ``# description:`` or ``# params:``,
            ``# internal:`` is not yes or no, ``# view:`` is not one of :data:`VIEWS`, a
            ``# tags:`` word is not one of :data:`TAGS`, a declared parameter has no
            ``VALUES ?name { UNDEF }`` block, or the text is an update.
    """
    header: dict[str, str] = {}
    docs: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        key, _, value = line[1:].partition(":")
        if key.strip() in _HEADER_KEYS and not line.startswith("#  "):
            header[key.strip()] = value.strip()
        elif (doc := _PARAM_DOC.match(line)) is not None:
            docs[doc.group("name")] = doc.group("text").strip()
    missing = [key for key in ("title", "description", "params") if key not in header]
    if missing:
        raise QueryLoadError(f"query {name}: header line '# {missing[0]}:' is missing")
    internal = _YES_NO.get(header.get("internal", "no").lower())
    if internal is None:
        raise QueryLoadError(f"query {name}: '# internal:' is yes or no")
    _refuse_updates(text, f"{name}")
    view, tags = _view_and_tags(header, name)
    params = []
    for param in _parse_params(header["params"], f"query {name}"):
        if not param.placeholder.search(text):
            raise QueryLoadError(f"query {name}: no 'VALUES ?{param.name} {{ UNDEF }}' block")
        params.append(
            Param(param.name, param.type, param.required, docs.get(param.name, ""), param.choices)
        )
    return NamedQuery(
        name, header["title"], header["description"], tuple(params), text, internal, view, tags
    )


def _view_and_tags(header: Mapping[str, str], name: str) -> tuple[str, tuple[str, ...]]:
    view = header.get("view", "").strip().lower()
    if view and view not in VIEWS:
        raise QueryLoadError(f"query {name}: '# view:' is one of {', '.join(VIEWS)}, not {view!r}")
    tags = tuple(t.strip().lower() for t in header.get("tags", "").split(",") if t.strip())
    unknown = [t for t in tags if t not in TAGS]
    if unknown:
        raise QueryLoadError(f"query {name}: '# tags:' takes {', '.join(TAGS)}, not {unknown[0]!r}")
    return view, tags


def _walk(folder: Traversable, prefix: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.name.startswith(("_", ".")) and not prefix:
            found.update(_walk(entry, f"{entry.name}/"))
        elif entry.name.endswith(".rq"):
            found[prefix + entry.name[:-3]] = entry.read_text(encoding="utf-8")
    return found


@functools.cache
def _packaged() -> Mapping[str, str]:
    """The text of every packaged query by name (read once: package files do not change)."""
    return _walk(resources.files("aseankg.queries"), "")


@functools.cache
def _packaged_query(name: str) -> NamedQuery:
    return parse_query(_packaged()[name], name)


def list_queries(*, internal: bool = False) -> list[NamedQuery]:
    """The analysts' named queries, sorted by name; with ``internal``, the project's own
    queries (pages, checks, exports ...) instead.

    Raises:
        QueryLoadError: a packaged query file is malformed.
    """
    every = [_packaged_query(name) for name in sorted(_packaged())]
    return [query for query in every if query.internal == internal]


def _analyst_names() -> str:
    return ", ".join(q.name for q in list_queries())


def load_query(name_or_path: str | os.PathLike[str]) -> NamedQuery:
    """The named query ``NAME`` (a packaged ``NAME.rq``, ``pages/plans`` for one in a
    subfolder) or the ``.rq`` file at a path.

    A file without a header is accepted as a query with no parameters.

    Raises:
        QueryLoadError: no such named query or file, its header is malformed, or it holds
            an update.
    """
    text_name = os.fspath(name_or_path)
    packaged = _packaged()
    if _NAME.match(text_name) and text_name in packaged:
        return _packaged_query(text_name)
    path = Path(text_name)
    if path.suffix == ".rq" or os.sep in text_name:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryLoadError(f"cannot read the query file {text_name}: {exc}") from exc
        if text.lstrip().startswith("# title:"):
            return parse_query(text, path.stem)
        _refuse_updates(text, path.stem)
        return NamedQuery(path.stem, path.stem, "", (), text)
    raise QueryLoadError(f"no named query {text_name!r} (known: {_analyst_names()})")


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


def _iri(param: Param, value: str) -> str:
    if not _IRI.match(value):
        raise QueryLoadError(f"parameter {param.name} must be an absolute IRI, not {value!r}")
    return f"<{value}>"


def _terms(param: Param, value: str) -> list[str]:
    """The RDF terms (SPARQL syntax) ``value`` binds ``param`` to.

    Raises:
        QueryLoadError: the value does not fit the parameter's type or list of values.
    """
    if len(value) > _MAX_VALUE:
        raise QueryLoadError(f"parameter {param.name} is longer than {_MAX_VALUE} characters")
    if param.choices and value.strip() not in param.choices:
        raise QueryLoadError(
            f"parameter {param.name} must be one of {', '.join(param.choices)}, not {value!r}"
        )
    if param.type == "integer":
        if not _INTEGER.match(value.strip()):
            raise QueryLoadError(f"parameter {param.name} must be an integer, not {value!r}")
        return [f'"{int(value)}"^^<http://www.w3.org/2001/XMLSchema#integer>']
    if param.type == "iri":
        return [_iri(param, value.strip())]
    if param.type == "name":
        name = value.strip()
        if re.match(r"^https?://", name):
            if not _IRI.match(name):
                raise QueryLoadError(f"parameter {param.name} is not a valid IRI: {value!r}")
            return [f"<{name}>"]
        return [_string_literal(name)]
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


def bind_query(query: NamedQuery, values: Mapping[str, str | None]) -> str:
    """The query text with each given parameter bound in its ``VALUES`` block (a ``None``
    or blank value leaves an optional parameter unbound).

    Raises:
        QueryLoadError: an unknown parameter, a missing required one, or a value that does
            not fit its declared type or list of values.
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
