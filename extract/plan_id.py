"""The id of a plan: a slug of the dialogue partner and the period, taken from the title.

>>> derive_plan_id("2021-2025 Plan of Action ... ASEAN-Canada Enhanced Partnership", 2021, 2025)
'asean-canada-2021-2025'
"""

from __future__ import annotations

import re
import unicodedata

from aseankg.extract.structure_patterns import PARTNER_NAMES, PARTNER_STOP_WORDS

__all__ = ["derive_plan_id", "find_partner", "slugify"]

_NAMES_LONGEST_FIRST = sorted(PARTNER_NAMES, key=len, reverse=True)
_KNOWN_AFTER_ASEAN = re.compile(
    r"\bASEAN\s*[-–—]\s*(?:the\s+)?(?P<name>"
    + "|".join(re.escape(n) for n in _NAMES_LONGEST_FIRST)
    + r")\b"
)
_KNOWN_ANYWHERE = re.compile(
    r"\b(?P<name>" + "|".join(re.escape(n) for n in _NAMES_LONGEST_FIRST) + r")\b"
)
_WORDS_AFTER_ASEAN = re.compile(r"\bASEAN\s*[-–—]\s*(?P<words>(?:[A-Z][\w’']*\s*)+)")


def slugify(text: str) -> str:
    """Lower-case ASCII slug: ``"New Zealand" -> "new-zealand"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def find_partner(title: str) -> str | None:
    """The slug of the dialogue partner named in ``title``, or None when none is found.

    A known partner right after "ASEAN-" wins, then a known partner anywhere in the
    title, then the capitalised words after "ASEAN-" up to a word such as "Enhanced"
    or "Partnership".
    """
    match = _KNOWN_AFTER_ASEAN.search(title) or _KNOWN_ANYWHERE.search(title)
    if match:
        return PARTNER_NAMES[match.group("name")]
    words_match = _WORDS_AFTER_ASEAN.search(title)
    if not words_match:
        return None
    words: list[str] = []
    for word in words_match.group("words").split():
        if word in PARTNER_STOP_WORDS:
            break
        words.append(word)
    return slugify(" ".join(words)) or None


def derive_plan_id(
    title: str, start: int | None, end: int | None, *, fallback: str = "plan"
) -> str:
    """``asean-{partner}-{start}-{end}``; parts that the title lacks are left out.

    When the title names no partner and no period, the slug of ``fallback`` (the file
    name, say) is the id. Never raises.
    """
    parts = ["asean"]
    partner = find_partner(title)
    if partner:
        parts.append(partner)
    if start is not None and end is not None:
        parts.extend((str(start), str(end)))
    if len(parts) == 1:
        return slugify(fallback) or "plan"
    return "-".join(parts)
