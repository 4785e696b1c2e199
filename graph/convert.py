"""Records -> RDF: the quads of one plan's named graph.

``convert_plan`` turns a parsed ``Plan`` and its ``PlanExtraction`` into pyoxigraph quads
in the plan's named graph: the plan, its text edition (canonical text + sha256), sections,
areas, action lines, sub-items, commitments (verbs, strength), qualified actor and
instrument links (role, confidence, evidence) with their shortcut properties, candidate
entities, topics, SDGs (each with its evidence: an ``oa:classifying`` annotation whose
target is the phrase or mention of the line that shows the goal), and every mention as a
Web Annotation with a position and a quote selector on the text edition. Every node has
an IRI from ``aseankg.graph.iris``.

>>> from aseankg.extract.extractor import extract_plan
>>> from aseankg.extract.parser import parse_plan
>>> from aseankg.graph.iris import Minter
>>> plan = parse_plan("data/sources/asean-canada-poa-2021-2025.txt")
>>> quads = convert_plan(plan, extract_plan(plan), minter=Minter())
>>> len({quad.graph_name for quad in quads})
1
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import PurePath

from pyoxigraph import Literal, NamedNode, Quad

from aseankg.extract.partners import find_partner
from aseankg.extract.records import (
    ActionLine,
    Candidate,
    EntityType,
    LineExtraction,
    Mention,
    Plan,
    PlanExtraction,
)
from aseankg.extract.structure_patterns import PERIOD_OR_YEAR
from aseankg.graph.errors import GraphError
from aseankg.graph.iris import Minter
from aseankg.graph.vocabulary import (
    INSTRUMENT_TYPES,
    AkgTerms,
    Dct,
    Eli,
    Oa,
    Prov,
    Rdf,
    Skos,
    Xsd,
    akg_term,
    entity_class,
    instrument_type_concept,
    role_concept,
    status_concept,
    strength_concept,
    topic_concept,
)
from aseankg.ontology.authority import load_authority

__all__ = ["PARTY_ROLE", "QUOTE_CONTEXT", "convert_plan", "quote_parts"]

QUOTE_CONTEXT = 32
"""Characters of prefix and suffix kept by each ``oa:TextQuoteSelector``."""

_ACTOR_SHORTCUTS = {
    "supports": "supportsActor",
    "cooperates_with": "cooperatesWith",
    "convenes": "convenes",
    "works_through": "worksThrough",
    "lead": "ledBy",
}
_INSTRUMENT_SHORTCUTS = {
    "implements": "implements",
    "conforms_to": "conformsTo",
    "promotes": "promotes",
}
PARTY_ROLE = "party"


def _string(value: str) -> Literal:
    return Literal(value)


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=Xsd.integer)


def _decimal(value: float) -> Literal:
    text = format(Decimal(str(round(value, 4))).normalize(), "f")
    return Literal(text if "." in text else f"{text}.0", datatype=Xsd.decimal)


def quote_parts(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The (exact, prefix, suffix) of a quote selector for ``text[start:end]``."""
    return (
        text[start:end],
        text[max(0, start - QUOTE_CONTEXT) : start],
        text[end : end + QUOTE_CONTEXT],
    )


@dataclass
class _Writer:
    """Collects the quads of one named graph."""

    graph: NamedNode
    quads: list[Quad] = field(default_factory=list)

    def add(self, subject: NamedNode, predicate: NamedNode, obj: NamedNode | Literal) -> None:
        self.quads.append(Quad(subject, predicate, obj, self.graph))

    def typed(self, subject: NamedNode, *classes: NamedNode) -> None:
        for cls in classes:
            self.add(subject, Rdf.type, cls)


@dataclass
class _Link:
    """A qualified link of a line (or the plan) to one entity in one role."""

    iri: NamedNode
    mentions: list[NamedNode] = field(default_factory=list)
    confidence: float = 0.0


@lru_cache(maxsize=1)
def _authority_parties() -> frozenset[str]:
    """Slugs of the actors the authority graph types ``akg:Party``."""
    return frozenset(e.id for e in load_authority() if e.kind == "Actor" and e.party)


