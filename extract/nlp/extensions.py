"""Everything the extractor's components write on a Doc, declared in one place.

Span groups, under the keys their modules declare:

- ``doc.spans[GAZETTEER_KEY]`` (``gazetteer.py``): authority-file matches, entity ids
  in ``kb_id_``, written by ``aseankg_gazetteer``;
- ``doc.spans[NAMES_KEY]`` (``names.py``): headed capitalised names, ``label_`` as
  ``kind:type``, written by ``aseankg_names``.

Doc extensions (``doc._.NAME``, registered when this module is imported; unset is None):

============================  =====================================  =====================
extension                     value                                  written by
============================  =====================================  =====================
``aseankg_definitions``       ``list[Definition]``                   ``aseankg_abbreviations``
``aseankg_verbs``             ``list[tuple[str, int]]`` (lemma, i)   ``aseankg_verbs``
``aseankg_topics``            ``list[TopicHit]``                     ``aseankg_topics``
``aseankg_links``             ``list[Link]``                         ``aseankg_linker``, then
                                                                     ``aseankg_roles``
``aseankg_context``           ``DocumentContext``                    ``annotate_document``
``aseankg_order``             ``int`` (the text's place in its plan) ``annotate_document``
============================  =====================================  =====================

Each component's factory declares the attributes it reads and writes (``requires`` /
``assigns`` in ``factories.py``), so ``nlp.analyze_pipes()`` can check the order; the
context and order are the document's, set between the two passes, read by the linker.
"""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["EXTENSIONS", "register_extensions"]

EXTENSIONS = (
    "aseankg_definitions",
    "aseankg_verbs",
    "aseankg_topics",
    "aseankg_links",
    "aseankg_context",
    "aseankg_order",
)


def register_extensions() -> None:
    """Register every extension on ``Doc`` (once; spaCy's registry is global).

    Raises nothing; a name registered already is left as it is.
    """
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()
