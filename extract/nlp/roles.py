"""Roles of mentions: how a line relates to each actor or instrument it names.

The role is that of the nearest cue phrase (``lexicon_cues``) ending before the mention in
its clause. Walking left from the mention, list glue ("," "and" "the" "as well as") and
other mentions are skipped, so a cue governs a whole list ("support the work of the AICHR,
the ACWC and the ACMW" -> supports for all three); any other token counts towards
``MAX_CUE_DISTANCE``; ";" ":" "." end the walk. No cue: ``references``. Parties get
``party``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

import aseankg.extract.nlp.extensions  # noqa: F401  (declares the doc._ attributes)
from aseankg.extract.nlp.entities import Link
from aseankg.extract.nlp.lexicon_cues import (
    ACTOR_CUES,
    CLAUSE_BREAKS,
    GLUE,
    INSTRUMENT_CUES,
    MAX_CUE_DISTANCE,
)
from aseankg.extract.nlp.linking import links_of

__all__ = ["Roles", "assign_roles", "role_of"]

_LONGEST_CUE = max(len(cue.split()) for cue in (*ACTOR_CUES, *INSTRUMENT_CUES))


def _norm(text: str) -> str:
    return text.replace("’", "'").lower()


def _year(text: str) -> bool:
    return len(text) == 4 and text.isdigit()  # "the 1982 UNCLOS": a year is glue


def role_of(
    doc: Doc,
    start: int,
    kind: str,
    others: list[tuple[int, int]],
    words: list[str] | None = None,
) -> str:
    """The role of a mention of ``kind`` starting at token ``start`` of ``doc``.

    ``words`` are the doc's tokens as cues read them (``_norm``), when the caller has
    them (one list for all the mentions of a doc).
    """
    if words is None:
        words = [_norm(t.text) for t in doc]
    cues = ACTOR_CUES if kind == "Actor" else INSTRUMENT_CUES
    distance = 0
    p = start - 1
    while p >= 0:
        inside = next((s for s, e in others if s <= p < e), None)
        if inside is not None:
            p = inside - 1
            continue
        text = words[p]
        if text in CLAUSE_BREAKS:
            break
        for size in range(min(_LONGEST_CUE, p + 1), 0, -1):
            phrase = " ".join(words[p - size + 1 : p + 1])
            if phrase in cues:
                return cues[phrase]
        if text not in GLUE and not _year(text):
            distance += 1
            if distance > MAX_CUE_DISTANCE:
                break
        p -= 1
    return "references"


def assign_roles(doc: Doc, links: list[Link]) -> list[Link]:
    """``links`` with the role of each outer link set (``party`` for parties)."""
    outer = [(link.start, link.end) for link in links if not link.nested]
    words = [_norm(t.text) for t in doc]
    out: list[Link] = []
    for link in links:
        if link.nested:
            role = "references"
        elif link.entity.party:
            role = "party"
        elif link.method in ("framework", "inner"):
            role = link.role  # "ARF Framework": works_through; inside an instrument: references
        else:
            role = role_of(doc, link.start, link.entity.kind, outer, words)
        out.append(Link(link.start, link.end, link.entity, link.method, link.nested, role))
    return out


class Roles:
    """Pipeline component: sets the role of each link in ``doc._.aseankg_links``."""

    def __init__(self, nlp: Language, name: str = "aseankg_roles") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.aseankg_links = assign_roles(doc, links_of(doc))
        return doc
