"""The structure parser: canonical text -> :class:`~aseankg.extract.records.Plan`.

A plan of action has a title line, an "Adopted on" line, preamble paragraphs, sections,
areas (optional) and action lines, sometimes with sub-items "(a) ... (b) ..." inside a
line. The layouts of the genre are read (docs/parsing.md, "Layouts"): decimal numbers
("1.", "1.1.", "1.1.1."), objectives with lettered action lines ("1.1(a)"), Roman or
"Part I" sections with restarting lines ("I.1"), restarting list numbers ("1.2"),
bullets ("2.1.3": parent and position), work-plan tables (one line per row, with its
lead body and timeline) and headings without numbers, and any mix of them. The numbers
in the text are the authority: elements are never renumbered or dropped; gaps,
duplicates and lines out of place become warnings in ``Plan.warnings``. Text that belongs
to no element is kept in ``Plan.unassigned`` and lowers ``Plan.coverage``;
:func:`parse_plan` fails on it (:func:`check_coverage`) unless ``allow_partial``. The line
shapes live in ``aseankg.extract.structure_patterns``.

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
from dataclasses import dataclass, replace
from pathlib import Path

from aseankg.extract.errors import CoverageError, StructureError
from aseankg.extract.plan_id import derive_plan_id, find_period
from aseankg.extract.plan_json import plan_to_json
from aseankg.extract.reader import read_document
from aseankg.extract.records import ActionLine, Area, Plan, Section, Source, TextSpan
from aseankg.extract.structure_patterns import (
    ADOPTED_LINE,
    BULLET,
    CONNECTOR_WORDS,
    COVERAGE_THRESHOLD,
    DEBRIS,
    DOTTED_PAREN,
    HEADING_MAX_CHARS,
    LABEL_LIKE,
    LETTER_LABEL,
    LINE_BREAK,
    NAMED_NUMBER,
    NOTE_MARKER,
    NUMBERED,
    PAREN_NUMBER,
    ROMAN_ITEM,
    SECTION_LABEL,
    TABLE_COLUMNS,
    TERMINAL_PUNCTUATION,
)
from aseankg.extract.text_spans import (
    find_adopted_date,
    find_items,
    normalise_span,
    skip_debris,
    trim_span,
)

__all__ = ["check_coverage", "coverage_problem", "parse_plan", "parse_text", "plan_to_json"]


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_HEADING_ALONE_MAX = 100  # an unnumbered heading is shorter than this


# Labels of lines of a list restarting under each heading: "(a)", "a)", "ii.", "(1)", "1)".
_LISTED = ("letter", "roman", "paren")


@dataclass
class _Line:
    """One physical line of the canonical text: [start, end) without its line break."""

    start: int
    end: int
    text: str
    label: str | None = None  # "decimal", "section", "letter", "bullet", "row"
    number: str | None = None  # "1.1.1", "IV", "a", "•" (the label without punctuation)
    separator: str = ""  # what follows a decimal number: ". ", "\t", " "
    content_start: int = 0  # first offset after the label (and debris)
    cells: tuple[tuple[int, int], ...] = ()  # a table row's cells, trimmed
    content: str | None = None  # cache of _content(line)

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
    section: str | None = None
    area: str | None = None
    label: str | None = None  # the label kind of a line: "decimal", "number", "letter" ...
    lead: tuple[int, int] | None = None
    timeline: tuple[int, int] | None = None
    numbered_heading: bool = True


def parse_plan(
    path: str | Path, *, plan_id: str | None = None, allow_partial: bool = False
) -> Plan:
    """Read the document at ``path`` (.txt, .docx, .pdf) and parse its structure.

    Raises :class:`~aseankg.extract.errors.ReadError` subclasses when the file cannot
    be read, :class:`~aseankg.extract.errors.StructureError` when it has no numbered
    structure of a plan of action, and :class:`~aseankg.extract.errors.CoverageError`
    (unless ``allow_partial``) when text was left unassigned (:func:`check_coverage`).
    With ``allow_partial`` such a plan is returned with the failure as a warning.
    """
    text, source, pages = read_document(path)
    plan = parse_text(text, source, pages=pages, plan_id=plan_id)
    problem = coverage_problem(plan)
    if problem is None:
        return plan
    if not allow_partial:
        raise CoverageError(f"{path}: {problem} (--allow-partial accepts it)")
    return replace(plan, warnings=(*plan.warnings, f"partial plan accepted: {problem}"))


def coverage_problem(plan: Plan) -> str | None:
    """Why ``plan`` fails the no-silent-loss rule, or None when it passes.

    It fails when a stretch of numbered or bulleted text belongs to no element, or when
    its coverage is below ``COVERAGE_THRESHOLD``.
    """
    labelled = next(
        (u for u in plan.unassigned if LABEL_LIKE.match(u.text) or NUMBERED.match(u.text)), None
    )
    if labelled is None and plan.coverage >= COVERAGE_THRESHOLD:
        return None
    first = labelled or (plan.unassigned[0] if plan.unassigned else None)
    what = "numbered text left unassigned" if labelled else "too little text read"
    problem = f"{what}: coverage {plan.coverage:.2f} (threshold {COVERAGE_THRESHOLD:.2f})"
    if first is not None:
        problem += f"; first unassigned text at {first.start}-{first.end}: {_shorten(first.text)!r}"
    return problem


def check_coverage(plan: Plan, path: str | Path) -> None:
    """Raise :class:`~aseankg.extract.errors.CoverageError` when ``plan`` (read from
    ``path``) has numbered text left unassigned or a coverage below the threshold."""
    problem = coverage_problem(plan)
    if problem is not None:
        raise CoverageError(f"{path}: {problem}")


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
    line is found. Text that belongs to no element is in ``Plan.unassigned`` (and a
    warning); this function does not fail on it (:func:`parse_plan` does).
    """
    lines = _split_lines(text)
    first = next((i for i, line in enumerate(lines) if _opens_element(line)), None)
    if first is None:
        raise StructureError(
            f"{source.path}: no numbered sections or action lines found: not a plan of action"
        )
    first = _headings_before(lines, first)
    title, adopted, preamble, warnings = _read_front_matter(text, lines[:first])
    walker = _Walker(text, pages, lines)
    walker.walk(first)
    period = find_period(
        title,
        [line.text for line in lines[:first] if not line.blank][1:],
        [paragraph.text for paragraph in preamble],
        adopted=adopted,
        file_name=Path(source.path).name,
    )
    start_year = period.start if period else None
    end_year = period.end if period else None
    if period is not None and period.end is None:
        start_year = None  # the plan id carries the year of adoption; the period is unknown
    return Plan(
        source=source,
        text=text,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        plan=plan_id
        or derive_plan_id(
            title,
            period.start if period else None,
            period.end if period else None,
            fallback=Path(source.path).stem,
        ),
        title=title,
        adopted=adopted,
        period_start=start_year,
        period_end=end_year,
        preamble=preamble,
        sections=tuple(walker.sections),
        areas=tuple(walker.areas),
        action_lines=tuple(walker.action_lines),
        warnings=tuple(warnings + walker.warnings),
        coverage=_coverage(text, walker.unassigned),
        unassigned=tuple(walker.unassigned),
    )


