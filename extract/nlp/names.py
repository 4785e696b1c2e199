"""Capitalised multi-word names typed by their head noun.

A name is a run of capitalised words (acronyms, hyphenated words and numbers inside
allowed), joined by lower-case connectors ("of", "on", "for", "and", "the" ...) only when
a capitalised word follows. A run is a name of an actor or an instrument only if a head
noun of ``lexicon_heads`` heads it: the head is followed by nothing, a preposition, or an
edition (numeral, year). Runs without a head are capitalised topics ("Fourth Industrial
Revolution", "Smart Cities", "Maritime Security") and are dropped; so is a bare head
("Action Plan"), which names nothing on its own. Runs joining two headed names with "and"
are split ("the Convention on the Rights of the Child and the Convention on ...").
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from aseankg.extract.nlp.lemmas import verb_lemma
from aseankg.extract.nlp.lexicon_heads import (
    HEADS,
    INTERNATIONAL_MARKERS,
    NAME_CONNECTORS,
    NOT_NAME_STARTS,
    PLURAL_HEADS,
)
from aseankg.extract.nlp.lexicon_verbs import ADVERBS

__all__ = ["NAMES_KEY", "Names", "find_names", "head_of", "type_name"]

NAMES_KEY = "names"
_PREPOSITIONS = frozenset({"of", "on", "for", "in", "to", "against", "with", "from"})
_EDITION = re.compile(r"(?:I{1,3}|IV|V|VI{1,3}|IX|X|(?:19|20)\d{2}|\d{1,2})")
_APOSTROPHES = frozenset({"’", "'"})
_MAX_HEAD_WORDS = max(len(h.split()) for h in (*HEADS, *PLURAL_HEADS))


def _capitalised(token: Token) -> bool:
    return _capitalised_text(token.text)


@lru_cache(maxsize=2**16)
def _capitalised_text(text: str) -> bool:
    """(a function of the word alone: cached, words repeat)"""
    return text[:1].isupper() or (any(ch.isupper() for ch in text) and text[:1].isalpha())


def _head_at(words: list[str], i: int) -> tuple[str, int] | None:
    """The longest head phrase starting at ``words[i]``: (head, number of words)."""
    for size in range(min(_MAX_HEAD_WORDS, len(words) - i), 0, -1):
        phrase = " ".join(words[i : i + size]).lower()
        phrase = PLURAL_HEADS.get(phrase, phrase)
        if phrase in HEADS:
            return phrase, size
    return None


def head_of(words: list[str]) -> tuple[str, int, int] | None:
    """The head of a name given as words: (head phrase, first index, word count), or None."""
    for i in range(len(words)):
        found = _head_at(words, i)
        if found is None:
            continue
        head, size = found
        after = words[i + size :]
        trailing_edition = all(_EDITION.fullmatch(w) or w in "-()" for w in after)
        if not after or after[0].lower() in _PREPOSITIONS or trailing_edition:
            return head, i, size
    return None


def type_name(words: list[str]) -> tuple[str, str] | None:
    """(kind, type) of a name given as words, from its head noun; None if it has none."""
    found = head_of(words)
    if found is None:
        return None
    head, i, size = found
    kind, type_ = HEADS[head]
    if i == 0 and size == len(words):
        return None  # a bare head ("Action Plan") names nothing
    if kind == "Actor" and type_ == "AseanBody":
        lowered = {w.lower() for w in words}
        if "asean" not in lowered and lowered & INTERNATIONAL_MARKERS:
            type_ = "InternationalOrganisation"
    return kind, type_


def _runs(doc: Doc) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens with their connectors, as (start, end)."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(doc)
    while i < n:
        if not _capitalised(doc[i]):
            i += 1
            continue
        start, j = i, i + 1
        while j < n:
            token = doc[j]
            if _capitalised(token) or token.like_num:
                j += 1
            elif (
                token.text in ("-", "–")
                and j + 1 < n
                and (_capitalised(doc[j + 1]) or doc[j + 1].like_num)
            ):
                j += 2
            elif token.text in _APOSTROPHES and doc[j - 1].text.endswith("s"):
                j += 1
            elif token.text == "," and _list_in_complement(doc, start, j):
                j += 1  # "Plan for ASEAN Cooperation in Food, Agriculture and Forestry"
            elif token.text.lower() in NAME_CONNECTORS:
                k = j
                while k < n and doc[k].text.lower() in NAME_CONNECTORS:
                    k += 1
                if k < n and _capitalised(doc[k]) and k - j <= 2:
                    j = k
                else:
                    break
            else:
                break
        runs.append((start, j))
        i = j
    return runs


def _list_in_complement(doc: Doc, start: int, comma: int) -> bool:
    """A comma inside a name: in a prepositional complement, before "X and Y"."""
    n = len(doc)
    if comma + 1 >= n or not _capitalised(doc[comma + 1]):
        return False
    words = [t.text for t in doc[start:comma]]
    if not any(w.lower() in _PREPOSITIONS for w in words) or _head_at(words, len(words) - 1):
        return False
    ahead = [t.text.lower() for t in doc[comma + 1 : comma + 5]]
    return ("and" in ahead or "&" in ahead) and "," not in ahead


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end:
        low = doc[start].text.lower()
        opening = doc[start].i == 0 and (verb_lemma(low) is not None or low in ADVERBS)
        if opening or low in NOT_NAME_STARTS or low in NAME_CONNECTORS:
            start += 1
        else:
            break
    while end > start and (
        doc[end - 1].text.lower() in NAME_CONNECTORS or doc[end - 1].text in _APOSTROPHES
    ):
        end -= 1
    return start, end


def _split(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Split a run at "and" where both sides are headed names."""
    for k in range(start + 1, end - 1):
        if doc[k].text.lower() not in ("and", "&"):
            continue
        left = _trim(doc, start, k)
        right = _trim(doc, k + 1, end)
        if doc[k + 1].lower_ == "the":
            # "X and the Y": a second name, whatever the first is
            return [*_split(doc, *left), *_split(doc, *right)]
        right_typed = _typed(doc, *right)
        if right_typed and _typed(doc, *left):
            return [*_split(doc, *left), *_split(doc, *right)]
        if right_typed and head_of([t.text for t in doc[left[0] : left[1]]]) is None:
            # "Thailand and the ASEAN Institute for Green Economy": the name is on the right
            return _split(doc, *right)
    return [(start, end)]


