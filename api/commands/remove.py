"""``aseankg remove PLAN ... --store DIR``: take plans out of the store."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aseankg.api.commands.build import render_summary
from aseankg.api.commands.store_errors import reading_store
from aseankg.graph.store import DEFAULT_STORE

__all__ = ["register", "remove"]


def remove(
    plans: Annotated[
        list[str],
        typer.Argument(help="Plan ids to remove (asean-canada-2021-2025), as `build` lists them."),
    ],
    store: Annotated[str, typer.Option("--store", help="The store directory.")] = str(
        DEFAULT_STORE
    ),
) -> None:
    """Remove plans from the store: a new build without them, validated and swapped in.

    The other plans are kept as they are; the partnerships, editions and continuity of
    the rest are recomputed. An unknown plan id is an error that lists the plans the store
    holds; nothing changes then. `aseankg build` without paths never removes a plan.
    """
    from aseankg.graph.rebuild import remove_plans

    with reading_store(store):
        summary = remove_plans(plans, store=store)
    for warning in summary.warnings:
        print(f"aseankg: warning: {warning}", file=sys.stderr)
    print(f"removed {', '.join(dict.fromkeys(plans))}", file=sys.stderr)
    sys.stdout.write(render_summary(summary))


def register(app: typer.Typer) -> None:
    """Add the ``remove`` command to ``app``."""
    app.command("remove")(remove)
