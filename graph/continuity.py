"""The continuity of commitments: align the action lines of an edition with the previous one.

Lines are never aligned by their numbers (editions renumber). Each pair of lines gets a
score from the text similarity of the two lines (rapidfuzz's ``token_sort_ratio`` on
lower-cased words) combined with the overlap of the entities they name (Jaccard); pairs
are taken one-to-one, best first, above :data:`MATCH`. Of the lines left over, two where
one largely states the other (rapidfuzz's ``token_set_ratio`` of the lines or of a clause
of one, :data:`REWORDED`) are a heavily reworded pair; a line left over contained in a
line already taken (:data:`PART`, with an entity in common) is the other half of a split
(one old line, two new) or of a merge (two old lines, one new). A one-to-one pair is
``carried_over`` when the lines name the same entities with the same commitment strength,
their texts are at least :data:`CARRY` alike and at most :data:`CARRY_WORDS` content
word changed, else ``revised``; each pair of a split or a merge is ``revised``; a new
line left over is ``new``, an old one ``dropped``. docs/editions.md gives the method and
its measured accuracy.

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
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any, Literal

import numpy as np
from rapidfuzz import fuzz, process, utils
from spacy.lang.en.stop_words import STOP_WORDS

__all__ = [
    "CARRY",
    "CARRY_WORDS",
    "CLAUSE_WORDS",
    "LIBRARY",
    "MATCH",
    "METHOD",
    "METHOD_VERSION",
    "PART",
    "PART_SCORE",
    "REWORDED",
    "TEXT_WEIGHT",
    "TRIVIAL",
    "Alignment",
    "EditionLine",
    "Relation",
    "align_editions",
    "word_diff",
]

METHOD = (
    "rapidfuzz token_sort_ratio + entity Jaccard, one-to-one best first; reworded lines, "
    "splits and merges by token_set_ratio containment (whole lines or clauses); carried "
    "over: same entities and strength, at most one content word changed (docs/editions.md)"
)
METHOD_VERSION = "2"
"""The version of the method (its IRI's last segment): raised whenever the rules or
thresholds change, so two graphs aligned differently never share a method node."""
LIBRARY = f"rapidfuzz {version('rapidfuzz')}"

TEXT_WEIGHT = 0.7
"""Weight of the text similarity in a pair's score (the entity overlap has the rest)."""
MATCH = 0.5
"""Lowest score of a one-to-one pair."""
CARRY = 0.85
"""Lowest text similarity of a pair that is carried over (same entities and strength)."""
CARRY_WORDS = 1
"""Most content words added or removed in a pair that is carried over."""
TRIVIAL = frozenset({"successor", "document"})
"""Words that do not change a commitment: "and its successor (document)" is how plans
carry a programme past the end of its period."""
REWORDED = 0.9
"""Lowest containment of a pair of lines left over that is one heavily reworded line."""
PART = 0.8
"""Lowest containment of a line in the other half of a split or merge."""
PART_SCORE = 0.35
"""Lowest score of a pair found by containment (passes 2 and 3)."""
CLAUSE_WORDS = 4
"""Fewest content words of a clause that containment compares on its own."""
_WORD = re.compile(r"\w+")
_CLAUSE = re.compile(r";\s*|,\s+and\s+")

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


_NOT_CONTENT = STOP_WORDS | TRIVIAL
# below PART with a margin, so no containment that rounds to PART is cut off
_CONTAINMENT_CUTOFF = 100 * PART - 0.01


def _content(text: str) -> Counter[str]:
    """The content words of ``text``: lower-cased, without spaCy's English stop words and
    :data:`TRIVIAL` (numbers stay: a programme of another period is another one)."""
    return Counter(word for word in _WORD.findall(text.lower()) if word not in _NOT_CONTENT)


def _clauses(text: str) -> list[str]:
    """The clauses of a line ("X, and Y"; "X; Y") long enough to be a commitment."""
    parts = [part for part in _CLAUSE.split(text) if part]
    return [part for part in parts if sum(_content(part).values()) >= CLAUSE_WORDS]


def _matrix(queries: Sequence[str], choices: Sequence[str], scorer: Any, **options: Any) -> Any:
    """rapidfuzz's ``scorer`` of every query with every choice, on all cores: the same
    numbers as calling it pair by pair."""
    return process.cdist(queries, choices, scorer=scorer, workers=-1, **options)


def _sorted_words(text: str) -> str:
    """The lower-cased words of ``text`` in sorted order: rapidfuzz's ``ratio`` of two of
    them is its ``token_sort_ratio`` of the texts, each text sorted once, not per pair."""
    return " ".join(sorted(utils.default_process(text).split()))


def _processed(text: str) -> tuple[str, list[str]]:
    """A line's text and its :func:`_clauses` through rapidfuzz's ``default_process``
    (what ``processor=utils.default_process`` does to every string)."""
    return utils.default_process(text), [utils.default_process(c) for c in _clauses(text)]


def _containment(
    new: Sequence[str], old: Sequence[str], rows: Sequence[int], columns: Sequence[int]
) -> Any:
    """How much of one text the other states, for the pairs (``rows[k]``, ``columns[k]``)
    of new and old lines (0 to 100): rapidfuzz's ``token_set_ratio`` of the two, or of
    one and a clause of the other (:func:`_clauses`), the best of them; 0 well below
    :data:`PART` (no pass looks at such a pair, and rapidfuzz gives up on it early).

    Only the pairs the passes look at (a score of at least :data:`PART_SCORE`, a line
    still free) are scored, each with the number ``process.cdist`` gives it in a whole
    matrix: the matrices of every free line against every line of the other edition,
    and of their clauses, were 60 % of aligning an edition pair.
    """
    if not rows:
        return np.zeros(0, dtype=np.float64)
    new_parts = {i: _processed(new[i]) for i in set(rows)}  # each line once
    old_parts = {j: _processed(old[j]) for j in set(columns)}
    queries: list[str] = []
    choices: list[str] = []
    starts: list[int] = []  # where each pair's comparisons begin
    for i, j in zip(rows, columns, strict=True):
        a, a_clauses = new_parts[i]
        b, b_clauses = old_parts[j]
        starts.append(len(queries))
        queries.append(a)
        choices.append(b)
        queries.extend(a_clauses)
        choices.extend([b] * len(a_clauses))
        queries.extend([a] * len(b_clauses))
        choices.extend(b_clauses)
    scores = process.cpdist(
        queries,
        choices,
        scorer=fuzz.token_set_ratio,
        dtype=np.float64,
        score_cutoff=_CONTAINMENT_CUTOFF,
        workers=-1,
    )
    return np.maximum.reduceat(scores, starts)


def _entity_overlap(new: Sequence[frozenset[str]], old: Sequence[frozenset[str]]) -> Any:
    """The Jaccard overlap of every new and old line's entities, and where neither names
    one (the overlap is then undefined): two float arrays (overlap, neither)."""
    index = {entity: k for k, entity in enumerate(sorted(set().union(*new, *old)))}
    a = np.zeros((len(new), max(len(index), 1)), dtype=np.int64)
    b = np.zeros((len(old), max(len(index), 1)), dtype=np.int64)
    for row, entities in enumerate(new):
        a[row, [index[e] for e in entities]] = 1
    for row, entities in enumerate(old):
        b[row, [index[e] for e in entities]] = 1
    common = a @ b.T
    union = a.sum(axis=1)[:, None] + b.sum(axis=1)[None, :] - common
    neither = union == 0
    overlap = common.astype(np.float64) / np.where(neither, 1, union).astype(np.float64)
    return overlap, neither


def _carried(new: EditionLine, old: EditionLine, text: float) -> bool:
    """Same entities, same strength, alike texts and at most :data:`CARRY_WORDS` content
    words added or removed: the same commitment, trivially reworded."""
    if new.entities != old.entities or new.strength != old.strength or text < CARRY:
        return False
    a, b = _content(new.text), _content(old.text)
    return (a - b).total() + (b - a).total() <= CARRY_WORDS


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
    width = len(previous)
    # scores of every pair at once; each number is the one the pair alone would get
    text = _matrix(
        [_sorted_words(t) for t in new_texts], [_sorted_words(t) for t in old_texts], fuzz.ratio
    )
    similar = text.astype(np.float64) / 100
    overlap, neither = _entity_overlap(
        [line.entities for line in lines], [old.entities for old in previous]
    )
    scores = np.where(neither, similar, TEXT_WEIGHT * similar + (1 - TEXT_WEIGHT) * overlap)
    flat = scores.ravel()
    order = np.argsort(-flat, kind="stable")  # best first, then by (new, old) index
    one: dict[int, int] = {}
    taken: set[int] = set()
    for k in order[: int(np.count_nonzero(flat >= MATCH))].tolist():  # 1. one-to-one pairs
        i, j = divmod(k, width)
        if i in one or j in taken:
            continue
        one[i] = j
        taken.add(j)
    candidates = order[: int(np.count_nonzero(flat >= PART_SCORE))]
    rows, columns = np.divmod(candidates, width)
    matched = np.zeros(len(lines), dtype=bool)
    matched[list(one)] = True
    used = np.zeros(width, dtype=bool)
    used[list(taken)] = True
    # the pairs passes 2 and 3 can take: both lines free (a reworded line), or one free
    # and the two naming an entity in common or none at all (a half of a split or merge)
    free = ~matched[rows] & ~used[columns]
    half = (~matched[rows] | ~used[columns]) & (
        (overlap[rows, columns] > 0) | neither[rows, columns]
    )
    left = free | half
    rows, columns = rows[left], columns[left]
    contained = _containment(new_texts, old_texts, rows.tolist(), columns.tolist()) / 100
    by = np.argsort(-contained, kind="stable")  # most contained first, then best score
    by_containment = list(
        zip(rows[by].tolist(), columns[by].tolist(), contained[by].tolist(), strict=True)
    )
    for i, j, share in by_containment:  # 2. reworded lines, one largely stating the other
        if share < REWORDED:
            break
        if i not in one and j not in taken:
            one[i] = j
            taken.add(j)
    parts: list[tuple[int, int]] = []
    matched_new = set(one)
    for i, j, share in by_containment:  # 3. the other halves of splits and merges
        if share < PART:
            break
        if _jaccard(lines[i].entities, previous[j].entities) == 0:
            continue  # the halves of one commitment name a body or instrument in common
        if i not in matched_new and j in taken:  # a split: old line j also goes on in i
            parts.append((i, j))
            matched_new.add(i)
        elif j not in taken and i in one:  # a merge: old line j also goes into i
            parts.append((i, j))
            taken.add(j)
    pairs: dict[int, list[tuple[int, Relation]]] = {}
    for i, j in one.items():
        in_part = any(pi == i or pj == j for pi, pj in parts)
        carried = not in_part and _carried(lines[i], previous[j], float(text[i][j]) / 100)
        pairs.setdefault(i, []).append((j, "carried_over" if carried else "revised"))
    for i, j in parts:
        pairs.setdefault(i, []).append((j, "revised"))
    out: list[Alignment] = []
    for i, line in enumerate(lines):
        if i not in pairs:
            out.append(Alignment("new", line.notation, None))
            continue
        for j, relation in sorted(pairs[i]):
            out.append(_pair(line, previous[j], float(scores[i, j]), relation))
    out.extend(
        Alignment("dropped", None, old.notation) for j, old in enumerate(previous) if j not in taken
    )
    return out
