"""Build the store from plans: parse, extract, convert, validate, bulk load, swap.

A build streams one plan at a time: records -> quads -> SHACL on that plan's graph ->
N-Quads appended to a spool file in the new build directory. The graphs of the plans it
keeps are copied from the current store into the spool; the ontology, authority and build
graphs are added; the spool is bulk-loaded into a new on-disk Oxigraph store, the
cross-node checks run on it as SPARQL, and only then is it swapped in
(``aseankg.graph.store``). Memory holds one plan's graph at a time.

>>> summary = build_plans(["data/sources/asean-canada-poa-2021-2025.txt"], store=tmp / "store")
>>> [(plan.plan, plan.action_lines) for plan in summary.plans]
[('asean-canada-2021-2025', 106)]
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pyoxigraph import NamedNode, Quad, RdfFormat, serialize

from aseankg.extract.plan_id import same_document
from aseankg.extract.records import Plan, PlanExtraction
from aseankg.graph.convert import convert_plan
from aseankg.graph.editions import link_editions
from aseankg.graph.errors import GraphError, StoreError, ValidationError
from aseankg.graph.iris import DEFAULT_BASE, Minter
from aseankg.graph.packaged import PackagedGraph, authority_graph, ontology_graph
from aseankg.graph.provenance import (
    BuildStamp,
    build_stamp,
    plan_build_iri,
    plan_provenance,
    store_provenance,
)
from aseankg.graph.store import (
    DEFAULT_STORE,
    BuildSession,
    Manifest,
    ManifestPlan,
    ReadStore,
    StoreLocation,
    current_build,
    start_build,
    store_name,
)
from aseankg.graph.validate import PlanValidator, cross_node_violations, duplicate_notation

__all__ = [
    "DEFAULT_SOURCES",
    "SOURCE_SUFFIXES",
    "BuildSummary",
    "PlanSummary",
    "Progress",
    "Records",
    "build_plans",
    "build_records",
    "plan_files",
    "read_records",
]

DEFAULT_SOURCES = Path("data/sources")
SOURCE_SUFFIXES = (".txt", ".docx", ".pdf")

Records = tuple[Plan, PlanExtraction | None]
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PlanSummary:
    """One plan graph of the store after a build."""

    plan: str
    graph: str
    action_lines: int
    mentions: int
    candidates: int
    triples: int
    sha256: str
    build: str
    built: bool = True
    source: str = ""

    def manifest_entry(self) -> ManifestPlan:
        return ManifestPlan(
            plan=self.plan,
            graph=self.graph,
            action_lines=self.action_lines,
            mentions=self.mentions,
            candidates=self.candidates,
            triples=self.triples,
            sha256=self.sha256,
            build=self.build,
            source=self.source,
        )


@dataclass(frozen=True)
class BuildSummary:
    """What a build put in the store (all plans, the kept ones with ``built=False``)."""

    store: str
    version: str
    plans: tuple[PlanSummary, ...]
    triples: int
    seconds: float
    built_at: str
    software: str
    warnings: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def action_lines(self) -> int:
        return sum(plan.action_lines for plan in self.plans)

    @property
    def mentions(self) -> int:
        return sum(plan.mentions for plan in self.plans)

    @property
    def candidates(self) -> int:
        return sum(plan.candidates for plan in self.plans)


def plan_files(folder: Path = DEFAULT_SOURCES) -> list[Path]:
    """Every plan file in ``folder``: by name, and for one name .txt, then .docx, then .pdf.

    Raises:
        GraphError: the folder holds no plan file.
    """
    paths = sorted(
        (p for p in folder.glob("*") if p.suffix.lower() in SOURCE_SUFFIXES),
        key=lambda p: (p.stem, SOURCE_SUFFIXES.index(p.suffix.lower())),
    )
    if not paths:
        raise GraphError(f"no plan files (.txt, .docx, .pdf) in {folder}")
    return paths


def read_records(
    paths: Sequence[str | os.PathLike[str]],
    *,
    plan_id: str | None = None,
    allow_partial: bool = False,
) -> Iterator[Records]:
    """Parse and extract each file in turn (lazily, so a build streams).

    Raises:
        ExtractError: a file cannot be read or has no plan structure.
        GraphError: ``plan_id`` is given with more than one path.
    """
    # imported here: spaCy takes a second to import, and only builds need it
    from aseankg.extract.extractor import extract_plan
    from aseankg.extract.parser import parse_plan

    if plan_id is not None and len(paths) != 1:
        raise GraphError("--plan-id names the plan of one file: give exactly one path")
    for path in paths:
        plan = parse_plan(Path(path), plan_id=plan_id, allow_partial=allow_partial)
        yield plan, extract_plan(plan)


def _lines_of(plan: Plan) -> list[tuple[str, str]]:
    return [(line.id, line.text) for line in plan.action_lines]


def _count_candidates(extraction: PlanExtraction | None) -> int:
    if extraction is None:
        return 0
    ids = {(c.entity_type, c.id) for c in extraction.candidates}
    ids |= {
        (m.entity_type, m.entity_id)
        for line in extraction.lines
        for m in line.mentions
        if m.status == "candidate"
    }
    return len(ids)


def _count_mentions(extraction: PlanExtraction | None) -> int:
    if extraction is None:
        return 0
    return sum(1 for line in extraction.lines for m in line.mentions if not m.nested)


def _graph_digest(lines: list[str]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


class _Spool:
    """N-Quads files in the build directory, a new one every ``CHUNK_BYTES``.

    Each file is bulk-loaded on its own: Oxigraph's bulk loader holds a whole batch in
    memory, so loading in chunks keeps a build's memory independent of the corpus size.
    Files are only rotated between whole graphs (``rotate``), never inside a line.
    """

    CHUNK_BYTES = 64 * 2**20

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.paths: list[Path] = []
        self._file: IO[bytes] | None = None
        self._size = 0
        self._open()

    def _open(self) -> None:
        path = self.folder / f"load-{len(self.paths):05d}.nq"
        self.paths.append(path)
        self._file = open(path, "wb")  # noqa: SIM115 - closed in rotate()/close()
        self._size = 0

    def write(self, data: bytes) -> int:
        assert self._file is not None
        self._size += len(data)
        return self._file.write(data)

    def rotate(self) -> None:
        """Start a new file if the current one is full."""
        if self._size >= self.CHUNK_BYTES:
            self.close()
            self._open()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def remove(self) -> None:
        self.close()
        for path in self.paths:
            path.unlink(missing_ok=True)


def _write(spool: _Spool, quads: Iterable[Quad]) -> list[str]:
    """Write ``quads`` as sorted, deduplicated N-Quads lines; return the lines."""
    lines = sorted({f"{quad} .\n" for quad in quads})
    spool.write("".join(lines).encode("utf-8"))
    return lines


class _Builder:
    def __init__(
        self, store: StoreLocation, *, replace: bool, minter: Minter, stamp: BuildStamp
    ) -> None:
        self.root = store
        self.replace = replace
        self.iris = minter
        self.stamp = stamp
        self.ontology: PackagedGraph = ontology_graph(minter)
        self.authority: PackagedGraph = authority_graph(minter)
        self.validator = PlanValidator(self.ontology.quads + self.authority.quads)
        self.described = frozenset(
            quad.subject.value
            for quad in self.authority.quads
            if isinstance(quad.subject, NamedNode)
        )
        self.summaries: dict[str, PlanSummary] = {}
        self.sources: dict[str, str] = {}
        self.lines: dict[str, list[tuple[str, str]]] = {}
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.first_file_wins = False
        self.drop: frozenset[str] = frozenset()

    def add_plan(self, spool: _Spool, plan: Plan, extraction: PlanExtraction | None) -> None:
        if plan.plan in self.summaries and self.summaries[plan.plan].built:
            if self.first_file_wins and same_document(
                self.lines.get(plan.plan, []), _lines_of(plan)
            ):
                self.warnings.append(
                    f"{plan.plan}: {plan.source.path} left out, the plan is already built "
                    f"from {self.sources[plan.plan]}"
                )
                return
            raise GraphError(
                f"two files give the plan {plan.plan}: {self.sources[plan.plan]} and "
                f"{plan.source.path}; build them separately or use --plan-id"
            )
        if not plan.action_lines:
            raise GraphError(
                f"{plan.source.path}: no action lines found, so there is "
                f"nothing to build: the store and its plan {plan.plan} are left as they were"
            )
        duplicate = duplicate_notation(plan)
        if duplicate is not None:
            raise ValidationError(f"{plan.source.path}: {duplicate}")
        if extraction is not None and extraction.plan != plan.plan:
            extraction = PlanExtraction(plan.plan, extraction.lines, extraction.candidates)
        notes: list[str] = []
        quads = convert_plan(
            plan, extraction, minter=self.iris, warnings=notes, known=self.described
        )
        self.warnings.extend(f"{plan.plan}: {note}" for note in (*plan.warnings, *notes))
        quads += plan_provenance(plan, self.stamp, self.iris)
        report = self.validator.validate(quads)
        if report is not None:
            self.problems.append(f"SHACL, plan {plan.plan} ({plan.source.path}):\n{report}")
        lines = _write(spool, quads)
        spool.rotate()
        self.sources[plan.plan] = plan.source.path
        self.lines[plan.plan] = _lines_of(plan)
        self.summaries[plan.plan] = PlanSummary(
            plan=plan.plan,
            graph=self.iris.plan_graph(plan.plan),
            action_lines=len(plan.action_lines),
            mentions=_count_mentions(extraction),
            candidates=_count_candidates(extraction),
            triples=len(lines),
            sha256=_graph_digest(lines),
            build=plan_build_iri(plan, self.stamp, self.iris),
            source=os.path.abspath(plan.source.path),
        )

    def keep_previous(self, spool: _Spool) -> None:
        """Copy the graphs of the current store's plans this build does not replace."""
        current = None if self.replace else current_build(self.root)
        if current is None:
            return
        manifest = current.manifest
        if manifest.base and manifest.base != self.iris.base:
            raise StoreError(
                f"the store at {store_name(self.root)} uses the base {manifest.base}; "
                "rebuild it with --replace to change the base"
            )
        previous = current.open()
        for entry in manifest.plans:
            plan = entry.plan
            if plan in self.summaries or plan in self.drop:
                continue
            graph = NamedNode(entry.graph)
            data = serialize(
                previous.quads_for_pattern(None, None, None, graph), format=RdfFormat.N_QUADS
            )
            spool.write(data or b"")
            spool.rotate()
            self.summaries[plan] = PlanSummary(
                plan=plan,
                graph=graph.value,
                action_lines=entry.action_lines,
                mentions=entry.mentions,
                candidates=entry.candidates,
                triples=entry.triples,
                sha256=entry.sha256,
                build=entry.build,
                built=False,
                source=entry.source,
            )

    def add_shared(self, spool: _Spool) -> str:
        """Write the ontology, authority and build graphs; return the store's version."""
        _write(spool, self.ontology.quads)
        _write(spool, self.authority.quads)
        pairs = [(s.graph, s.build) for s in self.summaries.values() if s.build]
        build_lines = _write(spool, store_provenance(pairs, self.stamp, self.iris))
        parts = sorted(f"{s.graph} {s.sha256}" for s in self.summaries.values())
        parts += [f"ontology {self.ontology.sha256}", f"authority {self.authority.sha256}"]
        parts.append(f"build {_graph_digest(build_lines)}")
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def build_records(
    records: Iterable[Records],
    *,
    store: StoreLocation = DEFAULT_STORE,
    replace: bool = False,
    base: str = DEFAULT_BASE,
    progress: Progress | None = None,
    total: int = 0,
    first_file_wins: bool = False,
    drop: Collection[str] = (),
) -> BuildSummary:
    """Build the store at ``store`` from plan records, keeping its other plans but those
    named in ``drop`` (``aseankg remove``).

    With ``replace`` the new store holds only ``records``. The previous store stays the
    current one unless every step succeeds. Two records of one plan are an error, unless
    ``first_file_wins`` (the default build of ``data/sources/``, where a plan's .txt and
    its .pdf may sit side by side): then the later one is left out with a warning.

    Raises:
        ValidationError: a plan graph fails SHACL or the store fails a cross-node check.
        StoreError: the store cannot be written or swapped in.
        ExtractError: reading a plan failed (when ``records`` parses lazily).
        GraphError: two records give the same plan id.
    """
    started = time.monotonic()
    minter = Minter(base)
    stamp = build_stamp()
    builder = _Builder(store, replace=replace, minter=minter, stamp=stamp)
    builder.first_file_wins = first_file_wins
    builder.drop = frozenset(drop)
    timings: dict[str, float] = {}
    with start_build(store) as build:
        spool = _Spool(build.workdir)
        try:
            for index, (plan, extraction) in enumerate(records, start=1):
                if progress is not None:
                    progress(index, total, plan.plan)
                builder.add_plan(spool, plan, extraction)
            if builder.problems:
                raise ValidationError(
                    f"{len(builder.problems)} plan graph(s) fail SHACL validation",
                    "\n".join(builder.problems),
                )
            builder.keep_previous(spool)
            version = builder.add_shared(spool)
            spool.close()
            timings["plans"] = time.monotonic() - started
            triples = _load(
                build,
                spool.paths,
                timings,
                cross_plan=lambda new: link_editions(
                    new, minter, validate=builder.validator.validate
                ),
            )
        finally:
            spool.remove()
        plans = tuple(sorted(builder.summaries.values(), key=lambda s: s.plan))
        manifest = Manifest(
            version=version,
            built=stamp.iso_time,
            plans=tuple(plan.manifest_entry() for plan in plans),
            software=stamp.version,
            base=minter.base,
            triples=triples,
        )
        build.commit(manifest)
    return BuildSummary(
        store=store_name(store),
        version=version,
        plans=plans,
        triples=triples,
        seconds=time.monotonic() - started,
        built_at=stamp.iso_time,
        software=stamp.version,
        warnings=tuple(builder.warnings),
        timings=timings,
    )


