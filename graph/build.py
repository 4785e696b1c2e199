"""Build the store from plans: shards per document, then bulk load, global checks, swap.

The per-plan stage (parse, extract, convert, provenance, SHACL on that plan's graph) is
:func:`aseankg.graph.shards.build_shard`: one content-addressed N-Quads shard per
document, skipped when the document's shard exists, mapped through any
:class:`concurrent.futures.Executor` (this process, ``jobs`` local processes, or a Dask
cluster's executor). The global stage runs here, once: the shards are concatenated into
spool files in the new build directory with the graphs of the plans the store keeps and
the ontology, authority and build graphs; the spool is bulk-loaded into a new on-disk
Oxigraph store, the cross-node checks run on it as SPARQL, and only then is it swapped in
(``aseankg.graph.store``). A document that fails fails the build, after every document
was tried (all failures are reported); the previous store stays the current one.

>>> summary = build_plans(["data/sources/asean-canada-poa-2021-2025.txt"], store=tmp / "store")
>>> [(plan.plan, plan.action_lines) for plan in summary.plans]
[('asean-canada-2021-2025', 106)]
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeAlias

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, serialize

from aseankg.extract.errors import ExtractError
from aseankg.extract.plan_id import same_document
from aseankg.extract.records import Plan, PlanExtraction
from aseankg.graph.backends.folder import BuildDirectory, FolderBackend
from aseankg.graph.editions import EditionsCache, EditionsSummary, editions_version, link_editions
from aseankg.graph.errors import GraphError, StoreError, ValidationError
from aseankg.graph.facts import EditionFacts, merge_facts
from aseankg.graph.iris import DEFAULT_BASE, Minter
from aseankg.graph.packaged import PackagedGraph, authority_graph, ontology_graph
from aseankg.graph.provenance import BuildStamp, build_stamp, store_provenance
from aseankg.graph.shards import (
    PlanGraph,
    Shard,
    ShardProgress,
    ShardSettings,
    ShardTask,
    graph_digest,
    map_shards,
    plan_findings,
    render_plan,
    shard_lines,
    shard_settings,
)
from aseankg.graph.store import (
    DEFAULT_STORE,
    Build,
    BuildSession,
    Manifest,
    ManifestPlan,
    ReadStore,
    StoreLocation,
    current_build,
    open_backend,
    start_build,
    store_name,
)
from aseankg.graph.validate import (
    PlanValidator,
    Violation,
    cross_node_violations,
)

__all__ = [
    "DEFAULT_SOURCES",
    "DOCUMENTS_PER_WORKER",
    "ENGINE_SHARDS",
    "SHARDS",
    "SOURCE_SUFFIXES",
    "BuildSummary",
    "PlanSummary",
    "Progress",
    "Records",
    "Stage",
    "build_documents",
    "build_plans",
    "build_records",
    "default_jobs",
    "plan_files",
    "read_records",
    "shard_folder",
]

DEFAULT_SOURCES = Path("data/sources")
SOURCE_SUFFIXES = (".txt", ".docx", ".pdf")
#: the shard folder inside a store directory (a cache: safe to delete)
SHARDS = "shards"

Records = tuple[Plan, PlanExtraction | None]
#: ``progress(done, total, shard)``: called as each document's shard is made or found
Progress: TypeAlias = ShardProgress
#: ``stage(what)``: called as each step of the global stage starts
Stage: TypeAlias = Callable[[str], None]


def default_jobs() -> int:
    """The number of CPU cores this process may run on (the default of ``--jobs``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


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
    """What a build put in the store (all plans, the kept ones with ``built=False``);
    ``built`` and ``reused`` count this build's documents whose shard was made, or
    found unchanged."""

    store: str
    version: str
    plans: tuple[PlanSummary, ...]
    triples: int
    seconds: float
    built_at: str
    software: str
    warnings: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    built: int = 0
    reused: int = 0
    #: edition pairs aligned by this build, and those reused from the shard folder
    editions_recomputed: int = 0
    editions_reused: int = 0

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


_ActionLines: TypeAlias = list[tuple[str, str]]


def _lines_of(plan: Plan) -> _ActionLines:
    return [(line.id, line.text) for line in plan.action_lines]


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
        # for the cross-plan step's graph (editions); plans are validated by their shards
        self.validator = PlanValidator(self.ontology.quads + self.authority.quads)
        self.summaries: dict[str, PlanSummary] = {}
        self.sources: dict[str, str] = {}
        # each built plan's action lines, read only when another file claims its id
        self.lines: dict[str, Callable[[], _ActionLines]] = {}
        self.problems: list[str] = []
        # the violations of the checks inside one plan graph, found per plan
        self.plan_rows: list[Violation] = []
        # what the editions step reads of each plan graph, by plan (graph.facts)
        self.facts: dict[str, EditionFacts] = {}
        self.warnings: list[str] = []
        self.first_file_wins = False
        self.drop: frozenset[str] = frozenset()
        # graph -> sha256 of the plan graphs already in the store this build starts from
        # (a copy of the current one): a plan graph found there unchanged is not spooled
        self.base: dict[str, str] = {}
        # the edition pairs kept between builds (``shards/editions``), when there are shards
        self.editions: EditionsCache | None = None
        # where the edition pairs are aligned: a cluster's executor, else a local pool
        self.editions_executor: Executor | None = None
        self.editions_pool: Callable[[int], Executor | None] | None = None

    def _claim(self, plan: str, source: str, lines: Callable[[], _ActionLines]) -> bool:
        """Whether ``plan`` (read from ``source``, its action lines ``lines()``) is new in
        this build; a second file of one document (same action lines) is left out with a
        warning in the default build (``first_file_wins``).

        Raises:
            GraphError: another file of this build gave the same plan.
        """
        if plan in self.summaries and self.summaries[plan].built:
            if self.first_file_wins and same_document(self.lines[plan](), lines()):
                self.warnings.append(
                    f"{plan}: {source} left out, the plan is already built "
                    f"from {self.sources[plan]}"
                )
                return False
            raise GraphError(
                f"two files give the plan {plan}: {self.sources[plan]} and "
                f"{source}; build them separately or use --plan-id"
            )
        return True

    def _summary(
        self, entry: Shard | PlanGraph, source: str, lines: Callable[[], _ActionLines]
    ) -> None:
        self.sources[entry.plan] = source
        self.lines[entry.plan] = lines
        self.summaries[entry.plan] = PlanSummary(
            plan=entry.plan,
            graph=entry.graph,
            action_lines=entry.action_lines,
            mentions=entry.mentions,
            candidates=entry.candidates,
            triples=entry.triples,
            sha256=entry.sha256,
            build=entry.build,
            source=os.path.abspath(source),
        )

    def add_rendered(self, spool: _Spool, plan: Plan, rendered: PlanGraph) -> None:
        """Add one plan rendered in this process (its SHACL report, if any, to problems)."""
        source = plan.source.path
        lines = _lines_of(plan)
        if not self._claim(rendered.plan, source, lambda: lines):
            return
        self.warnings.extend(rendered.warnings)
        if rendered.report is not None:
            self.problems.append(f"SHACL, plan {rendered.plan} ({source}):\n{rendered.report}")
        self.plan_rows.extend(rendered.checks)
        self.facts[rendered.plan] = rendered.facts
        if self.base.get(rendered.graph) != rendered.sha256:
            spool.write("".join(rendered.lines).encode("utf-8"))
        spool.rotate()
        self._summary(rendered, source, lambda: lines)

    def add_shard(self, spool: _Spool, shard: Shard) -> None:
        """Copy one document's shard into the spool."""
        if not self._claim(shard.plan, shard.source_path, lambda: shard_lines(shard)):
            return
        self.warnings.extend(shard.warnings)
        self.plan_rows.extend(shard.checks)
        self.facts[shard.plan] = shard.facts
        try:
            if self.base.get(shard.graph) != shard.sha256:
                with open(shard.file, "rb") as data:
                    while chunk := data.read(2**20):
                        spool.write(chunk)
        except OSError as exc:
            raise StoreError(f"cannot read the shard of {shard.source}: {exc}") from exc
        spool.rotate()
        self._summary(shard, shard.source_path, lambda: shard_lines(shard))

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
            quads = list(previous.quads_for_pattern(None, None, None, graph))
            # checked again with this build's checks (they may have changed since)
            checks, self.facts[plan] = plan_findings(quads, self.iris.base)
            self.plan_rows.extend(checks)
            if self.base.get(entry.graph) != entry.sha256:
                data = serialize(quads, format=RdfFormat.N_QUADS)
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
        parts.append(f"build {graph_digest(build_lines)}")
        parts.append(f"editions {editions_version()}")  # the method, not only the plans
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _fail(shards: Sequence[Shard]) -> None:
    """Raise the error of the failed documents (one: its own error; several: the first,
    with the count), after every document was tried.

    Raises:
        ValidationError: every failure is a validation failure (SHACL, duplicate numbers).
        ExtractError: the first failure is a document that cannot be read or parsed.
        GraphError: the first failure is a document with nothing to build.
    """
    failed = [shard for shard in shards if shard.failed]
    if not failed:
        return
    if all(shard.kind == "validation" for shard in failed):
        shacl = [shard for shard in failed if shard.report and shard.report.startswith("SHACL")]
        if len(failed) == 1 and not shacl:
            raise ValidationError(failed[0].error, failed[0].report)
        if len(shacl) == len(failed):
            message = f"{len(failed)} plan graph(s) fail SHACL validation"
        else:
            message = f"{len(failed)} of {len(shards)} documents fail validation"
        report = "\n".join(shard.report or f"{shard.source}: {shard.error}" for shard in failed)
        raise ValidationError(message, report)
    first = next(shard for shard in failed if shard.kind != "validation")
    message = first.error
    if len(failed) > 1:
        message += f" (and {len(failed) - 1} more of {len(shards)} documents failed)"
    if first.kind == "extract":
        raise ExtractError(message)
    raise GraphError(message)


def _assemble(
    root: StoreLocation,
    builder: _Builder,
    fill: Callable[[_Spool], None],
    started: float,
    timings: dict[str, float],
    stage: Stage | None = None,
) -> BuildSummary:
    """The global stage: spool this build's plans (``fill``), the kept ones and the shared
    graphs, bulk-load, run the cross-node checks, swap in; ``stage(what)`` says when
    each step starts.

    Raises:
        ValidationError: a plan graph fails SHACL or the store fails a cross-node check.
        StoreError: the store cannot be written or swapped in.
    """
    stamp, minter = builder.stamp, builder.iris
    editions: list[EditionsSummary] = []

    def cross_plan(new: ReadStore) -> int:
        summary = link_editions(
            new,
            minter,
            validate=builder.validator.validate,
            cache=builder.editions,
            digests={p.plan: p.sha256 for p in builder.summaries.values()},
            executor=builder.editions_executor,
            pool=builder.editions_pool,
            facts=merge_facts(builder.facts.values()),
        )
        editions.append(summary)
        return summary.added - summary.removed

    with start_build(root) as build:
        base = _base_build(root, build, builder)
        spool = _Spool(build.workdir)
        try:
            fill(spool)
            if builder.problems:
                raise ValidationError(
                    f"{len(builder.problems)} plan graph(s) fail SHACL validation",
                    "\n".join(builder.problems),
                )
            builder.keep_previous(spool)
            version = builder.add_shared(spool)
            spool.close()
            timings["plans"] = time.monotonic() - started
            tell = stage if stage is not None else (lambda _what: None)
            size = sum(path.stat().st_size for path in spool.paths) / 2**20
            tell(f"loading {len(builder.summaries)} plan graphs ({size:,.0f} MiB of N-Quads)")
            before = 0
            if base is not None:
                started_copy = time.monotonic()
                before = _start_from(build, base, builder)
                timings["copy"] = time.monotonic() - started_copy
            triples = _load(
                build,
                spool.paths,
                timings,
                before=before,
                plan_rows=builder.plan_rows,
                cross_plan=cross_plan,
                stage=tell,
            )
            tell(f"swapping in the new store ({triples:,} triples)")
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
        store=store_name(root),
        version=version,
        plans=plans,
        triples=triples,
        seconds=time.monotonic() - started,
        built_at=stamp.iso_time,
        software=stamp.version,
        warnings=tuple(builder.warnings),
        timings=timings,
        editions_recomputed=sum(e.recomputed for e in editions),
        editions_reused=sum(e.reused for e in editions),
    )


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
    stage: Stage | None = None,
) -> BuildSummary:
    """Build the store at ``store`` from parsed plan records, keeping its other plans but
    those named in ``drop`` (``aseankg remove``).

    The records are rendered in this process, one at a time, without shards (they are
    not files: nothing identifies them for a cache). With ``replace`` the new store holds
    only ``records``. The previous store stays the current one unless every step
    succeeds. Two records of one plan are an error, unless ``first_file_wins``: then the
    later one is left out with a warning.

    Raises:
        ValidationError: a plan graph fails SHACL or the store fails a cross-node check.
        StoreError: the store cannot be written or swapped in.
        ExtractError: reading a plan failed (when ``records`` parses lazily).
        GraphError: two records give the same plan id.
    """
    started = time.monotonic()
    stamp = build_stamp()
    settings = shard_settings(shard_folder(store), base=base, stamp=stamp)
    builder = _Builder(store, replace=replace, minter=Minter(base), stamp=stamp)
    builder.editions = EditionsCache(Path(settings.folder) / "editions")
    builder.first_file_wins = first_file_wins
    builder.drop = frozenset(drop)

    def fill(spool: _Spool) -> None:
        for index, (plan, extraction) in enumerate(records, start=1):
            builder.add_rendered(spool, plan, render_plan(plan, extraction, settings))
            if progress is not None:
                progress(index, total, Shard(plan.source.path, "", plan=plan.plan))

    return _assemble(store, builder, fill, started, {}, stage)


