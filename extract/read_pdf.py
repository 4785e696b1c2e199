"""Read a .pdf plan into its canonical text (the text layer, read with PDFium).

Steps: words of each page grouped into lines (top to bottom, left to right); running
headers and footers dropped; lines rejoined into paragraphs; one paragraph per line of
the canonical text, a blank line where the page shows a vertical gap between them.

- Header/footer: among the two first and two last lines of each page, a line whose
  text with digits masked recurs at the same height on at least half of the pages (and
  on two of them), and any bare page number ("7", "- 7 -", "Page 7 of 9", "7/9").
- Rejoining: a line continues the previous one when the previous line is full — the
  next line's first word would not have fitted after it before the right margin —,
  the gap between them is a normal line gap and the next line does not open a numbered
  element ("1.2.3. Promote"). Across a page break only the fullness counts.
- Hyphens at a wrap: the line break is dropped and the hyphen kept ("non-" +
  "proliferation" -> "non-proliferation", "Weapons-" + "Free"), because plans are
  set without automatic hyphenation and a hyphen at the end of a line is nearly always
  part of a compound. It is dropped only when the document spells the joined word
  elsewhere without hyphen and never with it ("develop-" + "ment" when "development"
  occurs elsewhere). A soft hyphen (U+00AD) at the end of a line is always dropped.

Multi-column layouts are not supported (columns would interleave).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from aseankg.extract.errors import CorruptDocumentError, EmptyDocumentError
from aseankg.extract.structure_patterns import (
    BULLET,
    LABEL_LIKE,
    LETTER_LABEL,
    NUMBERED,
    SECTION_LABEL,
)

__all__ = ["PdfLine", "drop_running_lines", "join_lines", "read_pdf"]

_PAGE_NUMBER = re.compile(
    r"^[\s\-–—|\[(]*(?:page\s+)?(?:\d+|[ivxlc]+)(?:\s*(?:of|/)\s*\d+)?[\s\-–—|\])]*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_PDFIUM_HYPHEN = "\ufffe"  # PDFium gives this noncharacter for a hyphen at a line end
_BAND = 2  # lines at the top and at the bottom of a page that may be header or footer


@dataclass(frozen=True)
class PdfLine:
    """One line of words on a page, in PDF points (top grows downwards)."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    first_word: float  # width of the first word
    space: float  # width of a space in the line's font (estimated)
    cells: tuple[str, ...] = ()  # a table row: the text of each cell
    words: tuple[tuple[str, float, float, float, float], ...] = ()  # (text, x0, x1, top, bottom)
    columns: tuple[tuple[float, float], ...] = ()  # a table row: the x extents of its columns


def _open(data: bytes) -> Any:
    # pypdfium2 (PDFium, also behind pdfplumber) is imported here: .txt never pays for it.
    import pypdfium2  # type: ignore[import-untyped]

    if b"%PDF-" not in data[:1024]:  # readers accept junk before the header, not more
        raise CorruptDocumentError("not a valid .pdf file (no PDF header)")
    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise CorruptDocumentError(f"not a valid .pdf file: {exc}") from exc


def _page_words(page: Any) -> list[tuple[str, float, float, float, float]]:
    """``(text, x0, x1, top, bottom)`` of each word; y grows downwards from the top."""
    textpage = page.get_textpage()
    try:
        height = page.get_height()
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        words: list[tuple[str, float, float, float, float]] = []
        chars: list[str] = []
        box = [0.0, 0.0, 0.0, 0.0]
        for index, char in enumerate(text[:count]):
            if char >= "\ufdd0":  # cheap test first: noncharacters are all above it
                if char == _PDFIUM_HYPHEN:
                    char = "-"  # PDFium's mark of a line-end hyphen: the hyphen rule decides
                elif _is_noncharacter(char):
                    continue
            if char.isspace() or char == "\x00":
                if chars:
                    words.append(("".join(chars), box[0], box[1], box[2], box[3]))
                    chars = []
                continue
            left, bottom, right, top = textpage.get_charbox(index, loose=True)
            if chars and (abs(height - top - box[2]) > 2.5 or left > box[1] + 0.5 * (top - bottom)):
                # A jump to another line or across a gap without a space character.
                words.append(("".join(chars), box[0], box[1], box[2], box[3]))
                chars = []
            if not chars:
                box = [left, right, height - top, height - bottom]
            chars.append(char)
            box[1] = max(box[1], right)
        if chars:
            words.append(("".join(chars), box[0], box[1], box[2], box[3]))
        return words
    finally:
        textpage.close()


