"""The reads behind the browse pages: the records shaped from the rows of their queries.

Each read is a query of ``queries/pages/`` (run by the caller: the UI router runs them
through the endpoint's time-limited executor) and a pure function from its rows
(``{variable: string value}``) to frozen records, sorted deterministically. IRIs under
the configured base become local ``/id/...`` links through :func:`local_href`; notations
sort in document order by :func:`notation_key`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from aseankg.api.pages.language import one_per_key
from aseankg.extract.notation import notation_key
from aseankg.graph.iris import SDG_BASE
from aseankg.graph.vocabulary import AKG_NS

__all__ = [
    "EntityCount",
    "PlanCard",
    "Rows",
    "SearchLine",
    "SectionSummary",
    "Suggestion",
    "TopicCount",
    "local_href",
    "notation_key",
    "read_plans",
    "read_search_lines",
    "read_sections",
    "read_top_entities",
    "suggest_entities",
    "topic_facet",
]


_TOPIC_PREFIX = AKG_NS + "topic_"


@dataclass(frozen=True)
class PlanCard:
    """A plan as the pages show it: id, title, adoption date, number of lines, period,
    the IRI of its partnership and of the edition it follows (when the graph has them)."""

    iri: str
    id: str
    title: str
    adopted: str
    lines: int
    period_start: int | None = None
    period_end: int | None = None
    partnership: str = ""
    follows: str = ""

    @property
    def period(self) -> str:
        """``2021–2025`` (or one year, or "")."""
        if self.period_start is None:
            return ""
        if self.period_end is None or self.period_end == self.period_start:
            return str(self.period_start)
        return f"{self.period_start}\u2013{self.period_end}"


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
class Suggestion:
    iri: str
    kind: str
    label: str
    acronym: str
    score: int


def local_href(iri: str, base: str) -> str:
    """The server-local link of ``iri``: ``/id/...`` under the base, ``/topics/...`` for a
    topic concept and ``/sdgs/...`` for a UN SDG goal or target (their pages),
    ``/ontology#...`` for other ontology terms, the IRI itself otherwise."""
    if iri.startswith(base):
        return "/id/" + iri[len(base) :]
    if iri.startswith(_TOPIC_PREFIX) and len(iri) > len(_TOPIC_PREFIX):
        return "/topics/" + iri[len(_TOPIC_PREFIX) :].replace("_", "-")
    if iri.startswith(SDG_BASE) and len(iri) > len(SDG_BASE):
        return "/sdgs/" + iri[len(SDG_BASE) :]
    if iri.startswith(AKG_NS) or iri == AKG_NS.rstrip("#"):
        return "/ontology" + iri[len(AKG_NS) - 1 :]
    return iri


Rows = Iterable[Mapping[str, str]]


def _year(value: str) -> int | None:
    return int(value) if value.lstrip("-").isdigit() else None


def read_plans(rows: Rows) -> list[PlanCard]:
    """Plans from the rows of ``pages/plans``, by IRI."""
    found = [
        PlanCard(
            r["plan"],
            r["id"] or r["plan"].rsplit("/", 1)[-1],
            r["title"],
            r["adopted"],
            int(r["lines"] or 0),
            _year(r.get("periodStart", "")),
            _year(r.get("periodEnd", "")),
            r.get("partnership", ""),
            r.get("follows", ""),
        )
        for r in rows
    ]
    return sorted(found, key=lambda p: p.iri)


def read_sections(rows: Rows) -> list[SectionSummary]:
    """Sections with their line counts from ``pages/sections``, in document order."""
    found = [
        SectionSummary(r["section"], r["plan"], r["notation"], r["title"], int(r["lines"] or 0))
        for r in rows
    ]
    return sorted(found, key=lambda s: (s.plan, notation_key(s.notation)))


def read_top_entities(rows: Rows, kind: str, *, limit: int = 10) -> list[EntityCount]:
    """The ``kind`` ("Actor" or "Instrument") entities of ``pages/entity-counts``
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
    """Entities of ``pages/names`` whose label, alternative label or acronym matches
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


@dataclass(frozen=True)
class SearchLine:
    """An action line found by words: IRI, notation, plan IRI, text, and its topics as
    (IRI, notation, label) in label order."""

    iri: str
    notation: str
    plan: str
    text: str
    topics: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class TopicCount:
    iri: str
    notation: str
    label: str
    lines: int


def read_search_lines(rows: Rows, language: str) -> list[SearchLine]:
    """Lines from the rows of ``pages/search-lines`` (one row per line, topic and label
    language) in the query's order, each topic once with its label in ``language``."""
    rows = list(rows)
    labels = {
        r["topic"]: (r.get("topicNotation", ""), r.get("topicLabel") or r.get("topicNotation", ""))
        for r in one_per_key(
            [r for r in rows if r.get("topic")], ("topic",), "topicLabel", language
        )
    }
    found: dict[str, tuple[Mapping[str, str], set[str]]] = {}
    for r in rows:
        entry = found.setdefault(r["line"], (r, set()))
        if r.get("topic"):
            entry[1].add(r["topic"])
    return [
        SearchLine(
            iri,
            r["notation"],
            r["plan"],
            r["text"],
            tuple(sorted(((t, *labels[t]) for t in topics), key=lambda t: t[2].casefold())),
        )
        for iri, (r, topics) in found.items()
    ]


def topic_facet(lines: Iterable[SearchLine]) -> list[TopicCount]:
    """The topics of ``lines`` with how many of them carry each, most first."""
    counts: dict[tuple[str, str, str], int] = {}
    for line in lines:
        for topic in line.topics:
            counts[topic] = counts.get(topic, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][2].casefold()))
    return [TopicCount(iri, notation, label, n) for (iri, notation, label), n in ranked]