#: the shard folder of a store on a SPARQL engine (it has no folder of its own)
ENGINE_SHARDS = Path("data/shards")


def shard_folder(store: StoreLocation) -> Path:
    """The default shard folder of ``store``: ``STORE/shards`` for a folder store,
    ``data/shards`` for a store on a SPARQL engine.

    Raises:
        StoreError: ``store`` has a scheme but is not an engine URL this program speaks.
    """
    backend = open_backend(store)
    if isinstance(backend, FolderBackend):
        return backend.root / SHARDS
    return ENGINE_SHARDS


#: documents per local worker below which a worker is not worth its start (importing
#: spaCy and the shapes costs about as much as making four shards)
DOCUMENTS_PER_WORKER = 4


def _local_pool(jobs: int | None) -> Callable[[int], Executor | None]:
    """A factory of the local process pool for ``n`` shards to make: ``jobs`` workers,
    or when None as many as the cores and the work (``DOCUMENTS_PER_WORKER``) allow; None
    (make them in this process) for one worker."""

    def pool(pending: int) -> Executor | None:
        wanted = jobs if jobs is not None else min(default_jobs(), pending // DOCUMENTS_PER_WORKER)
        workers = min(wanted, pending)
        if workers < 2:
            return None
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))

    return pool


def build_documents(
    paths: Sequence[str | os.PathLike[str]],
    *,
    store: StoreLocation = DEFAULT_STORE,
    replace: bool = False,
    plan_id: str | None = None,
    base: str = DEFAULT_BASE,
    progress: Progress | None = None,
    allow_partial: bool = False,
    jobs: int | None = 1,
    executor: Executor | None = None,
    shards: str | os.PathLike[str] | None = None,
    first_file_wins: bool = False,
    plan_ids: Sequence[str | None] = (),
    stage: Stage | None = None,
) -> BuildSummary:
    """Build the store from the documents at ``paths``: a shard each, then the global stage.

    ``plan_ids`` gives the plan id of each path (None: from its title), else ``plan_id``
    is every path's. ``stage(what)`` is called as each step of the global stage starts
    (loading, editions, checks, swap): a long build's progress after its documents.

    The shards are made through ``executor`` when given (any
    :class:`concurrent.futures.Executor` whose workers see ``paths`` and the shard folder
    and run the same aseankg), else by a pool of ``jobs`` local processes (``1``: this
    process; None: the cores, one per ``DOCUMENTS_PER_WORKER`` shards to make). They live
    in ``shards`` (default ``STORE/shards``).

    Raises:
        ValidationError: a plan graph fails validation (the previous store stays).
        ExtractError: a file cannot be read or has no plan structure.
        StoreError: the store cannot be written or swapped in.
        GraphError: two files give the same plan, a file has no action lines, or a
            worker runs another aseankg.
    """
    started = time.monotonic()
    stamp = build_stamp()
    folder = Path(shards) if shards is not None else shard_folder(store)
    settings: ShardSettings = shard_settings(folder, base=base, stamp=stamp)
    # a cluster's workers do not share this process's working directory
    names = [os.path.abspath(p) if executor is not None else os.fspath(p) for p in paths]
    ids = list(plan_ids) if plan_ids else [plan_id] * len(names)
    tasks = [ShardTask(name, settings, ids[i], allow_partial) for i, name in enumerate(names)]
    builder = _Builder(store, replace=replace, minter=Minter(base), stamp=stamp)
    builder.editions = EditionsCache(Path(settings.folder) / "editions")
    builder.first_file_wins = first_file_wins
    builder.editions_executor = executor
    builder.editions_pool = _local_pool(jobs)
    timings: dict[str, float] = {}
    made: list[Shard] = []

    def fill(spool: _Spool) -> None:
        made.extend(map_shards(tasks, executor, progress=progress, pool=_local_pool(jobs)))
        timings["shards"] = time.monotonic() - started
        _fail(made)
        for shard in made:
            builder.add_shard(spool, shard)

    summary = _assemble(store, builder, fill, started, timings, stage)
    reused = sum(1 for shard in made if shard.reused)
    return dataclasses.replace(summary, built=len(made) - reused, reused=reused)


