"""Every ``@Language.factory`` registration of the extractor, in one place.

Importing this module registers the factories named in ``config.cfg``. Each declares
what it reads (``requires``) and writes (``assigns``): the span groups and the Doc
extensions of ``extensions.py``, so ``nlp.analyze_pipes()`` checks the order.
"""

from __future__ import annotations

from spacy.language import Language

from aseankg.extract.nlp.abbreviations import Abbreviations
from aseankg.extract.nlp.gazetteer import Gazetteer
from aseankg.extract.nlp.linking import Linker
from aseankg.extract.nlp.names import Names
from aseankg.extract.nlp.roles import Roles
from aseankg.extract.nlp.topics import Topics
from aseankg.extract.nlp.verbs import CommitmentVerbs

__all__ = [
    "make_abbreviations",
    "make_gazetteer",
    "make_linker",
    "make_names",
    "make_roles",
    "make_topics",
    "make_verbs",
]


@Language.factory("aseankg_gazetteer", assigns=["doc.spans"])
def make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    return Gazetteer(nlp, name)


@Language.factory("aseankg_abbreviations", assigns=["doc._.aseankg_definitions"])
def make_abbreviations(nlp: Language, name: str) -> Abbreviations:
    return Abbreviations(nlp, name)


@Language.factory("aseankg_names", assigns=["doc.spans"])
def make_names(nlp: Language, name: str) -> Names:
    return Names(nlp, name)


@Language.factory("aseankg_verbs", assigns=["doc._.aseankg_verbs"])
def make_verbs(nlp: Language, name: str) -> CommitmentVerbs:
    return CommitmentVerbs(nlp, name)


@Language.factory("aseankg_topics", assigns=["doc._.aseankg_topics"])
def make_topics(nlp: Language, name: str) -> Topics:
    return Topics(nlp, name)


@Language.factory(
    "aseankg_linker",
    requires=["doc.spans", "doc._.aseankg_definitions"],
    assigns=["doc._.aseankg_links"],
)
def make_linker(nlp: Language, name: str) -> Linker:
    return Linker(nlp, name)


@Language.factory(
    "aseankg_roles", requires=["doc._.aseankg_links"], assigns=["doc._.aseankg_links"]
)
def make_roles(nlp: Language, name: str) -> Roles:
    return Roles(nlp, name)
