"""Extract the mentions, verbs, roles and topics of every action line of a plan.

>>> from aseankg.extract.parser import parse_plan
>>> extraction = extract_plan(parse_plan("data/sources/asean-canada-poa-2021-2025.txt"))
>>> extraction.lines[0].verbs
('strengthen',)

The pipeline reads the plan's texts (preamble, headings, action lines, in text order) in
the two passes of :func:`~aseankg.extract.nlp.pipeline.annotate_document`. Each text is
its span normalised by :func:`~aseankg.extract.text_spans.normalise`, whose offset map
takes a mention back to its exact span of the canonical text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from aseankg.extract.errors import ExtractError
from aseankg.extract.nlp.abbreviations import definitions_of
from aseankg.extract.nlp.entities import DocumentContext, EntityRef
from aseankg.extract.nlp.linking import links_of
from aseankg.extract.nlp.pipeline import MAX_TEXT_CHARS, annotate_document, load_pipeline
from aseankg.extract.nlp.topics import find_topics, sdgs_of, topics_of
from aseankg.extract.nlp.verbs import found_verbs, strength_of
from aseankg.extract.partners import Partner, find_partner, slugify
from aseankg.extract.records import (
    Candidate,
    LineExtraction,
    Mention,
    Plan,
    PlanExtraction,
    TopicAssignment,
)
from aseankg.extract.text_spans import Normalised, normalise
from aseankg.ontology.records import AuthorityEntity

__all__ = ["extract_plan"]


@dataclass(frozen=True)
class _Text:
    """One text of the plan: its kind, id, text, canonical span, and what the pipeline
    reads: the span normalised, with its offset map (the same text as ``text``)."""

    kind: str  # "preamble", "section", "area", "line"
    id: str
    text: str
    start: int
    end: int
    read: Normalised


def extract_plan(
    plan: Plan, *, authority: Sequence[AuthorityEntity] | None = None
) -> PlanExtraction:
    """The extraction of ``plan`` against ``authority`` (default: the authority file).

    Raises ``aseankg.ontology.errors.OntologyError`` when the default authority file
    cannot be loaded, and :class:`~aseankg.extract.errors.ExtractError` when one text
    of the plan is longer than ``MAX_TEXT_CHARS``; nothing for any other parsed plan.
    """
    texts = _texts(plan)
    for item in texts:
        if len(item.read.text) > MAX_TEXT_CHARS:
            raise ExtractError(
                f"{_describe(item)} of {plan.plan} is {len(item.read.text):,} characters long; "
                f"the extractor reads texts of at most {MAX_TEXT_CHARS:,}"
            )
    if authority is None:
        authority = _default_authority()
    nlp = load_pipeline(authority)
    context = DocumentContext()
    plan_partner = find_partner(plan.title)
    if plan_partner is not None:
        context.partner = plan_partner.names
    found = _partner_party(plan, authority)
    if found is not None:
        party, partner = found
        for name in partner.names:  # "Republic of Korea", "ROK", "Korea": one party
            context.add_party([t.text for t in nlp.make_doc(name)], party)
    docs = annotate_document(nlp, (t.read.text for t in texts), context=context)
    areas = {a.id: a.title for a in plan.areas}
    sections = {s.id: s.title for s in plan.sections}
    lines: list[LineExtraction] = []
    candidates: dict[str, Candidate] = {}
    types: dict[str, str] = {}
    by_id = {line.id: line for line in plan.action_lines}
    leads: dict[str, list[Mention]] = {}
    for item, doc in zip(texts, docs, strict=True):
        mentions = _mentions(plan, item, doc, types)
        if item.kind == "lead":
            leads[item.id] = _lead_mentions(plan, item, mentions)
            mentions = [m for m in leads[item.id] if m.status == "candidate"]
        for mention in mentions:
            if mention.nested or mention.status != "candidate":
                continue
            if item.kind in ("section", "area") and not _defined_at(doc, mention, item):
                continue  # a heading names a topic ("Civil Service"), unless it defines
            if mention.entity_id not in candidates:
                candidates[mention.entity_id] = _candidate(plan, item, mention, types)
        if item.kind != "line":
            continue
        line = by_id[item.id]
        titles = [sections.get(line.section, "")] + ([areas[line.area]] if line.area else [])
        lines.append(_line(item, doc, mentions, titles))
    lines = [
        replace(line, mentions=line.mentions + tuple(leads[line.action_line]))
        if line.action_line in leads
        else line
        for line in lines
    ]
    return PlanExtraction(
        plan=plan.plan,
        lines=tuple(lines),
        candidates=tuple(sorted(candidates.values(), key=lambda c: (c.start, c.id))),
    )


def _describe(item: _Text) -> str:
    """ "action line 1.1.1", "section 2", "area 1.1", "preamble paragraph 1" ..."""
    if item.kind == "preamble":
        return f"preamble paragraph {int(item.id) + 1}"
    if item.kind == "lead":
        return f"the lead cell of action line {item.id}"
    return f"{'action line' if item.kind == 'line' else item.kind} {item.id}"


def _default_authority() -> tuple[AuthorityEntity, ...]:
    """The authority file's records, imported late: only this default needs rdflib."""
    from aseankg.ontology.authority import load_authority

    return load_authority()


