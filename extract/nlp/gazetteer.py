"""The gazetteer: names and acronyms of the authority file matched in a Doc.

Patterns are generated from the authority records when the pipeline is built: labels,
acronyms and other labels, with the variants the genre writes (curly or straight quotes,
hyphen or space, a leading "the", singular or plural, period suffixes). Acronyms and
one-word names match case-sensitively (``ORTH``), longer names case-insensitively
(``LOWER``, each with straight and curly quotes). Every match goes to
``doc.spans["gazetteer"]`` with the ids of its candidate entities in ``kb_id_``
(space-separated); nested and overlapping matches are all kept there, the linker decides
which is a link and which is nested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from aseankg.extract.nlp.lexicon_heads import HEADS, PLURAL_HEADS
from aseankg.ontology.records import AuthorityEntity

__all__ = [
    "GAZETTEER_KEY",
    "Gazetteer",
    "label_variants",
    "normalise_text",
    "strip_period",
]

GAZETTEER_KEY = "gazetteer"

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_PERIOD_SUFFIX = re.compile(
    r"\s*(?:\(\s*)?(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?(?:\s*\))?\s*$"
)
_SPACES = re.compile(r"\s+")
_EDITION = re.compile(r"\s+(?:II|III|IV|V|VI|VII|VIII|IX|X)$")


def normalise_text(text: str) -> str:
    """Lower-case ``text`` with straight quotes and hyphens, single spaces, no "the "."""
    text = _SPACES.sub(" ", text.translate(_QUOTES).lower()).strip()
    text = re.sub(r"\s*-\s*", "-", text)
    return text.removeprefix("the ")


def _quote_variants(form: str) -> list[str]:
    """``form`` with straight and with curly quotes: the text may use either."""
    straight = form.translate(_QUOTES)
    curly = straight.replace("'", "’")
    return sorted({form, straight, curly})


def strip_period(label: str) -> str:
    """``label`` without a trailing period ("2016-2025", "(2018-2025)", "2025")."""
    stripped = _PERIOD_SUFFIX.sub("", label)
    return stripped if stripped.strip() else label


def _plural_variants(label: str) -> list[str]:
    words = label.split(" ")
    last = words[-1]
    if not last.isalpha() or last.isupper():
        return []
    if last.endswith("ies"):
        alt = last[:-3] + "y"
    elif last.endswith(("ches", "shes", "sses")):
        alt = last[:-2]
    elif last.endswith("s") and not last.endswith("ss"):
        alt = last[:-1]
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "o", "u"):
        alt = last[:-1] + "ies"
    elif last.endswith(("ch", "sh", "ss", "x")):
        alt = last + "es"
    else:
        alt = last + "s"
    return [" ".join([*words[:-1], alt])]


def _hyphen_variants(label: str) -> list[str]:
    if "-" not in label:
        return []
    return [re.sub(r"\s*-\s*", sep, label) for sep in (" ", "- ", " - ", " -", "-")]


def label_variants(label: str) -> list[str]:
    """The surface variants under which a long name may appear in a plan.

    >>> variants = label_variants("The ASEAN Work Plan 2016-2025")
    >>> "ASEAN Work Plan" in variants and "ASEAN Work Plan 2016 - 2025" in variants
    True
    """
    label = _SPACES.sub(" ", label.translate(_QUOTES)).strip()
    bases = {label, strip_period(label)}
    # An edition numeral ends some names ("IAI Work Plan IV"); the text may drop it.
    bases |= {_EDITION.sub("", b) for b in bases if _EDITION.search(b)}
    bases |= {b[4:] for b in bases if b.lower().startswith("the ")}
    out: set[str] = set()
    for base in bases:
        for form in (base, *_plural_variants(base)):
            out.add(form)
            out.update(_hyphen_variants(form))
    # A stripped period may leave a bare head ("Plan of Action (2016-2020)"): no name.
    return sorted(v for v in out if v and v.lower() not in HEADS and v.lower() not in PLURAL_HEADS)


def _acronym_variants(acronym: str) -> list[str]:
    acronym = _SPACES.sub(" ", acronym.translate(_QUOTES)).strip()
    out = {acronym, strip_period(acronym)}
    for form in list(out):
        if "+" in form:
            out.add(re.sub(r"\s*\+\s*", "+", form))
            out.add(re.sub(r"\s*\+\s*", " + ", form))
        out.update(_hyphen_variants(form))
        if form[-1:].isupper():
            out.add(form + "s")
    return sorted(v for v in out if v)


class Gazetteer:
    """Pipeline component: marks every authority name and acronym in a Doc.

    Call :meth:`set_authority` before use (``load_pipeline`` does); until then it
    marks nothing.
    """

    def __init__(self, nlp: Language, name: str = "aseankg_gazetteer") -> None:
        self.nlp = nlp
        self.name = name
        self.entities: dict[str, AuthorityEntity] = {}
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._ids: dict[str, tuple[str, ...]] = {}
        self._lookup: dict[str, set[str]] = {}

    def set_authority(self, authority: Sequence[AuthorityEntity]) -> None:
        """Build the matchers from ``authority`` (replacing any earlier authority)."""
        self.entities = {entity.id: entity for entity in authority}
        exact: dict[str, set[str]] = {}
        folded: dict[str, set[str]] = {}
        for entity in authority:
            for acronym in entity.acronyms:
                for form in _acronym_variants(acronym):
                    exact.setdefault(form, set()).add(entity.id)
            for label in (entity.label, *entity.alt_labels):
                for form in label_variants(label):
                    if " " in form.strip() or "-" in form:
                        folded.setdefault(form, set()).add(entity.id)
                    else:
                        exact.setdefault(form, set()).add(entity.id)
        self._exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._folded = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._ids = {}
        self._lookup = {}
        self._add(self._exact, exact, "E", fold=False)
        self._add(self._folded, folded, "F", fold=True)

    def _add(
        self, matcher: PhraseMatcher, table: dict[str, set[str]], prefix: str, *, fold: bool
    ) -> None:
        for n, (form, ids) in enumerate(sorted(table.items())):
            key = f"{prefix}{n}"
            self._ids[key] = tuple(sorted(ids))
            lookup_key = normalise_text(form) if fold else form
            self._lookup.setdefault(lookup_key, set()).update(ids)
            matcher.add(key, [self.nlp.make_doc(v) for v in _quote_variants(form)])

    def lookup(self, text: str) -> tuple[str, ...]:
        """Ids of the entities named exactly ``text`` (acronym as written, or long name)."""
        text = _SPACES.sub(" ", text.translate(_QUOTES)).strip()
        ids = set(self._lookup.get(text, ())) | set(self._lookup.get(normalise_text(text), ()))
        if not ids:
            stripped = strip_period(text)
            if stripped != text:
                return self.lookup(stripped)
        return tuple(sorted(ids))

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for matcher, fold in ((self._exact, False), (self._folded, True)):
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                if fold and not _has_capital(span):
                    continue
                key = self.nlp.vocab.strings[match_id]
                spans.append(Span(doc, start, end, label="KNOWN", kb_id=" ".join(self._ids[key])))
        doc.spans[GAZETTEER_KEY] = sorted(spans, key=lambda s: (s.start, -s.end))
        return doc


def _has_capital(tokens: Iterable[object]) -> bool:
    return any(any(ch.isupper() for ch in str(token)) for token in tokens)