def _coverage(text: str, unassigned: Sequence[TextSpan]) -> float:
    """The share of non-space characters (debris apart) not in ``unassigned``."""
    total = _weight(text)
    if not total:
        return 1.0
    lost = sum(_weight(text[u.start : u.end]) for u in unassigned)
    return round(1 - lost / total, 4)


def _weight(text: str) -> int:
    return len("".join(DEBRIS.sub("", text).split()))


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    for match in [*LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        lines.append(_label_line(text, position, end))
        if match is None:
            break
        position = match.end()
    return lines


def _label_line(text: str, start: int, end: int) -> _Line:
    """The line [start, end) with its label: a table row, a number, a bullet ..."""
    raw = text[start:end]
    line = _Line(start, end, raw)
    if raw.count("\t") >= 2 and raw.strip():
        cells: list[tuple[int, int]] = []
        offset = start
        for cell in raw.split("\t"):
            cells.append(trim_span(text, offset, offset + len(cell)))
            offset += len(cell) + 1
        line.label, line.cells = "row", tuple(cells)
        return line
    named = NAMED_NUMBER.match(raw)
    if named:
        line.label, line.number = "action", named.group("num")
        line.separator = named.group("sep")
        line.content_start = skip_debris(text, start + named.end(), end)
        return line
    numbered = NUMBERED.match(raw) or DOTTED_PAREN.match(raw)
    if numbered:
        line.label, line.number = "decimal", numbered.group("num")
        line.separator = numbered.group("sep")
        line.content_start = skip_debris(text, start + numbered.end(), end)
        return line
    for label, pattern in (
        ("section", SECTION_LABEL),
        ("letter", LETTER_LABEL),
        ("roman", ROMAN_ITEM),
        ("paren", PAREN_NUMBER),
    ):
        found = pattern.match(raw)
        if found:
            line.label = label
            line.number = next(g for g in found.groups() if g)
            line.content_start = skip_debris(text, start + found.end(), end)
            return line
    bullet = BULLET.match(raw)
    if bullet:
        line.label, line.number = "bullet", bullet.group("bullet")
        line.content_start = skip_debris(text, start + bullet.end(), end)
    return line


def _content(line: _Line) -> str:
    """The text after the line's label, normalised (computed once per line)."""
    if line.content is None:
        line.content = normalise_span(
            line.text[line.content_start - line.start :], drop_final=False
        )
    return line.content


def _heading_shaped(content: str, *, colon: bool = False) -> bool:
    """Short, not starting lower-case, not ending like a clause (":" when ``colon``)."""
    if not content:
        return True  # the title is on the next line
    if len(content) > HEADING_MAX_CHARS or content[0].islower():
        return False
    endings = ";," if colon else ";,:"
    return content[-1] not in endings and not (content.endswith(".") and len(content.split()) > 12)


def _ends_open(content: str) -> bool:
    """Whether ``content`` ends with a connector word ("and", "of", "the" ...)."""
    words = content.split()
    return bool(words) and words[-1].lower() in CONNECTOR_WORDS


def _stands_alone(line: str, *, isolated: bool) -> bool:
    """A note, or (when ``isolated``: a blank or numbered line follows) a short heading."""
    if NOTE_MARKER.match(line):
        return True
    content = normalise_span(line, drop_final=False)
    return isolated and content[:1].isupper() and len(content) < 100 and _heading_shaped(content)


def _opens_element(line: _Line) -> bool:
    """Whether ``line`` carries a label that can open the body of a plan."""
    if line.label is None or line.blank:
        return False
    if line.label == "row":
        return True
    content = _content(line)
    if line.label == "decimal":
        assert line.number is not None
        depth = line.number.count(".") + 1
        if content[:1].islower() or depth > 3:
            return False
        return depth > 1 or (("." in line.separator or "\t" in line.separator) and bool(content))
    return bool(content) and not content[:1].islower() and line.label not in _LISTED


def _opens_or_lists(line: _Line) -> bool:
    """Whether ``line`` opens an element, or is a capitalised line of a restarting list
    ("(a) Hold ...", "ii. Share ...": a line of its own under a heading)."""
    return _opens_element(line) or (line.label in _LISTED and _content(line)[:1].isupper())


def _unnumbered_heading(line: _Line) -> bool:
    """A short capitalised line without label that does not end like a sentence."""
    content = normalise_span(line.text, drop_final=False)
    return (
        line.label is None
        and bool(content)
        and content[:1].isupper()
        and len(content) < _HEADING_ALONE_MAX
        and content[-1] not in ";,:.!?"
        and not NOTE_MARKER.match(content)
        and not ADOPTED_LINE.match(content)
    )


def _headings_before(lines: list[_Line], first: int) -> int:
    """``first`` moved back over unnumbered headings right before it (at most two)."""
    filled = [i for i, line in enumerate(lines[:first]) if not line.blank]
    adopted = next((k for k, i in enumerate(filled[:5]) if ADOPTED_LINE.match(lines[i].text)), 0)
    floor = filled[adopted] if filled else -1  # never the title or the adoption line
    moved = first
    for index in reversed(filled[-2:]):
        if index <= floor or not _unnumbered_heading(lines[index]):
            break
        moved = index
    return moved


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


@dataclass(frozen=True)
class _Decision:
    """What a labelled line opens: its kind, id, span and (rows) cells."""

    kind: str  # "section", "area", "line", "head" (a table's header row)
    id: str = ""
    start: int = 0
    end: int = 0
    label: str = ""  # "decimal", "number", "section", "letter", "bullet", "row", "heading"
    lead: tuple[int, int] | None = None
    timeline: tuple[int, int] | None = None


class _Walker:
    """Walks the lines from the first element and builds the records."""

    def __init__(self, text: str, pages: Sequence[int] | None, lines: list[_Line]) -> None:
        self.text = text
        self.pages = list(pages) if pages is not None else None
        self.lines = lines
        self.sections: list[Section] = []
        self.areas: list[Area] = []
        self.action_lines: list[ActionLine] = []
        self.warnings: list[str] = []
        self.unassigned: list[TextSpan] = []
        self.open: _Open | None = None
        self.blank_before = False
        self.last_number: dict[str, str] = {}  # parent id ("" for sections) -> last child
        self.seen: dict[str, set[str]] = {}  # kind -> ids seen
        # A document with three-level numbers is read by its numbers alone (decimal).
        self.decimal = any(
            line.label == "decimal"
            and line.number is not None
            and line.number.count(".") == 2
            and not _content(line)[:1].islower()
            for line in lines
        )
        self.section: str | None = None
        self.section_label = ""
        self.area: str | None = None
        self.area_label = ""
        self.last = ""  # "heading" or "line": the last element opened
        self.line_label = ""
        self.direct_lines = False  # lines directly under the current section
        self.positions: dict[str, int] = {}
        self.columns: dict[str, int] | None = None

    def walk(self, first: int) -> None:
        lines = self.lines
        for index in range(first, len(lines)):
            line = lines[index]
            if line.blank:
                self.blank_before = True
                continue
            decision = self._decide(index, line)
            isolated = (
                index + 1 == len(lines) or lines[index + 1].blank or self._element_at(index + 1)
            )
            if decision is not None:
                self._close()
                self._start(decision)
            elif self.open is not None and self._continues(line, isolated=isolated):
                self.open.end = trim_span(self.text, line.start, line.end)[1]
                self.open.lines += 1
                if line.label == "decimal" and self.open.kind == "line":
                    self.warnings.append(
                        f"numbered text {line.text.strip()[:20]!r} read as part of "
                        f"action line {self.open.id}"
                    )
            elif (
                not self.decimal and _unnumbered_heading(line) and self._followed_by_element(index)
            ):
                self._close()
                self._start(self._unnumbered(index, line))
            else:
                self._close()
                start, end = trim_span(self.text, line.start, line.end)
                self.open = _Open("stray", "", start, end)
            self.blank_before = False
        self._close()

    # -- deciding what a line opens ------------------------------------------------------

    def _next_filled(self, index: int) -> int | None:
        return next((j for j in range(index + 1, len(self.lines)) if not self.lines[j].blank), None)

    def _element_at(self, index: int) -> bool:
        """Whether the line at ``index`` opens an element (a label or a heading)."""
        line = self.lines[index]
        if _opens_or_lists(line):
            return True
        return not self.decimal and _unnumbered_heading(line) and self._followed_by_element(index)

    def _followed_by_element(self, index: int) -> bool:
        """Whether the next filled line opens an element, or is a heading that is."""
        following = self._next_filled(index)
        if following is None:
            return False
        line = self.lines[following]
        if _opens_or_lists(line):
            return True
        after = self._next_filled(following) if _unnumbered_heading(line) else None
        if after is None:
            return False
        line = self.lines[after]
        return _opens_or_lists(line)

    def _decide(self, index: int, line: _Line) -> _Decision | None:
        if line.label is None:
            return None
        if line.label == "row":
            return self._row(line)
        content = _content(line)
        if content[:1].islower():
            return None
        assert line.number is not None
        start, end = line.content_start, line.end
        if line.label == "action":
            # "Action 1.1: ...": an action line whatever its shape
            holder = self.area or self.section
            if "." in line.number:
                return _Decision("line", line.number, start, end, "action")
            if holder is not None:
                return _Decision("line", f"{holder}.{line.number}", start, end, "action")
            return None
        if line.label == "decimal":
            depth = line.number.count(".") + 1
            if depth == 3:
                return _Decision("line", line.number, start, end, "decimal")
            if depth == 2 and line.number.endswith(".0") and _heading_shaped(content, colon=True):
                # "1.0 POLITICAL-SECURITY" above "1.1 ...": section 1
                return _Decision("section", line.number[:-2], start, end, "decimal")
            if depth == 2 and not self.decimal and self._wraps_into_text(index, content):
                # "1.1 Hold consultations at the PMC+1 and" / "support ...;": a line
                return _Decision("line", line.number, start, end, "decimal")
            if depth == 2 and _heading_shaped(content, colon=True):
                return _Decision("area", line.number, start, end, "decimal")
            if depth == 2 and not self.decimal and content[-1:] in ";.":
                return _Decision("line", line.number, start, end, "decimal")
            if depth == 1:
                return self._single_number(index, line, content)
            return None
        if not content:
            return None
        if line.label == "section":
            if _heading_shaped(content, colon=True):
                return _Decision("section", line.number, start, end, "section")
            return None
        container = self.area or self.section
        if container is None:
            return None
        follows_heading = self.last == "heading"
        label, number = line.label, line.number
        if label == "letter" and self._roman_letter(number):
            label = "roman"  # "i." opening a Roman list, "v." going on with one
        if label in _LISTED:
            if follows_heading or (self.last == "line" and self.line_label == label):
                if label == "letter":
                    own = f"({number})"
                elif label == "roman":
                    own = f".{_ordinal(number.upper())}"
                else:
                    own = f".{number}"
                return _Decision("line", container + own, start, end, label)
            return None  # lettered (numbered) text under a line: items of that line
        if follows_heading or (self.last == "line" and self.line_label == "bullet"):
            position = self.positions.get(container, 0) + 1
            return _Decision("line", f"{container}.{position}", start, end, "bullet")
        return None  # a bullet under a line: part of that line

    def _wraps_into_text(self, index: int, content: str) -> bool:
        """Whether ``content`` ends with a connector word and the line right below it
        goes on in lower case: a wrapped sentence (a wrapped heading goes on capitalised,
        "... Climate Change and" / "Sustainable Development")."""
        below = index + 1
        if not _ends_open(content) or below >= len(self.lines):
            return False
        following = self.lines[below]
        return following.label is None and following.text.strip()[:1].islower()

    def _roman_letter(self, letter: str) -> bool:
        """Whether the lettered label ``letter`` is a Roman numeral: "i" opening a list
        (not after the lettered line "h"), "i", "v" or "x" going on with a Roman list."""
        going_on = self.last == "line" and self.line_label == "roman"
        if letter in ("i", "v", "x") and going_on:
            return True
        return letter == "i" and not (self.last == "line" and self.line_label == "letter")

    def _single_number(self, index: int, line: _Line, content: str) -> _Decision | None:
        """ "1. ..." is a heading (section or area) or a line of a restarting list."""
        assert line.number is not None
        number = line.number
        start, end = line.content_start, line.end
        listed = "." in line.separator or "\t" in line.separator
        following = self._next_filled(index)
        nxt = self.lines[following] if following is not None else None
        # A heading is followed by what hangs under it: lines restarting at 1, lettered
        # or bulleted lines, a table, its own sub-numbers ("2.1"), or a heading.
        restart = nxt is not None and (
            nxt.label in (*_LISTED, "action", "bullet", "row")
            or (
                nxt.label == "decimal"
                and nxt.number is not None
                and (nxt.number == "1" or nxt.number.startswith(f"{number}."))
            )
            or (
                following is not None
                and _unnumbered_heading(nxt)
                and self._followed_by_element(following)
            )
        )
        in_list = self.last == "line" and self.line_label == "number"
        if (
            listed
            and _heading_shaped(content, colon=True)
            and (restart or (not in_list and (self.decimal or self.section is None)))
        ):
            if self.section is not None and (
                self.section_label in ("section", "heading")
                or (self.last == "heading" and self.area is None and not self.direct_lines)
                or (
                    self.area_label == "number"
                    and self.area is not None
                    and _ordinal(number) == (_ordinal(self.area.rsplit(".", 1)[-1]) or 0) + 1
                )
            ):
                return _Decision("area", f"{self.section}.{number}", start, end, "number")
            return _Decision("section", number, start, end, "number")
        container = self.area or self.section
        if listed and container is not None and not self.decimal:
            return _Decision("line", f"{container}.{number}", start, end, "number")
        return None

    def _row(self, line: _Line) -> _Decision | None:
        """A table row: the header (columns) or one action line."""
        cells = [normalise_span(self.text[s:e], drop_final=False) for s, e in line.cells]
        header = _table_header(cells)
        if header is not None:
            self.columns = header
            return _Decision("head")
        columns = self.columns
        if columns is None and len(cells) >= 2 and cells[0].rstrip(".").isdigit():
            columns = {"number": 0, "text": 1}
        if columns is None or columns.get("text", len(cells)) >= len(cells):
            return None
        text_cell = line.cells[columns["text"]]
        if text_cell[0] == text_cell[1]:
            return None
        number_index = columns.get("number")
        number = cells[number_index].rstrip(".") if number_index is not None else ""
        container = self.area or self.section
        if "." in number:
            row_id = number
        elif number and container is not None:
            row_id = f"{container}.{number}"
        elif container is not None:
            row_id = f"{container}.{self.positions.get(container, 0) + 1}"
        else:
            row_id = number
        if not row_id:
            return None

        def cell(name: str) -> tuple[int, int] | None:
            where = columns.get(name) if columns else None
            if where is None or where >= len(line.cells):
                return None
            span = line.cells[where]
            return span if span[0] < span[1] else None

        return _Decision(
            "line", row_id, text_cell[0], text_cell[1], "row", cell("lead"), cell("timeline")
        )

    def _unnumbered(self, index: int, line: _Line) -> _Decision:
        """An unnumbered heading: a section, or an area of the current section."""
        following = self._next_filled(index)
        nxt = self.lines[following] if following is not None else None
        start, end = trim_span(self.text, skip_debris(self.text, line.start, line.end), line.end)
        if (
            (nxt is not None and nxt.label is None)
            or self.section is None
            or self.area_label in ("decimal", "number")
            or (self.area is None and self.direct_lines)
        ):
            last = self.sections[-1].id if self.sections else None
            return _Decision("section", _next_id(last), start, end, "heading")
        count = sum(1 for area in self.areas if area.section == self.section)
        return _Decision("area", f"{self.section}.{count + 1}", start, end, "heading")

    # -- opening, continuing and closing elements ---------------------------------------

    def _start(self, decision: _Decision) -> None:
        if decision.kind == "head":
            self.open = None
            return
        start = decision.start
        end = trim_span(self.text, start, decision.end)[1]
        section, area = self.section, self.area
        if decision.kind == "section":
            self.section, self.section_label = decision.id, decision.label
            self.area, self.area_label = None, ""
            self.direct_lines, self.last, self.columns = False, "heading", None
            section, area = decision.id, None
        elif decision.kind == "area":
            if decision.label == "decimal":
                self.section = decision.id.split(".")[0]
            self.area, self.area_label = decision.id, decision.label
            self.last, self.columns = "heading", None
            section, area = self.section, decision.id
        else:
            self.last, self.line_label = "line", decision.label
            container = self.area or self.section
            if container is not None and decision.label in ("bullet", "row"):
                self.positions[container] = self.positions.get(container, 0) + 1
            if self.area is None:
                self.direct_lines = True
        self.open = _Open(
            decision.kind,
            decision.id,
            start,
            max(start, end),
            section=section,
            area=area,
            label=decision.label,
            lead=decision.lead,
            timeline=decision.timeline,
            numbered_heading=decision.label != "heading",
        )

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
            # A heading split over two lines: the next line, right below, heading-shaped;
            # outside decimal documents only after a connector (else it is a heading).
            return (
                not self.blank_before
                and current.lines < 3
                and _heading_shaped(normalise_span(following, drop_final=False))
                and (
                    self.decimal or not previous or _ends_open(previous) or previous[-1:] in ",-–&"
                )
            )
        if current.label == "row":
            return False  # a row ends with its cell
        if not previous:
            return True  # the number stood alone on its line
        if not self.blank_before:
            # Adjacent lines are one paragraph, unless a complete line is followed by
            # something that stands alone: a note, a short unnumbered heading, or text
            # that opens with a label of no known kind.
            if previous[-1:] in ".;!?" and line.label is None and LABEL_LIKE.match(line.text):
                return False
            return not (previous[-1:] in ".;!?" and _stands_alone(following, isolated=isolated))
        # Across a blank line only what cannot stand alone continues the line.
        if line.label in (*_LISTED, "bullet") or following.startswith("("):
            return previous[-1:] in ":;"
        if previous[-1:] in TERMINAL_PUNCTUATION:
            return False
        return (
            following[:1].islower()
            or following[:1].isdigit()
            or previous[-1:] in ",-–"
            or _ends_open(previous)
        )

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
            if excerpt:
                self.unassigned.append(TextSpan(excerpt, start, end))
        elif current.kind == "section":
            self._check_sequence("", current.id, "section", current.label != "heading")
            title = normalise_span(self.text[start:end], drop_final=False)
            self.sections.append(Section(current.id, title, start, end))
        elif current.kind == "area":
            self._add_area(current, start, end)
        else:
            self._add_line(current, start, end)

    def _add_area(self, current: _Open, start: int, end: int) -> None:
        number = current.id
        section = current.section or number.split(".")[0]
        if not any(s.id == section for s in self.sections):
            # An objective without a section heading: a section numbered from it, untitled.
            self.sections.append(Section(section, "", start, start))
            self.seen.setdefault("section", set()).add(section)
            self.last_number[""] = section
        self._check_sequence(section, number, "area", current.label != "heading")
        title = normalise_span(self.text[start:end], drop_final=False)
        self.areas.append(Area(number, section, title, start, end))

    def _add_line(self, current: _Open, start: int, end: int) -> None:
        number = current.id
        if current.label == "decimal" and number.count(".") == 2:
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
            parent = area_id
        else:
            section = current.section or number.split(".")[0]
            area = current.area
            parent = area or section
        self._check_sequence(parent, number, "action line", current.label != "bullet")
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
                lead=self._cell(current.lead),
                timeline=self._cell(current.timeline),
            )
        )

    def _cell(self, span: tuple[int, int] | None) -> TextSpan | None:
        if span is None:
            return None
        return TextSpan(normalise_span(self.text[span[0] : span[1]], drop_final=False), *span)

    def _check_sequence(self, parent: str, number: str, kind: str, numbered: bool) -> None:
        """Warn when ``number`` does not follow the previous number under ``parent``."""
        seen = self.seen.setdefault(kind, set())
        previous = self.last_number.get(parent)
        self.last_number[parent] = number
        if number in seen:
            self.warnings.append(f"duplicate {kind} {number}")
            return
        seen.add(number)
        if not numbered:
            return
        last = _ordinal(_last_label(number))
        if last is None:
            return
        before = _ordinal(_last_label(previous)) if previous is not None else None
        if previous is None and last != 1:
            self.warnings.append(f"numbering gap: {kind} {number} is the first under its parent")
        elif previous is not None and before is not None and last != before + 1:
            self.warnings.append(f"numbering gap: {kind} {number} follows {previous}")


