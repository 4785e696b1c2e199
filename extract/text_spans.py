"""Spans of the canonical text: trimming, normalising, sub-items, dates.

Pure functions over ``(text, start, end)``; offsets are half-open character offsets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from aseankg.extract.records import Item
from aseankg.extract.structure_patterns import (
    DATE_DAY_MONTH_YEAR,
    DATE_MONTH_DAY_YEAR,
    DEBRIS,
    ITEM_LABEL,
    MONTHS,
    ROMAN_LABELS,
)

__all__ = [
    "Normalised",
    "find_adopted_date",
    "find_items",
    "normalise",
    "normalise_span",
    "skip_debris",
    "trim_span",
]

_BREAK_WITH_SPACE = re.compile(r"[ \t\u00a0]*(?:\r\n|\r|\n)\s*")
_DEBRIS_WITH_SPACE = re.compile(r"([ \t\u00a0]*)" + DEBRIS.pattern + r"([ \t\u00a0]*)")
_TRAILING_CONNECTOR = re.compile(r"\s+(?:and|or)$")
_LEADING_DEBRIS = re.compile(r"(?:\s|" + DEBRIS.pattern + r")*")


def skip_debris(text: str, start: int, end: int) -> int:
    """The first offset at or after ``start`` that is neither whitespace nor debris."""
    match = _LEADING_DEBRIS.match(text, start, end)
    return match.end() if match else start


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` moved inwards past whitespace on both sides (empty stays empty)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass(frozen=True)
class Normalised:
    """A span's normalised ``text`` and where each of its characters came from.

    ``offsets[i]`` is the index in the raw span of ``text[i]``; a space that replaced a
    line break or debris points at the start of what it replaced. Every other
    character is the raw one, copied.
    """

    text: str
    offsets: tuple[int, ...]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span ``[start, end)`` of ``text[start:end]`` (a non-empty range),
        from its first character to just after its last one.

        >>> normalise("Support the APAEC \\n2016-2025;").raw_span(18, 27)
        (19, 28)
        """
        return self.offsets[start], self.offsets[end - 1] + 1


def normalise(raw: str, *, drop_final: bool = True) -> Normalised:
    """The text of a span, with its offset map: debris removed, whitespace around line
    breaks collapsed to one space, ends trimmed and (``drop_final``) one final ";" or "."
    dropped. Raises nothing.

    >>> normalise("a \\n b;").text, normalise("a \\n b;").offsets
    ('a b', (0, 1, 4))
    """
    text, offsets = _substitute(
        _DEBRIS_WITH_SPACE,
        lambda m: " " if m.group(1) or m.group(2) else "",
        raw,
        tuple(range(len(raw))),
    )
    text, offsets = _substitute(_BREAK_WITH_SPACE, lambda m: " ", text, offsets)
    stripped = text.strip()
    if stripped:
        first = len(text) - len(text.lstrip())
        text, offsets = stripped, offsets[first : first + len(stripped)]
    else:
        text, offsets = "", ()
    if drop_final and text[-1:] in (";", "."):
        kept = text[:-1].rstrip()
        text, offsets = kept, offsets[: len(kept)]
    return Normalised(text, offsets)


def _substitute(
    pattern: re.Pattern[str],
    replacement: Callable[[re.Match[str]], str],
    text: str,
    offsets: tuple[int, ...],
) -> tuple[str, tuple[int, ...]]:
    """``pattern.sub(replacement, text)`` and the offsets carried through it."""
    pieces: list[str] = []
    mapped: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append(text[last : match.start()])
        mapped.extend(offsets[last : match.start()])
        new = replacement(match)
        pieces.append(new)
        mapped.extend([offsets[match.start()]] * len(new))
        last = match.end()
    pieces.append(text[last:])
    mapped.extend(offsets[last:])
    return "".join(pieces), tuple(mapped)


def normalise_span(raw: str, *, drop_final: bool = True) -> str:
    """The text of a span (:func:`normalise` without its offsets).

    >>> normalise_span("Support the APAEC \\n2016-2025;")
    'Support the APAEC 2016-2025'
    """
    return normalise(raw, drop_final=drop_final).text


def find_items(text: str, start: int, end: int) -> tuple[Item, ...]:
    """The sub-items "(a) ... (b) ..." (or "(i) ... (ii) ...") of the span [start, end).

    Items form a chain that starts at "(a)" or "(i)" and goes on in order; labels out
    of the chain (nested "(i)" inside "(a)", "(c)" in prose) stay in the item's text.
    A single label is not a list. Each item's span runs from its first character to its
    last one before the next label, a trailing "; and" / "; or" left out.
    """
    raw = text[start:end]
    candidates = [(m.group("label"), m.start(), m.end()) for m in ITEM_LABEL.finditer(raw)]
    opener = next((c for c in candidates if c[0] in ("a", "i")), None)
    if opener is None:
        return ()
    order = list("abcdefghijklmnopqrstuvwxyz") if opener[0] == "a" else ROMAN_LABELS
    chain: list[tuple[str, int, int]] = []
    for candidate in candidates[candidates.index(opener) :]:
        if len(chain) < len(order) and candidate[0] == order[len(chain)]:
            chain.append(candidate)
    if len(chain) < 2:
        return ()
    items: list[Item] = []
    for index, (label, _, label_end) in enumerate(chain):
        stop = chain[index + 1][1] if index + 1 < len(chain) else len(raw)
        item_start, item_end = trim_span(raw, label_end, stop)
        connector = _TRAILING_CONNECTOR.search(raw, item_start, item_end)
        if connector and index + 1 < len(chain):
            item_end = trim_span(raw, item_start, connector.start())[1]
        body = normalise_span(raw[item_start:item_end], drop_final=False)
        item_text = body[:-1].rstrip() if body[-1:] in (";", ",", ".") else body
        items.append(Item(label, item_text, start + item_start, start + item_end))
    return tuple(items)


def find_adopted_date(line: str) -> str | None:
    """The ISO date in an "Adopted on ..." line ("10 September 2020" -> "2020-09-10").

    Returns None when the line holds no valid date.
    """
    match = DATE_DAY_MONTH_YEAR.search(line) or DATE_MONTH_DAY_YEAR.search(line)
    if not match:
        return None
    try:
        return date(
            int(match.group("year")),
            MONTHS[match.group("month").lower()],
            int(match.group("day")),
        ).isoformat()
    except ValueError:
        return None
