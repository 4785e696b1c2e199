"""The id of a plan: a slug of the dialogue partner and the period, taken from the title.

>>> derive_plan_id("2021-2025 Plan of Action ... ASEAN-Canada Enhanced Partnership", 2021, 2025)
'asean-canada-2021-2025'
"""

from __future__ import annotations

from aseankg.extract.partners import find_partner, slugify

__all__ = ["derive_plan_id"]


def derive_plan_id(
    title: str, start: int | None, end: int | None, *, fallback: str = "plan"
) -> str:
    """``asean-{partner}-{start}-{end}``; parts that the title lacks are left out.

    The partner is :func:`~aseankg.extract.partners.find_partner`'s slug. When the title
    names no partner and no period, the slug of ``fallback`` (the file name, say) is the
    id. Never raises.
    """
    parts = ["asean"]
    partner = find_partner(title)
    if partner:
        parts.append(partner.slug)
    if start is not None and end is not None:
        parts.extend((str(start), str(end)))
    if len(parts) == 1:
        return slugify(fallback) or "plan"
    return "-".join(parts)
