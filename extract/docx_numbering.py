"""Word automatic list numbering: the number Word shows in front of a paragraph.

Word originals number sections, areas and action lines with multilevel lists, so
"1.1.1." is not in the paragraph's text: it is computed from ``numbering.xml``. The
rules followed (ECMA-376 part 1, 17.9, as Word applies them):

- a paragraph is numbered by ``w:pPr/w:numPr`` (``w:numId``, ``w:ilvl``) or, without
  it, by its paragraph style (and the styles it is based on); ``numId`` 0 means none;
- a ``w:num`` points to a ``w:abstractNum``; counters belong to the abstract list, so
  two ``w:num`` of one abstract list continue each other, and a ``w:num`` with a
  ``w:lvlOverride/w:startOverride`` restarts its levels the first time it is used;
  a ``w:lvlOverride/w:lvl`` replaces the level's definition for that ``w:num``;
- using a level restarts the deeper levels (``w:lvlRestart`` can narrow or stop that);
- ``w:lvlText`` "%1.%2." shows the counters of levels 1 and 2 in each level's
  ``w:numFmt`` (decimal in a "legal" level, ``w:isLgl``); a level never used since its
  restart shows its start value minus one, as Word does ("1.0.1");
- ``w:suff`` puts a tab (the default), a space or nothing after the number;
  ``numFmt`` "none" gives no number; a bullet gives "•" and its suffix, whatever glyph
  the level shows (symbol fonts use private-use characters).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

BULLET_GLYPH = "\u2022"  # what a bullet of any Word list is read as

__all__ = ["BULLET_GLYPH", "NumberingTracker", "W", "format_counter"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_LEVELS = 9
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


@dataclass(frozen=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # 1-based level whose use restarts this one; 0 never
    legal: bool = False
    suffix: str = "\t"


def _val(element: Any, tag: str) -> str | None:
    child = element.find(W + tag) if element is not None else None
    return None if child is None else child.get(W + "val")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def format_counter(value: int, fmt: str) -> str:
    """``value`` written in the Word number format ``fmt`` (decimal for unknown ones).

    >>> format_counter(4, "lowerRoman"), format_counter(28, "upperLetter")
    ('iv', 'BB')
    """
    if fmt in ("lowerLetter", "upperLetter") and value > 0:
        # Word repeats the letter: a..z, aa..zz, ...
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and value > 0:
        digits = []
        for amount, symbol in _ROMAN:
            while value >= amount:
                digits.append(symbol)
                value -= amount
        roman = "".join(digits)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _read_level(lvl: Any, base: _Level | None = None) -> _Level:
    level = base or _Level()
    restart = _val(lvl, "lvlRestart")
    legal = lvl.find(W + "isLgl")
    suffix = {"tab": "\t", "space": " ", "nothing": ""}.get(_val(lvl, "suff") or "tab", "\t")
    text = _val(lvl, "lvlText")
    return _Level(
        start=_int(_val(lvl, "start"), level.start),
        fmt=_val(lvl, "numFmt") or level.fmt,
        text=text if text is not None else level.text,
        restart=_int(restart, 0) if restart is not None else level.restart,
        legal=legal is not None and legal.get(W + "val", "true") not in ("0", "false"),
        suffix=suffix,
    )


class NumberingTracker:
    """Computes list numbers of paragraphs fed to :meth:`label` in document order.

    ``numbering`` and ``styles`` are the root elements (lxml) of numbering.xml and
    styles.xml, or None when the document has none. Never raises on odd XML: what it
    cannot understand gives no number.
    """

    def __init__(self, numbering: Any, styles: Any) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = {}
        self._style_numpr: dict[str, tuple[str | None, str | None]] = {}
        self._style_parent: dict[str, str] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._used_nums: set[str] = set()
        if styles is not None:
            self._read_styles(styles)
        if numbering is not None:
            self._read_numbering(numbering)

    def _read_styles(self, styles: Any) -> None:
        for style in styles.iter(W + "style"):
            style_id = style.get(W + "styleId")
            if not style_id:
                continue
            parent = _val(style, "basedOn")
            if parent:
                self._style_parent[style_id] = parent
            numpr = style.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                self._style_numpr[style_id] = (_val(numpr, "numId"), _val(numpr, "ilvl"))

    def _read_numbering(self, numbering: Any) -> None:
        links: dict[str, str] = {}
        for abstract in numbering.iter(W + "abstractNum"):
            abstract_id = abstract.get(W + "abstractNumId")
            levels = {
                _int(lvl.get(W + "ilvl"), 0): _read_level(lvl) for lvl in abstract.iter(W + "lvl")
            }
            self._abstract[abstract_id] = levels
            link = _val(abstract, "numStyleLink")
            if link:
                links[abstract_id] = link
        for num in numbering.iter(W + "num"):
            abstract_id = _val(num, "abstractNumId")
            if abstract_id is None:
                continue
            overrides: dict[int, _Level] = {}
            starts: dict[int, int] = {}
            for override in num.iter(W + "lvlOverride"):
                ilvl = _int(override.get(W + "ilvl"), 0)
                start = _val(override, "startOverride")
                if start is not None:
                    starts[ilvl] = _int(start, 1)
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    base = self._abstract.get(abstract_id, {}).get(ilvl)
                    overrides[ilvl] = _read_level(lvl, base)
            self._nums[num.get(W + "numId")] = (abstract_id, overrides, starts)
        # An abstract list that only links to a numbering style takes that style's list.
        for abstract_id, style_id in links.items():
            num_id, _ = self._style_numpr.get(style_id, (None, None))
            target = self._nums.get(num_id or "")
            if target and target[0] != abstract_id:
                self._abstract[abstract_id] = self._abstract.get(target[0], {})

    def _numpr(self, paragraph: Any) -> tuple[str | None, int]:
        numpr = paragraph.find(f"{W}pPr/{W}numPr")
        num_id = _val(numpr, "numId") if numpr is not None else None
        ilvl = _val(numpr, "ilvl") if numpr is not None else None
        style = _val(paragraph.find(W + "pPr"), "pStyle")
        seen: set[str] = set()
        while (num_id is None or ilvl is None) and style and style not in seen:
            seen.add(style)
            style_num, style_ilvl = self._style_numpr.get(style, (None, None))
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_ilvl
            style = self._style_parent.get(style)
        return num_id, _int(ilvl, 0)

    def _level(self, num_id: str, ilvl: int) -> _Level | None:
        abstract_id, overrides, starts = self._nums[num_id]
        level = overrides.get(ilvl) or self._abstract.get(abstract_id, {}).get(ilvl)
        if level is None:
            return None
        return replace(level, start=starts[ilvl]) if ilvl in starts else level

    def label(self, paragraph: Any) -> str:
        """The number (with its suffix) Word shows before ``paragraph``, or "".

        Advances the counters: call it once per paragraph, in document order.
        """
        num_id, ilvl = self._numpr(paragraph)
        if not num_id or num_id == "0" or num_id not in self._nums or ilvl >= _MAX_LEVELS:
            return ""
        level = self._level(num_id, ilvl)
        if level is None:
            return ""
        abstract_id = self._nums[num_id][0]
        counters = self._counters.setdefault(abstract_id, [None] * _MAX_LEVELS)
        if num_id not in self._used_nums:
            self._used_nums.add(num_id)
            for restarted in self._nums[num_id][2]:
                if restarted < _MAX_LEVELS:
                    counters[restarted] = None
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            deeper_level = self._level(num_id, deeper)
            restart = deeper_level.restart if deeper_level else None
            if restart is None or (restart > 0 and ilvl < restart):
                counters[deeper] = None
        if level.fmt == "none":
            return ""
        if level.fmt == "bullet":
            # Word shows a glyph of a symbol font (often a private-use character): one "•".
            return BULLET_GLYPH + level.suffix
        return self._render(num_id, level, counters) + level.suffix

    def _render(self, num_id: str, level: _Level, counters: list[int | None]) -> str:
        text = level.text
        for index in range(_MAX_LEVELS):
            token = f"%{index + 1}"
            if token not in text:
                continue
            shown = self._level(num_id, index) or _Level()
            value = counters[index]
            number = shown.start - 1 if value is None else value
            fmt = "decimal" if level.legal and shown.fmt != "decimalZero" else shown.fmt
            text = text.replace(token, format_counter(number, fmt))
        return text