def _is_noncharacter(char: str) -> bool:
    """U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF ...)."""
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _clean(text: str) -> str:
    """``text`` without noncharacters (the canonical text never holds one)."""
    return "".join(c for c in text if not _is_noncharacter(c))


_Word = tuple[str, float, float, float, float]
_MIN_GAP = 4.0  # points: the least white space between two table columns
_MIN_TABLE_LINES = 3


_Columns = tuple[tuple[float, float], ...]


def _page_lines(page: Any, number: int) -> list[PdfLine]:
    rows: list[list[_Word]] = []
    for word in sorted(_page_words(page), key=lambda w: (round(w[3]), w[1])):
        if rows and abs(rows[-1][0][3] - word[3]) <= 2.5:
            rows[-1].append(word)
        else:
            rows.append([word])
    rows.sort(key=lambda r: r[0][3])
    for row in rows:
        row.sort(key=lambda w: w[1])
    lines: list[PdfLine] = []
    index = 0
    while index < len(rows):
        table = _table_at(rows, index)
        if table is None:
            lines.append(_line(rows[index], number))
            index += 1
            continue
        end, columns = table
        lines.extend(_table_rows(rows[index:end], columns, number))
        index = end
    return lines


def _continue_tables(pages: list[list[PdfLine]]) -> list[list[PdfLine]]:
    """A table running to the foot of a page goes on at the top of the next one: the
    first lines there (running header and footer already dropped) that fit its columns
    are rows of it (a row whose first cell is empty continues the row before)."""
    out = [list(lines) for lines in pages]
    for index in range(1, len(out)):
        before = out[index - 1]
        if not before or not before[-1].cells or not before[-1].columns:
            continue
        columns = before[-1].columns
        lines = out[index]
        count = 0
        while (
            count < len(lines)
            and not lines[count].cells
            and _fits(list(lines[count].words), columns)
        ):
            count += 1
        if count:
            rows = [list(line.words) for line in lines[:count]]
            out[index] = _table_rows(rows, list(columns), index + 1) + lines[count:]
    return out


def _fits(row: list[_Word], columns: _Columns) -> bool:
    """Whether every word of ``row`` lies in one column and crosses no gap between two
    (a page number is no row)."""
    if not row or _PAGE_NUMBER.match(" ".join(w[0] for w in row)):
        return False
    for word in row:
        inside = [k for k, (x0, _) in enumerate(columns) if x0 - 2 <= word[1]]
        if not inside:
            return False
        k = inside[-1]
        limit = columns[k + 1][0] - 1 if k + 1 < len(columns) else float("inf")
        if word[2] > limit:
            return False
    return True


def _line(row: list[_Word], number: int) -> PdfLine:
    top = min(w[3] for w in row)
    bottom = max(w[4] for w in row)
    return PdfLine(
        page=number,
        text=" ".join(w[0] for w in row),
        x0=row[0][1],
        x1=max(w[2] for w in row),
        top=top,
        bottom=bottom,
        first_word=row[0][2] - row[0][1],
        space=(bottom - top) * 0.25,
        words=tuple(row),
    )


def _columns(rows: list[list[_Word]]) -> list[tuple[float, float]]:
    """The x extents of the columns of ``rows``: runs of words no white gap crosses."""
    spans = sorted((w[1], w[2]) for row in rows for w in row)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 < merged[-1][1] + _MIN_GAP:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(x0, x1) for x0, x1 in merged]


def _table_at(rows: list[list[_Word]], start: int) -> tuple[int, list[tuple[float, float]]] | None:
    """``(end, columns)`` of a table whose lines start at ``start``, or None.

    A table is at least three lines whose words leave the same white gaps between at
    least three columns, each column's text starting at one left edge in at least two
    lines (cells are left-aligned); a line that would merge two columns (a heading, a
    paragraph across the width) ends it. Running text leaves no such gaps.
    """
    first = rows[start]  # sorted by x: most lines of running text stop here
    if sum(1 for a, b in pairwise(first) if b[1] >= a[2] + _MIN_GAP) < 2:
        return None
    best: tuple[int, list[tuple[float, float]]] | None = None
    count = 0
    end = start + 1
    while end <= len(rows):
        if _PAGE_NUMBER.match(" ".join(w[0] for w in rows[end - 1])):
            break  # a page number below the table is no row of it
        columns = _columns(rows[start:end])
        if len(columns) < 3 or len(columns) < count:
            break
        count = len(columns)
        if end - start >= _MIN_TABLE_LINES:
            aligned = [
                sum(1 for row in rows[start:end] if any(abs(w[1] - x0) <= 2 for w in row))
                for x0, _ in columns
            ]
            if min(aligned) >= 2:
                best = (end, columns)
        end += 1
    return best


