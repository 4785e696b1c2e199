"""Language data of the structure parser: the shapes of lines in a plan of action.

Plain constants, no logic (the parser in ``aseankg.extract.parser`` uses them). They
describe the genre — ASEAN plans of action with a dialogue partner — not one file.
"""

from __future__ import annotations

import re

__all__ = [
    "ADOPTED_LINE",
    "BULLET",
    "CONNECTOR_WORDS",
    "COVERAGE_THRESHOLD",
    "DATE_DAY_MONTH_YEAR",
    "DATE_MONTH_DAY_YEAR",
    "DEBRIS",
    "DOTTED_PAREN",
    "HEADING_MAX_CHARS",
    "ITEM_LABEL",
    "LABEL_LIKE",
    "LETTER_LABEL",
    "LINE_BREAK",
    "MONTHS",
    "NAMED_NUMBER",
    "NOTE_MARKER",
    "NUMBERED",
    "PAREN_NUMBER",
    "PERIOD",
    "PERIOD_OR_YEAR",
    "ROMAN_ITEM",
    "ROMAN_LABELS",
    "SECTION_LABEL",
    "TABLE_COLUMNS",
    "TERMINAL_PUNCTUATION",
]

# Conversion debris left by Word-to-text converters: "[bookmark: _Toc118723531]".
DEBRIS = re.compile(r"\[(?:bookmark|footnoteRef|endnoteRef|commentReference):[^\]\n]*\]")

# A numbered line: "1.", "1.1.", "1.1.1.", the trailing dot optional, then a tab or spaces.
# Leading debris before the number is tolerated. Group "num" holds the number without
# its trailing dot, group "sep" the dot-and-space separator (a dot right before a letter,
# "1.1.1.Strengthen", also separates).
NUMBERED = re.compile(
    r"[ \t\u00a0]*(?:\[[a-zA-Z]+:[^\]\n]*\][ \t]*)*"
    r"(?P<num>\d{1,3}(?:\.\d{1,3}){0,3})(?P<sep>\.?[ \t\u00a0]+|\.$|\.(?=\[)|\.(?=[^\W\d_]))"
)

# A section label that is not decimal: "I.", "IV.", "Part I", "PART II:", "Section A",
# "Chapter 3", "A." (a capital letter). A lone "C." or "L." is the letter, not the Roman
# 100 or 50 (no plan has fifty sections); "I.", "V.", "X." alone stay Roman numerals.
SECTION_LABEL = re.compile(
    r"[ \t\u00a0]*(?:(?:Part|PART|Section|SECTION|Chapter|CHAPTER)[ \t\u00a0]+"
    r"(?P<word>[IVXLC]{1,6}|[A-Z]|\d{1,2})\b[.:]?|(?P<roman>(?![CL]\.)[IVXLC]{1,6})\."
    r"|(?P<capital>[A-HJ-UWYZ])\.)[ \t\u00a0]+"
)

# A lettered label at the start of a line: "(a) ", "a) ", "a. " (also after a tab).
LETTER_LABEL = re.compile(
    r"[ \t\u00a0]*(?:\((?P<p>[a-z])\)|(?P<r>[a-z])\)|(?P<d>[a-z])\.)[ \t\u00a0]+"
)

# A number in parentheses or before ")" at the start of a line: "(1) ", "1) ". Lines of
# a list restarting under each heading, read like lettered lines (docs/parsing.md).
PAREN_NUMBER = re.compile(r"[ \t\u00a0]*(?:\((?P<p>\d{1,3})\)|(?P<r>\d{1,3})\))[ \t\u00a0]+")

# A lower-case Roman numeral of two letters or more before "." or ")", or in parentheses,
# at the start of a line: "ii. ", "(iv) ", "iii) ". (A lone "i." is a LETTER_LABEL; the
# parser reads it as Roman where a Roman list goes on or starts.)
ROMAN_ITEM = re.compile(
    r"[ \t\u00a0]*(?:\((?P<p>[ivxl]{2,6})\)|(?P<r>[ivxl]{2,6})[.)])[ \t\u00a0]+"
)

# A decimal number of two levels or more closed by ")": "1.1.1) ", "2.3) " ("1)" is a
# PAREN_NUMBER).
DOTTED_PAREN = re.compile(r"[ \t\u00a0]*(?P<num>\d{1,3}(?:\.\d{1,3}){1,3})(?P<sep>\)[ \t\u00a0]+)")

# A word naming the element before its number: "Action 1.1: ", "Activity 3. ",
# "ACTION LINE 2.1 ": always an action line.
NAMED_NUMBER = re.compile(
    r"[ \t\u00a0]*(?:Action(?:[ \t]+[Ll]ine)?|ACTION(?:[ \t]+LINE)?|Activity|ACTIVITY"
    r"|Measure|MEASURE)[ \t\u00a0]+(?P<num>\d{1,3}(?:\.\d{1,3}){0,3})(?P<sep>[.:)]?[ \t\u00a0]+)"
)

