"""Commitment verbs of an action line and its strength.

Rules (each with an example in docs/extraction.md):

1. the line-initial verb, after opening adverbs ("Further enhance" -> enhance);
2. catenative chains: "Continue to support" -> continue, support; "help strengthen";
   "explore providing" -> explore, provide;
3. coordinated commitments in the main clause: "... and support ...", "as well as
   promote ...", ", and explore ...";
4. the purpose verb right after a light noun: "Explore cooperation to support ..." ->
   explore, support;
5. never verbs of "by/through ...-ing" phrases, of lists ("including ...") or of another
   party's purpose ("ASEAN's efforts to strengthen ...");
6. a line without an opening verb may state its commitment in the passive ("The measures
   ... may be implemented" -> implement).

The line's strength is the highest rank among its verbs (the ontology's strength
scale); "support the implementation of" ranks strong.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

import aseankg.extract.nlp.extensions  # noqa: F401  (declares the doc._ attributes)
from aseankg.extract.nlp.lemmas import also_noun, spelling_key, verb_lemma
from aseankg.extract.nlp.lexicon_verbs import (
    ADVERBS,
    CATENATIVE,
    LIGHT_NOUNS,
    LIST_OPENERS,
    OBJECT_STARTS,
    PURPOSE_STOPS,
    STRENGTH,
    SUBORDINATORS,
)

__all__ = ["CommitmentVerbs", "find_verbs", "found_verbs", "strength_of", "verbs_of"]

_MODALS = frozenset({"may", "will", "shall", "should", "would", "can", "must"})
# How far back (tokens) a purpose "to" looks for its light noun: bounded, so that a
# very long line costs time in proportion to its length.
_PURPOSE_REACH = 40


_STRENGTH = {spelling_key(lemma): strength for lemma, strength in STRENGTH.items()}


def _lemma(token: Token) -> str | None:
    """The verb lemma of ``token`` (spaCy's lemmatizer, ``lemmas.verb_lemma``) or None;
    the opening adverbs are no verbs ("further" is one in WordNet)."""
    if token.lower_ in ADVERBS or (token.i > 0 and token.text[:1].isupper()):
        return None  # "Japan" inside a line is a name, not the verb "japan"
    return verb_lemma(token.text)


def _base(token: Token) -> str | None:
    """The lemma of ``token`` if it is the base form of a verb."""
    low = token.text.lower()
    return low if _lemma(token) == low else None


def _ing(token: Token) -> str | None:
    lemma = _lemma(token)
    return lemma if lemma and token.text.lower().endswith("ing") else None


_DETERMINERS = frozenset({"the", "its", "their", "a", "an", "our"})


def _determined(after: Token | None) -> bool:
    """Whether a determiner follows: "... through the JCC and report its progress"."""
    return after is not None and after.lower_ in _DETERMINERS


def _commitment(lemma: str) -> bool:
    """A verb of the lexicon's strength table (any spelling)."""
    return spelling_key(lemma) in _STRENGTH


def _noun_homograph(lemma: str) -> bool:
    return also_noun(lemma)


def _chain(doc: Doc, i: int, lemma: str, out: list[tuple[str, int]]) -> int:
    """Follow a catenative chain from the verb at ``i``; return the index after it."""
    out.append((lemma, i))
    n = len(doc)
    while lemma in CATENATIVE or lemma == "help":
        j = i + 1
        while j < n and doc[j].lower_ in _CHAIN_ADVERBS:
            j += 1  # "work together to promote", "continue actively to support"
        if j + 1 < n and doc[j].lower_ == "to" and _base(doc[j + 1]):
            nxt, i = _base(doc[j + 1]), j + 1
        elif j < n and lemma == "help" and _base(doc[j]):
            nxt, i = _base(doc[j]), j
        elif j < n and lemma != "help" and _ing(doc[j]):
            nxt, i = _ing(doc[j]), j
        else:
            break
        assert nxt is not None
        lemma = nxt
        out.append((lemma, i))
    return i + 1


def _opening(doc: Doc) -> int:
    i = 0
    while i < len(doc) and (doc[i].lower_ in ADVERBS or doc[i].is_punct):
        i += 1
    return i


def _passive(doc: Doc) -> list[tuple[str, int]]:
    for token in doc[:-2]:
        if token.lower_ in _MODALS and doc[token.i + 1].lower_ == "be":
            lemma = _lemma(doc[token.i + 2])
            if lemma:
                return [(lemma, token.i + 2)]
    return []


def _light_purpose(doc: Doc, to: int, found: list[tuple[str, int]]) -> bool:
    """Whether the "to" at ``to`` opens the purpose of a light noun of the commitment.

    Looks back to the last commitment verb for a (lower-case) light noun, across its
    complements but not across a relative clause, a participle ("provided by"), another
    verb's -ing form, a "for X to" subject or "the need to".
    """
    governing = max((i for _, i in found if i < to), default=-1)
    if (
        to < 1
        or doc[to - 1].lower_.endswith("ing")
        or "for"
        in (
            doc[to - 2].lower_ if to >= 2 else "",
            doc[to - 3].lower_ if to >= 3 else "",
        )
    ):
        return False  # "aiming to promote", "support for ASEAN to implement"
    light = False
    for p in range(to - 1, max(governing, to - 1 - _PURPOSE_REACH), -1):
        token = doc[p]
        low = token.lower_
        after = doc[p + 1].lower_
        if low in PURPOSE_STOPS or (low.endswith("ed") and after in ("by", "under")):
            return False
        lemma = _lemma(token) if low.endswith("ing") else None
        gerund = lemma is not None and _commitment(lemma)  # not "meeting", "existing"
        if gerund and doc[p - 1].lower_ != "capacity" and after not in LIGHT_NOUNS:
            return False  # "developing measures to protect"; not "training programmes to"
        light = light or (low in LIGHT_NOUNS and token.text.islower())
    return light


def _coordination(doc: Doc, k: int) -> str | None:
    """How the token at ``k`` is joined to what precedes: "and", "comma-and", or None."""
    if k > 2 and doc[k - 1].lower_ == "to" and _joined_to(doc, k - 1):
        k -= 1  # "as well as to study", "and to expand"
    while k > 1 and doc[k - 1].lower_ in ADVERBS:
        k -= 1  # "and further promote"
    prev = doc[k - 1].lower_
    if prev == "as" and k >= 3 and doc[k - 2].lower_ == "well" and doc[k - 3].lower_ == "as":
        return "comma-and"
    if prev in ("and", "or"):
        return "comma-and" if k >= 2 and doc[k - 2].text == "," else "and"
    return None


_CHAIN_ADVERBS = ADVERBS | {"together"}


def _joined_to(doc: Doc, to: int) -> bool:
    """Whether the "to" at ``to`` follows a coordinator ("and to", "as well as to")."""
    prev = doc[to - 1].lower_
    return prev in ("and", "or") or (
        prev == "as" and to >= 3 and doc[to - 2].lower_ == "well" and doc[to - 3].lower_ == "as"
    )


def _opening_verb(doc: Doc, i: int) -> str | None:
    """The verb opening a line at token ``i``: a commitment verb in any form ("Enhanced
    cooperation" reads as enhance), any other verb in its base form, the imperative of
    the genre ("Harmonise standards"); a word that is also a noun or an adjective only
    before an object ("Champion the ...", not "Joint research")."""
    token = doc[i]
    lemma = _lemma(token)
    if lemma is None:
        return None
    if _commitment(lemma):
        return lemma
    if token.text.lower() != lemma:
        return None  # "United Nations", "Based on": not an opening imperative
    after = doc[i + 1] if i + 1 < len(doc) else None
    if _noun_homograph(lemma) and not (
        after is not None and (after.lower_ in OBJECT_STARTS or after.text[:1].isupper())
    ):
        return None
    return lemma


def find_verbs(doc: Doc) -> list[tuple[str, int]]:
    """The commitment verbs of ``doc`` as (lemma, token index), in text order."""
    out: list[tuple[str, int]] = []
    i = _opening(doc)
    if i >= len(doc):
        return out
    first = _opening_verb(doc, i)
    if first is None:
        return _passive(doc)
    k = _chain(doc, i, first, out)
    state, series = "main", False  # main clause, "list" (including/by ...), "sub"
    last_purpose = False
    n = len(doc)
    while k < n:
        token = doc[k]
        low = token.lower_
        prev = doc[k - 1].lower_
        lemma = _base(token)
        if low in LIST_OPENERS and state == "main":
            state = "list"
        elif low in SUBORDINATORS or (
            # "to" + a capitalised verb is inside a name ("Cooperation to Combat ...")
            low == "to" and k + 1 < n and _base(doc[k + 1]) and doc[k + 1].text.islower()
        ):
            if not (
                low == "to" and (_light_purpose(doc, k, out) or last_purpose or _joined_to(doc, k))
            ):
                state, series = "sub", False
        elif low in (";", ":"):
            state = "main"
        if lemma is None:
            k += 1
            continue
        if prev == "," and state == "sub":
            series = True  # "to improve X, stimulate Y, and create Z"
        link = _coordination(doc, k)
        if link == "comma-and" and not (state == "sub" and series):
            state = "main"
        after = doc[k + 1] if k + 1 < n else None
        if not _commitment(lemma) and _noun_homograph(lemma):
            k += 1  # an unseen verb that is also a noun counts only at the opening
            continue
        noun_like = _noun_homograph(lemma) and (
            after is None
            or not (after.lower_ in OBJECT_STARTS or after.text[:1].isupper() or _base(after))
        )
        purpose = (
            prev == "to"
            and token.text.islower()
            and (
                _light_purpose(doc, k - 1, out)
                or (k >= 3 and doc[k - 2].lower_ == "and" and last_purpose)  # "and to combat"
            )
        )
        accepted = purpose or (
            link is not None
            and not noun_like
            and (
                state == "main"
                or (state == "list" and (not _noun_homograph(lemma) or _determined(after)))
            )
        )
        if accepted:
            last_purpose = purpose
            k = _chain(doc, k, lemma, out)
            state = "main"
            continue
        k += 1
    seen: set[str] = set()
    return [(lemma, j) for lemma, j in out if _first(lemma, seen)]


_RANKS = {"weak": 1, "moderate": 2, "strong": 3}
_IMPLEMENTATION = frozenset({"implementation", "implementing", "implement"})


def strength_of(doc: Doc, verbs: list[tuple[str, int]]) -> str:
    """The strength notation of a line: the highest rank among its verbs.

    As the ontology's strength scale reads it: "support the implementation of" is
    strong; auxiliaries ("continue to support") do not lower a stronger verb; a line
    without a commitment verb is "unspecified".
    """
    best = ""
    for lemma, i in verbs:
        strength = _STRENGTH.get(spelling_key(lemma), "moderate")
        window = {t.lower_ for t in doc[i + 1 : i + 5]}
        if lemma in ("support", "pursue") and window & _IMPLEMENTATION:
            strength = "strong"
        if _RANKS[strength] > _RANKS.get(best, 0):
            best = strength
    return best or "unspecified"


def found_verbs(doc: Doc) -> list[tuple[str, int]]:
    """The (lemma, token index) pairs the :class:`CommitmentVerbs` component found."""
    return list(doc._.aseankg_verbs or [])


def verbs_of(doc: Doc) -> list[str]:
    """The lemmas the :class:`CommitmentVerbs` component found in ``doc``."""
    return [lemma for lemma, _ in found_verbs(doc)]


class CommitmentVerbs:
    """Pipeline component: writes (lemma, token index) pairs to ``doc._.aseankg_verbs``."""

    def __init__(self, nlp: Language, name: str = "aseankg_verbs") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.aseankg_verbs = find_verbs(doc)
        return doc


def _first(key: str, seen: set[str]) -> bool:
    """True the first time ``key`` is seen (and remember it)."""
    if key in seen:
        return False
    seen.add(key)
    return True
