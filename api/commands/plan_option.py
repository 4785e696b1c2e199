"""The ``--plan-id`` option of ``parse`` and ``build``: a plan id is a lowercase slug.

A plan id is the last segment of the plan's IRIs (``…/plan/asean-canada-2021-2025``), so
it is held to the form the title-derived ids have: lowercase ASCII letters and digits in
words joined by single hyphens. Anything else is a usage error (exit 2), never an IRI
with ``%20`` in it.

>>> check_plan_id("asean-canada-2021-2025")
'asean-canada-2021-2025'
"""

from __future__ import annotations

import re
from typing import Annotated

import typer

__all__ = ["PLAN_ID", "PlanIdOption", "check_plan_id"]

PLAN_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MAX_CHARS = 100


def check_plan_id(value: str | None) -> str | None:
    """``value`` when it is a plan id (or None).

    Raises:
        typer.BadParameter: ``value`` is not a lowercase slug of at most 100 characters.
    """
    if value is None:
        return None
    if len(value) > _MAX_CHARS or PLAN_ID.fullmatch(value) is None:
        shown = value if len(value) <= 40 else value[:39] + "…"
        raise typer.BadParameter(
            f"{shown!r} is not a plan id: use lowercase letters, digits and single hyphens "
            f"(a slug such as asean-canada-2021-2025, at most {_MAX_CHARS} characters)"
        )
    return value


PlanIdOption = Annotated[
    str | None,
    typer.Option(
        "--plan-id",
        help="The plan id to use instead of the one derived from the title (partner and "
        "period, e.g. asean-canada-2021-2025): a lowercase slug of letters, digits, hyphens.",
        callback=check_plan_id,
    ),
]
