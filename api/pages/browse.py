"""The reads behind the browse pages: SPARQL texts and the records shaped from their rows.

Each read is a query constant (run by the caller: the UI router runs them through the
endpoint's time-limited executor, tests through :func:`run_select` on a store) and a pure
function from its rows (``{variable: string value}``) to frozen records, sorted
deterministically. IRIs under the configured base become local ``/id/...`` links through
:func:`local_href`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph

from aseankg.graph.errors import QueryError
from aseankg.graph.iris import Minter
from aseankg.graph.vocabulary import PREFIXES

__all__ = [
    "ENTITY_COUNTS_QUERY",
    "NAMES_QUERY",
    "PLANS_QUERY",
    "PREFIX_BLOCK",
    "SECTIONS_QUERY",
    "EntityCount",
    "LineHit",
    "PlanSummary",
    "Rows",
    "SectionSummary",
    "Suggestion",
    "local_href",
    "notation_key",
    "read_plans",
    "read_sections",
    "read_top_entities",
    "run_select",
    "search_lines",
    "suggest_entities",
]

PREFIX_BLOCK = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in sorted(PREFIXES.items()))


@dataclass(frozen=True)
class PlanSummary:
    iri: str
    id: str
    title: str
    adopted: str
    lines: int


@dataclass(frozen=True)
class SectionSummary:
    iri: str
    plan: str
    notation: str
    title: str
    lines: int


@dataclass(frozen=True)
class EntityCount:
    iri: str
    kind: str
    label: str
    acronym: str
    lines: int


@dataclass(frozen=True)
class LineHit:
    iri: str
    notation: str
    text: str


@dataclass(frozen=True)
class Suggestion:
    iri: str
    kind: str
    label: str
    acronym: str
    score: int


def notation_key(notation: str) -> tuple[int | str, ...]:
    """Sort key that orders ``1.2.10`` after ``1.2.9``."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.()]", notation) if p)


def local_href(iri: str, base: str) -> str:
    """The server's own link for ``iri``: ``/id/...`` under ``base``, else the IRI itself."""
    return "/id/" + iri[len(base) :] if iri.startswith(base) else iri


def _term(value: object) -> str:
    if isinstance(value, (pyoxigraph.NamedNode, pyoxigraph.Literal)):
        return value.value
    return ""


def run_select(store: pyoxigraph.Store, query: str) -> list[dict[str, str]]:
    """Run a SELECT (prefixes added) directly on ``store``, default graph = union of the
    named graphs, and return each row as ``{variable: string value}`` ("" when unbound).

    Raises:
        QueryError: the query is malformed, not a SELECT, or the store fails.
    """
    try:
        result = store.query(PREFIX_BLOCK + query, use_default_graph_as_union=True)
        if not isinstance(result, pyoxigraph.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: _term(s[n]) for n in names} for s in result]
    except (SyntaxError, OSError, ValueError) as exc:
        raise QueryError(f"query failed: {exc}") from exc


PLANS_QUERY = """SELECT ?plan (SAMPLE(?i) AS ?id) (SAMPLE(?t) AS ?title) (SAMPLE(?a) AS ?adopted)
       (COUNT(DISTINCT ?line) AS ?lines) WHERE {
  ?plan a akg:PlanOfAction .
  OPTIONAL { ?plan dct:identifier ?i }
  OPTIONAL { ?plan dct:title ?t }
  OPTIONAL { ?plan akg:adopted ?a }
  OPTIONAL { ?line a akg:ActionLine ; akg:plan ?plan }
} GROUP BY ?plan ORDER BY ?plan"""

SECTIONS_QUERY = """SELECT ?section ?plan ?notation (SAMPLE(?t) AS ?title)
       (COUNT(DISTINCT ?line) AS ?lines) WHERE {
  ?section a akg:Section ; akg:plan ?plan ; skos:notation ?notation .
  OPTIONAL { ?section dct:title ?t }
  OPTIONAL { ?line a akg:ActionLine ; akg:section ?section }
} GROUP BY ?section ?plan ?notation"""

