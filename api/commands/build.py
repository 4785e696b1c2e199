"""``aseankg build [PATH ...] --store DIR``: build the graph of plans into the store."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from aseankg.api.commands.plan_option import PlanIdOption
from aseankg.api.commands.store_errors import STORE_HELP, check_store_option, reading_store
from aseankg.graph.iris import DEFAULT_BASE
from aseankg.graph.store import DEFAULT_STORE

if TYPE_CHECKING:  # the build's modules (rdflib, SHACL, spaCy) load when a build runs
    from aseankg.graph.build import BuildSummary
    from aseankg.graph.shards import Shard

__all__ = [
    "ProgressDisplay",
    "build",
    "documents_line",
    "editions_line",
    "register",
    "render_summary",
]


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


def _status(shard: Shard) -> str:
    if shard.failed:
        return f"failed: {shard.error}"
    if shard.reused:
        return f"unchanged, shard reused: {shard.plan}"
    return f"built {shard.plan}"


class ProgressDisplay:
    """The progress of a build's documents on ``stream``: a bar on a terminal, one plain
    line per document otherwise (nothing for a single document)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.total = 0
        self._bar: Any = None

    def __call__(self, done: int, total: int, shard: Shard) -> None:
        self.total = total
        if total < 2:
            return
        if not self.tty:
            print(
                f"[{done}/{total}] {shard.source}: {_status(shard)}", file=self.stream, flush=True
            )
            return
        if self._bar is None:
            from tqdm import tqdm

            columns, rows = self._size()
            self._bar = tqdm(total=total, unit="doc", file=self.stream, ncols=columns, nrows=rows)
        if shard.failed:
            self._bar.write(f"{shard.source}: {_status(shard)}", file=self.stream)
        self._bar.set_postfix_str(shard.plan or shard.source, refresh=False)
        self._bar.update(1)

    def _size(self) -> tuple[int, int]:
        """The terminal's (columns, rows); a terminal that tells no size (0) gets 80 x 24
        (tqdm draws nothing on a terminal of 0 rows)."""
        try:
            size = os.get_terminal_size(self.stream.fileno())
        except (OSError, ValueError):
            return 80, 24
        return size.columns or 80, size.lines or 24

    def stage(self, what: str) -> None:
        """A step of the global stage starts (after the documents): one line, for a build
        of several documents."""
        self.close()
        if self.total > 1:
            print(f"aseankg: {what} ...", file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def documents_line(summary: BuildSummary) -> str:
    """One line: how many documents this build made a shard for, and found unchanged."""
    return (
        f"documents: {summary.built + summary.reused}: {summary.built} built, "
        f"{summary.reused} unchanged (shard reused), 0 failed"
    )


def editions_line(summary: BuildSummary) -> str:
    """One line: how many edition pairs this build aligned, and reused unchanged."""
    return (
        f"editions: {summary.editions_recomputed} pair(s) recomputed, "
        f"{summary.editions_reused} reused"
    )


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
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Local processes making the documents' shards. Default: the CPU cores "
            "(fewer for a few documents: one per 4 to make).",
        ),
    ] = None,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="tcp://HOST:PORT",
            help="Make the shards on the Dask cluster of this scheduler instead (its "
            "workers run the same aseankg and see the files and the shard folder).",
        ),
    ] = None,
    shards: Annotated[
        str | None,
        typer.Option(
            "--shards",
            metavar="DIR",
            help="The shard folder (a cache of one N-Quads file per document). "
            "Default: STORE/shards.",
        ),
    ] = None,
) -> None:
    """Build the graph of the given plans into the store, validated, swapped in atomically.

    Each document becomes a shard: parsed, its mentions extracted, converted to RDF with
    provenance, checked with SHACL, written as N-Quads named by a digest of its bytes and
    of the software, ontology, base and SOURCE_DATE_EPOCH (an unchanged document's shard
    is reused), on --jobs local processes or a --dask cluster. The new store is then
    bulk-loaded from the shards, checked across nodes (quotes against offsets, unique
    notations) and only then replaces the previous one. Plans already in the store are
    kept unless --replace (with no paths, --replace builds data/sources/ alone, from
    empty); removing a plan is `aseankg remove PLAN`. The partnerships, editions and
    continuity of all plans are recomputed on every build. Exit 3, leaving the previous
    store, when validation fails.
    """
    from aseankg.graph.build import build_plans
    from aseankg.graph.rebuild import rebuild_store
    from aseankg.graph.shards import dask_executor

    progress = ProgressDisplay(sys.stderr)
    with contextlib.ExitStack() as stack:
        stack.callback(progress.close)
        executor = stack.enter_context(dask_executor(dask)) if dask is not None else None
        stack.enter_context(reading_store(store))  # the kept plans are read from the store
        if not paths and not replace and plan_id is None:
            summary = rebuild_store(
                store=store,
                base=base,
                progress=progress,
                allow_partial=allow_partial,
                jobs=jobs,
                executor=executor,
                shards=shards,
                stage=progress.stage,
            )
        else:
            summary = build_plans(
                paths or [],
                store=store,
                replace=replace,
                plan_id=plan_id,
                base=base,
                progress=progress,
                allow_partial=allow_partial,
                jobs=jobs,
                executor=executor,
                shards=shards,
                stage=progress.stage,
            )
    for warning in summary.warnings:
        print(f"aseankg: warning: {warning}", file=sys.stderr)
    if summary.built + summary.reused > 1:
        print(f"aseankg: {documents_line(summary)}", file=sys.stderr)
        print(f"aseankg: {editions_line(summary)}", file=sys.stderr)
        stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in summary.timings.items())
        print(f"aseankg: stages: {stages}", file=sys.stderr)
    sys.stdout.write(render_summary(summary))


def register(app: typer.Typer) -> None:
    """Add the ``build`` command to ``app``."""
    app.command("build")(build)
