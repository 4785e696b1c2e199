"""What the linker links to and what it knows of a document: plain records.

``EntityRef`` is an entity of the authority file or a candidate; ``Link`` a mention of
one in a Doc; ``DocumentContext`` the definitions and parties of the whole plan.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["DocumentContext", "EntityRef", "Link"]


@dataclass(frozen=True)
class EntityRef:
    """The entity a mention links to: from the authority file, or a candidate."""

    id: str
    kind: str
    type: str
    label: str
    acronym: str
    status: str
    party: bool = False


@dataclass(frozen=True)
class Link:
    """A mention in a Doc: token span, entity, how it was found, nested or not."""

    start: int
    end: int
    entity: EntityRef
    method: str
    nested: bool = False
    role: str = "references"


@dataclass
class DocumentContext:
    """What the linker knows about the whole document: its definitions, in order."""

    definitions: dict[str, list[tuple[int, EntityRef]]] = field(default_factory=dict)
    parties: list[tuple[tuple[str, ...], EntityRef]] = field(default_factory=list)
    # the names of the plan's dialogue partner ("India"; "Republic of Korea", "ROK" ...)
    partner: tuple[str, ...] = ()

    def add_party(self, words: Sequence[str], entity: EntityRef) -> None:
        """A party of this plan the authority file lacks (its dialogue partner)."""
        self.parties.append((tuple(words), entity))

    def add(self, order: int, short_form: str, entity: EntityRef) -> None:
        """Record that ``short_form`` was defined as ``entity`` in the doc at ``order``."""
        self.definitions.setdefault(_key(short_form), []).append((order, entity))

    def resolve(self, short_form: str, order: int) -> EntityRef | None:
        """The entity of ``short_form`` as defined nearest before ``order`` (else first)."""
        found = self.definitions.get(_key(short_form))
        if not found:
            return None
        before = [entity for at, entity in found if at <= order]
        return before[-1] if before else found[0][1]


def _key(short_form: str) -> str:
    return re.sub(r"\s+", "", short_form)
