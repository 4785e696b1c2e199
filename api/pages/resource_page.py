"""The parts of a linked-data page, shaped from the rows of its ``queries/pages/`` reads.

Pure functions, no I/O. They keep a page readable for a person: one label per thing in
the page's language (:mod:`aseankg.api.pages.language`), the values of one property
grouped in one row, and no technical node shown — the skolemised ``owl:Restriction``
classes (``…/genid/…``) are no types, and link, mention, target and selector nodes are
folded into what they stand for (the line's Links table and its highlighted text; on an
entity's page, the line that names it). Action lines are grouped by partnership and
edition, newest edition first, each named by its plan (:class:`~aseankg.api.pages.corpus.Corpus`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from aseankg.api.pages.corpus import Corpus
from aseankg.api.pages.language import label_rank, one_per_key
from aseankg.extract.notation import notation_key

__all__ = [
    "EditionLines",
    "PartnershipLines",
    "PropertyRow",
    "Referrer",
    "SectionLines",
    "Value",
    "grouped_lines",
    "is_technical",
    "property_rows",
    "referrers",
    "type_values",
]

_Href = Callable[[str], str]
_TRUE = ("true", "1")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class Value:
    """A value as shown: its text, and its link ("" for a literal)."""

    text: str
    href: str = ""


@dataclass(frozen=True)
class PropertyRow:
    """One property of the resource with all its values."""

    iri: str
    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Referrer:
    """A resource pointing at this one, and the properties it points with."""

    iri: str
    label: str
    properties: tuple[str, ...]


@dataclass(frozen=True)
class SectionLines:
    iri: str
    notation: str
    title: str
    lines: tuple[Mapping[str, str], ...]


@dataclass(frozen=True)
class EditionLines:
    """The lines of one plan (edition), by section."""

    plan: str
    name: str
    href: str
    count: int
    sections: tuple[SectionLines, ...]


@dataclass(frozen=True)
class PartnershipLines:
    label: str
    href: str
    editions: tuple[EditionLines, ...] = field(default_factory=tuple)


def is_technical(iri: str, base: str) -> bool:
    """A skolemised blank node of the ontology or data (``<base>genid/…``)."""
    return iri.startswith(base + "genid/") or "/.well-known/genid/" in iri


def _short(iri: str, base: str) -> str:
    """An unlabelled IRI as text: its last segment when minted by us, else itself."""
    return _local_name(iri) if iri.startswith(base) else iri


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _property_labels(rows: Iterable[Mapping[str, str]], language: str) -> dict[str, str]:
    return {
        r["p"]: r.get("pLabel") or _local_name(r["p"])
        for r in one_per_key(rows, ("p",), "pLabel", language)
    }


def property_rows(
    rows: Iterable[Mapping[str, str]], language: str, href: _Href, base: str
) -> list[PropertyRow]:
    """The rows of ``pages/resource-out`` as one row per property, in first-seen order:
    technical and skolemised objects left out, each IRI once with its label in
    ``language``, and of language-tagged literals only those in the best language."""
    rows = [
        r
        for r in rows
        if r.get("oTechnical", "") not in _TRUE
        and not is_technical(r["o"], base)
        and r["p"] != _RDF_TYPE  # the page's "Types" line shows them
    ]
    labels = _property_labels(rows, language)
    chosen = one_per_key(rows, ("p", "o", "oLang"), "oLabel", language)
    best_tag: dict[str, int] = {}
    for r in chosen:
        if r.get("oLang"):
            rank = label_rank(r["oLang"], language)
            best_tag[r["p"]] = min(best_tag.get(r["p"], 9), rank)
    grouped: dict[str, list[Value]] = {}
    for r in chosen:
        if r.get("oLang") and label_rank(r["oLang"], language) != best_tag[r["p"]]:
            continue
        o = r["o"]
        if o.startswith(("http://", "https://", "urn:")):
            value = Value(r.get("oLabel") or r.get("oNotation") or _short(o, base), href(o))
        else:
            value = Value(o)
        values = grouped.setdefault(r["p"], [])
        if value not in values:
            values.append(value)
    return [PropertyRow(p, labels[p], tuple(v)) for p, v in grouped.items()]


def referrers(
    rows: Iterable[Mapping[str, str]], language: str, corpus: Corpus, base: str
) -> list[Referrer]:
    """The rows of ``pages/resource-in`` as one entry per (non-technical) subject, with
    the labels of the properties it points with; an action line or division is named by
    its plan and notation ("ASEAN–Canada 2021–2025 · 1.5.1")."""
    rows = [
        r for r in rows if r.get("sTechnical", "") not in _TRUE and not is_technical(r["s"], base)
    ]
    labels = _property_labels(rows, language)
    out: dict[str, tuple[str, list[str]]] = {}
    for r in one_per_key(rows, ("s", "p"), "sLabel", language):
        s = r["s"]
        if r.get("sPlan") and r.get("sNotation"):
            name = f"{corpus.name(r['sPlan'])} \u00b7 {r['sNotation']}"
        else:
            name = r.get("sLabel") or r.get("sNotation") or s
        entry = out.setdefault(s, (name, []))
        if labels[r["p"]] not in entry[1]:
            entry[1].append(labels[r["p"]])
    return [Referrer(s, name, tuple(props)) for s, (name, props) in out.items()]


def type_values(
    rows: Iterable[Mapping[str, str]], language: str, href: _Href, base: str
) -> list[Value]:
    """The types of ``pages/resource-types``, each once with its label, skolemised class
    expressions (restrictions) left out, sorted by label."""
    kept = [r for r in rows if not is_technical(r["type"], base) and "://" in r["type"]]
    chosen = one_per_key(kept, ("type",), "typeLabel", language)
    values = {Value(r.get("typeLabel") or _local_name(r["type"]), href(r["type"])) for r in chosen}
    return sorted(values, key=lambda v: (v.text.casefold(), v.href))


def grouped_lines(
    rows: Iterable[Mapping[str, str]], corpus: Corpus, href: _Href
) -> list[PartnershipLines]:
    """The rows of ``pages/resource-lines`` grouped by partnership (by label), edition
    (newest first) and section (document order), each line once."""
    by_plan: dict[str, dict[str, dict[str, Mapping[str, str]]]] = {}
    section_rows: dict[str, Mapping[str, str]] = {}
    for row in rows:
        sections = by_plan.setdefault(row["plan"], {})
        sections.setdefault(row["section"], {}).setdefault(row["line"], row)
        section_rows.setdefault(row["section"], row)
    groups: dict[str, tuple[str, str, list[EditionLines]]] = {}
    for plan in corpus.newest_first(by_plan):
        sections = by_plan[plan]
        shaped = tuple(
            SectionLines(
                s,
                section_rows[s]["sectionNotation"],
                section_rows[s].get("sectionTitle", ""),
                tuple(sorted(lines.values(), key=lambda r: notation_key(r["lineNotation"]))),
            )
            for s, lines in sorted(
                sections.items(),
                key=lambda kv: notation_key(section_rows[kv[0]]["sectionNotation"]),
            )
        )
        count = sum(len(s.lines) for s in shaped)
        edition = EditionLines(plan, corpus.name(plan), href(plan), count, shaped)
        partnership = corpus.partnership_of(plan)
        key = partnership.key if partnership else plan
        label = partnership.label if partnership else corpus.name(plan)
        link = partnership.href if partnership else ""
        groups.setdefault(key, (label, link, []))[2].append(edition)
    ordered = sorted(groups.values(), key=lambda g: g[0].casefold())
    return [PartnershipLines(label, link, tuple(eds)) for label, link, eds in ordered]