def _load(
    build: BuildSession,
    spool: list[Path],
    timings: dict[str, float],
    *,
    cross_plan: Callable[[ReadStore], object] | None = None,
) -> int:
    """Bulk-load the spool files into the new build, run the cross-plan step
    (partnerships, editions, continuity: ``aseankg.graph.editions``), then the cross-node
    checks on it.

    Raises:
        ValidationError: the cross-plan step's graph or a cross-node check fails.
        StoreError: the store cannot be written.
    """
    started = time.monotonic()
    build.load(spool)
    timings["load"] = time.monotonic() - started
    store = build.reader()
    if cross_plan is not None:
        started = time.monotonic()
        cross_plan(store)
        timings["editions"] = time.monotonic() - started
    started = time.monotonic()
    problems = cross_node_violations(store)
    timings["checks"] = time.monotonic() - started
    triples = len(store)
    if problems:
        raise ValidationError(
            f"the new store fails {len(problems)} cross-node check(s)", "\n".join(problems)
        )
    return triples


def build_plans(
    paths: Sequence[str | os.PathLike[str]],
    *,
    store: StoreLocation = DEFAULT_STORE,
    replace: bool = False,
    plan_id: str | None = None,
    base: str = DEFAULT_BASE,
    progress: Progress | None = None,
    allow_partial: bool = False,
) -> BuildSummary:
    """Parse, extract and build the plans at ``paths`` into the store at ``store``.

    ``allow_partial`` accepts plans whose text was not all read (the graph records
    their coverage and the warning in the plan's provenance) instead of failing.

    No ``paths`` builds the store from every file in ``data/sources/``, from empty (a
    plan found in several files is built from the first: .txt, then .docx, then .pdf).
    ``aseankg build`` without paths is :func:`aseankg.graph.rebuild.rebuild_store`
    instead, which also rebuilds the plans the store holds.

    Raises:
        ValidationError: the new graph fails validation (the previous store stays).
        ExtractError: a file cannot be read or has no plan structure.
        StoreError: the store cannot be written or swapped in.
        GraphError: ``plan_id`` with several paths, or two files give the same plan.
    """
    default = not paths
    if default:
        paths = plan_files()
        replace = True
    missing = [os.fspath(p) for p in paths if not Path(p).is_file()]
    if missing:
        raise GraphError(f"no such file: {missing[0]}")
    if plan_id is not None and len(paths) != 1:
        raise GraphError("--plan-id names the plan of one file: give exactly one path")
    return build_records(
        read_records(paths, plan_id=plan_id, allow_partial=allow_partial),
        store=store,
        replace=replace,
        base=base,
        progress=progress,
        total=len(paths),
        first_file_wins=default,
    )