def _load(
    build: BuildSession,
    spool: list[Path],
    timings: dict[str, float],
    *,
    plan_rows: Sequence[Violation] = (),
    cross_plan: Callable[[ReadStore], int] | None = None,
    stage: Stage | None = None,
    before: int = 0,
) -> int:
    """Bulk-load the spool files into the new build, run the cross-plan step
    (partnerships, editions, continuity: ``aseankg.graph.editions``), then the cross-node
    checks on it: those inside one plan graph were run on each plan (``plan_rows``, their
    violations), the others run here over the whole store. Return the store's triples,
    counted without a scan: ``before`` (what the build held before the load), the spool's
    lines (each a distinct quad: the graphs are sorted and unique, one per file part) and
    the change in size ``cross_plan`` returns (quads gained less quads lost by the graph
    it rewrites, as the write reports them: two counting passes over the 1.3 million
    quads of a 1,000-plan editions graph took 12.4 s each).

    Raises:
        ValidationError: the cross-plan step's graph or a cross-node check fails.
        StoreError: the store cannot be written.
    """
    started = time.monotonic()
    build.load(spool)
    timings["load"] = time.monotonic() - started
    triples = before + sum(_line_count(path) for path in spool)
    store = build.reader()
    tell = stage if stage is not None else (lambda _what: None)
    if cross_plan is not None:
        tell("recomputing partnerships, editions and continuity")
        started = time.monotonic()
        triples += cross_plan(store)
        timings["editions"] = time.monotonic() - started
    tell("running the cross-node checks")
    started = time.monotonic()
    problems = cross_node_violations(store, plan_rows=plan_rows)
    timings["checks"] = time.monotonic() - started
    if problems:
        raise ValidationError(
            f"the new store fails {len(problems)} cross-node check(s)", "\n".join(problems)
        )
    return triples


