"""The NLP extractor's spaCy pipeline: rule components over ``spacy.blank("en")``.

Language data lives in the ``lexicon_*`` modules; each component is a plain class in its
own module, registered in ``factories.py``; ``config.cfg`` orders them; ``pipeline.py``
builds the pipeline for an authority file. ``aseankg.extract.extractor`` runs it over a
plan. See docs/extraction.md for every rule with an example.
"""

from __future__ import annotations

from aseankg.extract.nlp.pipeline import (
    DOCUMENT_STAGE,
    LINE_STAGE,
    annotate_document,
    load_pipeline,
)

__all__ = ["DOCUMENT_STAGE", "LINE_STAGE", "annotate_document", "load_pipeline"]