def _partner_party(
    plan: Plan, authority: Sequence[AuthorityEntity]
) -> tuple[EntityRef, Partner] | None:
    """The dialogue partner named in the plan's title, when the authority file lacks it
    or knows it as a forum only (a framework, "ASEAN Plus Three", is a party of its own
    plans).

    It is a party of the plan like ASEAN, named and slugged as the plan id names it
    (:func:`~aseankg.extract.partners.find_partner`); its status is ``candidate`` so that
    a curator adds it to the authority file.
    """
    partner = find_partner(plan.title)
    if partner is None:
        return None
    for entity in authority:
        if entity.id == partner.slug or set(partner.names) & {
            entity.label,
            *entity.alt_labels,
            *entity.acronyms,
        }:
            if entity.party or entity.kind != "Actor":
                return None
            acronym = entity.acronyms[0] if entity.acronyms else ""
            known = EntityRef(entity.id, "Actor", entity.type, entity.label, acronym, "known")
            return replace(known, party=True), partner  # a framework: a party of its plans
    party = EntityRef(partner.slug, "Actor", "Party", partner.name, "", "candidate", party=True)
    return party, partner


def _defined_at(doc: Doc, mention: Mention, item: _Text) -> bool:
    """Whether ``mention`` of a heading is an inline definition ("... (IAI)")."""
    return mention.surface.rstrip().endswith(")") and any(
        d.short_form in mention.surface for d in definitions_of(doc)
    )


def _texts(plan: Plan) -> list[_Text]:
    spans = [("preamble", str(n), p.text, p.start, p.end) for n, p in enumerate(plan.preamble)]
    spans += [("section", s.id, s.title, s.start, s.end) for s in plan.sections]
    spans += [("area", a.id, a.title, a.start, a.end) for a in plan.areas]
    spans += [("line", a.id, a.text, a.start, a.end) for a in plan.action_lines]
    spans += [
        ("lead", a.id, a.lead.text, a.lead.start, a.lead.end)
        for a in plan.action_lines
        if a.lead is not None
    ]
    items = [
        _Text(
            kind, id_, text, start, end, normalise(plan.text[start:end], drop_final=kind == "line")
        )
        for kind, id_, text, start, end in spans
    ]
    return sorted(items, key=lambda t: t.start)


