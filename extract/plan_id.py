"""The id of a plan: a slug of the dialogue partner and the period.

The period is looked for where plans of the genre state it, in this order (the first
found wins): the title; a line of its own near the top, such as ``(2019 – 2023)``; the
preamble, where it is the period the plan runs for ("for the next five years
(2016-2020)", "for the period 2021-2025", not the previous plan's "(2011-2015)"); then
the year of the adoption date alone; only then the file name.

>>> derive_plan_id("2021-2025 Plan of Action ... ASEAN-Canada Enhanced Partnership", 2021, 2025)
'asean-canada-2021-2025'
>>> derive_plan_id("ASEAN Plus Three Cooperation Work Plan", 2023, 2027)
'asean-plus-three-2023-2027'
>>> find_period("Plan of Action", ("(2019 – 2023)",), ()).years
(2019, 2023)
>>> find_period("Plan", (), ("It guides cooperation for the next five years (2016-2020).",)).source
'preamble'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aseankg.extract.partners import find_partner, slugify
from aseankg.extract.structure_patterns import PERIOD

__all__ = ["PlanPeriod", "derive_plan_id", "find_period", "same_document"]

# How many lines after the title may hold the period line "(2019 – 2023)".
_TOP_LINES = 5
_PERIOD_LINE = re.compile(
    r"^\W*(?:(?:for|period|covering)\s+)?\(?\s*(?P<start>(?:19|20)\d\d)\s*(?:-|–|—|to)\s*"
    r"(?P<end>(?:19|20)\d\d)\s*\)?\W*$",
    re.IGNORECASE,
)
# A period the preamble gives as the plan's own: after "for/over/during the next|coming
# five years", "for the period (of)", "covering".
_OWN_PERIOD = re.compile(
    r"\b(?:(?:for|over|during|in|within)\s+the\s+(?:next|coming|following)\s+"
    r"(?:\w+[\s-]+){0,2}years?|(?:for|over|during)\s+the\s+(?:period|years)(?:\s+of)?|"
    r"cover(?:s|ing)?(?:\s+the\s+(?:period|years))?)\s*[,(]?\s*"
    r"(?P<start>(?:19|20)\d\d)\s*(?:-|–|—|to)\s*(?P<end>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PlanPeriod:
    """The period of a plan and where it was read: ``title``, ``top`` (a line near
    the top), ``preamble``, ``adopted`` (the year of adoption: ``end`` is None) or
    ``file`` (the file name)."""

    start: int
    end: int | None
    source: str

    @property
    def years(self) -> tuple[int, int | None]:
        return self.start, self.end


def find_period(
    title: str,
    top_lines: Sequence[str],
    preamble: Sequence[str],
    *,
    adopted: str | None = None,
    file_name: str = "",
) -> PlanPeriod | None:
    """The plan's period, from the first place of the genre's order that states it.

    ``top_lines`` are the lines after the title (the first few are read), ``preamble``
    the preamble paragraphs, ``adopted`` the ISO adoption date. Never raises.
    """
    found = PERIOD.search(title)
    if found:
        return PlanPeriod(int(found["start"]), int(found["end"]), "title")
    for line in top_lines[:_TOP_LINES]:
        found = _PERIOD_LINE.match(line)
        if found:
            return PlanPeriod(int(found["start"]), int(found["end"]), "top")
    for paragraph in preamble:
        found = _OWN_PERIOD.search(paragraph)
        if found:
            return PlanPeriod(int(found["start"]), int(found["end"]), "preamble")
    if adopted and re.match(r"(?:19|20)\d\d", adopted):
        return PlanPeriod(int(adopted[:4]), None, "adopted")
    found = PERIOD.search(file_name.replace("_", " "))
    if found:
        return PlanPeriod(int(found["start"]), int(found["end"]), "file")
    return None


def derive_plan_id(
    title: str, start: int | None, end: int | None, *, fallback: str = "plan"
) -> str:
    """``asean-{partner}-{start}-{end}``; parts that are unknown are left out.

    The partner is :func:`~aseankg.extract.partners.find_partner`'s (its
    ``plan_stem``: ``asean-plus-three`` for ASEAN Plus Three). An ``end`` of None
    leaves the start year alone (a period known only from the adoption date). When the
    title names no partner and no period, the slug of ``fallback`` (the file name, say)
    is the id. Never raises.
    """
    partner = find_partner(title)
    parts = [partner.plan_stem] if partner else ["asean"]
    if start is not None:
        parts.append(str(start))
        if end is not None:
            parts.append(str(end))
    if partner is None and start is None:
        return slugify(fallback) or "plan"
    return "-".join(parts)


def same_document(first: Sequence[tuple[str, str]], second: Sequence[tuple[str, str]]) -> bool:
    """Whether two plans that claim one id are one document in two formats: the same
    action lines, (id, text) in order. Two documents that differ are two plans, and a
    build that meets both must name both files. Never raises."""
    return list(first) == list(second)
