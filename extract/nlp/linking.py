"""Linking: each name, acronym or definition of a line resolved to one entity.

Sources of mentions in a Doc, resolved in this order of trust:

1. inline definitions "Long Form (SF)" (the whole span is the mention): the long form,
   then the short form, looked up in the authority file, else a candidate;
2. acronyms defined elsewhere in the same document, resolved through the document's
   definitions before the authority file (the "JCC" of one plan is not another's);
3. gazetteer matches of the authority file;
4. headed capitalised names (``names.py``) looked up in the authority file, else candidates.

Each mention absorbs a period suffix ("2016-2025", "(2018-2025)") and, after a
definition, a trailing head ("(AADMER) Work Programme"). Longest span wins; mentions
inside it stay as nested mentions. Parties (ASEAN, Canada, ASEAN Member States) are
linked like any actor but flagged, so the line's named actors stay apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

import aseankg.extract.nlp.extensions  # noqa: F401  (declares the doc._ attributes)
from aseankg.extract.nlp.abbreviations import Definition, definitions_of
from aseankg.extract.nlp.entities import DocumentContext, EntityRef, Link
from aseankg.extract.nlp.gazetteer import GAZETTEER_KEY, Gazetteer, strip_period
from aseankg.extract.nlp.names import NAMES_KEY, type_name
from aseankg.extract.partners import PARTNERS, slugify
from aseankg.ontology.records import AuthorityEntity

__all__ = ["Linker", "links_of"]

_ROMAN = re.compile(r"(?:I{1,3}|IV|V|VI{1,3}|IX|X)")
_MEETINGS = frozenset({"meeting", "meetings", "consultations", "consultation"})
_POSSESSIVES = frozenset({"its", "their"})
_FRAMEWORK = frozenset({"framework"})


def links_of(doc: Doc) -> list[Link]:
    """The links the :class:`Linker` component set on ``doc``."""
    return list(doc._.aseankg_links or [])


_VERSION = re.compile(r"\d+\.\d+")


def _period_end(doc: Doc, end: int) -> int:
    """Index after a period suffix starting at ``end`` ("2016-2025", "(2018-2025)", "IV")."""
    n = len(doc)
    i = end
    if i < n and _ROMAN.fullmatch(doc[i].text) and len(doc[i].text) > 1:
        i += 1
    paren = i < n and doc[i].text == "("
    j = i + 1 if paren else i
    if j < n and _year(doc[j].text):
        j += 1
        if j + 1 < n and doc[j].text in ("-", "–") and _year(doc[j + 1].text):
            j += 2
        if paren:
            return j + 1 if j < n and doc[j].text == ")" else i
        return j
    return i


def _year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and text[:2] in ("19", "20")


class Linker:
    """Pipeline component: resolves the spans of earlier components to entities.

    Reads the gazetteer's spans, the definitions and the names of the Doc and the
    :class:`DocumentContext` in ``doc._.aseankg_context`` (an empty one if absent);
    writes a list of :class:`Link` to ``doc._.aseankg_links``.
    """

    def __init__(self, nlp: Language, name: str = "aseankg_linker") -> None:
        self.nlp = nlp
        self.name = name

    @property
    def gazetteer(self) -> Gazetteer:
        pipe = self.nlp.get_pipe("aseankg_gazetteer")
        assert isinstance(pipe, Gazetteer)
        return pipe

    def known(self, entity_id: str) -> EntityRef:
        """The reference of an authority entity by id."""
        return _known(self.gazetteer.entities[entity_id])

    def resolve_text(self, text: str, *, prefer_years: Sequence[int] = ()) -> EntityRef | None:
        """The authority entity named ``text`` (the most fitting period first), or None."""
        ids = self.gazetteer.lookup(text)
        return self._choose(ids, prefer_years) if ids else None

    def _choose(self, ids: Sequence[str], years: Sequence[int]) -> EntityRef:
        entities = [self.gazetteer.entities[i] for i in ids]
        if years and len(entities) > 1:
            for entity in entities:
                named = {int(y) for y in re.findall(r"\b(?:19|20)\d{2}\b", entity.label)}
                if {entity.period_end, entity.year, *named} & set(years):
                    return _known(entity)
        return _known(sorted(entities, key=lambda e: (e.party, len(e.id), e.id))[0])

    def _resolve_definition(self, doc: Doc, definition: Definition) -> EntityRef | None:
        """The entity a definition names: authority by long then short form, else candidate.

        A bare head after a possessive ("its Terms of Reference (TOR)") names the
        instrument of the actor named just before ("ASEAN-IPR Terms of Reference").
        """
        long_form = definition.long_form
        end = _period_end(doc, definition.close + 1)
        years = [int(t.text) for t in doc[definition.long_start : end] if _year(t.text)]
        found = self.resolve_text(long_form, prefer_years=years) or self.resolve_text(
            f"{long_form} ({definition.short_form})", prefer_years=years
        )
        if found is None:
            found = self.resolve_text(definition.short_form, prefer_years=years)
            if found is not None and not self._compatible(long_form, found):
                found = None  # the plan's own "JCC" is not the authority's
        if found is not None:
            return found
        start = definition.long_start
        if start > 0 and doc[start - 1].lower_ in _POSSESSIVES:
            owner = self._owner(doc, start - 1)
            if owner is not None:
                record = self.gazetteer.entities.get(owner.id)
                names = (record.label, *record.acronyms, *record.alt_labels) if record else ()
                for name in names or (owner.label,):
                    found = self.resolve_text(f"{name} {long_form}") or self.resolve_text(
                        f"{long_form} of the {name}"
                    )
                    if found is not None:
                        return found
                return _candidate(f"{owner.acronym or owner.label} {long_form}", "")
        return _candidate(long_form, definition.short_form) or self._headless(doc, definition)

    def resolve_definition(self, doc: Doc, definition: Definition) -> EntityRef | None:
        """The entity a definition names (:meth:`_resolve_definition`), the plan's own
        when the authority's is another partner's (:meth:`localise`)."""
        found = self._resolve_definition(doc, definition)
        if found is None:
            return None
        return self.localise(
            doc._.aseankg_context or DocumentContext(),
            found,
            _span_text(doc, definition.long_start, definition.close + 1),
        )

    def localise(
        self, context: DocumentContext, entity: EntityRef, surface: Callable[[], str]
    ) -> EntityRef:
        """A mechanism of another partnership read in this plan without its partner's
        name is this plan's own: "PMC+1", "Joint Cooperation Committee (JCC)" in an
        ASEAN-India plan are the ASEAN-India ones, not the authority's ASEAN-Canada ones;
        "ASEAN-Canada JCC" written out stays Canada's. The plan's own is the authority's
        entity of that name (the foreign partner's name replaced by the plan's), else a
        candidate of that name, with the entity's acronym and type."""
        if not context.partner or entity.party:
            return entity
        record = self.gazetteer.entities.get(entity.id)
        names = (record.label, *record.alt_labels) if record else (entity.label,)
        foreign = _partner_named(tuple(names), exclude=tuple(context.partner))
        if foreign is None or _partner_named((surface(),), exclude=()) is not None:
            return entity
        label = re.sub(rf"\b{re.escape(foreign)}\b", context.partner[0], entity.label)
        if label == entity.label:
            return entity
        known = self.resolve_text(label)
        if known is not None:
            return known
        return EntityRef(
            slugify(strip_period(label)),
            entity.kind,
            entity.type,
            label,
            entity.acronym,
            "candidate",
        )

    def _headless(self, doc: Doc, definition: Definition) -> EntityRef | None:
        """A "Full Name (ACR)" definition without a head noun of the lexicon is an entity
        when its long form is a proper name of the region: it holds an acronym-like word
        ("ASEAN", "EU") or names a party ("Korea", "India"). The genre's such names are
        programmes, systems and arrangements ("ASEAN-Korea Free Trade Area (AKFTA)",
        "Disaster Emergency Logistic System for ASEAN (DELSA)"): an instrument of type
        Initiative. A subject ("Micro, Small and Medium Enterprises (MSMEs)",
        "Corporate Social Responsibility (CSR)") names no one and stays a topic."""
        if self.gazetteer.lookup(definition.short_form):
            return None  # the authority's acronym ("CLMV"): the gazetteer links it
        words = doc[definition.long_start : definition.long_end]
        proper = any(
            sum(ch.isupper() for ch in t.text) >= 2 and t.text.isalpha() for t in words
        ) or any(
            t.text[:1].isupper()
            and any(self.gazetteer.entities[i].party for i in self.gazetteer.lookup(t.text))
            for t in words
        )
        if not proper:
            return None
        return _candidate(
            definition.long_form, definition.short_form, kind="Instrument", type_="Initiative"
        )

    def _compatible(self, long_form: str, entity: EntityRef) -> bool:
        """Whether every capitalised word of ``long_form`` is a word of the entity's names,
        or an acronym the authority knows whose name is in them ("UN Convention on the Law
        of the Sea" is UNCLOS, "United Nations Convention on the Law of the Sea")."""
        record = self.gazetteer.entities.get(entity.id)
        if record is None:
            return True
        names = " ".join((record.label, *record.alt_labels, *record.acronyms))
        known = set(_words(names.lower()))

        def fits(word: str) -> bool:
            if word.lower() in known:
                return True
            spelled = (self.gazetteer.entities.get(i) for i in self.gazetteer.lookup(word))
            return any(
                e is not None and word in e.acronyms and set(_words(e.label.lower())) <= known
                for e in spelled
            )

        return all(fits(w) for w in _words(long_form) if w[:1].isupper())

    def _owner(self, doc: Doc, before: int) -> EntityRef | None:
        """The last actor named before token ``before`` (by definition or gazetteer)."""
        for definition in reversed(definitions_of(doc)):
            if definition.close < before:
                entity = self.resolve_text(definition.long_form) or self.resolve_text(
                    definition.short_form
                )
                if entity is not None and entity.kind == "Actor" and not entity.party:
                    return entity
        return None

    def __call__(self, doc: Doc) -> Doc:
        context = doc._.aseankg_context or DocumentContext()
        order = int(doc._.aseankg_order or 0)
        raw: list[Link] = []
        inside_parens: set[int] = set()
        for definition in definitions_of(doc):
            entity = self.resolve_definition(doc, definition)
            end = definition.close + 1
            if entity is None:
                # "Free Trade Area (AANZFTA) Agreement": the name is the compound
                end, entity = self._compound(doc, definition, end, None)
                if entity is None:
                    continue
            elif entity.kind == "Actor" and end < len(doc) and doc[end].lower_ in _MEETINGS:
                end += 1  # "(JCC) Meeting": the meeting of a body is the body
            else:
                own = entity
                end, entity = self._compound(doc, definition, end, entity)
                if entity is not None and entity.id != own.id:
                    # the defined name stays a name inside the compound: "(ATIGA)" of
                    # "ASEAN Trade in Goods Agreement (ATIGA) Upgrade Protocol"
                    raw.append(Link(definition.long_start, definition.close + 1, own, "definition"))
            if entity is None:
                continue
            raw.append(Link(definition.long_start, _period_end(doc, end), entity, "definition"))
            inside_parens.update(range(definition.short_start, definition.short_end))
        for span in doc.spans.get(GAZETTEER_KEY, []):
            end = _period_end(doc, span.end)
            years = [int(t.text) for t in doc[span.end : end] if _year(t.text)]
            defined = context.resolve(span.text, order) if span.start not in inside_parens else None
            entity = defined or self._choose(span.kb_id_.split(), years)
            raw.append(Link(span.start, end, entity, "gazetteer" if not defined else "acronym"))
        self._acronym_uses(doc, context, order, inside_parens, raw)
        raw += _plan_parties(doc, context)
        for span in doc.spans.get(NAMES_KEY, []):
            end = _period_end(doc, span.end)
            kind, type_ = span.label_.split(":")
            owner = self._framework_owner(doc, span.start, span.end)
            if owner is not None:
                raw.append(
                    Link(span.start, span.start + 1, owner, "framework", role="works_through")
                )
                continue
            entity = self.resolve_text(doc[span.start : end].text) or _candidate(
                span.text, "", kind=kind, type_=type_
            )
            if entity is not None:
                raw.append(Link(span.start, end, entity, "name"))
        if context.partner:
            for n, r in enumerate(raw):
                own = self.localise(context, r.entity, _span_text(doc, r.start, r.end))
                if own is not r.entity:
                    raw[n] = Link(r.start, r.end, own, r.method, r.nested, r.role)
        selected = _select([r for r in raw if _kept(doc, r)])
        doc._.aseankg_links = _inner_instruments(doc, _parties(doc, selected))
        return doc

    def _framework_owner(self, doc: Doc, start: int, end: int) -> EntityRef | None:
        """ "the ARF Framework", "the UN framework": the framework of an actor is the actor."""
        if end - start != 2 or doc[end - 1].lower_ not in _FRAMEWORK:
            return None
        entity = self.resolve_text(doc[start].text)
        return entity if entity is not None and entity.kind == "Actor" else None

    def _compound(
        self, doc: Doc, definition: Definition, end: int, entity: EntityRef | None
    ) -> tuple[int, EntityRef | None]:
        """Absorb a head after a definition: "(AADMER) Work Programme", "(ASCC) Blueprint"."""
        stop = end
        while (
            stop < len(doc)
            and stop - end < 4
            and (
                doc[stop].text[:1].isupper() or (stop == end and _VERSION.fullmatch(doc[stop].text))
            )
        ):
            stop += 1  # a version may open the compound: "(ACFTA) 3.0 Upgrade Protocol"
        words = [t.text for t in doc[end:stop]]
        if not words or type_name(["X", *words]) is None:
            return end, entity
        tail = " ".join(words)
        period = _period_end(doc, stop)
        for text in (f"{definition.short_form} {tail}", f"{definition.long_form} {tail}"):
            found = self.resolve_text(text + " " + doc[stop:period].text) or self.resolve_text(text)
            if found is not None:
                return stop, found
        typed = type_name(["X", *words])
        assert typed is not None
        label = f"{definition.short_form} {tail}"
        return stop, _candidate(label, "", kind=typed[0], type_=typed[1])

    def _acronym_uses(
        self,
        doc: Doc,
        context: DocumentContext,
        order: int,
        inside_parens: set[int],
        raw: list[Link],
    ) -> None:
        """Later (or earlier) uses of short forms the document defines."""
        for token in doc:
            if token.i in inside_parens or not _inner_capital(token.text):
                continue
            for size in (3, 2, 1):
                span = doc[token.i : token.i + size]
                if len(span) < size:
                    continue
                entity = context.resolve(span.text, order)
                if entity is not None:
                    raw.append(Link(span.start, _period_end(doc, span.end), entity, "acronym"))
                    break