def _table_header(cells: list[str]) -> dict[str, int] | None:
    """The columns of a header row ("No.", "Action line / Activity", "Lead", ...)."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        words = cell.lower().strip(" :")
        for name, starts in TABLE_COLUMNS.items():
            if name in columns:
                continue
            exact = name == "number"
            if (words in starts) if exact else any(words.startswith(s) for s in starts):
                columns[name] = index
                break
    return columns if "text" in columns and len(columns) >= 2 else None


def _last_label(number: str) -> str:
    """The own label of an id: "3" of "1.1.3", "a" of "1.1(a)", "IV" of "IV"."""
    if number.endswith(")"):
        return number[number.rindex("(") + 1 : -1]
    return number.rsplit(".", 1)[-1]


def _ordinal(label: str) -> int | None:
    """The position a label stands for: "3" -> 3, "c" -> 3, "IV" -> 4, "C" (a letter) -> 3."""
    if label.isdigit():
        return int(label)
    if len(label) == 1 and label.islower():
        return ord(label) - ord("a") + 1
    if (label and all(c in _ROMAN for c in label) and len(label) > 1) or label in ("I", "V", "X"):
        total = 0
        for index, char in enumerate(label):
            value = _ROMAN[char]
            following = _ROMAN[label[index + 1]] if index + 1 < len(label) else 0
            total += -value if value < following else value
        return total
    if len(label) == 1 and label.isupper():
        return ord(label) - ord("A") + 1
    return None


def _next_id(last: str | None) -> str:
    """The id after ``last`` among sections: "3" after "2", "V" after "IV", "B" after "A"."""
    if last is None:
        return "1"
    if last.isdigit():
        return str(int(last) + 1)
    ordinal = _ordinal(last)
    if ordinal is not None and len(last) == 1 and last.isupper() and last not in "IVX":
        return chr(ord(last) + 1)
    if ordinal is not None:
        return _roman(ordinal + 1)
    return f"{last}+1"


def _roman(value: int) -> str:
    digits = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"))
    out = ""
    for amount, letters in (*digits, (4, "IV"), (1, "I")):
        while value >= amount:
            out += letters
            value -= amount
    return out


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
