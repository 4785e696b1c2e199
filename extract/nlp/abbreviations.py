"""Inline definitions "Full Name (ACR)": Schwartz–Hearst, extended for plans of action.

Extensions over the original algorithm (each with an example in docs/extraction.md):

- the long form may be longer than the usual ``min(|A| + 5, 2|A|)`` window: it runs back
  over the clause (up to ``_WINDOW`` tokens, not across ";", ":", "(", ")") and the
  candidate with the fewest letters matched inside words or on lower-case words wins
  ("ASEAN Plan of Action Against Trafficking in Persons, Especially Women and Children
  (APA)" starts at "ASEAN", not at "Against");
- words of the short form are matched as words anywhere in the long form, so the word
  order may differ ("Treaty on the Southeast Asia Nuclear Weapons-Free Zone (SEANWFZ
  Treaty)", "... Senior Officials' Meeting on Transnational Crime (SOMTC + Canada)");
- short forms may hold "+", "-", "&", digits and spaces ("PMC+1", "AHA Centre", "S&T");
- the long form extends left over capitalised words the letters did not need ("ASEAN"
  before "Post Ministerial Conference with Canada (PMC+1)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

import aseankg.extract.nlp.extensions  # noqa: F401  (declares the doc._ attributes)
from aseankg.extract.nlp.lemmas import verb_lemma
from aseankg.extract.nlp.lexicon_heads import NOT_NAME_STARTS
from aseankg.extract.nlp.lexicon_verbs import ADVERBS

__all__ = ["Abbreviations", "Definition", "definitions_of", "find_definitions"]

_WINDOW = 30
_STOPS = frozenset({";", ":", "(", ")", "[", "]", "."})
_SYMBOLS = frozenset({"+", "&", "-", "/", "–"})
_ROMAN = re.compile(r"(?:I{1,3}|IV|V|VI{1,3}|IX|X)")


@dataclass(frozen=True)
class Definition:
    """A short form defined inline; token offsets into its Doc."""

    long_start: int
    long_end: int
    short_start: int
    short_end: int
    close: int
    long_form: str
    short_form: str


def definitions_of(doc: Doc) -> list[Definition]:
    """The definitions the :class:`Abbreviations` component found in ``doc``."""
    return list(doc._.aseankg_definitions or [])


def _is_year(text: str) -> bool:
    return text.isdigit() and len(text) == 4 and text[:2] in ("19", "20")


def _acronym_like(token: Token) -> bool:
    text = token.text
    uppers = sum(ch.isupper() for ch in text)
    return uppers >= 2 or (uppers == 1 and len(text) <= 2 and text.isalpha())


def _short_form_words(inner: list[Token]) -> tuple[list[str], list[str]] | None:
    """Split a parenthesised text into (letters to match, whole words), or None."""
    # Roman numerals number an edition ("AMCAP III"): they spell no letter of the name.
    words = [t for t in inner if t.text not in _SYMBOLS and not _ROMAN.fullmatch(t.text)]
    if not words or len(words) > 4 or all(_is_year(t.text) for t in words):
        return None
    acronyms = [t for t in words if _acronym_like(t)]
    plain = [t for t in words if not _acronym_like(t)]
    if not acronyms or len(plain) > 1:
        return None
    if any(not (t.text[:1].isupper() or t.text.isdigit()) for t in plain):
        return None
    letters = [ch for t in acronyms for ch in t.text if ch.isupper()]
    wholes = [t.text for t in plain if not t.text.isdigit()]
    return letters, wholes


def _match_cost(letters: list[str], words: list[str]) -> int | None:
    """Least cost of reading ``letters`` off ``words`` left to right, or None.

    The first word must give the first letter; each word gives none, or its initial and
    then further letters from inside it. A letter on a lower-case word or inside a word
    costs 1.
    """
    n, m = len(letters), len(words)
    if not n:
        return 0
    inf = 10**6
    # best[i][j]: least cost having used i letters and the first j words
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0
    for j, word in enumerate(words):
        low = word.lower()
        for i in range(n + 1):
            cost = best[i][j]
            if cost >= inf:
                continue
            if j > 0 and cost < best[i][j + 1]:
                best[i][j + 1] = cost  # the word gives no letter
            if i < n and low[:1] == letters[i].lower():
                extra = 0 if word[:1].isupper() else 1
                pos, k = 1, i + 1
                if cost + extra < best[k][j + 1]:
                    best[k][j + 1] = cost + extra
                while k < n:
                    pos = low.find(letters[k].lower(), pos)
                    if pos < 0:
                        break
                    pos, k, extra = pos + 1, k + 1, extra + 1
                    if cost + extra < best[k][j + 1]:
                        best[k][j + 1] = cost + extra
    # Letters read from inside words are what lets noise pass: allow few of them.
    cost = best[n][m]
    return cost if cost < inf and cost <= max(1, n // 3) + _lower_allowance(words) else None


def _lower_allowance(words: list[str]) -> int:
    return sum(1 for w in words if w[:1].islower())


def _name_start(token: Token) -> bool:
    text = token.text
    return text[:1].isupper() and text.lower() not in NOT_NAME_STARTS


def _opening_word(token: Token) -> bool:
    """A verb or adverb opening the doc ("Support", "Further"), never part of a name."""
    low = token.text.lower()
    return token.i == 0 and (verb_lemma(low) is not None or low in ADVERBS)


def _long_form(doc: Doc, open_i: int, letters: list[str], wholes: list[str]) -> int | None:
    """Token index where the long form ending before ``doc[open_i]`` starts, or None."""
    lo = open_i
    while lo > 0 and open_i - lo < _WINDOW and doc[lo - 1].text not in _STOPS:
        lo -= 1
    best: tuple[int, int] | None = None
    for k in range(open_i - 1, lo - 1, -1):
        if not _name_start(doc[k]) or _opening_word(doc[k]):
            continue
        span = [t.text for t in doc[k:open_i] if any(ch.isalpha() for ch in t.text)]
        lowered = [w.lower() for w in span]
        if any(w.lower() not in lowered for w in wholes):
            continue
        rest = [w for w in span if w.lower() not in {x.lower() for x in wholes}]
        first_whole = bool(span) and span[0].lower() in {x.lower() for x in wholes}
        cost = _match_cost(letters, rest) if not first_whole else _loose_cost(letters, rest)
        if cost is None:
            continue
        if best is None or cost < best[0]:
            best = (cost, k)
    if best is None:
        return None
    start = best[1]
    while start > lo:
        before = doc[start - 1]
        if before.text == "-" and start - 1 > lo and _name_start(doc[start - 2]):
            start -= 2  # "ASEAN-Canada Joint Cooperation Committee"
        elif _name_start(before) and not _opening_word(before) and not before.is_punct:
            start -= 1
        else:
            break
    return start


def _loose_cost(letters: list[str], words: list[str]) -> int | None:
    """Like :func:`_match_cost` when a whole word opens the long form: letters may start later."""
    costs = [_match_cost(letters, words[j:]) for j in range(len(words))]
    found = [c for c in costs if c is not None]
    return min(found) if found else (0 if not letters else None)


def find_definitions(doc: Doc) -> list[Definition]:
    """Every "Long Form (SF)" definition in ``doc``, in text order."""
    out: list[Definition] = []
    for token in doc:
        if token.text != "(":
            continue
        close = next(
            (j for j in range(token.i + 1, min(token.i + 9, len(doc))) if doc[j].text == ")"),
            None,
        )
        if close is None or close == token.i + 1:
            continue
        inner = list(doc[token.i + 1 : close])
        parts = _short_form_words(inner)
        if parts is None:
            continue
        start = _long_form(doc, token.i, *parts)
        if start is None:
            continue
        out.append(
            Definition(
                long_start=start,
                long_end=token.i,
                short_start=token.i + 1,
                short_end=close,
                close=close,
                long_form=doc[start : token.i].text,
                short_form=doc[token.i + 1 : close].text,
            )
        )
    return out


class Abbreviations:
    """Pipeline component: writes the inline definitions of a Doc to
    ``doc._.aseankg_definitions``."""

    def __init__(self, nlp: Language, name: str = "aseankg_abbreviations") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.aseankg_definitions = find_definitions(doc)
        return doc