@lru_cache(maxsize=2**16)
def _inner_capital(text: str) -> bool:
    """Whether a capital follows the first character ("ASEAN", "eASEAN"): a short form's
    shape (a function of the word alone: cached, words repeat)."""
    return any(ch.isupper() for ch in text[1:])


def _plan_parties(doc: Doc, context: DocumentContext) -> list[Link]:
    """Mentions of the plan's own parties: its partner when the authority file lacks it,
    its framework ("ASEAN Plus Three") when the file has it as a forum."""
    if not context.parties:
        return []
    texts = [token.text for token in doc]
    found: list[Link] = []
    for words, entity in context.parties:
        size = len(words)
        for i in range(len(texts) - size + 1):
            if tuple(texts[i : i + size]) == words:
                found.append(Link(i, i + size, entity, "party"))
    return found


def _known(entity: AuthorityEntity) -> EntityRef:
    return EntityRef(
        id=entity.id,
        kind=entity.kind,
        type=entity.type,
        label=entity.label,
        acronym=entity.acronyms[0] if entity.acronyms else "",
        status="known",
        party=entity.party,
    )


def _candidate(label: str, acronym: str, *, kind: str = "", type_: str = "") -> EntityRef | None:
    words = label.split()
    if not kind:
        typed = type_name(words) or (type_name(words[:-1]) if len(words) > 2 else None)
        if typed is None:
            return None
        kind, type_ = typed
    return EntityRef(
        id=slugify(strip_period(label)) or slugify(acronym),
        kind=kind,
        type=type_,
        label=" ".join(words),
        acronym=acronym,
        status="candidate",
    )


