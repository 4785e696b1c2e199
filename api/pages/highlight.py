"""An action line's text as HTML with its mentions marked by their offsets.

The text shown is the line's span of the plan's canonical text, normalised as the parser
normalises a line (``aseankg.extract.text_spans.normalise``: debris removed, line breaks
collapsed, one final ";" or "." dropped), so it is the line's ``akg:text``. Each mention
of the line is one ``<mark>`` whose ``data-start``/``data-end`` are its offsets into the
canonical text (the ``start``/``end`` of ``aseankg export --format csv``), found through
the normaliser's offset map — never by searching the text for the surface, which finds
the wrong "ASEAN" or nothing when the surface spans a line break. A mention inside
another (the "ASEAN" of "ASEAN Plan of Action on Energy Cooperation") is a ``<mark>``
inside the outer one; each piece of text links to the page of the innermost mention
around it (links do not nest in HTML). A mention that crosses another's end is cut at
that end on the page (its attributes keep its own offsets).

>>> from aseankg.api.pages.highlight import Marked, highlight_line
>>> html = highlight_line("Support the\\nAHA Centre;", 10, [Marked(22, 32, "/id/aha", "AHA")])
>>> print(str(html).replace("<a", "\\n<a"))
Support the <mark data-start="22" data-end="32" title="AHA">
<a href="/id/aha">AHA Centre</a></mark>
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from aseankg.extract.text_spans import normalise

__all__ = ["Marked", "highlight_line"]


@dataclass(frozen=True)
class Marked:
    """One mention to mark: its canonical offsets, the link of its entity and a tooltip."""

    start: int
    end: int
    href: str
    title: str


def _display(offsets: Sequence[int], raw: int) -> int:
    """The index in the normalised text of the first character at or after raw ``raw``."""
    return bisect.bisect_left(offsets, raw)


def highlight_line(raw: str, line_start: int, mentions: Sequence[Marked]) -> Markup:
    """The normalised ``raw`` span (canonical text from offset ``line_start``) as HTML,
    each of ``mentions`` one ``<mark>`` (module docstring). Mentions outside the span or
    empty after normalising are left out. Raises nothing."""
    norm = normalise(raw)
    text, offsets = norm.text, norm.offsets
    spans: list[tuple[int, int, Marked]] = []
    for m in mentions:
        lo = _display(offsets, m.start - line_start)
        hi = _display(offsets, m.end - line_start)
        if m.start >= line_start and lo < hi:
            spans.append((lo, hi, m))
    spans.sort(key=lambda s: (s[0], -s[1], s[2].start, s[2].href))
    out: list[str] = []
    stack: list[tuple[int, Marked]] = []  # (display end, mention) of the open marks

    def text_piece(lo: int, hi: int) -> None:
        if lo >= hi:
            return
        piece = html.escape(text[lo:hi])
        if stack:
            href = html.escape(stack[-1][1].href, quote=True)
            piece = f'<a href="{href}">{piece}</a>'
        out.append(piece)

    cursor = 0
    for lo, hi, m in spans:
        while stack and stack[-1][0] <= lo:
            text_piece(cursor, stack[-1][0])
            cursor = max(cursor, stack.pop()[0])
            out.append("</mark>")
        text_piece(cursor, lo)
        cursor = max(cursor, lo)
        if stack:
            hi = min(hi, stack[-1][0])
        title = html.escape(m.title, quote=True)
        out.append(f'<mark data-start="{m.start}" data-end="{m.end}" title="{title}">')
        stack.append((hi, m))
    while stack:
        text_piece(cursor, stack[-1][0])
        cursor = max(cursor, stack.pop()[0])
        out.append("</mark>")
    text_piece(cursor, len(text))
    return Markup("".join(out))
