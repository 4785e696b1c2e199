"""Reading and renaming graph IRIs in a SPARQL text, for an engine whose graphs carry
build-specific names.

An engine keeps each build's graphs under build-specific names
(``{base}store/{build}/graph/{plan}``), so a query that names a graph by its public IRI
(``GRAPH <{base}graph/{plan}>``, ``FROM <…>``) is renamed before it is sent, and every
answer is renamed back (:class:`Renamer`). The renaming is done on tokens: IRIs written
out (``<…>``) and prefixed names whose prefix (declared in the query) expands under the
graph namespace; strings and comments are left alone. A relative IRI resolved against
``BASE`` is not renamed (no query of ours writes one; documented in docs/engines.md).

>>> renamer = Renamer("https://x.org/id/graph/", "https://x.org/id/store/b1/graph/")
>>> renamer.query('SELECT * { GRAPH <https://x.org/id/graph/p> { ?s ?p "<…/graph/p>" } }')
'SELECT * { GRAPH <https://x.org/id/store/b1/graph/p> { ?s ?p "<…/graph/p>" } }'
>>> has_dataset_clause("SELECT * FROM <urn:g> { ?s ?p ?o }"), has_dataset_clause("SELECT ?from {}")
(True, False)
"""

from __future__ import annotations

import re

__all__ = ["Renamer", "has_dataset_clause"]

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z)
              | '''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)
              | "(?:[^"\\\n\r]|\\.)*(?:"|(?=[\n\r])|\Z)
              | '(?:[^'\\\n\r]|\\.)*(?:'|(?=[\n\r])|\Z))
  | (?P<var>[?$][\w]+)
  | (?P<pname>(?:[^\W\d_][\w.\-]*)?:(?:[\w:%\-]|\\[^\s]|\.(?=[\w:%\-\\]))*)
  | (?P<word>[^\W\d_][\w\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPED = re.compile(r"\\(.)")


def _tokens(text: str) -> list[tuple[str, str]]:
    return [(str(m.lastgroup), m.group(0)) for m in _TOKEN.finditer(text)]


def has_dataset_clause(text: str) -> bool:
    """Whether the query has a ``FROM`` or ``FROM NAMED`` clause (outside strings,
    comments and IRIs): then its own dataset is the one it runs on."""
    return any(kind == "word" and value.upper() == "FROM" for kind, value in _tokens(text))


class Renamer:
    """Renames IRIs under ``public`` to the same IRIs under ``private`` in query texts,
    and back in answers (as bytes, which stay valid in every results and RDF syntax:
    both prefixes are plain IRIs with no character any of them escapes)."""

    def __init__(self, public: str, private: str) -> None:
        self.public = public
        self.private = private

    def iri(self, iri: str) -> str:
        """One IRI renamed from its public to its private name (others unchanged)."""
        return self.private + iri[len(self.public) :] if iri.startswith(self.public) else iri

    def back(self, iri: str) -> str:
        """One IRI renamed from its private to its public name (others unchanged)."""
        return self.public + iri[len(self.private) :] if iri.startswith(self.private) else iri

    def query(self, text: str, *, graphs: frozenset[str] | None = None, none: str = "") -> str:
        """``text`` with every public IRI (written out or as a prefixed name) renamed.
        With ``graphs``, a ``FROM`` / ``FROM NAMED`` graph whose private name is not one
        of them becomes ``none`` (so a query cannot read the engine's other graphs)."""
        prefixes: dict[str, str] = {}
        out: list[str] = []
        tokens = _tokens(text)
        expect_prefix: str | None = None  # after PREFIX name:, the IRI to remember
        declaring = False
        dataset = False  # after FROM (NAMED): the next IRI names a graph of the dataset

        def rename(iri: str) -> str:
            private = self.iri(iri)
            if dataset and graphs is not None and private not in graphs:
                return none
            return private

        for kind, value in tokens:
            if kind in ("ws", "comment"):
                out.append(value)
                continue
            if kind == "word" and value.upper() in ("FROM", "NAMED"):
                dataset = True
                out.append(value)
                continue
            if kind == "word" and value.upper() == "PREFIX":
                declaring = True
                out.append(value)
                continue
            if declaring and kind == "pname":
                expect_prefix, declaring = value[:-1] if value.endswith(":") else value, False
                out.append(value)
                continue
            declaring = False
            if kind == "iri":
                iri = value[1:-1]
                if expect_prefix is not None:
                    prefixes[expect_prefix] = iri
                    expect_prefix = None
                    out.append(value)
                else:
                    out.append(f"<{rename(iri)}>")
                dataset = False
                continue
            expect_prefix = None
            if kind == "pname":
                name, _, local = value.partition(":")
                namespace = prefixes.get(name)
                if namespace is not None:
                    full = namespace + _ESCAPED.sub(r"\1", local)
                    if (full.startswith(self.public) or dataset) and ">" not in full:
                        out.append(f"<{rename(full)}>")
                        dataset = False
                        continue
            dataset = False
            out.append(value)
        return "".join(out)

    def answer(self, data: bytes) -> bytes:
        """An answer (results or RDF, bytes) with every private IRI renamed back."""
        return data.replace(self.private.encode("utf-8"), self.public.encode("utf-8"))