class _Converter:
    def __init__(
        self,
        plan: Plan,
        extraction: PlanExtraction | None,
        minter: Minter,
        warnings: list[str],
        known: Collection[str] | None,
    ) -> None:
        self.plan = plan
        self.warnings = warnings
        self.extraction = extraction
        self.iris = minter
        self.out = _Writer(NamedNode(minter.plan_graph(plan.plan)))
        self.plan_iri = NamedNode(minter.plan(plan.plan))
        self.edition = NamedNode(minter.text_edition(plan.plan))
        self.annotated: set[str] = set()
        self.line_ids = {line.id for line in plan.action_lines}
        self.line_spans = {line.id: (line.start, line.end) for line in plan.action_lines}
        self.candidates: dict[tuple[EntityType, str], tuple[str, str, str]] = {}
        self.undescribed: dict[tuple[EntityType, str], tuple[str, bool, str]] = {}
        self.known = known

    # structure ------------------------------------------------------------
    def convert(self) -> list[Quad]:
        self._plan()
        for section in self.plan.sections:
            self._section(section.id, section.title, section.start, section.end)
        for area in self.plan.areas:
            self._area(area.id, area.section, area.title, area.start, area.end)
        for line in self.plan.action_lines:
            self._line(line)
        if self.extraction is not None:
            for extracted in self.extraction.lines:
                if extracted.action_line in self.line_ids:
                    self._extracted_line(extracted)
            self._plan_mentions()
            for candidate in self.extraction.candidates:
                self._candidate(candidate)
            self._candidate_entities()
            self._plan_partner()
            self._undescribed_entities()
        return self.out.quads

    def _plan_partner(self) -> None:
        """The plan's dialogue partner (or framework, "ASEAN Plus Three"), read from its
        title, is a party of the plan whether or not a line names it."""
        partner = find_partner(self.plan.title)
        if partner is None:
            return
        entity = NamedNode(self.iris.entity("Actor", partner.slug))
        self.out.add(self.plan_iri, AkgTerms.partner, entity)
        # a framework the authority file knows as a forum is this plan's party; one the
        # authority graph types a party already is not typed again here (each triple in
        # one graph: the union default graph does not deduplicate, issue 18)
        if partner.slug not in _authority_parties():
            self.out.typed(entity, akg_term("Party"))
        if self.known is None or entity.value not in self.known:  # described here
            key: tuple[EntityType, str] = ("Actor", partner.slug)
            self.undescribed.setdefault(key, (partner.name, True, ""))

    def _plan(self) -> None:
        plan, out, iri = self.plan, self.out, self.plan_iri
        out.typed(iri, AkgTerms.PlanOfAction, Eli.Work, Prov.Plan)
        out.add(iri, Dct.identifier, _string(plan.plan))
        out.add(iri, Dct.title, _string(plan.title))
        out.add(iri, Rdf.label, _string(plan.title))
        if plan.adopted:
            out.add(iri, AkgTerms.adopted, Literal(plan.adopted, datatype=Xsd.date))
        if plan.period_start is not None:
            out.add(iri, AkgTerms.periodStart, _integer(plan.period_start))
        if plan.period_end is not None:
            out.add(iri, AkgTerms.periodEnd, _integer(plan.period_end))
        out.add(iri, AkgTerms.textEdition, self.edition)
        out.typed(self.edition, AkgTerms.TextEdition, Eli.Expression)
        out.add(self.edition, Eli.realizes, iri)
        out.add(self.edition, AkgTerms.canonicalText, _string(plan.text))
        out.add(self.edition, AkgTerms.sha256, _string(plan.text_sha256))
        out.add(self.edition, AkgTerms.coverage, _decimal(plan.coverage))
        for warning in plan.warnings:
            if warning.startswith("partial plan accepted"):
                out.add(self.edition, AkgTerms.parseWarning, _string(warning))
        source = NamedNode(self.iris.source(plan.source.sha256))
        out.add(self.edition, Prov.wasDerivedFrom, source)
        out.typed(source, Prov.Entity)
        out.add(source, AkgTerms.sha256, _string(plan.source.sha256))
        out.add(source, Dct.format, _string(plan.source.format))
        out.add(source, Rdf.label, _string(PurePath(plan.source.path).name))

    def _division(
        self, iri: NamedNode, cls: NamedNode, number: str, parent: NamedNode, start: int, end: int
    ) -> None:
        out = self.out
        out.typed(iri, cls, Eli.WorkSubdivision)
        out.add(iri, Skos.notation, _string(number))
        out.add(iri, Eli.number, _string(number))
        out.add(iri, AkgTerms.plan, self.plan_iri)
        out.add(iri, Eli.is_part_of, parent)
        out.add(parent, Eli.has_part, iri)
        out.add(iri, AkgTerms.start, _integer(start))
        out.add(iri, AkgTerms.end, _integer(end))

    def _section(self, number: str, title: str, start: int, end: int) -> None:
        iri = NamedNode(self.iris.section(self.plan.plan, number))
        self._division(iri, AkgTerms.Section, number, self.plan_iri, start, end)
        self.out.add(iri, Dct.title, _string(title))

    def _area(self, number: str, section: str, title: str, start: int, end: int) -> None:
        iri = NamedNode(self.iris.area(self.plan.plan, number))
        section_iri = NamedNode(self.iris.section(self.plan.plan, section))
        self._division(iri, AkgTerms.Area, number, section_iri, start, end)
        self.out.add(iri, AkgTerms.section, section_iri)
        self.out.add(iri, Dct.title, _string(title))

    def _line(self, line: ActionLine) -> None:
        plan_id, out = self.plan.plan, self.out
        iri = NamedNode(self.iris.line(plan_id, line.id))
        section = NamedNode(self.iris.section(plan_id, line.section))
        parent = section
        if line.area is not None:
            parent = NamedNode(self.iris.area(plan_id, line.area))
            out.add(iri, AkgTerms.area, parent)
        self._division(iri, AkgTerms.ActionLine, line.id, parent, line.start, line.end)
        out.add(iri, AkgTerms.section, section)
        out.add(iri, AkgTerms.text, _string(line.text))
        if line.page is not None:
            out.add(iri, AkgTerms.page, _integer(line.page))
        period = PERIOD_OR_YEAR.search(line.timeline.text) if line.timeline else None
        if period is not None:
            out.add(iri, AkgTerms.periodStart, _integer(int(period.group("start"))))
            out.add(
                iri, AkgTerms.periodEnd, _integer(int(period.group("end") or period.group("start")))
            )
        for item in line.items:
            item_iri = NamedNode(self.iris.item(plan_id, line.id, item.label))
            self._division(
                item_iri, AkgTerms.SubItem, f"{line.id}({item.label})", iri, item.start, item.end
            )
            out.add(item_iri, AkgTerms.itemLabel, _string(item.label))
            out.add(item_iri, AkgTerms.text, _string(item.text))

    # extraction -----------------------------------------------------------
    def _extracted_line(self, extracted: LineExtraction) -> None:
        plan_id, out = self.plan.plan, self.out
        line = NamedNode(self.iris.line(plan_id, extracted.action_line))
        commitment = NamedNode(self.iris.commitment(plan_id, extracted.action_line))
        out.add(line, AkgTerms.hasCommitment, commitment)
        out.typed(commitment, AkgTerms.Commitment)
        for verb in dict.fromkeys(extracted.verbs):
            out.add(commitment, AkgTerms.verb, _string(verb))
        if extracted.verbs:
            out.add(commitment, AkgTerms.verbSequence, _string(" ".join(extracted.verbs)))
        if extracted.strength:
            out.add(commitment, AkgTerms.strength, strength_concept(extracted.strength))
        for topic in extracted.topics:
            try:
                out.add(line, AkgTerms.topic, topic_concept(topic))
            except GraphError:
                self.warnings.append(f"{extracted.action_line}: unknown topic {topic!r} left out")
        evidence = {
            a.concept.removeprefix("sdg:"): a
            for a in extracted.topic_assignments
            if a.concept.startswith("sdg:")
        }
        for sdg in extracted.sdgs:
            out.add(line, AkgTerms.sdg, NamedNode(self.iris.sdg(sdg)))
            found = evidence.get(sdg)
            if found is not None:
                self._sdg_evidence(extracted, sdg, found.method, found.evidence)
        self._links(line, extracted.action_line, extracted.mentions)

    def _sdg_evidence(self, extracted: LineExtraction, code: str, method: str, phrase: str) -> None:
        """The annotation (``oa:classifying``) that ties a line to an SDG: its body the goal,
        its target the words of the line that show it — the phrase, or the mention of the
        entity that makes the goal clear (``method`` ``entity:<slug>``)."""
        span = self.line_spans.get(extracted.action_line)
        if span is None:
            return
        offsets: tuple[int, int] | None = None
        if method.startswith("entity:"):
            slug = method.removeprefix("entity:")
            offsets = next(
                ((m.start, m.end) for m in extracted.mentions if m.entity_id == slug), None
            )
        elif phrase:
            words = r"\s+".join(re.escape(w) for w in phrase.replace("\u2019", "'").split())
            words = words.replace("'", "['\u2019]")
            match = re.compile(words, re.IGNORECASE).search(self.plan.text, *span)
            offsets = (match.start(), match.end()) if match else None
        if offsets is None:
            self.warnings.append(f"{extracted.action_line}: no evidence found for SDG {code}")
            return
        out, plan_id = self.out, self.plan.plan
        iri_text = self.iris.sdg_evidence(plan_id, extracted.action_line, code)
        iri = NamedNode(iri_text)
        out.typed(iri, Oa.Annotation)
        out.add(iri, Oa.motivatedBy, Oa.classifying)
        out.add(iri, Oa.hasBody, NamedNode(self.iris.sdg(code)))
        how = "the mention of " + method.removeprefix("entity:") if ":" in method else method
        out.add(iri, Rdf.label, _string(f"SDG {code} from {how}"))
        line = NamedNode(self.iris.line(plan_id, extracted.action_line))
        target = NamedNode(self.iris.mention_target(iri_text))
        position = NamedNode(self.iris.position_selector(iri_text))
        quote = NamedNode(self.iris.quote_selector(iri_text))
        out.add(iri, Oa.hasTarget, target)
        out.typed(target, Oa.SpecificResource)
        out.add(target, Oa.hasSource, self.edition)
        out.add(target, Oa.hasScope, line)
        out.add(target, Oa.hasSelector, position)
        out.add(target, Oa.hasSelector, quote)
        out.typed(position, Oa.TextPositionSelector)
        out.add(position, Oa.start, _integer(offsets[0]))
        out.add(position, Oa.end, _integer(offsets[1]))
        exact, prefix, suffix = quote_parts(self.plan.text, *offsets)
        out.typed(quote, Oa.TextQuoteSelector)
        out.add(quote, Oa.exact, _string(exact))
        out.add(quote, Oa.prefix, _string(prefix))
        out.add(quote, Oa.suffix, _string(suffix))

    def _links(self, subject: NamedNode, line_id: str | None, mentions: Iterable[Mention]) -> None:
        links: dict[tuple[str, str, str], _Link] = {}
        for mention in mentions:
            if mention.nested:
                continue  # only outermost names are mentions of the graph (DESIGN.md)
            annotation = self._annotation(mention, line_id)
            self._mentioned_entity(mention)
            if mention.role == PARTY_ROLE:
                entity = NamedNode(self.iris.entity(mention.entity_type, mention.entity_id))
                self.out.add(self.plan_iri, AkgTerms.partner, entity)
                continue
            key = (mention.entity_type, mention.entity_id, mention.role)
            link = links.get(key)
            if link is None:
                if line_id is None:
                    link_iri = self.iris.plan_link(self.plan.plan, mention.entity_id, mention.role)
                else:
                    link_iri = self.iris.link(
                        self.plan.plan, line_id, mention.entity_id, mention.role
                    )
                link = links[key] = _Link(NamedNode(link_iri))
            link.mentions.append(annotation)
            link.confidence = max(link.confidence, mention.confidence)
        for (kind, entity_id, role), link in links.items():
            self._link(subject, kind, entity_id, role, link)

    def _link(self, subject: NamedNode, kind: str, entity_id: str, role: str, link: _Link) -> None:
        out = self.out
        entity = NamedNode(
            self.iris.entity("Actor" if kind == "Actor" else "Instrument", entity_id)
        )
        if kind == "Actor":
            out.add(subject, AkgTerms.hasActorLink, link.iri)
            out.typed(link.iri, AkgTerms.ActorLink)
            out.add(link.iri, AkgTerms.linkedActor, entity)
            out.add(subject, AkgTerms.referencesActor, entity)
            shortcut = _ACTOR_SHORTCUTS.get(role)
        else:
            out.add(subject, AkgTerms.hasInstrumentLink, link.iri)
            out.typed(link.iri, AkgTerms.InstrumentLink)
            out.add(link.iri, AkgTerms.linkedInstrument, entity)
            out.add(subject, AkgTerms.referencesInstrument, entity)
            shortcut = _INSTRUMENT_SHORTCUTS.get(role)
        if shortcut is not None:
            out.add(subject, akg_term(shortcut), entity)
        out.add(link.iri, AkgTerms.role, role_concept(kind, role))
        out.add(link.iri, AkgTerms.confidence, _decimal(link.confidence))
        for mention in link.mentions:
            out.add(link.iri, AkgTerms.evidence, mention)

    def _annotation(self, mention: Mention, line_id: str | None) -> NamedNode:
        iri_text = self.iris.mention(self.plan.plan, line_id, mention.start, mention.end)
        iri = NamedNode(iri_text)
        entity = NamedNode(self.iris.entity(mention.entity_type, mention.entity_id))
        self.out.add(iri, Oa.hasBody, entity)
        if iri_text in self.annotated:
            return iri
        self.annotated.add(iri_text)
        scope = self.plan_iri
        if line_id is not None:
            scope = NamedNode(self.iris.line(self.plan.plan, line_id))
        self._selectors(iri, iri_text, scope, mention.start, mention.end)
        return iri

    def _selectors(
        self, iri: NamedNode, iri_text: str, scope: NamedNode, start: int, end: int
    ) -> None:
        out = self.out
        target = NamedNode(self.iris.mention_target(iri_text))
        position = NamedNode(self.iris.position_selector(iri_text))
        quote = NamedNode(self.iris.quote_selector(iri_text))
        out.typed(iri, AkgTerms.Mention, Oa.Annotation)
        out.add(iri, Oa.motivatedBy, Oa.identifying)
        out.add(iri, Oa.hasTarget, target)
        out.typed(target, Oa.SpecificResource)
        out.add(target, Oa.hasSource, self.edition)
        out.add(target, Oa.hasScope, scope)
        out.add(target, Oa.hasSelector, position)
        out.add(target, Oa.hasSelector, quote)
        out.typed(position, Oa.TextPositionSelector)
        out.add(position, Oa.start, _integer(start))
        out.add(position, Oa.end, _integer(end))
        exact, prefix, suffix = quote_parts(self.plan.text, start, end)
        out.typed(quote, Oa.TextQuoteSelector)
        out.add(quote, Oa.exact, _string(exact))
        out.add(quote, Oa.prefix, _string(prefix))
        out.add(quote, Oa.suffix, _string(suffix))

    def _plan_mentions(self) -> None:
        """Mentions tied to no action line (the plan's parties) link the plan itself."""
        assert self.extraction is not None
        loose = [
            mention
            for extracted in self.extraction.lines
            if extracted.action_line not in self.line_ids
            for mention in extracted.mentions
        ]
        if loose:
            self._links(self.plan_iri, None, loose)

    # entities -------------------------------------------------------------
    def _mentioned_entity(self, mention: Mention) -> None:
        key = (mention.entity_type, mention.entity_id)
        if mention.status == "candidate":
            if key not in self.candidates:
                self.candidates[key] = ("", mention.entity_label, mention.acronym)
            return
        iri = self.iris.entity(mention.entity_type, mention.entity_id)
        if self.known is not None and iri not in self.known:
            party = mention.role == PARTY_ROLE or self.undescribed.get(key, ("", False))[1]
            self.undescribed[key] = (mention.entity_label, party, mention.acronym)

    def _candidate(self, candidate: Candidate) -> None:
        key = (candidate.entity_type, candidate.id)
        self.candidates[key] = (candidate.type, candidate.label, candidate.acronym)
        line_id = candidate.action_line or None
        if line_id is not None and line_id not in self.line_ids:
            line_id = None
        entity = NamedNode(self.iris.entity(candidate.entity_type, candidate.id))
        mention = self.iris.mention(self.plan.plan, line_id, candidate.start, candidate.end)
        iri = NamedNode(mention)
        self.out.add(iri, Oa.hasBody, entity)
        if mention not in self.annotated:
            self.annotated.add(mention)
            scope = self.plan_iri
            if line_id is not None:
                scope = NamedNode(self.iris.line(self.plan.plan, line_id))
            self._selectors(iri, mention, scope, candidate.start, candidate.end)
        self.out.add(entity, Dct.source, iri)

    def _undescribed_entities(self) -> None:
        """Entities the extractor calls known but the authority graph does not describe
        (a dialogue partner taken from the title): typed and labelled in the plan graph."""
        out = self.out
        for (kind, slug), (label, party, acronym) in self.undescribed.items():
            entity = NamedNode(self.iris.entity(kind, slug))
            out.typed(entity, AkgTerms.Actor if kind == "Actor" else AkgTerms.Instrument)
            if party:
                out.typed(entity, akg_term("Party"))
            out.add(entity, AkgTerms.status, status_concept("known"))
            if label:
                out.add(entity, Skos.prefLabel, _string(label))
                out.add(entity, Rdf.label, _string(label))
            if acronym:
                out.add(entity, AkgTerms.acronym, _string(acronym))

    def _candidate_entities(self) -> None:
        out = self.out
        for (kind, slug), (type_name, label, acronym) in self.candidates.items():
            entity = NamedNode(self.iris.entity(kind, slug))
            out.typed(
                entity,
                AkgTerms.CandidateEntity,
                AkgTerms.Actor if kind == "Actor" else AkgTerms.Instrument,
            )
            out.add(entity, AkgTerms.status, status_concept("candidate"))
            if type_name:
                out.typed(entity, entity_class(kind, type_name))
                if kind == "Instrument" and type_name in INSTRUMENT_TYPES:
                    out.add(entity, AkgTerms.instrumentType, instrument_type_concept(type_name))
            if label:
                out.add(entity, Skos.prefLabel, _string(label))
                out.add(entity, Rdf.label, _string(label))
            if acronym:
                out.add(entity, AkgTerms.acronym, _string(acronym))


def convert_plan(
    plan: Plan,
    extraction: PlanExtraction | None = None,
    *,
    minter: Minter | None = None,
    warnings: list[str] | None = None,
    known: Collection[str] | None = None,
) -> list[Quad]:
    """The quads of ``plan``'s named graph (duplicates possible; the store dedups).

    Values the ontology has no concept for (an unknown topic) are left out with a line
    appended to ``warnings``. ``known`` holds the IRIs the authority graph describes;
    a mentioned entity the extractor calls known but outside it (a dialogue partner taken
    from the title) is typed and labelled in the plan graph.

    Raises:
        GraphError: an identifier cannot be minted into an IRI (empty id), or a role or
            strength is not a concept of the ontology.
    """
    sink = warnings if warnings is not None else []
    return _Converter(plan, extraction, minter or Minter(), sink, known).convert()
