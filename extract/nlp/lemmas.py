"""Verb lemmas: spaCy's English rule lemmatizer with the tables of ``spacy-lookups-data``.

The blank pipeline has no tagger, so a word is lemmatized *as a verb* by spaCy's
``EnglishLemmatizer`` in ``rule`` mode (exceptions, suffix rules, WordNet's index of base
forms), loaded offline from the ``spacy-lookups-data`` wheel. A word is a verb form when
its lemma is a verb of that index, a commitment verb of ``lexicon_verbs.STRENGTH``, or a
derived verb the index may lack (``-ise``/``-ize``/``-ify``: "operationalise"), so unseen
commitment verbs and both spellings ("harmonise", "harmonize") are read.

>>> verb_lemma("Harmonising"), verb_lemma("operationalized"), verb_lemma("intensifies")
('harmonise', 'operationalize', 'intensify')
>>> verb_lemma("held"), verb_lemma("combatting"), verb_lemma("capacity")
('hold', 'combat', None)
>>> spelling_key("organize"), also_noun("support"), also_noun("strengthen")
('organise', True, False)
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.lookups import load_lookups
from spacy.tokens import Doc

from aseankg.extract.nlp.lexicon_verbs import STRENGTH

__all__ = ["also_noun", "spelling_key", "verb_lemma"]

# Verbs derived by a suffix that the index may not hold ("operationalise", "digitalize").
_DERIVED = re.compile(r"[a-z]{3,}(?:is|iz)e$|[a-z]{3,}ify$")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")


class _Tables:
    """spaCy's rule lemmatizer and the POS index, loaded once."""

    def __init__(self) -> None:
        self.nlp = spacy.blank("en")
        lookups = load_lookups("en", ["lemma_index", "lemma_exc", "lemma_rules"])
        self.lemmatizer = EnglishLemmatizer(self.nlp.vocab, None, mode="rule")
        self.lemmatizer.initialize(lookups=lookups)
        index = lookups.get_table("lemma_index")
        self.verbs = frozenset(index["verb"])
        self.nouns = frozenset(index["noun"]) | frozenset(index["adj"])

    def candidates(self, word: str) -> list[str]:
        doc = Doc(self.nlp.vocab, words=[word], pos=["VERB"])
        return list(self.lemmatizer.rule_lemmatize(doc[0]))


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    return _Tables()


def _known(lemma: str) -> bool:
    return (
        lemma in _tables().verbs
        or spelling_key(lemma) in _STRENGTH_KEYS
        or bool(_DERIVED.fullmatch(lemma))
    )


@lru_cache(maxsize=16384)
def verb_lemma(form: str) -> str | None:
    """The lemma of ``form`` read as a verb ("harmonising" -> "harmonise"), or None when
    it is no verb form ("capacity"). Never raises."""
    word = form.lower()
    if not _WORD.fullmatch(word):
        return None
    tables = _tables()
    if word in tables.verbs:
        return word  # a base form the index holds ("address", not "addres")
    candidates = tables.candidates(word)
    for lemma in candidates:
        if _known(lemma):
            return lemma
    return None


def spelling_key(lemma: str) -> str:
    """One key for the British and American spellings of a verb ("organize" ->
    "organise"), to look up its strength."""
    return re.sub(r"iz(e|ing|ed|es)?$", r"is\1", lemma)


def also_noun(lemma: str) -> bool:
    """Whether ``lemma`` is also a noun or an adjective ("support for research", "joint
    research"): such a word counts as a verb only where an object follows."""
    return lemma in _tables().nouns


_STRENGTH_KEYS = frozenset(spelling_key(lemma) for lemma in STRENGTH)