def _narrow(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop words before a preposition that precedes the head.

    "Standards and Recommended Practices of the International Civil Aviation Organisation"
    names the Organisation; "States Parties to the SEANWFZ Treaty" names the Treaty.
    """
    words = [t.text for t in doc[start:end]]
    found = head_of(words)
    if found is None:
        return start, end
    _, i, _ = found
    for p in range(i - 1, -1, -1):
        if words[p].lower() in _PREPOSITIONS:
            return _trim(doc, start + p + 1, end)
    return start, end


def _typed(doc: Doc, start: int, end: int) -> tuple[str, str] | None:
    if end - start < 2:
        return None
    return type_name([t.text for t in doc[start:end]])


def find_names(doc: Doc) -> list[Span]:
    """Every headed capitalised name of ``doc``, labelled "Kind:Type"."""
    spans: list[Span] = []
    for run in _runs(doc):
        for start, end in _split(doc, *_trim(doc, *run)):
            start, end = _narrow(doc, *_trim(doc, start, end))
            typed = _typed(doc, start, end)
            if typed is not None:
                spans.append(Span(doc, start, end, label=f"{typed[0]}:{typed[1]}"))
    return spans


class Names:
    """Pipeline component: puts the headed capitalised names in ``doc.spans["names"]``."""

    def __init__(self, nlp: Language, name: str = "aseankg_names") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[NAMES_KEY] = find_names(doc)
        return doc