# A party of the plan's own (its partner or framework) wins over the same span read as an
# actor: "ASEAN Plus Three" is a party of an ASEAN Plus Three plan, a forum elsewhere.
_TRUST = {"definition": 0, "framework": 0, "acronym": 1, "party": 1, "gazetteer": 2, "name": 3}


def _kept(doc: Doc, link: Link | None) -> bool:
    """Drop party words that are no party: "ASEAN-led", "ASEAN-wide", "ASEAN Connectivity"."""
    if link is None or not link.entity.party:
        return True
    n = len(doc)
    after = doc[link.end] if link.end < n else None
    if after is not None and after.text == "-" and link.end + 1 < n:
        return not doc[link.end + 1].text.islower()
    # a capitalised word right after makes a concept name, not the party
    return after is None or not (after.is_title and after.is_alpha)


def _parties(doc: Doc, links: list[Link]) -> list[Link]:
    """A possessive party opening a name ("Canada’s Minister ...") is a party of the line."""
    out: list[Link] = []
    outer_starts = {link.start for link in links if not link.nested}
    for link in links:
        possessive = link.end < len(doc) and doc[link.end].lower_ in ("’s", "'s")
        if link.nested and link.entity.party and possessive and link.start in outer_starts:
            link = Link(link.start, link.end, link.entity, link.method)
        out.append(link)
    return out


