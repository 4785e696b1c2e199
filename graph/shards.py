"""Content-addressed shards: one plan document, one N-Quads file of its plan graph.

:func:`build_shard` is the per-plan stage of a build, a plain function of one picklable
:class:`ShardTask` with no cross-plan work, so any :class:`concurrent.futures.Executor`
can run it (:func:`map_shards`): this process, a local process pool, or the workers of
a Dask cluster. It parses and extracts the document, converts it, adds its provenance,
validates it with SHACL, and writes the plan graph as sorted, deduplicated N-Quads to
``FOLDER/<key[:2]>/<key>.nq`` beside a ``.json`` of its counts, warnings, action lines,
the violations of the checks inside one plan graph, the rows the editions step reads of
it (``aseankg.graph.facts``) and the process that made it (``host:pid``).

The key is the sha256 of everything the shard's bytes depend on: the document's bytes,
the software (version, a digest of the package's code and data, spaCy's version), the
ontology, authority and shapes digests, the base IRI, ``SOURCE_DATE_EPOCH`` (empty when
unset) and the options (``--plan-id``, ``--allow-partial``). A document whose shard
exists is not parsed again (``reused``). Without ``SOURCE_DATE_EPOCH`` a reused shard
keeps the build time it was made at, like a plan kept from the previous store. The
folder is a cache: deleting it only makes the next build slower.

>>> settings = shard_settings(tmp / "shards", environ={"SOURCE_DATE_EPOCH": "0"})
>>> task = ShardTask("data/sources/asean-canada-poa-2021-2025.txt", settings)
>>> shard = build_shard(task)
>>> (shard.plan, shard.action_lines, shard.reused, build_shard(task).reused)
('asean-canada-2021-2025', 106, False, True)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeAlias

from pyoxigraph import NamedNode, Quad, Store

from aseankg.extract.errors import ExtractError
from aseankg.extract.records import Plan, PlanExtraction
from aseankg.graph.convert import convert_plan
from aseankg.graph.errors import GraphError, ValidationError
from aseankg.graph.facts import EditionFacts, read_facts, support_quads
from aseankg.graph.iris import DEFAULT_BASE, Minter
from aseankg.graph.packaged import PackagedGraph, authority_graph, ontology_graph, shapes_text
from aseankg.graph.provenance import BuildStamp, build_stamp, plan_build_iri, plan_provenance
from aseankg.graph.validate import PlanValidator, Violation, duplicate_notation, plan_violations

__all__ = [
    "SHARD_FORMAT",
    "SHARD_LIBRARIES",
    "FailureKind",
    "PlanGraph",
    "Shard",
    "ShardProgress",
    "ShardSettings",
    "ShardTask",
    "build_shard",
    "code_digest",
    "dask_executor",
    "graph_digest",
    "library_versions",
    "map_shards",
    "packaged_validator",
    "plan_findings",
    "render_plan",
    "runner_for",
    "shard_key",
    "shard_lines",
    "shard_settings",
]

#: bumped when the layout of a shard file or its metadata changes
SHARD_FORMAT = "3"

FailureKind = Literal["", "extract", "graph", "validation"]


@dataclass(frozen=True)
class ShardSettings:
    """What every shard of one build depends on besides its document (picklable).

    ``time`` is the build's stamp (ISO 8601): the provenance time of the shards it makes.
    """

    folder: str
    base: str
    epoch: str
    time: str
    software: str
    code: str
    ontology: str
    authority: str
    shapes: str
    libraries: tuple[tuple[str, str], ...] = ()

    @property
    def digest(self) -> str:
        """The sha256 of the settings a shard's bytes depend on (not folder, not time
        unless ``SOURCE_DATE_EPOCH`` fixes it)."""
        parts = [SHARD_FORMAT, self.base, self.epoch, self.software, self.code, self.ontology]
        parts += [self.authority, self.shapes]
        parts += [f"{name} {version}" for name, version in self.libraries]
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

    @property
    def stamp(self) -> BuildStamp:
        return BuildStamp(time=datetime.fromisoformat(self.time), version=self.software)


@dataclass(frozen=True)
class ShardTask:
    """One document to turn into a shard: its path (as every worker sees it), the
    build's settings, and the per-document options."""

    path: str
    settings: ShardSettings
    plan_id: str | None = None
    allow_partial: bool = False


