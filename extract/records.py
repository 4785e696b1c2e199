"""Typed records produced by the extract layer: the contract with graph/ and api/.

All records are frozen dataclasses; offsets are half-open character offsets into the
canonical text of the plan (``Plan.text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "MENTION_COLUMNS",
    "ActionLine",
    "Area",
    "Candidate",
    "EntityType",
    "Item",
    "LineExtraction",
    "Mention",
    "Plan",
    "PlanExtraction",
    "Section",
    "Source",
    "SourceFormat",
    "Status",
    "TextSpan",
    "TopicAssignment",
]

SourceFormat = Literal["txt", "docx", "pdf"]


@dataclass(frozen=True)
class Source:
    """The file a plan was read from."""

    path: str
    format: SourceFormat
    sha256: str


@dataclass(frozen=True)
class TextSpan:
    """A span of the canonical text (a preamble paragraph)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Area:
    id: str
    section: str
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Item:
    """A lettered or roman sub-item "(a) ..." inside an action line."""

    label: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ActionLine:
    id: str
    section: str
    area: str | None
    text: str
    start: int
    end: int
    page: int | None = None
    items: tuple[Item, ...] = ()
    lead: TextSpan | None = None  # a table's lead / implementing body cell
    timeline: TextSpan | None = None  # a table's timeline cell


@dataclass(frozen=True)
class Plan:
    """The structure of one plan of action read from one file."""

    source: Source
    text: str
    text_sha256: str
    plan: str
    title: str
    adopted: str | None
    period_start: int | None
    period_end: int | None
    preamble: tuple[TextSpan, ...]
    sections: tuple[Section, ...]
    areas: tuple[Area, ...]
    action_lines: tuple[ActionLine, ...]
    warnings: tuple[str, ...] = ()
    coverage: float = 1.0  # share of the characters assigned to an element (docs/parsing.md)
    unassigned: tuple[TextSpan, ...] = ()  # the stretches assigned to no element


EntityType = Literal["Actor", "Instrument"]
Status = Literal["known", "candidate"]


#: The columns of the mentions CSV (DESIGN.md), in order: the same in extract and export.
MENTION_COLUMNS = (
    "plan",
    "action_line",
    "entity_id",
    "entity_type",
    "entity_label",
    "acronym",
    "surface",
    "start",
    "end",
    "role",
    "status",
)


@dataclass(frozen=True)
class Mention:
    """One link of an action line to an entity, with its evidence in the text."""

    plan: str
    action_line: str
    entity_id: str
    entity_type: EntityType
    entity_label: str
    acronym: str
    surface: str
    start: int
    end: int
    role: str
    status: Status
    nested: bool = False
    confidence: float = 1.0


@dataclass(frozen=True)
class Candidate:
    """An entity found in the text that the authority file does not know."""

    id: str
    entity_type: EntityType
    type: str
    label: str
    acronym: str
    evidence: str
    action_line: str | None
    start: int
    end: int


@dataclass(frozen=True)
class TopicAssignment:
    """A topic or SDG of a line with how it was found (``area``, ``keyword``, ``topic:X``)
    and the phrase that shows it."""

    concept: str
    method: str
    evidence: str


@dataclass(frozen=True)
class LineExtraction:
    action_line: str
    text: str
    verbs: tuple[str, ...]
    strength: str
    topics: tuple[str, ...]
    mentions: tuple[Mention, ...]
    sdgs: tuple[str, ...] = ()
    topic_assignments: tuple[TopicAssignment, ...] = ()


@dataclass(frozen=True)
class PlanExtraction:
    plan: str
    lines: tuple[LineExtraction, ...]
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)
