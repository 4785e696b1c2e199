"""The continuity of commitments: align the action lines of an edition with the previous one.

Lines are never aligned by their numbers (editions renumber). Each pair of lines gets a
score from the text similarity of the two lines (rapidfuzz's ``token_sort_ratio`` on
lower-cased words) combined with the overlap of the entities they name (Jaccard); pairs
are taken one-to-one, best first, above :data:`MATCH`. A line left over whose text is
largely contained in a line already taken (rapidfuzz's ``token_set_ratio``) is the other
half of a split (one old line, two new) or of a merge (two old lines, one new). A
one-to-one pair is ``carried_over`` when the lines name the same entities with the same
commitment strength and their texts are at least :data:`CARRY` alike, else ``revised``;
each pair of a split or a merge is ``revised``; a new line left over is ``new``, an old
one ``dropped``. docs/editions.md gives the method and its measured accuracy.

>>> old = [EditionLine("1.1", "Support the work of the AHA Centre", frozenset({"aha"}), 2)]
>>> new = [EditionLine("2.4", "Support the work of the AHA Centre", frozenset({"aha"}), 2),
...        EditionLine("2.5", "Explore cooperation on space technology")]
>>> [(a.line, a.previous_line, a.relation) for a in align_editions(new, old)]
[('2.4', '1.1', 'carried_over'), ('2.5', None, 'new')]
>>> word_diff("Explore cooperation on health", "Enhance cooperation on health")
'[-Explore-] {+Enhance+} cooperation on health'
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Literal

from rapidfuzz import fuzz, process, utils

__all__ = [
    "CARRY",
    "LIBRARY",
    "MATCH",
    "METHOD",
    "METHOD_VERSION",
    "PART",
    "PART_SCORE",
    "TEXT_WEIGHT",
    "Alignment",
    "EditionLine",
    "Relation",
    "align_editions",
    "word_diff",
]

METHOD = (
    "rapidfuzz token_sort_ratio + entity Jaccard, one-to-one best first, "
    "splits and merges by token_set_ratio"
)
METHOD_VERSION = "1"
"""The version of the method (its IRI's last segment): raised whenever the rules or
thresholds change, so two graphs aligned differently never share a method node."""
LIBRARY = f"rapidfuzz {version('rapidfuzz')}"

TEXT_WEIGHT = 0.7
"""Weight of the text similarity in a pair's score (the entity overlap has the rest)."""
MATCH = 0.5
"""Lowest score of a one-to-one pair."""
CARRY = 0.9
"""Lowest text similarity of a pair that is carried over (same entities and strength)."""
PART = 0.8
"""Lowest containment (token_set_ratio) of a line in the other half of a split or merge."""
PART_SCORE = 0.35
"""Lowest score of the other half of a split or merge."""

Relation = Literal["carried_over", "revised", "new", "dropped"]


@dataclass(frozen=True)
class EditionLine:
    """One action line as the aligner sees it: notation (for naming only), text, the
    entities it names and its commitment strength's rank (None off the scale)."""

    notation: str
    text: str
    entities: frozenset[str] = frozenset()
    strength: int | None = None


@dataclass(frozen=True)
class Alignment:
    """One row of the continuity of an edition: a pair, a new line or a dropped one."""

    relation: Relation
    line: str | None
    previous_line: str | None
    similarity: float | None = None
    entities_added: tuple[str, ...] = ()
    entities_removed: tuple[str, ...] = ()
    strength_change: int | None = None
    word_diff: str | None = None


def word_diff(old: str, new: str) -> str:
    """The word-level diff from ``old`` to ``new``: removed words ``[-...-]``, added
    words ``{+...+}`` (difflib's matching blocks over whitespace-separated words)."""
    a, b = old.split(), new.split()
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(" ".join(a[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            parts.append(f"[-{' '.join(a[i1:i2])}-]")
        if tag in ("insert", "replace"):
            parts.append(f"{{+{' '.join(b[j1:j2])}+}}")
    return " ".join(parts)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float | None:
    if not a and not b:
        return None
    return len(a & b) / len(a | b)


def _score(text: float, entities: float | None) -> float:
    if entities is None:
        return text
    return TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * entities


def _pair(new: EditionLine, old: EditionLine, score: float, relation: Relation) -> Alignment:
    change = None
    if new.strength is not None and old.strength is not None:
        change = new.strength - old.strength
    return Alignment(
        relation=relation,
        line=new.notation,
        previous_line=old.notation,
        similarity=round(score, 4),
        entities_added=tuple(sorted(new.entities - old.entities)),
        entities_removed=tuple(sorted(old.entities - new.entities)),
        strength_change=change,
        word_diff=word_diff(old.text, new.text),
    )


def align_editions(
    lines: Sequence[EditionLine], previous: Sequence[EditionLine]
) -> list[Alignment]:
    """The continuity of ``lines`` (an edition, in order) with ``previous`` (the edition
    before it): one :class:`Alignment` per pair, per new line and per dropped line, in
    the order of ``lines`` then of ``previous``. Never raises."""
    if not lines or not previous:
        return [Alignment("new", line.notation, None) for line in lines] + [
            Alignment("dropped", None, old.notation) for old in previous
        ]
    new_texts = [line.text for line in lines]
    old_texts = [line.text for line in previous]
    text = process.cdist(
        new_texts, old_texts, scorer=fuzz.token_sort_ratio, processor=utils.default_process
    )
    contained = process.cdist(
        new_texts, old_texts, scorer=fuzz.token_set_ratio, processor=utils.default_process
    )
    scores = {
        (i, j): _score(float(text[i][j]) / 100, _jaccard(lines[i].entities, previous[j].entities))
        for i in range(len(lines))
        for j in range(len(previous))
    }
    order = sorted(scores, key=lambda ij: (-scores[ij], ij))
    one: dict[int, int] = {}
    taken: set[int] = set()
    for i, j in order:
        if scores[(i, j)] < MATCH:
            break
        if i in one or j in taken:
            continue
        one[i] = j
        taken.add(j)
    parts: list[tuple[int, int]] = []
    matched_new = set(one)
    for i, j in order:
        if scores[(i, j)] < PART_SCORE:
            break
        if float(contained[i][j]) / 100 < PART:
            continue
        if i not in matched_new and j in taken:  # a split: old line j also goes on in i
            parts.append((i, j))
            matched_new.add(i)
        elif j not in taken and i in one:  # a merge: old line j also goes into i
            parts.append((i, j))
            taken.add(j)
    pairs: dict[int, list[tuple[int, Relation]]] = {}
    for i, j in one.items():
        relation: Relation = "revised"
        in_part = any(pi == i or pj == j for pi, pj in parts)
        if (
            not in_part
            and lines[i].entities == previous[j].entities
            and lines[i].strength == previous[j].strength
            and float(text[i][j]) / 100 >= CARRY
        ):
            relation = "carried_over"
        pairs.setdefault(i, []).append((j, relation))
    for i, j in parts:
        pairs.setdefault(i, []).append((j, "revised"))
    out: list[Alignment] = []
    for i, line in enumerate(lines):
        if i not in pairs:
            out.append(Alignment("new", line.notation, None))
            continue
        for j, relation in sorted(pairs[i]):
            out.append(_pair(line, previous[j], scores[(i, j)], relation))
    out.extend(
        Alignment("dropped", None, old.notation) for j, old in enumerate(previous) if j not in taken
    )
    return out
