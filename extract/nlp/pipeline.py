"""Build the extractor's spaCy pipeline from ``config.cfg``; run it over one document.

>>> from aseankg.ontology.records import AuthorityEntity
>>> arf = AuthorityEntity("arf", "Actor", "MeetingMechanism", "ASEAN Regional Forum", ("ARF",))
>>> nlp = load_pipeline((arf,))
>>> doc = nlp("Strengthen the ARF")
>>> [span.kb_id_ for span in doc.spans["gazetteer"]]
['arf']

:func:`annotate_document` owns the two passes over the texts of one document.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib.resources import files

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import aseankg.extract.nlp.factories  # noqa: F401  (registers the factories)
from aseankg.extract.nlp.abbreviations import definitions_of
from aseankg.extract.nlp.entities import DocumentContext
from aseankg.extract.nlp.gazetteer import Gazetteer
from aseankg.extract.nlp.linking import Linker
from aseankg.ontology.records import AuthorityEntity

__all__ = ["DOCUMENT_STAGE", "LINE_STAGE", "MAX_TEXT_CHARS", "annotate_document", "load_pipeline"]

# The longest text (one action line, heading or preamble paragraph) the pipeline reads;
# the extractor refuses a longer one with a one-line error. Real action lines hold a few
# thousand characters at most; the rule components take time in proportion to the length
# (about 7 s at this bound). spaCy's own max_length (1,000,000, for the memory of a parser
# and NER this pipeline does not use) is set to it, so spaCy never refuses first.
MAX_TEXT_CHARS = 100_000

# Components that need the whole document (its definitions) and run in a second pass.
DOCUMENT_STAGE = ("aseankg_linker", "aseankg_roles")
LINE_STAGE = (
    "aseankg_gazetteer",
    "aseankg_abbreviations",
    "aseankg_names",
    "aseankg_verbs",
    "aseankg_topics",
)


def load_pipeline(authority: Sequence[AuthorityEntity]) -> Language:
    """The pipeline for ``authority``: built once per distinct authority, then cached.

    Raises nothing for any authority (an empty one gives a pipeline that links only
    what it discovers).
    """
    return _build(tuple(authority))


def annotate_document(
    nlp: Language, texts: Iterable[str], *, context: DocumentContext | None = None
) -> list[Doc]:
    """The Docs of one document's ``texts`` (in text order), through both passes.

    The line stage finds names, definitions, verbs and topics in each text; then the
    document's definitions are collected into ``context`` (its parties may be in it
    already), each under the text's place; the document stage then links and assigns
    roles, so an acronym resolves through the definition the same document gives it
    before the authority file. Raises nothing for any text.

    >>> nlp = load_pipeline(())
    >>> texts = ["Convene the Joint Cooperation Committee (JCC)", "Report to the JCC"]
    >>> docs = annotate_document(nlp, texts)
    >>> [(link.entity.label, link.method) for link in docs[1]._.aseankg_links]
    [('Joint Cooperation Committee', 'acronym')]
    """
    context = DocumentContext() if context is None else context
    docs = list(nlp.pipe(texts, disable=list(DOCUMENT_STAGE)))
    linker = nlp.get_pipe("aseankg_linker")
    assert isinstance(linker, Linker)
    for order, doc in enumerate(docs):
        doc._.aseankg_order = order
        doc._.aseankg_context = context
        for definition in definitions_of(doc):
            entity = linker.resolve_definition(doc, definition)
            if entity is not None:
                context.add(order, definition.short_form, entity)
    return list(nlp.pipe(docs, disable=list(LINE_STAGE)))


@lru_cache(maxsize=8)
def _build(authority: tuple[AuthorityEntity, ...]) -> Language:
    config_text = files("aseankg.extract.nlp").joinpath("config.cfg").read_text("utf-8")
    config = spacy.util.load_config_from_str(config_text)
    nlp = spacy.blank("en", config=config)
    nlp.max_length = MAX_TEXT_CHARS
    gazetteer = nlp.get_pipe("aseankg_gazetteer")
    assert isinstance(gazetteer, Gazetteer)
    gazetteer.set_authority(authority)
    return nlp