ENTITY_COUNTS_QUERY = """SELECT ?entity ?kind (SAMPLE(?l) AS ?label) (SAMPLE(?a) AS ?acronym)
       (COUNT(DISTINCT ?line) AS ?lines) WHERE {
  { ?line a akg:ActionLine ; akg:referencesActor ?entity BIND("Actor" AS ?kind) }
  UNION { ?line a akg:ActionLine ; akg:referencesInstrument ?entity BIND("Instrument" AS ?kind) }
  OPTIONAL { ?entity skos:prefLabel ?l FILTER(LANG(?l) IN ("en", "")) }
  OPTIONAL { ?entity akg:acronym ?a }
} GROUP BY ?entity ?kind"""

NAMES_QUERY = """SELECT DISTINCT ?entity ?kind ?label ?name WHERE {
  { VALUES ?kind { akg:Actor akg:Instrument } ?entity a/rdfs:subClassOf* ?kind }
  UNION { ?line akg:referencesActor ?entity BIND(akg:Actor AS ?kind) }
  UNION { ?line akg:referencesInstrument ?entity BIND(akg:Instrument AS ?kind) }
  ?entity skos:prefLabel ?label FILTER(LANG(?label) IN ("en", ""))
  OPTIONAL { ?entity akg:acronym|skos:altLabel ?name }
}"""

Rows = Iterable[Mapping[str, str]]


def read_plans(rows: Rows) -> list[PlanSummary]:
    """Plans from the rows of :data:`PLANS_QUERY`, by IRI."""
    found = [
        PlanSummary(
            r["plan"],
            r["id"] or r["plan"].rsplit("/", 1)[-1],
            r["title"],
            r["adopted"],
            int(r["lines"] or 0),
        )
        for r in rows
    ]
    return sorted(found, key=lambda p: p.iri)


def read_sections(rows: Rows) -> list[SectionSummary]:
    """Sections with their line counts from :data:`SECTIONS_QUERY`, in document order."""
    found = [
        SectionSummary(r["section"], r["plan"], r["notation"], r["title"], int(r["lines"] or 0))
        for r in rows
    ]
    return sorted(found, key=lambda s: (s.plan, notation_key(s.notation)))


def read_top_entities(rows: Rows, kind: str, *, limit: int = 10) -> list[EntityCount]:
    """The ``kind`` ("Actor" or "Instrument") entities of :data:`ENTITY_COUNTS_QUERY`
    named by the most action lines, most first."""
    found = [
        EntityCount(r["entity"], kind, r["label"], r["acronym"], int(r["lines"] or 0))
        for r in rows
        if r["kind"] == kind
    ]
    found.sort(key=lambda e: (-e.lines, e.label.casefold(), e.iri))
    return found[:limit]


def _score(query: str, label: str, names: list[str]) -> int:
    """Rank of an entity for what was typed: lower is better, 0 = no match."""
    q = query.casefold()
    folded = [a.casefold() for a in names]
    name = label.casefold()
    if q in folded:
        return 1
    if name == q:
        return 2
    if any(a.startswith(q) for a in folded):
        return 3
    if name.startswith(q):
        return 4
    if any(w.startswith(q) for w in re.split(r"[\s(),/-]+", name)):
        return 5
    if q in name or any(q in a for a in folded):
        return 6
    return 0


def suggest_entities(rows: Rows, query: str, *, limit: int = 10) -> list[Suggestion]:
    """Entities of :data:`NAMES_QUERY` whose label, alternative label or acronym matches
    ``query``: exact acronyms first, then prefixes, then words, then substrings."""
    query = query.strip()
    if not query:
        return []
    names: dict[str, tuple[str, str, list[str]]] = {}
    for r in rows:
        kind = r["kind"].rsplit("#", 1)[-1]
        entry = names.setdefault(r["entity"], (kind, r["label"], []))
        if r["name"] and r["name"] not in entry[2]:
            entry[2].append(r["name"])
    found = []
    for iri, (kind, label, alt) in names.items():
        score = _score(query, label, alt)
        if score:
            short = min((a for a in alt if a.isupper()), key=len, default="")
            found.append(Suggestion(iri, kind, label, short, score))
    found.sort(key=lambda s: (s.score, len(s.label), s.label.casefold(), s.iri))
    return found[:limit]


def search_lines(rows: Rows, base: str, *, limit: int = 50) -> list[LineHit]:
    """Action lines from the rows of the named query ``action-lines-by-text`` (``line``
    notation, ``plan`` id, ``text``), in the query's order, at most ``limit``."""
    minter = Minter(base)
    return [LineHit(minter.line(r["plan"], r["line"]), r["line"], r["text"]) for r in rows][:limit]
