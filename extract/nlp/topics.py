"""Topics and SDGs of a line: from its area's title and from the subjects it names.

Each assignment carries its method (``area`` for the title of the line's area or
section, ``keyword`` for a phrase of the line) and its evidence (the phrase). SDGs
follow from the topics (``TOPIC_SDGS``, as the ontology's topic scheme links them) and
from phrases that make a target clear (``KEYWORD_SDGS``: "marine debris" -> 14.1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

import aseankg.extract.nlp.extensions  # noqa: F401  (declares the doc._ attributes)
from aseankg.extract.nlp.lexicon_topics import KEYWORD_SDGS, TOPIC_KEYWORDS, TOPIC_SDGS

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


def sdgs_of(text: str, topics: list[TopicHit]) -> list[TopicHit]:
    """The SDGs (goal or "goal.target" notations) served by ``topics`` and ``text``."""
    out: dict[str, TopicHit] = {}
    for topic in topics:
        for goal in TOPIC_SDGS.get(topic.concept, ()):
            out.setdefault(goal, TopicHit(goal, f"topic:{topic.concept}", topic.evidence))
    lowered = text.replace("’", "'").lower()
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