@dataclass(frozen=True)
class Shard:
    """The result of one task: the shard file and its plan's counts, or why it failed.

    ``error`` is one line for the user (empty when the shard was made); ``kind`` says
    which error it was (``extract``: the file cannot be read or parsed; ``graph``: it has
    nothing to build; ``validation``: a duplicate number or SHACL, whose report is in
    ``report``). ``reused`` is True when the shard already existed. ``checks`` are the
    violations of the cross-node checks that look inside one plan graph
    (``aseankg.graph.validate.PLAN_CHECKS``): the build reports them with the others.
    """

    source: str
    key: str
    file: str = ""
    plan: str = ""
    graph: str = ""
    action_lines: int = 0
    mentions: int = 0
    candidates: int = 0
    triples: int = 0
    sha256: str = ""
    build: str = ""
    source_path: str = ""
    warnings: tuple[str, ...] = ()
    reused: bool = False
    error: str = ""
    kind: FailureKind = ""
    report: str = ""
    checks: tuple[Violation, ...] = ()
    facts: EditionFacts = field(default_factory=EditionFacts)

    @property
    def failed(self) -> bool:
        return bool(self.error)


@dataclass(frozen=True)
class PlanGraph:
    """One plan's graph in memory: its N-Quads lines (sorted, unique) and its counts."""

    plan: str
    graph: str
    action_lines: int
    mentions: int
    candidates: int
    sha256: str
    build: str
    lines: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    report: str | None = None
    checks: tuple[Violation, ...] = ()
    facts: EditionFacts = field(default_factory=EditionFacts)

    @property
    def triples(self) -> int:
        return len(self.lines)


ShardProgress: TypeAlias = Callable[[int, int, Shard], None]


#: the distributions whose version a shard's bytes depend on: the pipeline and its lemma
#: tables (spaCy, spacy-lookups-data), the readers of .pdf and .docx, the RDF terms and
#: their N-Quads (pyoxigraph), the shapes and authority parsers (rdflib) and the SHACL
#: engine, whose verdict decides whether a shard is made at all (pyshacl-turbo); and
#: ``python`` (its version and Unicode database: the text normalisation). RapidFuzz is
#: not one: only the editions step of the global stage uses it, at every build.
SHARD_LIBRARIES = (
    "spacy",
    "spacy-lookups-data",
    "pypdfium2",
    "python-docx",
    "pyoxigraph",
    "rdflib",
    "pyshacl-turbo",
)


def library_versions() -> tuple[tuple[str, str], ...]:
    """(name, version) of ``python`` and of each of ``SHARD_LIBRARIES`` in this process
    (``-`` for one not installed)."""
    return _library_versions()


@lru_cache(maxsize=1)
def _library_versions() -> tuple[tuple[str, str], ...]:
    import sys
    import unicodedata
    from importlib.metadata import PackageNotFoundError, version

    python = f"{sys.version_info.major}.{sys.version_info.minor} {unicodedata.unidata_version}"
    found = [("python", python)]
    for name in SHARD_LIBRARIES:
        try:
            found.append((name, version(name)))
        except PackageNotFoundError:
            found.append((name, "-"))
    return tuple(found)


def code_digest() -> str:
    """A digest of the code and data of the extract, graph, ontology packages, of the
    cross-node checks (``queries/checks/``, run on each shard), of the editions step's
    four queries whose rows of its plan a shard keeps (``graph.facts``) and of the query
    loader: what a shard's bytes depend on besides its inputs and ``library_versions()``."""
    return _code_digest()


#: the folders and files of the code digest: the packages a shard is made by, the checks
#: it runs, the editions queries whose rows it keeps and the loader that reads both
_CODE = (
    "extract",
    "graph",
    "ontology",
    "queries/checks",
    *(f"queries/editions/{name}.rq" for name in ("plans", "lines", "line-entities", "line-ranks")),
    "queries/loader.py",
)


@lru_cache(maxsize=1)
def _code_digest() -> str:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for part in _CODE:
        folder = root / part
        paths = sorted(folder.rglob("*")) if folder.is_dir() else [folder]
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class _Packaged:
    minter: Minter
    ontology: PackagedGraph
    authority: PackagedGraph
    shapes: str
    validator: PlanValidator
    described: frozenset[str]
    #: the ontology's quads the editions step's queries read (``graph.facts.SUPPORT``)
    support: tuple[Quad, ...]


@lru_cache(maxsize=4)
def _packaged(base: str) -> _Packaged:
    """The packaged graphs and the validator, once per process and base."""
    minter = Minter(base)
    ontology = ontology_graph(minter)
    authority = authority_graph(minter)
    shapes = shapes_text() or ""
    described = frozenset(
        quad.subject.value for quad in authority.quads if isinstance(quad.subject, NamedNode)
    )
    validator = PlanValidator(ontology.quads + authority.quads)
    support = tuple(support_quads(ontology.quads))
    return _Packaged(minter, ontology, authority, shapes, validator, described, support)


