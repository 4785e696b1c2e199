"""Build the extractor's spaCy pipeline from ``config.cfg`` and the authority file.

>>> from aseankg.ontology.records import AuthorityEntity
>>> arf = AuthorityEntity("arf", "Actor", "MeetingMechanism", "ASEAN Regional Forum", ("ARF",))
>>> nlp = load_pipeline((arf,))
>>> doc = nlp("Strengthen the ARF")
>>> [span.kb_id_ for span in doc.spans["gazetteer"]]
['arf']
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files

import spacy
from spacy.language import Language

import aseankg.extract.nlp.factories  # noqa: F401  (registers the factories)
from aseankg.extract.nlp.gazetteer import Gazetteer
from aseankg.ontology.records import AuthorityEntity

__all__ = ["DOCUMENT_STAGE", "LINE_STAGE", "load_pipeline"]

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


@lru_cache(maxsize=8)
def _build(authority: tuple[AuthorityEntity, ...]) -> Language:
    config_text = files("aseankg.extract.nlp").joinpath("config.cfg").read_text("utf-8")
    config = spacy.util.load_config_from_str(config_text)
    nlp = spacy.blank("en", config=config)
    gazetteer = nlp.get_pipe("aseankg_gazetteer")
    assert isinstance(gazetteer, Gazetteer)
    gazetteer.set_authority(authority)
    return nlp