# A bullet at the start of a line: the bullet characters of Word, web pages and text
# exports ("•", "▪", "-", "–", "*" ..., the Symbol and Wingdings bullets Word writes as
# private-use characters, and the letter "o" of its second-level lists when a capital
# follows), followed by spaces or a tab.
BULLET = re.compile(
    r"[ \t\u00a0]*(?P<bullet>[•▪▫●○◦■□◆◇➢➤►▸‣⁃∙·\-–—*\uf0a7\uf0b7\uf0d8\uf076\uf0fc]"
    r"|o(?=[ \t\u00a0]+[A-Z]))[ \t\u00a0]+"
)

# Anything that looks like the label of an element, known or not ("1-1", "A1.", "(1)",
# "1.1.3)", "iv)"), followed by a capitalised word: text that opens like this and belongs
# to no element is numbered text left unassigned, which fails a parse (docs/parsing.md).
LABEL_LIKE = re.compile(
    r"[ \t\u00a0]*(?:\(?\d{1,3}(?:[.\-–:]\d{1,3})*[.):\-–]?|[A-Za-z]\d{1,3}[.):]?"
    r"|\(?[ivxlcIVXLC]{1,6}[.)]"
    r"|\([a-zA-Z]\)|[a-zA-Z][.)]|[•▪▫●○◦■□◆◇➢➤►▸‣⁃∙·\-–—*])[ \t\u00a0]+(?=[A-Z])"
)

# The columns of a work-plan table, by the words of their header cell (lower case).
TABLE_COLUMNS = {
    "number": ("no", "no.", "#", "s/n", "sn", "number", "ref", "ref."),
    "text": (
        "action",
        "activity",
        "activities",
        "action line",
        "action lines",
        "measure",
        "measures",
        "programme",
        "project",
        "description",
    ),
    "lead": ("lead", "implementing", "responsible", "lead agency", "proponent", "sectoral body"),
    "timeline": (
        "timeline",
        "timeframe",
        "time frame",
        "time-frame",
        "schedule",
        "year",
        "years",
        "period",
        "target date",
        "duration",
    ),
}

# The least share of a plan's characters (besides whitespace and debris) that must be
# assigned to the title, adoption line, preamble, a heading, an action line or an item;
# below it a parse fails (``--allow-partial`` accepts it).
COVERAGE_THRESHOLD = 0.9

# A paragraph that is a note, not the continuation of the line above it.
NOTE_MARKER = re.compile(r"^\s*(?:\*|†|Notes?\b|N\.\s?B\.|Source\b|Remarks?\b)", re.IGNORECASE)

# Line breaks of the canonical text (CRLF kept as-is in .txt files).
LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Punctuation that ends an action line, a sentence or a list lead-in.
TERMINAL_PUNCTUATION = ";.:!?"

# A heading (section or area title) is a short line that does not end like a sentence.
HEADING_MAX_CHARS = 200

# Words that cannot end a sentence: a line ending with one continues on the next line,
# even across a blank line.
CONNECTOR_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "at",
        "between",
        "by",
        "for",
        "from",
        "in",
        "including",
        "into",
        "its",
        "of",
        "on",
        "or",
        "such",
        "the",
        "their",
        "through",
        "to",
        "towards",
        "under",
        "with",
        "within",
    }
)

# "(a)", "(b)", "(iv)": a sub-item label, at the start of the text or after a space,
# a colon or a semicolon, followed by a space.
ITEM_LABEL = re.compile(r"(?:(?<=^)|(?<=[\s:;,]))\((?P<label>[a-z]|[ivx]{1,5})\)(?=\s)")

ROMAN_LABELS = [
    "i",
    "ii",
    "iii",
    "iv",
    "v",
    "vi",
    "vii",
    "viii",
    "ix",
    "x",
    "xi",
    "xii",
    "xiii",
    "xiv",
    "xv",
    "xvi",
    "xvii",
    "xviii",
    "xix",
    "xx",
]

# "Adopted on 10 September 2020", "Adopted at the 53rd PMC+1 on 10 September 2020".
ADOPTED_LINE = re.compile(r"^\W*adopted\b", re.IGNORECASE)

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_ALT})\.?,?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
DATE_MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH_ALT})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)

# The period of a plan in its title: "2021-2025", "2016 – 2020", "2026 to 2030".
PERIOD = re.compile(r"\b(?P<start>(?:19|20)\d\d)\s*(?:-|–|—|to)\s*(?P<end>(?:19|20)\d\d)\b")

# The period of a table row's timeline cell: "2024-2026", "2025 – 2027", or one year "2025".
PERIOD_OR_YEAR = re.compile(
    r"\b(?P<start>(?:19|20)\d\d)(?:\s*(?:-|–|—|to)\s*(?P<end>(?:19|20)\d\d))?\b"
)