def _lead_mentions(plan: Plan, item: _Text, mentions: list[Mention]) -> list[Mention]:
    """The actors of a table row's lead cell, role ``lead``: the names linked in the cell,
    else the whole cell as a candidate actor (a lead body is always an actor)."""
    named = [
        replace(m, action_line=item.id, role="lead")
        for m in mentions
        if not m.nested and m.entity_type == "Actor"
    ]
    if named:
        return named
    surface = plan.text[item.start : item.end]
    return [
        Mention(
            plan=plan.plan,
            action_line=item.id,
            entity_id=slugify(item.text),
            entity_type="Actor",
            entity_label=item.text,
            acronym="",
            surface=surface,
            start=item.start,
            end=item.end,
            role="lead",
            status="candidate",
            confidence=0.7,
        )
    ]


def _mentions(plan: Plan, item: _Text, doc: Doc, types: dict[str, str]) -> list[Mention]:
    """One mention per entity linked by the line (its first, with the most telling role),
    plus the nested names inside them. Records each entity's type in ``types``."""
    out: list[Mention] = []
    first: dict[str, int] = {}
    for link in links_of(doc):
        span = doc[link.start : link.end]
        low, high = item.read.raw_span(span.start_char, span.end_char)
        start, end = item.start + low, item.start + high
        mention = _mention(plan, item, link.entity, start, end, link.role, link.nested)
        types[link.entity.id] = link.entity.type
        if link.nested:
            out.append(mention)
        elif link.entity.id not in first:
            first[link.entity.id] = len(out)
            out.append(mention)
        elif out[first[link.entity.id]].role == "references" and link.role != "references":
            kept = out[first[link.entity.id]]
            out[first[link.entity.id]] = replace(kept, role=link.role)
    return out


def _mention(
    plan: Plan, item: _Text, entity: EntityRef, start: int, end: int, role: str, nested: bool
) -> Mention:
    return Mention(
        plan=plan.plan,
        action_line=item.id if item.kind == "line" else "",
        entity_id=entity.id,
        entity_type="Actor" if entity.kind == "Actor" else "Instrument",
        entity_label=entity.label,
        acronym=entity.acronym,
        surface=plan.text[start:end],
        start=start,
        end=end,
        role=role,
        status="known" if entity.status == "known" else "candidate",
        nested=nested,
        confidence=1.0 if entity.status == "known" else 0.7,
    )


def _candidate(plan: Plan, item: _Text, mention: Mention, types: dict[str, str]) -> Candidate:
    lo = max(item.start, mention.start - 80)
    hi = min(item.end, mention.end + 80)
    evidence = " ".join(plan.text[lo:hi].split())
    return Candidate(
        id=mention.entity_id,
        entity_type=mention.entity_type,
        type=types.get(mention.entity_id, mention.entity_type),
        label=mention.entity_label,
        acronym=mention.acronym,
        evidence=evidence,
        action_line=item.id if item.kind == "line" else None,
        start=mention.start,
        end=mention.end,
    )


def _line(item: _Text, doc: Doc, mentions: list[Mention], titles: list[str]) -> LineExtraction:
    verbs = found_verbs(doc)
    assignments: list[TopicAssignment] = []
    hits = [h for title in titles for h in find_topics(title, method="area")] + topics_of(doc)
    seen: set[str] = set()
    unique = [h for h in hits if _first(h.concept, seen)]
    assignments = [TopicAssignment(h.concept, h.method, h.evidence) for h in unique]
    sdgs = sdgs_of(item.text, [(m.entity_id, m.surface) for m in mentions])
    assignments += [TopicAssignment(f"sdg:{h.concept}", h.method, h.evidence) for h in sdgs]
    return LineExtraction(
        action_line=item.id,
        text=item.text,
        verbs=tuple(lemma for lemma, _ in verbs),
        strength=strength_of(doc, verbs),
        topics=tuple(h.concept for h in unique),
        mentions=tuple(mentions),
        sdgs=tuple(h.concept for h in sdgs),
        topic_assignments=tuple(assignments),
    )


def _first(key: str, seen: set[str]) -> bool:
    """True the first time ``key`` is seen (and remember it)."""
    if key in seen:
        return False
    seen.add(key)
    return True