def _table_rows(
    rows: list[list[_Word]], columns: list[tuple[float, float]], number: int
) -> list[PdfLine]:
    """One line per table row, cells joined by tabs: a row starts at a line with text in
    the first column (cells aligned at their top), its other lines continue its cells."""
    out: list[PdfLine] = []
    cells: list[list[str]] = []
    group: list[list[_Word]] = []

    def flush() -> None:
        if not group:
            return
        words = [w for row in group for w in row]
        top, bottom = min(w[3] for w in words), max(w[4] for w in words)
        texts = tuple(_join_cell(parts) for parts in cells)
        out.append(
            PdfLine(
                page=number,
                text="\t".join(texts),
                x0=columns[0][0],
                x1=columns[-1][1],
                top=top,
                bottom=bottom,
                first_word=words[0][2] - words[0][1],
                space=(group[0][0][4] - group[0][0][3]) * 0.25,
                cells=texts,
                columns=tuple(columns),
            )
        )

    for row in rows:
        placed = [
            next((k for k, (x0, x1) in enumerate(columns) if x0 <= w[1] <= x1), 0) for w in row
        ]
        if 0 in placed or not group:
            flush()
            cells = [[] for _ in columns]
            group = []
        group.append(row)
        by_column: dict[int, list[str]] = {}
        for word, column in zip(row, placed, strict=True):
            by_column.setdefault(column, []).append(word[0])
        for column, words in by_column.items():
            cells[column].append(" ".join(words))
    flush()
    return out


def _join_cell(parts: list[str]) -> str:
    """The lines of one cell as one text; a hyphen at a wrap is kept, the break dropped."""
    text = ""
    for part in parts:
        if not text:
            text = part
        elif text.endswith("-") and text[-2:-1].isalpha():
            text += part
        else:
            text += " " + part
    return _clean(text)


def _mask(line: PdfLine) -> tuple[str, int]:
    """A running line's identity: its text with digits masked, and its height on the page."""
    return re.sub(r"\d+", "#", " ".join(line.text.lower().split())), round(line.top / 4)