def _line_count(path: Path) -> int:
    count = 0
    with open(path, "rb") as data:
        while chunk := data.read(2**24):
            count += chunk.count(b"\n")
    return count


def _base_build(root: StoreLocation, build: BuildSession, builder: _Builder) -> Build | None:
    """The current build this one starts from (a copy of its store), or None to start
    from empty: only a folder store's, built with this base and with a triple count in
    its manifest. Its plan graphs are noted in ``builder.base``, so the unchanged ones
    are not spooled again. A ``--replace`` build starts from it too: every graph it does
    not keep is removed from the copy before the load, so the result is the same."""
    if not isinstance(build, BuildDirectory):
        return None  # an engine: its builds are named graphs of one server (docs/engines.md)
    current = current_build(root)
    if current is None or current.path is None:
        return None
    manifest = current.manifest
    if manifest.base != builder.iris.base or not manifest.triples:
        return None
    try:
        build.start_from(current)  # before the spool: a store that cannot be copied
    except StoreError:  # (damaged, say) is built from empty, as it was before copies
        return None
    builder.base = {entry.graph: entry.sha256 for entry in manifest.plans}
    return current


def _start_from(build: BuildSession, base: Build, builder: _Builder) -> int:
    """With ``base``'s store copied into ``build`` (by :func:`_base_build`), remove from
    the copy every graph this build does not keep unchanged (the changed and dropped
    plans, the shared graphs, which the spool holds again; not the editions graph, which
    the cross-plan step rewrites); return the triples left in the copy."""
    assert isinstance(build, BuildDirectory)
    store = build.reader()  # the copy _base_build made
    kept = {s.graph for s in builder.summaries.values() if builder.base.get(s.graph) == s.sha256}
    editions = builder.iris.editions_graph()
    triples = base.manifest.triples
    sizes = {entry.graph: entry.triples for entry in base.manifest.plans}
    try:
        for graph in list(store.named_graphs()):
            if graph.value in kept or graph.value == editions:
                continue
            size = sizes.get(graph.value)
            if size is None:
                size = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
            triples -= size
            store.remove_graph(graph)
        default = sum(1 for _ in store.quads_for_pattern(None, None, None, DefaultGraph()))
        if default:
            triples -= default
            store.clear_graph(DefaultGraph())
    except (OSError, RuntimeError) as exc:
        raise StoreError(f"cannot write the new store at {build.path}: {exc}") from exc
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
    jobs: int | None = 1,
    executor: Executor | None = None,
    shards: str | os.PathLike[str] | None = None,
    stage: Stage | None = None,
) -> BuildSummary:
    """Parse, extract and build the plans at ``paths`` into the store at ``store``.

    ``allow_partial`` accepts plans whose text was not all read (the graph records
    their coverage and the warning in the plan's provenance) instead of failing.
    ``jobs``, ``executor``, ``shards`` and ``stage`` are those of :func:`build_documents`.

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
    return build_documents(
        paths,
        store=store,
        replace=replace,
        plan_id=plan_id,
        base=base,
        progress=progress,
        allow_partial=allow_partial,
        jobs=jobs,
        executor=executor,
        shards=shards,
        first_file_wins=default,
        stage=stage,
    )