_PARTNER_NAME = re.compile(
    r"(?<!\w)("
    + "|".join(
        re.escape(name)
        for name in sorted(
            {name for partner in PARTNERS for name in partner.names}, key=len, reverse=True
        )
    )
    + r")(?!\w)"
)


@lru_cache(maxsize=4096)
def _partner_named(texts: tuple[str, ...], *, exclude: tuple[str, ...]) -> str | None:
    """The first dialogue partner's name (not one of ``exclude``) that ``texts`` hold."""
    for text in texts:
        for found in _PARTNER_NAME.finditer(text):
            if found.group(1) not in exclude:
                return found.group(1)
    return None


def _span_text(doc: Doc, start: int, end: int) -> Callable[[], str]:
    """The text of a token span, read only when asked."""
    return lambda: doc[start:end].text


def _inner_instruments(doc: Doc, links: list[Link]) -> list[Link]:
    """An instrument named inside a longer instrument's name is a link of the line of
    its own (method ``inner``, role ``references``): "ASEAN Agreement on Disaster
    Management and Emergency Response (AADMER)" inside "the AADMER Work Programme",
    "AANZFTA" in "the AANZFTA Agreement". It must stand as a name of its own there: its
    acronym, or its full name closed by its "(ACR)". A name the longer one merely goes on
    from ("ASEAN Declaration" in "ASEAN Declaration on the Rights of ...", "Master Plan
    on ASEAN Connectivity" in "... 2025") is no reference. An actor inside an
    instrument's name (the UN in UNCLOS) stays a nested name, and so does a name known
    only by its definition that has no head noun ("ASEAN-Australia-New Zealand Free Trade
    Area (AANZFTA)" in "the AANZFTA Agreement": the agreement is the instrument)."""
    outer = [link for link in links if not link.nested]
    out: list[Link] = []
    for link in links:
        container = next((o for o in outer if o.start <= link.start and link.end <= o.end), None)
        if (
            link.nested
            and link.entity.kind == "Instrument"
            and container is not None
            and container.entity.kind == "Instrument"
            and (link.entity.status == "known" or type_name(link.entity.label.split()))
            and _stands_alone(doc, link, container)
        ):
            link = Link(link.start, link.end, link.entity, "inner", role="references")
        elif link.nested and link.entity.status == "candidate":
            continue  # a defined name left inside another is a fragment of it
        out.append(link)
    return out