def drop_running_lines(pages: list[list[PdfLine]]) -> list[list[PdfLine]]:
    """The pages without their running headers, footers and page numbers."""
    tops: Counter[tuple[str, int]] = Counter()
    bottoms: Counter[tuple[str, int]] = Counter()
    for lines in pages:
        tops.update({_mask(line) for line in lines[:_BAND]})
        bottoms.update({_mask(line) for line in lines[-_BAND:]})
    needed = max(2, (len(pages) + 1) // 2)
    kept: list[list[PdfLine]] = []
    for lines in pages:
        body = []
        for index, line in enumerate(lines):
            at_top, at_bottom = index < _BAND, index >= len(lines) - _BAND
            running = (at_top and tops[_mask(line)] >= needed) or (
                at_bottom and bottoms[_mask(line)] >= needed
            )
            if (at_top or at_bottom) and (running or _PAGE_NUMBER.match(line.text)):
                continue
            body.append(line)
        kept.append(body)
    return kept


def _vocabulary(lines: Iterable[PdfLine]) -> set[str]:
    return {word.lower() for line in lines for word in _WORD.findall(line.text)}


def _glue(previous: str, following: str, vocabulary: set[str]) -> str:
    """How ``following`` is appended to a paragraph ending with ``previous``."""
    if previous.endswith("\u00ad"):
        return following
    if previous.endswith("-") and previous[-2:-1].isalpha() and following[:1].isalpha():
        head = re.search(r"[^\W\d_]+-$", previous)
        tail = re.match(r"[^\W\d_]+", following)
        if head and tail:
            joined = (head.group(0)[:-1] + tail.group(0)).lower()
            hyphenated = (head.group(0) + tail.group(0)).lower()
            if joined in vocabulary and hyphenated not in vocabulary:
                return "\u0000" + following  # marker: drop the hyphen
        return following
    return " " + following


def _continues(previous: PdfLine, following: PdfLine, right: float) -> bool:
    if previous.cells or following.cells:
        return False  # a table row is a line of its own
    numbered = NUMBERED.match(following.text)
    if numbered and not following.text[numbered.end() : numbered.end() + 1].islower():
        return False
    if any(p.match(following.text) for p in (SECTION_LABEL, LETTER_LABEL, BULLET, LABEL_LIKE)):
        labelled = LETTER_LABEL.match(following.text) or BULLET.match(following.text)
        after = following.text[labelled.end() :] if labelled else "X"
        if not after[:1].islower():
            return False  # a new lettered, bulleted or Part/Roman element
    if previous.page == following.page:
        line_height = previous.bottom - previous.top
        if following.top - previous.bottom > 0.6 * line_height:
            return False
    return previous.x1 + previous.space + following.first_word > right - 2 * previous.space


def _merge_split_rows(lines: list[PdfLine]) -> list[PdfLine]:
    """A table row split over a page break is one row: a row at the top of a page with an
    empty first cell continues the last row of the page before, cell by cell."""
    out: list[PdfLine] = []
    for line in lines:
        previous = out[-1] if out else None
        if (
            previous is not None
            and line.cells
            and previous.cells
            and line.page == previous.page + 1
            and not line.cells[0]
            and len(line.cells) == len(previous.cells)
        ):
            cells = tuple(
                _join_cell([a, b]) if a and b else a or b
                for a, b in zip(previous.cells, line.cells, strict=True)
            )
            out[-1] = replace(previous, text="\t".join(cells), cells=cells)
            continue
        out.append(line)
    return out


def join_lines(lines: list[PdfLine]) -> tuple[str, tuple[int, ...]]:
    """Canonical text of body lines (in reading order) and the offset of each page.

    Pages are numbered from 1; a page without body lines starts where the next begins.
    """
    if not lines:
        return "", ()
    right = max(line.x1 for line in lines)
    vocabulary = _vocabulary(lines)
    parts: list[str] = []
    length = 0
    page_starts: dict[int, int] = {}
    previous: PdfLine | None = None
    for line in lines:
        if previous is None:
            piece = line.text
        elif _continues(previous, line, right):
            piece = _glue(parts[-1], line.text, vocabulary)
            if piece.startswith("\u0000"):
                parts[-1] = parts[-1][:-1]
                length -= 1
                piece = piece[1:]
            elif parts[-1].endswith("\u00ad"):
                parts[-1] = parts[-1][:-1]
                length -= 1
        else:
            line_height = previous.bottom - previous.top
            gap = previous.page == line.page and line.top - previous.bottom > 0.6 * line_height
            piece = ("\n\n" if gap else "\n") + line.text
        offset = length + (len(piece) - len(line.text))
        page_starts.setdefault(line.page, offset)
        parts.append(piece)
        length += len(piece)
        previous = line
    last_page = max(page_starts)
    starts: list[int] = []
    for page in range(last_page, 0, -1):
        starts.append(page_starts.get(page, starts[-1] if starts else length))
    return "".join(parts), tuple(reversed(starts))


def read_pdf(data: bytes) -> tuple[str, tuple[int, ...]]:
    """``(canonical_text, page_starts)`` of the bytes of a .pdf file.

    ``page_starts[n - 1]`` is the offset where page n begins. Raises
    :class:`CorruptDocumentError` when the bytes are not a readable PDF and
    :class:`EmptyDocumentError` when it has no text layer (a scanned PDF).
    """
    document = _open(data)
    try:
        pages = []
        for number in range(1, len(document) + 1):
            page = document[number - 1]
            try:
                pages.append(_page_lines(page, number))
            finally:
                page.close()
    except Exception as exc:  # PDFium reports broken pages with its own errors
        if type(exc).__module__.startswith("pypdfium2"):
            raise CorruptDocumentError(f"cannot read the PDF: {exc}") from exc
        raise
    finally:
        document.close()
    if not any(pages):
        raise EmptyDocumentError(
            "the PDF has no text layer (a scanned document?): run OCR on it first"
        )
    body = _merge_split_rows(
        [line for lines in _continue_tables(drop_running_lines(pages)) for line in lines]
    )
    text, starts = join_lines(body)
    if not text.strip():
        raise EmptyDocumentError("the PDF holds no text besides headers and page numbers")
    return text, starts
