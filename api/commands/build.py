"""``aseankg build [PATH ...] --store DIR``: build the graph of plans into the store."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from aseankg.api.commands.plan_option import PlanIdOption
from aseankg.api.commands.store_errors import STORE_HELP, check_store_option, reading_store
from aseankg.graph.iris import DEFAULT_BASE
from aseankg.graph.store import DEFAULT_STORE

if TYPE_CHECKING:  # the build's modules (rdflib, pySHACL) load when a build runs
    from aseankg.graph.build import BuildSummary

__all__ = ["build", "register", "render_summary"]


def render_summary(summary: BuildSummary) -> str:
    """The summary table of a build: one row per plan, then the totals."""
    header = ("plan", "action lines", "mentions", "candidates", "triples", "")
    rows = [
        (
            p.plan,
            str(p.action_lines),
            str(p.mentions),
            str(p.candidates),
            str(p.triples),
            "built" if p.built else "kept",
        )
        for p in summary.plans
    ]
    rows.append(
        (
            f"total: {len(summary.plans)} plan{'s' if len(summary.plans) != 1 else ''}",
            str(summary.action_lines),
            str(summary.mentions),
            str(summary.candidates),
            f"{summary.triples} in store",
            f"{summary.seconds:.2f} s",
        )
    )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0])] + [
            v.rjust(w) for v, w in zip(row[1:], widths[1:], strict=True)
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return (
        "\n".join([line(header), rule, *(line(r) for r in rows[:-1]), rule, line(rows[-1])]) + "\n"
    )


def _progress(index: int, total: int, plan: str) -> None:
    if total > 1:
        print(f"[{index}/{total}] {plan}", file=sys.stderr, flush=True)


def build(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Plan files (.txt, .docx, .pdf) to add or replace in the store. "
            "None: rebuild every plan the store holds from its recorded source file, plus "
            "every file in data/sources/ (a plan whose file is gone is kept, with a warning)."
        ),
    ] = None,
    store: Annotated[
        str, typer.Option("--store", help=STORE_HELP, callback=check_store_option)
    ] = str(DEFAULT_STORE),
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Start from an empty store instead of keeping its other plans."
        ),
    ] = False,
    plan_id: PlanIdOption = None,
    base: Annotated[str, typer.Option("--base", help="The base of the data IRIs.")] = DEFAULT_BASE,
    allow_partial: Annotated[
        bool,
        typer.Option(
            "--allow-partial",
            help="Accept plans whose text was not all read; the graph records their "
            "coverage and the warning in the plan's provenance.",
        ),
    ] = False,
) -> None:
    """Build the graph of the given plans into the store, validated, swapped in atomically.

    Each plan is parsed, its mentions extracted, converted to RDF with provenance, and
    checked with SHACL; the new store is then bulk-loaded, checked across nodes (quotes
    against offsets, unique notations) and only then replaces the previous one. Plans
    already in the store are kept unless --replace (with no paths, --replace builds
    data/sources/ alone, from empty); removing a plan is `aseankg remove PLAN`. The
    partnerships, editions and continuity of all plans are recomputed on every build.
    Exit 3, leaving the previous store, when validation fails.
    """
    from aseankg.graph.build import build_plans
    from aseankg.graph.rebuild import rebuild_store

    with reading_store(store):  # the plans it keeps are read from the current store
        if not paths and not replace and plan_id is None:
            summary = rebuild_store(
                store=store, base=base, progress=_progress, allow_partial=allow_partial
            )
        else:
            summary = build_plans(
                paths or [],
                store=store,
                replace=replace,
                plan_id=plan_id,
                base=base,
                progress=_progress,
                allow_partial=allow_partial,
            )
    for warning in summary.warnings:
        print(f"aseankg: warning: {warning}", file=sys.stderr)
    sys.stdout.write(render_summary(summary))


def register(app: typer.Typer) -> None:
    """Add the ``build`` command to ``app``."""
    app.command("build")(build)
