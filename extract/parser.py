"""The structure parser: canonical text -> :class:`~aseankg.extract.records.Plan`.

A plan of action has a title line, an "Adopted on" line, preamble paragraphs, numbered
sections ("1. Title"), areas ("1.1. Title", optional) and action lines ("1.1.1. text"),
sometimes with sub-items "(a) ... (b) ..." inside a line. The numbers in the text are
the authority: elements are never renumbered or dropped; gaps, duplicates and lines out
of place become warnings in ``Plan.warnings``. The rules are described in
``docs/parsing.md``; the line shapes live in ``aseankg.extract.structure_patterns``.

>>> from aseankg.extract.records import Source
>>> text = "Plan\\n1. Trade\\n1.1.1. Explore cooperation;\\n"
>>> plan = parse_text(text, Source("p.txt", "txt", ""))
>>> [(line.id, line.section, line.area, line.text) for line in plan.action_lines]
[('1.1.1', '1', None, 'Explore cooperation')]
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aseankg.extract.errors import StructureError
from aseankg.extract.plan_id import derive_plan_id
from aseankg.extract.plan_json import plan_to_json
from aseankg.extract.reader import read_document
from aseankg.extract.records import ActionLine, Area, Plan, Section, Source, TextSpan
from aseankg.extract.structure_patterns import (
    ADOPTED_LINE,
    CONNECTOR_WORDS,
    HEADING_MAX_CHARS,
    LINE_BREAK,
    NOTE_MARKER,
    NUMBERED,
    PERIOD,
    TERMINAL_PUNCTUATION,
)
from aseankg.extract.text_spans import (
    find_adopted_date,
    find_items,
    normalise_span,
    skip_debris,
    trim_span,
)

__all__ = ["parse_plan", "parse_text", "plan_to_json"]


@dataclass
class _Line:
    """One physical line of the canonical text: [start, end) without its line break."""

    start: int
    end: int
    text: str
    number: str | None = None  # "1.1.1" when the line opens with a number
    content_start: int = 0  # first offset after the number (and debris)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class _Open:
    """The element being filled while walking the lines."""

    kind: str  # "section", "area", "line", "stray"
    id: str
    start: int
    end: int
    lines: int = 1


def parse_plan(path: str | Path, *, plan_id: str | None = None) -> Plan:
    """Read the document at ``path`` (.txt, .docx, .pdf) and parse its structure.

    Raises :class:`~aseankg.extract.errors.ReadError` subclasses when the file cannot
    be read and :class:`~aseankg.extract.errors.StructureError` when it has no numbered
    structure of a plan of action.
    """
    text, source, pages = read_document(path)
    return parse_text(text, source, pages=pages, plan_id=plan_id)


def parse_text(
    text: str,
    source: Source,
    pages: Sequence[int] | None = None,
    plan_id: str | None = None,
) -> Plan:
    """Parse canonical ``text`` into a :class:`Plan`.

    ``pages`` holds the offset where each page starts (pdf); the page of an action line
    is the page its first character is on. Raises
    :class:`~aseankg.extract.errors.StructureError` when no numbered section or action
    line is found.
    """
    lines = _split_lines(text)
    first = next((i for i, line in enumerate(lines) if _structural(line) is not None), None)
    if first is None:
        raise StructureError("no numbered sections or action lines found: not a plan of action")
    title, adopted, preamble, warnings = _read_front_matter(text, lines[:first])
    walker = _Walker(text, pages)
    walker.walk(lines[first:])
    period = PERIOD.search(title)
    start_year = int(period.group("start")) if period else None
    end_year = int(period.group("end")) if period else None
    return Plan(
        source=source,
        text=text,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        plan=plan_id
        or derive_plan_id(title, start_year, end_year, fallback=Path(source.path).stem),
        title=title,
        adopted=adopted,
        period_start=start_year,
        period_end=end_year,
        preamble=preamble,
        sections=tuple(walker.sections),
        areas=tuple(walker.areas),
        action_lines=tuple(walker.action_lines),
        warnings=tuple(warnings + walker.warnings),
    )


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    for match in [*LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        line = _Line(position, end, text[position:end])
        numbered = NUMBERED.match(line.text)
        if numbered:
            line.number = numbered.group("num")
            line.content_start = skip_debris(text, position + numbered.end(), end)
        lines.append(line)
        if match is None:
            break
        position = match.end()
    return lines


def _content(line: _Line) -> str:
    return normalise_span(line.text[line.content_start - line.start :], drop_final=False)


def _heading_shaped(content: str, *, colon: bool = False) -> bool:
    """Short, not starting lower-case, not ending like a clause (":" when ``colon``)."""
    if not content:
        return True  # the title is on the next line
    if len(content) > HEADING_MAX_CHARS or content[0].islower():
        return False
    endings = ";," if colon else ";,:"
    return content[-1] not in endings and not (content.endswith(".") and len(content.split()) > 12)


def _stands_alone(line: str, *, isolated: bool) -> bool:
    """A note, or (when ``isolated``: a blank or numbered line follows) a short heading."""
    if NOTE_MARKER.match(line):
        return True
    content = normalise_span(line, drop_final=False)
    return isolated and content[:1].isupper() and len(content) < 100 and _heading_shaped(content)


def _structural(line: _Line) -> str | None:
    """ "section", "area" or "line" when the numbered line opens such an element."""
    if line.number is None:
        return None
    depth = line.number.count(".") + 1
    content = _content(line)
    if content[:1].islower():
        return None
    numbered = NUMBERED.match(line.text)
    assert numbered is not None
    separator = numbered.group("sep")
    if (
        depth == 1
        and ("." in separator or "\t" in separator)
        and _heading_shaped(content, colon=True)
    ):
        return "section"
    if depth == 2 and _heading_shaped(content, colon=True):
        return "area"
    if depth == 3:
        return "line"
    return None


def _read_front_matter(
    text: str, lines: list[_Line]
) -> tuple[str, str | None, tuple[TextSpan, ...], list[str]]:
    """Title, adoption date, preamble paragraphs and warnings of the lines before 1."""
    filled = [line for line in lines if not line.blank]
    warnings: list[str] = []
    if not filled:
        return "", None, (), ["no title line before the first numbered element"]
    adopted_index = next(
        (i for i, line in enumerate(filled[:5]) if ADOPTED_LINE.match(line.text)), None
    )
    title_lines = filled[:adopted_index] if adopted_index is not None else filled[:1]
    if not title_lines:
        warnings.append("no title line before the adoption line")
    title = " ".join(normalise_span(line.text, drop_final=False) for line in title_lines)
    adopted: str | None = None
    body_from = len(title_lines)
    if adopted_index is not None:
        body_from = adopted_index + 1
        adopted = find_adopted_date(filled[adopted_index].text)
        if adopted is None:
            warnings.append(f"no date found in {filled[adopted_index].text.strip()!r}")
    preamble: list[TextSpan] = []
    body = filled[body_from:]
    index = 0
    while index < len(body):
        start, end = body[index].start, body[index].end
        # Adjacent lines form one paragraph while the previous one does not end a sentence.
        while (
            index + 1 < len(body)
            and body[index + 1].start == _next_line_start(text, end)
            and text[start:end].rstrip()[-1:] not in TERMINAL_PUNCTUATION
        ):
            index += 1
            end = body[index].end
        span_start, span_end = trim_span(text, skip_debris(text, start, end), end)
        paragraph = normalise_span(text[span_start:span_end], drop_final=False)
        if paragraph:
            preamble.append(TextSpan(paragraph, span_start, span_end))
        index += 1
    return title, adopted, tuple(preamble), warnings


def _next_line_start(text: str, end: int) -> int:
    match = LINE_BREAK.match(text, end)
    return match.end() if match else end


class _Walker:
    """Walks the lines from the first numbered element and builds the records."""

    def __init__(self, text: str, pages: Sequence[int] | None) -> None:
        self.text = text
        self.pages = list(pages) if pages is not None else None
        self.sections: list[Section] = []
        self.areas: list[Area] = []
        self.action_lines: list[ActionLine] = []
        self.warnings: list[str] = []
        self.open: _Open | None = None
        self.blank_before = False
        self.last_number: dict[str, str] = {}  # parent id ("" for sections) -> last child

    def walk(self, lines: list[_Line]) -> None:
        kinds = [None if line.blank else _structural(line) for line in lines]
        for index, line in enumerate(lines):
            if line.blank:
                self.blank_before = True
                continue
            kind = kinds[index]
            isolated = index + 1 == len(lines) or lines[index + 1].blank or bool(kinds[index + 1])
            if kind is not None and line.number is not None:
                self._close()
                self._open(kind, line)
            elif self.open is not None and self._continues(line, isolated=isolated):
                self.open.end = trim_span(self.text, line.start, line.end)[1]
                self.open.lines += 1
                if line.number is not None and self.open.kind == "line":
                    self.warnings.append(
                        f"numbered text {line.text.strip()[:20]!r} read as part of "
                        f"action line {self.open.id}"
                    )
            else:
                self._close()
                start, end = trim_span(self.text, line.start, line.end)
                self.open = _Open("stray", "", start, end)
            self.blank_before = False
        self._close()

    def _continues(self, line: _Line, *, isolated: bool) -> bool:
        """Whether ``line`` (no element of its own) belongs to the open element.

        ``isolated``: the line is followed by a blank line, a numbered element or the end.
        """
        assert self.open is not None
        current = self.open
        previous = self.text[current.start : current.end].rstrip()
        following = line.text.strip()
        if current.kind == "stray":
            return not self.blank_before
        if current.kind in ("section", "area"):
            # A heading split over two lines: the next line, right below, heading-shaped.
            return (
                not self.blank_before
                and current.lines < 3
                and _heading_shaped(normalise_span(following, drop_final=False))
            )
        if not previous:
            return True  # the number stood alone on its line
        if not self.blank_before:
            # Adjacent lines are one paragraph, unless a complete line is followed by
            # something that stands alone: a note, or a short unnumbered heading.
            return not (previous[-1:] in ".;!?" and _stands_alone(following, isolated=isolated))
        # Across a blank line only what cannot stand alone continues the line.
        if following.startswith("(") and previous[-1:] in ":;":
            return True
        if previous[-1:] in TERMINAL_PUNCTUATION:
            return False
        last_word = previous.rsplit(None, 1)[-1].lower() if previous else ""
        return (
            following[:1].islower()
            or following[:1].isdigit()
            or previous[-1:] in ",-–"
            or last_word in CONNECTOR_WORDS
        )

    def _open(self, kind: str, line: _Line) -> None:
        assert line.number is not None
        start = line.content_start
        end = trim_span(self.text, start, line.end)[1]
        self.open = _Open(kind, line.number, start, max(start, end))

    def _close(self) -> None:
        current, self.open = self.open, None
        if current is None:
            return
        start, end = trim_span(
            self.text, skip_debris(self.text, current.start, current.end), current.end
        )
        if current.kind == "stray":
            excerpt = normalise_span(self.text[start:end], drop_final=False)
            self.warnings.append(
                f"text at {start}-{end} belongs to no element: {_shorten(excerpt)!r}"
            )
        elif current.kind == "section":
            self._check_sequence("", current.id, "section")
            title = normalise_span(self.text[start:end], drop_final=False)
            self.sections.append(Section(current.id, title, start, end))
        elif current.kind == "area":
            self._add_area(current.id, start, end)
        else:
            self._add_line(current.id, start, end)

    def _add_area(self, number: str, start: int, end: int) -> None:
        section = number.split(".")[0]
        if not any(s.id == section for s in self.sections):
            self.warnings.append(f"area {number} has no section heading {section}")
        self._check_sequence(section, number, "area")
        title = normalise_span(self.text[start:end], drop_final=False)
        self.areas.append(Area(number, section, title, start, end))

    def _add_line(self, number: str, start: int, end: int) -> None:
        section, area_number, _ = number.split(".")
        area_id = f"{section}.{area_number}"
        if not any(s.id == section for s in self.sections):
            self.warnings.append(f"action line {number} has no section heading {section}")
        elif self.sections[-1].id != section:
            self.warnings.append(
                f"action line {number} appears under section {self.sections[-1].id}"
            )
        section_areas = [a.id for a in self.areas if a.section == section]
        area: str | None = area_id if area_id in section_areas else None
        if section_areas and area is None:
            self.warnings.append(f"action line {number} has no area heading {area_id}")
        elif section_areas and section_areas[-1] != area_id:
            self.warnings.append(f"action line {number} appears under area {section_areas[-1]}")
        self._check_sequence(area_id, number, "action line")
        raw = self.text[start:end]
        page = bisect_right(self.pages, start) if self.pages else None
        self.action_lines.append(
            ActionLine(
                id=number,
                section=section,
                area=area,
                text=normalise_span(raw),
                start=start,
                end=end,
                page=page or None,
                items=find_items(self.text, start, end),
            )
        )

    def _check_sequence(self, parent: str, number: str, kind: str) -> None:
        """Warn when ``number`` does not follow the previous number under ``parent``."""
        last = int(number.rsplit(".", 1)[-1])
        seen = {
            "section": [s.id for s in self.sections],
            "area": [a.id for a in self.areas],
            "action line": [line.id for line in self.action_lines],
        }[kind]
        previous = self.last_number.get(parent)
        if number in seen:
            self.warnings.append(f"duplicate {kind} {number}")
        elif previous is None and last != 1:
            self.warnings.append(f"numbering gap: {kind} {number} is the first under its parent")
        elif previous is not None and last != int(previous.rsplit(".", 1)[-1]) + 1:
            self.warnings.append(f"numbering gap: {kind} {number} follows {previous}")
        self.last_number[parent] = number


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