def packaged_validator(base: str) -> Callable[[list[Quad]], str | None]:
    """The SHACL check of a build under ``base`` (its ``PlanValidator.validate``), made
    once per process: what the workers of an executor validate with."""
    return _packaged(base).validator.validate


def shard_settings(
    folder: str | os.PathLike[str],
    *,
    base: str = DEFAULT_BASE,
    environ: dict[str, str] | None = None,
    stamp: BuildStamp | None = None,
) -> ShardSettings:
    """The settings of a build writing shards to ``folder`` (made absolute).

    Raises:
        GraphError: ``SOURCE_DATE_EPOCH`` is set but is not an integer, or a packaged
            graph does not parse.
    """
    env = dict(os.environ) if environ is None else environ
    stamp = stamp if stamp is not None else build_stamp(env)
    packaged = _packaged(Minter(base).base)
    return ShardSettings(
        folder=os.path.abspath(folder),
        base=packaged.minter.base,
        epoch=env.get("SOURCE_DATE_EPOCH", "").strip(),
        time=stamp.time.isoformat(),
        software=stamp.version,
        code=code_digest(),
        ontology=packaged.ontology.sha256,
        authority=packaged.authority.sha256,
        shapes=hashlib.sha256(packaged.shapes.encode("utf-8")).hexdigest(),
        libraries=library_versions(),
    )


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


def _lines(quads: Iterable[Quad]) -> tuple[str, ...]:
    return tuple(sorted({f"{quad} .\n" for quad in quads}))


def _triples(lines: Sequence[str], graph: str) -> str | None:
    """``lines`` (N-Quads of the one graph ``graph``) as N-Triples text, or None when a
    line is in another graph.

    The graph's name ends a line (`` <graph> .`` and the newline, which N-Quads never
    holds inside a term), so it occurs once in each line of that graph and nowhere else.
    """
    suffix = f" <{graph}> .\n"
    text = "".join(lines)
    if text.count(suffix) != len(lines):
        return None
    return text.replace(suffix, " .\n")


