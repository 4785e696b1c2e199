"""Topics and SDGs of a line: from its area's title and from the subjects it names.

Each assignment carries its method (``area`` for the title of the line's area or
section, ``keyword`` for a phrase of the line) and its evidence (the phrase). A line's
SDGs come from its own text and entities, each with its evidence: phrases that make a goal
or target clear (``KEYWORD_SDGS``: "marine debris" -> 14.1, method ``keyword``, outside
the names of the entities the line mentions: the "Energy" of "International Atomic Energy
Agency" is no SDG 7) and entities whose mention makes one clear (``ENTITY_SDGS``: the
Paris Agreement -> 13, method ``entity:<slug>``, evidence the mention's surface). A topic
alone gives none: ``TOPIC_SDGS`` is the topic scheme's own link to the goals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

import aseankg.extract.nlp.extensions  # noqa: F401  (declares the doc._ attributes)
from aseankg.extract.nlp.lexicon_topics import ENTITY_SDGS, KEYWORD_SDGS, TOPIC_KEYWORDS

__all__ = ["TopicHit", "Topics", "find_topics", "sdgs_of", "topics_of"]


@dataclass(frozen=True)
class TopicHit:
    """One topic or SDG of a line, with how it was found and the phrase that shows it."""

    concept: str
    method: str
    evidence: str


def _pattern(phrases: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


_TOPIC_RE = _pattern(list(TOPIC_KEYWORDS))
_SDG_RE = _pattern(list(KEYWORD_SDGS))


def find_topics(text: str, *, method: str = "keyword") -> list[TopicHit]:
    """The topics named in ``text``, first phrase per topic, in text order."""
    lowered = text.replace("’", "'").lower()
    hits: dict[str, TopicHit] = {}
    for match in _TOPIC_RE.finditer(lowered):
        concept = TOPIC_KEYWORDS[match.group(0)]
        hits.setdefault(concept, TopicHit(concept, method, text[match.start() : match.end()]))
    return list(hits.values())


def sdgs_of(text: str, entities: Sequence[tuple[str, str]] = ()) -> list[TopicHit]:
    """The SDGs (goal or "goal.target" notations) that ``text`` and the ``entities`` it
    mentions (``(slug, surface)`` pairs) make clear, each once with its first evidence,
    in goal order (module docstring). Raises nothing."""
    out: dict[str, TopicHit] = {}
    for slug, surface in entities:
        for goal in ENTITY_SDGS.get(slug, ()):
            out.setdefault(goal, TopicHit(goal, f"entity:{slug}", " ".join(surface.split())))
    lowered = text.replace("\u2019", "'").lower()
    for _, surface in entities:  # an entity's own name is not the line's words
        name = " ".join(surface.split()).replace("\u2019", "'").lower()
        if name:
            lowered = lowered.replace(name, " " * len(name))
    for match in _SDG_RE.finditer(lowered):
        for goal in KEYWORD_SDGS[match.group(0)]:
            out.setdefault(goal, TopicHit(goal, "keyword", text[match.start() : match.end()]))
    return sorted(
        out.values(), key=lambda h: [int(p) if p.isdigit() else 99 for p in h.concept.split(".")]
    )


def topics_of(doc: Doc) -> list[TopicHit]:
    """The topics the :class:`Topics` component found in ``doc``."""
    return list(doc._.aseankg_topics or [])


class Topics:
    """Pipeline component: writes the keyword topics of a Doc to ``doc._.aseankg_topics``."""

    def __init__(self, nlp: Language, name: str = "aseankg_topics") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.aseankg_topics = find_topics(doc.text)
        return doc
