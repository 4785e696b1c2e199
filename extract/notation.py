"""The order of notations: "1.2.10" after "1.2.9", "IX" after "V", "1.1(b)" after "1.1(a)".

Notations are the ids of docs/parsing.md: decimal ("1.1.1"), Roman or lettered sections
("IV", "A") with their lines ("IV.2"), lettered lines ("1.1(a)") and sub-items
("1.1.1(ii)").

>>> sorted(["IX", "V", "IV.10", "IV.9", "1.1(b)", "1.1(a)", "1.10", "1.9"], key=notation_key)
['1.1(a)', '1.1(b)', '1.9', '1.10', 'IV.9', 'IV.10', 'V', 'IX']
"""

from __future__ import annotations

import re

__all__ = ["notation_key"]

_PART = re.compile(r"[.()]")
_ROMAN = re.compile(r"^[IVXLC]+$")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(text: str) -> int:
    total = 0
    for index, char in enumerate(text):
        value = _VALUES[char]
        following = _VALUES[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def notation_key(notation: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key for ``notation``: numbers by value, Roman numerals by value after all
    numbers, letters in order, anything else by its text. Raises nothing."""
    key: list[tuple[int, int, str]] = []
    for part in _PART.split(notation):
        if not part:
            continue
        if part.isdigit():
            key.append((0, int(part), ""))
        elif _ROMAN.match(part):
            key.append((1, _roman(part), ""))
        elif len(part) == 1 and part.isalpha():
            key.append((2, ord(part), ""))
        else:
            key.append((3, 0, part))
    return tuple(key)
