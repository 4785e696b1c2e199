"""``aseankg export --store DIR --format FORMAT``: dump the graph or the mentions table."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aseankg.api.commands.store_errors import STORE_HELP, check_store_option, reading_store
from aseankg.graph.store import DEFAULT_STORE, open_store

__all__ = ["export", "register"]


def export(
    store: Annotated[
        str, typer.Option("--store", help=STORE_HELP, callback=check_store_option)
    ] = str(DEFAULT_STORE),
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="trig or nq (with the named graphs), ttl, nt or jsonld (their union), "
            "or csv (the mentions table).",
        ),
    ] = "trig",
) -> None:
    """Write the whole graph to stdout, sorted, so equal builds give equal bytes."""
    from aseankg.graph.serialize import EXPORT_FORMATS, export_store

    if format not in EXPORT_FORMATS:
        raise typer.BadParameter(
            f"{format!r} is not one of {', '.join(EXPORT_FORMATS)}", param_hint="--format"
        )
    with reading_store(store):
        export_store(open_store(store), sys.stdout.buffer, format)
        sys.stdout.buffer.flush()


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to ``app``."""
    app.command("export")(export)