def _stands_alone(doc: Doc, link: Link, container: Link) -> bool:
    """Whether the inner name is closed (its acronym, or "... (ACR)") and the container
    goes on with a name of its own (a head, "Work Programme", "3.0 Upgrade Protocol"),
    not only with an edition ("Master Plan on ASEAN Connectivity (MPAC) 2025")."""
    after = link.end
    span = doc[link.start : link.end]
    if span[-1].text == ")":
        pass  # the definition itself, "Full Name (ACR)"
    elif after < container.end and doc[after].text == "(":
        close = next((i for i in range(after, container.end) if doc[i].text == ")"), None)
        if close is None:
            return False
        after = close + 1
    elif not (len(span) == 1 and sum(ch.isupper() for ch in span.text) >= 2):
        return False
    rest = [t for t in doc[after : container.end] if not _year(t.text) and t.text not in "-–"]
    return any(t.text[:1].isupper() and t.is_alpha for t in rest)


def _select(raw: list[Link | None]) -> list[Link]:
    """Longest span wins; spans inside a winner are nested; overlaps lose."""
    links = [link for link in raw if link is not None and link.entity is not None]
    links.sort(
        key=lambda link: (
            -(link.end - link.start),
            link.entity.status != "known",
            _TRUST[link.method],
            link.start,
        )
    )
    outer: list[Link] = []
    nested: list[Link] = []
    for link in links:
        container = next((o for o in outer if o.start <= link.start and link.end <= o.end), None)
        if container is not None:
            # A nested candidate is a fragment of the outer name, not an entity of its own,
            # unless the text defines it ("... Agreement (ATIGA) Upgrade Protocol").
            if (
                link.entity.id != container.entity.id
                and (link.entity.status == "known" or link.method == "definition")
                and not any(n.start == link.start and n.end == link.end for n in nested)
            ):
                nested.append(_nest(link))
            continue
        if any(o.start < link.end and link.start < o.end for o in outer):
            continue
        outer.append(link)
    return sorted([*outer, *nested], key=lambda link: (link.start, link.nested, -link.end))


def _nest(link: Link) -> Link:
    return Link(link.start, link.end, link.entity, link.method, nested=True)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.replace("’", "'"))
