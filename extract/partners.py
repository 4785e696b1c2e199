"""Dialogue partners of ASEAN and the slugs of names: one truth for the plan id, the
extractor's party and the entity slugs of the IRIs.

A plan's title names its partner ("... ASEAN-Republic of Korea Strategic Partnership
(2021-2025)"); :func:`find_partner` gives the :class:`Partner` with its slug (the plan
id's middle, ``asean-korea-2021-2025``, and the last segment of the party's IRI,
``actor/korea``), its name ("Republic of Korea", the party's label) and every name it
goes by in titles and texts ("ROK", "Korea"). :func:`slugify` makes the slug of any
name, for partners this table does not know and for the entities the linker finds.

>>> partner = find_partner("Plan of Action ... ASEAN-Republic of Korea Strategic Partnership")
>>> partner.slug, partner.name, partner.names
('korea', 'Republic of Korea', ('Republic of Korea', 'ROK', 'Korea'))
>>> slugify("ASEAN Plus Canada Senior Officials’ Meeting")
'asean-plus-canada-senior-officials-meeting'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["FRAMEWORKS", "PARTNERS", "PARTNER_STOP_WORDS", "Partner", "find_partner", "slugify"]


def slugify(text: str) -> str:
    """A stable id from a name: ASCII, lower case, words joined by "-" (apostrophes
    dropped, "+" read as "plus"): ``"New Zealand" -> "new-zealand"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("'", "").replace("+", " plus ")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class Partner:
    """A dialogue partner or a framework of ASEAN's external relations: its ``slug`` (the
    party's IRI segment), its ``name`` (how a party's label reads), every name it goes by
    (``name`` first) and the ``stem`` of the plan ids of its plans (``asean-korea``;
    ``asean-plus-three`` and ``eas`` for the frameworks, whose names hold ASEAN or stand
    for a wider membership)."""

    slug: str
    name: str
    names: tuple[str, ...]
    stem: str = ""

    @property
    def plan_stem(self) -> str:
        """The plan id before its period: ``asean-{slug}`` unless the table says."""
        return self.stem or f"asean-{self.slug}"


def _partner(slug: str, name: str, *aliases: str) -> Partner:
    return Partner(slug, name, (name, *aliases))


# The frameworks come first: "ASEAN Plus Three ... with China, Japan and the Republic of
# Korea" is a plan of the framework, not of China.
FRAMEWORKS: tuple[Partner, ...] = (
    Partner(
        "asean-plus-three",
        "ASEAN Plus Three",
        ("ASEAN Plus Three", "ASEAN+3", "APT"),
        "asean-plus-three",
    ),
    Partner("eas", "East Asia Summit", ("East Asia Summit", "EAS"), "eas"),
)

PARTNERS: tuple[Partner, ...] = (
    _partner("australia", "Australia"),
    _partner("brazil", "Brazil"),
    _partner("canada", "Canada"),
    _partner("china", "China"),
    _partner("eu", "European Union", "EU"),
    _partner("france", "France"),
    _partner("gcc", "Gulf Cooperation Council", "GCC"),
    _partner("germany", "Germany"),
    _partner("india", "India"),
    _partner("italy", "Italy"),
    _partner("japan", "Japan"),
    _partner("korea", "Republic of Korea", "ROK", "Korea"),
    _partner("new-zealand", "New Zealand"),
    _partner("norway", "Norway"),
    _partner("pakistan", "Pakistan"),
    _partner("russia", "Russian Federation", "Russia"),
    _partner("switzerland", "Switzerland"),
    _partner("turkiye", "Türkiye", "Turkey"),
    _partner("uae", "United Arab Emirates", "UAE"),
    _partner("uk", "United Kingdom", "UK"),
    _partner("us", "United States", "United States of America", "US"),
)

# Words after "ASEAN-" that end a partner name PARTNERS does not know.
PARTNER_STOP_WORDS = frozenset(
    {
        "Comprehensive",
        "Cooperation",
        "Dialogue",
        "Enhanced",
        "Joint",
        "Partnership",
        "Plan",
        "Relations",
        "Strategic",
        "Summit",
    }
)

_BY_NAME = {name: partner for partner in PARTNERS for name in partner.names}
_NAMES = "|".join(re.escape(n) for n in sorted(_BY_NAME, key=len, reverse=True))
_KNOWN_AFTER_ASEAN = re.compile(rf"\bASEAN\s*[-–—]\s*(?:the\s+)?(?P<name>{_NAMES})\b")
_KNOWN_ANYWHERE = re.compile(rf"\b(?P<name>{_NAMES})\b")
_FRAMEWORK_BY_NAME = {name: f for f in FRAMEWORKS for name in f.names}
_FRAMEWORK = re.compile(
    r"(?<![\w-])(?P<name>"
    + "|".join(re.escape(n) for n in sorted(_FRAMEWORK_BY_NAME, key=len, reverse=True))
    + r")(?![\w-])"
)
_WORDS_AFTER_ASEAN = re.compile(r"\bASEAN\s*[-–—]\s*(?P<words>(?:[A-Z][\w’']*\s*)+)")


def find_partner(title: str) -> Partner | None:
    """The dialogue partner named in ``title``, or None when none is found.

    A framework (ASEAN Plus Three, the East Asia Summit) wins, then a known partner right
    after "ASEAN-", then a known partner anywhere in the title, then the capitalised
    words after "ASEAN-" up to a word such as "Enhanced" or "Partnership" (a partner of
    that name, slugified). Never raises.
    """
    framework = _FRAMEWORK.search(title)
    if framework:
        return _FRAMEWORK_BY_NAME[framework.group("name")]
    match = _KNOWN_AFTER_ASEAN.search(title) or _KNOWN_ANYWHERE.search(title)
    if match:
        return _BY_NAME[match.group("name")]
    words_match = _WORDS_AFTER_ASEAN.search(title)
    if not words_match:
        return None
    words: list[str] = []
    for word in words_match.group("words").split():
        if word in PARTNER_STOP_WORDS:
            break
        words.append(word)
    name = " ".join(words)
    slug = slugify(name)
    return Partner(slug, name, (name,)) if slug else None
