"""Rebuilding and removing plans of a store: ``aseankg build`` without paths, ``aseankg
remove PLAN``.

Every build records each plan's source file (its absolute path) in the manifest. A build
without paths rebuilds every plan the store holds from that file, under the same plan id,
plus every file of ``data/sources/``; a plan whose file is gone (or that was built before
sources were recorded) is kept as it was built, with a warning: a plan added with
``aseankg build PATH`` never disappears in silence. Removing is explicit.

>>> try:
...     remove_plans(["asean-mars-2031-2035"], store=seed_store)
... except GraphError as exc:
...     print(str(exc).split(" in the store")[0], "|", str(exc).split("(")[-1])
no plan 'asean-mars-2031-2035' | it holds: asean-canada-2021-2025)
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection
from concurrent.futures import Executor
from pathlib import Path

from aseankg.graph.build import (
    DEFAULT_SOURCES,
    SOURCE_SUFFIXES,
    BuildSummary,
    Progress,
    Stage,
    build_documents,
    build_records,
)
from aseankg.graph.errors import GraphError
from aseankg.graph.iris import DEFAULT_BASE
from aseankg.graph.store import DEFAULT_STORE, ManifestPlan, current_build

__all__ = ["rebuild_store", "remove_plans"]


def _folder_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES),
        key=lambda p: (p.stem, SOURCE_SUFFIXES.index(p.suffix.lower())),
    )


def _stored(
    entries: Collection[ManifestPlan], folder_files: list[Path]
) -> tuple[list[ManifestPlan], list[str]]:
    """The stored plans to rebuild from their recorded source, and a warning per plan kept
    as built."""
    seen = {os.path.realpath(p) for p in folder_files}
    rebuild: list[ManifestPlan] = []
    notes: list[str] = []
    for entry in entries:
        if not entry.source:
            notes.append(f"{entry.plan}: no source file recorded, kept as built")
        elif not Path(entry.source).is_file():
            notes.append(
                f"{entry.plan}: its source {entry.source} is gone, kept as built "
                f"(`aseankg remove {entry.plan}` removes it)"
            )
        elif os.path.realpath(entry.source) not in seen:
            rebuild.append(entry)
    return rebuild, notes


def rebuild_store(
    *,
    store: str | os.PathLike[str] = DEFAULT_STORE,
    sources: str | os.PathLike[str] = DEFAULT_SOURCES,
    base: str = DEFAULT_BASE,
    progress: Progress | None = None,
    allow_partial: bool = False,
    jobs: int | None = 1,
    executor: Executor | None = None,
    shards: str | os.PathLike[str] | None = None,
    stage: Stage | None = None,
) -> BuildSummary:
    """Rebuild every plan of the store from its recorded source, plus every file of
    ``sources`` (a plan found in several files is built from the first: ``sources`` by
    name, .txt before .docx before .pdf, then the stored ones). The documents become
    shards like any build's (``jobs``, ``executor``, ``shards``: see
    :func:`~aseankg.graph.build.build_documents`).

    Raises:
        GraphError: neither the store nor ``sources`` holds a plan, or two different
            documents give one plan id.
        ValidationError, ExtractError, StoreError: as :func:`~aseankg.graph.build.build_records`.
    """
    current = current_build(store)
    entries = current.manifest.plans if current is not None else ()
    folder_files = _folder_files(Path(sources))
    stored, notes = _stored(entries, folder_files)
    if not folder_files and not entries:
        raise GraphError(f"no plan files (.txt, .docx, .pdf) in {os.fspath(sources)}")

    summary = build_documents(
        [*folder_files, *(entry.source for entry in stored)],
        plan_ids=[*(None for _ in folder_files), *(entry.plan for entry in stored)],
        store=store,
        base=base,
        progress=progress,
        allow_partial=allow_partial,
        jobs=jobs,
        executor=executor,
        shards=shards,
        first_file_wins=True,
        stage=stage,
    )
    return dataclasses.replace(summary, warnings=(*notes, *summary.warnings))


def remove_plans(
    plans: Collection[str],
    *,
    store: str | os.PathLike[str] = DEFAULT_STORE,
    base: str = DEFAULT_BASE,
) -> BuildSummary:
    """A new build of the store without ``plans`` (the others kept as they are; the
    partnerships and continuity recomputed), swapped in like any build.

    Raises:
        StoreError: there is no store at ``store``.
        GraphError: a plan is not in the store (the message lists those it holds).
        ValidationError: the new store fails a cross-node check.
    """
    current = current_build(store)
    if current is None:
        raise GraphError(f"no store at {os.fspath(store)}: nothing to remove")
    held = [entry.plan for entry in current.manifest.plans]
    for plan in plans:
        if plan not in held:
            known = ", ".join(held) or "none"
            raise GraphError(
                f"no plan {plan!r} in the store at {os.fspath(store)} (it holds: {known})"
            )
    return build_records(iter(()), store=store, base=current.manifest.base or base, drop=plans)