def graph_digest(lines: Iterable[str]) -> str:
    """The sha256 of a graph's N-Quads lines (the ``sha256`` of a manifest's plan)."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


def plan_findings(quads: Iterable[Quad], base: str) -> tuple[tuple[Violation, ...], EditionFacts]:
    """The violations of the checks inside one plan graph (``quads``) and the rows the
    editions step reads of it, from one store of the graph with the few ontology triples
    those rows need (``graph.facts.SUPPORT``; the checks read none of them)."""
    store = Store()
    store.extend(_packaged(base).support)
    store.extend(quads)
    return plan_violations(store), read_facts(store)


def render_plan(
    plan: Plan, extraction: PlanExtraction | None, settings: ShardSettings
) -> PlanGraph:
    """Convert one parsed plan to its validated graph (the SHACL report, if any, in
    ``report``; the violations of the cross-node checks inside one plan, if any, in
    ``checks``): the per-plan work of a build, without the shard file.

    Raises:
        GraphError: the plan has no action lines (nothing to build).
        ValidationError: two elements of the plan are numbered alike.
    """
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
    packaged = _packaged(settings.base)
    minter, stamp = packaged.minter, settings.stamp
    notes: list[str] = []
    quads = convert_plan(plan, extraction, minter=minter, warnings=notes, known=packaged.described)
    quads += plan_provenance(plan, stamp, minter)
    lines = _lines(quads)
    report = packaged.validator.validate(
        quads, triples=_triples(lines, minter.plan_graph(plan.plan))
    )
    checks, facts = plan_findings(quads, settings.base) if report is None else ((), EditionFacts())
    return PlanGraph(
        plan=plan.plan,
        graph=minter.plan_graph(plan.plan),
        action_lines=len(plan.action_lines),
        mentions=_count_mentions(extraction),
        candidates=_count_candidates(extraction),
        sha256=graph_digest(lines),
        build=plan_build_iri(plan, stamp, minter),
        lines=lines,
        warnings=tuple(f"{plan.plan}: {note}" for note in (*plan.warnings, *notes)),
        report=report,
        checks=checks,
        facts=facts,
    )


def shard_key(task: ShardTask) -> str:
    """The key of ``task``'s shard.

    Raises:
        OSError: the document cannot be read.
    """
    with open(task.path, "rb") as source:
        content = hashlib.file_digest(source, "sha256").hexdigest()
    options = f"plan-id={task.plan_id or ''}\nallow-partial={int(task.allow_partial)}"
    text = f"{content}\n{task.settings.digest}\n{options}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _files(settings: ShardSettings, key: str) -> tuple[Path, Path]:
    folder = Path(settings.folder) / key[:2]
    return folder / f"{key}.nq", folder / f"{key}.json"


def _cached(task: ShardTask, key: str) -> Shard | None:
    data_file, meta_file = _files(task.settings, key)
    try:
        meta = json.loads(meta_file.read_text("utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != SHARD_FORMAT:
            return None
        if not data_file.is_file():
            return None
        fields = {name: meta[name] for name in _META}
        fields["source_path"] = task.path  # the name this build gave it
        checks = tuple((str(n), str(i), str(d)) for n, i, d in meta["checks"])
        facts = EditionFacts.from_json(meta["editions"])
        if not facts.of_plan(str(meta["plan"])):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no shard, or a damaged one: build it again
    return Shard(
        source=task.path,
        key=key,
        file=str(data_file),
        warnings=tuple(meta.get("warnings", ())),
        reused=True,
        checks=checks,
        facts=facts,
        **fields,
    )


_META: tuple[str, ...] = ("plan", "graph", "action_lines", "mentions", "candidates")
_META += ("triples", "sha256", "build", "source_path")


def _write(task: ShardTask, key: str, rendered: PlanGraph, plan: Plan) -> Shard:
    data_file, meta_file = _files(task.settings, key)
    data_file.parent.mkdir(parents=True, exist_ok=True)
    suffix = f".{os.getpid()}.tmp"
    tmp = data_file.with_name(data_file.name + suffix)
    tmp.write_bytes("".join(rendered.lines).encode("utf-8"))
    os.replace(tmp, data_file)
    shard = Shard(
        source=task.path,
        key=key,
        file=str(data_file),
        plan=rendered.plan,
        graph=rendered.graph,
        action_lines=rendered.action_lines,
        mentions=rendered.mentions,
        candidates=rendered.candidates,
        triples=rendered.triples,
        sha256=rendered.sha256,
        build=rendered.build,
        source_path=plan.source.path,
        warnings=rendered.warnings,
        checks=rendered.checks,
        facts=rendered.facts,
    )
    meta: dict[str, Any] = {name: getattr(shard, name) for name in _META}
    meta.update(format=SHARD_FORMAT, warnings=list(shard.warnings), made_by=_maker())
    meta["checks"] = [list(row) for row in shard.checks]
    meta["lines"] = [[line.id, line.text] for line in plan.action_lines]
    meta["editions"] = shard.facts.to_json()
    tmp = meta_file.with_name(meta_file.name + suffix)
    tmp.write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", "utf-8")
    os.replace(tmp, meta_file)  # written last: a shard with its .json is complete
    return shard


def _maker() -> str:
    """Which process made a shard (``host:pid``, in its ``.json`` only, not in the graph)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def shard_lines(shard: Shard) -> list[tuple[str, str]]:
    """The action lines of a shard's plan, (id, text) in order (from its ``.json``):
    what tells two files of one document from two documents claiming one plan id.

    Raises:
        GraphError: the shard's metadata cannot be read.
    """
    try:
        meta = json.loads(Path(shard.file).with_suffix(".json").read_text("utf-8"))
        return [(str(line_id), str(text)) for line_id, text in meta["lines"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GraphError(f"cannot read the shard of {shard.source}: {exc}") from exc


def _check_software(settings: ShardSettings) -> None:
    from aseankg.graph.provenance import software_version

    if (software_version(), code_digest()) != (settings.software, settings.code):
        raise GraphError(
            f"this worker runs aseankg {software_version()} (code {code_digest()[:12]}), "
            f"the build {settings.software} (code {settings.code[:12]}): install the same "
            "aseankg on every worker"
        )
    ours = dict(library_versions())
    for name, wanted in settings.libraries:
        if ours.get(name) != wanted:
            raise GraphError(
                f"this worker runs {name} {ours.get(name, '-')}, the build {wanted}: "
                "install the same aseankg and libraries (pip install -c constraints.txt) "
                "on every worker"
            )


def build_shard(task: ShardTask) -> Shard:
    """Make (or find) the shard of one document: the public per-plan stage of a build.

    Failures of the document itself come back in the shard (``error``, ``kind``,
    ``report``) so that one bad document does not hide the others.

    Raises:
        GraphError: this process runs another aseankg than the build's settings name,
            or the shard folder cannot be written.
    """
    _check_software(task.settings)
    try:
        key = shard_key(task)
    except OSError as exc:
        return Shard(task.path, "", error=f"cannot read {task.path}: {exc}", kind="extract")
    cached = _cached(task, key)
    if cached is not None:
        return cached
    # imported here: spaCy takes a second to import, and only builds need it
    from aseankg.extract.extractor import extract_plan
    from aseankg.extract.parser import parse_plan

    try:
        plan = parse_plan(Path(task.path), plan_id=task.plan_id, allow_partial=task.allow_partial)
        rendered = render_plan(plan, extract_plan(plan), task.settings)
    except ExtractError as exc:
        return Shard(task.path, key, error=str(exc), kind="extract")
    except ValidationError as exc:
        return Shard(task.path, key, error=str(exc), kind="validation", report=exc.report)
    except GraphError as exc:
        return Shard(task.path, key, error=str(exc), kind="graph")
    if rendered.report is not None:
        return Shard(
            task.path,
            key,
            plan=rendered.plan,
            error=f"plan {rendered.plan} ({plan.source.path}) fails SHACL validation",
            kind="validation",
            report=f"SHACL, plan {rendered.plan} ({plan.source.path}):\n{rendered.report}",
        )
    try:
        return _write(task, key, rendered, plan)
    except OSError as exc:
        raise GraphError(f"cannot write the shard of {task.path}: {exc}") from exc


@contextlib.contextmanager
def runner_for(
    executor: Executor | None, pool: Callable[[int], Executor | None] | None, pending: int
) -> Iterator[Executor | None]:
    """Where ``pending`` tasks run: ``executor`` when given, else the executor ``pool(n)``
    gives (shut down after them, its unstarted tasks cancelled), else None (here, as
    for no task at all)."""
    if executor is not None or pool is None or pending == 0:
        yield executor if pending else None
        return
    runner = pool(pending)
    try:
        yield runner
    finally:
        if runner is not None:
            runner.shutdown(cancel_futures=True)


def map_shards(
    tasks: Sequence[ShardTask],
    executor: Executor | None = None,
    *,
    progress: ShardProgress | None = None,
    pool: Callable[[int], Executor | None] | None = None,
) -> list[Shard]:
    """The shard of every task, in task order, each built through ``executor``;
    ``progress(done, total, shard)`` is called as each one ends.

    Tasks whose shard exists are answered here, without the executor. Without an
    ``executor``, ``pool(n)`` is asked for one for the ``n`` shards left to make (and shut
    down after them); without either, or when it answers None, they are made here.

    Raises:
        GraphError: a worker runs another aseankg, or a shard cannot be written.
        Exception: whatever the executor raises for a task that crashed (a worker lost).
    """
    total = len(tasks)
    results: list[Shard | None] = [None] * total
    pending: list[int] = []
    done = 0

    def finish(index: int, shard: Shard) -> None:
        nonlocal done
        results[index] = shard
        done += 1
        if progress is not None:
            progress(done, total, shard)

    for index, task in enumerate(tasks):
        cached = None
        with contextlib.suppress(OSError):  # an unreadable file: build_shard reports it
            cached = _cached(task, shard_key(task))
        if cached is not None:
            finish(index, cached)
        else:
            pending.append(index)
    with runner_for(executor, pool, len(pending)) as runner:
        if runner is None:
            for index in pending:
                finish(index, build_shard(tasks[index]))
        else:
            futures: dict[Future[Shard], int] = {
                runner.submit(build_shard, tasks[index]): index for index in pending
            }
            for future in as_completed(futures):
                finish(futures[future], future.result())
    return [shard for shard in results if shard is not None]


_SCHEDULER = re.compile(r"^(tcp|tls)://[^/\s]+:\d+$")


@contextlib.contextmanager
def dask_executor(address: str, *, timeout: float = 20.0) -> Iterator[Executor]:
    """A :class:`concurrent.futures.Executor` on the Dask cluster whose scheduler listens
    at ``address`` (``tcp://host:8786``); the client is closed on exit.

    Its workers must run the same aseankg (checked by :func:`build_shard`) and see the
    documents and the shard folder at the same paths (a shared file system).

    Raises:
        GraphError: ``address`` is not a scheduler address, Dask's ``distributed`` is
            not installed, or the scheduler cannot be reached within ``timeout`` s.
    """
    if not _SCHEDULER.match(address):
        raise GraphError(f"--dask wants a scheduler address like tcp://host:8786, not {address!r}")
    try:
        from distributed import Client
    except ImportError as exc:
        raise GraphError(
            "--dask needs Dask's distributed package: pip install 'aseankg[cluster]'"
        ) from exc
    try:
        client = Client(address, timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise GraphError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        yield client.get_executor(pure=False)  # type: ignore[no-untyped-call]
    finally:
        client.close()  # type: ignore[no-untyped-call]
