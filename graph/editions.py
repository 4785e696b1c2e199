"""Partnerships and editions: the build's cross-plan step, run on the loaded new store.

Every plan of the store is put in its partnership, recognised from its title (the
dialogue partner :func:`~aseankg.extract.partners.find_partner` names) or else from its
one party other than ASEAN — never from its file name. A partnership's plans are its
editions, ordered by period; each plan with a period ``akg:follows`` (and
``dct:replaces``) the edition before it, with the preamble paragraph that names that
edition's period as ``akg:followsEvidence`` when there is one. The action lines of each
edition are aligned with the previous edition's (``aseankg.graph.continuity``), one
``akg:Continuity`` node per pair, new line and dropped line. All of it is written to the
named graph ``graph/editions``, recomputed from the plan graphs on every build, so
editions may be added one at a time in any order.

>>> from aseankg.graph.iris import Minter
>>> from aseankg.graph.store import open_store
>>> summary = link_editions(open_store(seed_store), Minter(), write=False)
>>> [(p.slug, p.editions) for p in summary.partnerships]
[('asean-canada', ('asean-canada-2021-2025',))]
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, parse, serialize

from aseankg.extract.partners import find_partner, slugify
from aseankg.graph import continuity
from aseankg.graph.continuity import (
    LIBRARY,
    METHOD,
    METHOD_VERSION,
    Alignment,
    EditionLine,
    align_editions,
)
from aseankg.graph.errors import GraphError, ValidationError
from aseankg.graph.facts import EditionFacts, PlanRow, read_line_rows, read_plan_rows
from aseankg.graph.iris import Minter
from aseankg.graph.serialize import write_atomically
from aseankg.graph.shards import code_digest, packaged_validator, runner_for
from aseankg.graph.store import ReadStore
from aseankg.graph.vocabulary import AkgTerms, Dct, Prov, Rdf, Skos, Xsd, akg_term

__all__ = [
    "EditionsCache",
    "EditionsSummary",
    "PartnershipPart",
    "PartnershipSummary",
    "PartnershipTask",
    "align_partnership",
    "editions_version",
    "link_editions",
]

# The parties that are ASEAN's side of every plan, never a plan's partner.
_ASEAN_SIDE = frozenset({"asean", "asean-member-states", "amss", "asean-secretariat"})
_PERIOD = re.compile(r"(?P<start>(?:19|20)\d\d)\s*[-–—]\s*(?P<end>(?:19|20)\d\d)")
_ORG_HAS_MEMBER = NamedNode("http://www.w3.org/ns/org#hasMember")
_DCT_REPLACES = NamedNode("http://purl.org/dc/terms/replaces")
_DCT_DESCRIPTION = NamedNode("http://purl.org/dc/terms/description")
_CONTINUITY = akg_term("Continuity")


@dataclass(frozen=True)
class PartnershipSummary:
    """One partnership: its slug, label and editions (plan ids, oldest first)."""

    slug: str
    label: str
    editions: tuple[str, ...]


@dataclass(frozen=True)
class EditionsSummary:
    """What the editions step wrote: the partnerships and the number of continuities."""

    partnerships: tuple[PartnershipSummary, ...]
    continuities: int
    quads: list[Quad] = field(default_factory=list, repr=False)
    #: edition pairs aligned by this call, and those whose quads came from the cache
    recomputed: int = 0
    reused: int = 0
    #: quads the graph ``graph/editions`` lost and gained by the write (0, 0 without
    #: ``write``): the store's size changes by ``added - removed``, so a build counts its
    #: triples without reading the graph
    removed: int = 0
    added: int = 0


def editions_version() -> str:
    """What the editions graph depends on besides the plan graphs, for the dataset
    version (ETags, the result cache): the alignment method's version and rapidfuzz's."""
    return f"continuity {continuity.METHOD_VERSION}, {LIBRARY}"


def _partner_of(row: PlanRow, minter: Minter) -> tuple[str, str] | None:
    """(slug, name) of the plan's partner: from the title, else its one non-ASEAN party."""
    partner = find_partner(row.title)
    if partner is not None:
        return partner.slug, partner.name
    prefix = minter.actor("")
    others = [
        iri[len(prefix) :]
        for iri in row.parties
        if iri.startswith(prefix) and iri[len(prefix) :] not in _ASEAN_SIDE
    ]
    if len(others) == 1:
        return others[0], others[0].replace("-", " ").title()
    if "asean plus three" in row.title.lower():
        return "plus-three", "Plus Three"
    return None


def _partnership(slug: str, name: str) -> tuple[str, str]:
    """The partnership's slug and label for a partner (``asean-canada``, "ASEAN–Canada")."""
    if slug.startswith("plus-"):
        return f"asean-{slug}", f"ASEAN {name}"
    if slug.startswith("asean-"):  # a framework that names ASEAN ("asean-plus-three")
        return slug, name
    return f"asean-{slugify(slug)}", f"ASEAN–{name}"


def _evidence(current: PlanRow, previous: PlanRow) -> str | None:
    """The preamble paragraph of ``current`` that names the period of ``previous``."""
    for paragraph in current.preamble.split("\n")[1:]:
        for match in _PERIOD.finditer(paragraph):
            if (int(match["start"]), int(match["end"])) == (
                previous.start,
                previous.end,
            ) and match.start() > 0:
                return paragraph.strip()
    return None


def _decimal(value: float) -> Literal:
    text = format(Decimal(str(round(value, 4))).normalize(), "f")
    return Literal(text if "." in text else f"{text}.0", datatype=Xsd.decimal)


class _Writer:
    def __init__(self, minter: Minter) -> None:
        self.iris = minter
        self.graph = NamedNode(minter.editions_graph())
        self.quads: list[Quad] = []
        self.method = NamedNode(minter.alignment_method(METHOD_VERSION))

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.quads.append(Quad(s, p, o, self.graph))

    def method_node(self) -> None:
        self.add(self.method, Rdf.type, akg_term("AlignmentMethod"))
        self.add(self.method, Rdf.type, Prov.Plan)
        self.add(self.method, Rdf.label, Literal(f"continuity alignment, version {METHOD_VERSION}"))
        self.add(self.method, _DCT_DESCRIPTION, Literal(METHOD))
        self.add(self.method, Dct.hasVersion, Literal(METHOD_VERSION))
        self.add(self.method, AkgTerms.softwareVersion, Literal(LIBRARY))

    def partnership(self, slug: str, label: str, editions: list[PlanRow]) -> None:
        node = NamedNode(self.iris.partnership(slug))
        self.add(node, Rdf.type, akg_term("Partnership"))
        self.add(node, Dct.identifier, Literal(slug))
        for lang in ("en", "fr"):
            self.add(node, Skos.prefLabel, Literal(label, language=lang))
        self.add(node, Rdf.label, Literal(label))
        parties = {party for row in editions for party in row.parties}
        for party in sorted(parties):
            self.add(node, _ORG_HAS_MEMBER, NamedNode(party))
        for row in editions:
            plan = NamedNode(row.iri)
            self.add(node, akg_term("edition"), plan)
            self.add(plan, akg_term("partnership"), node)

    def follows(self, current: PlanRow, previous: PlanRow) -> None:
        plan, before = NamedNode(current.iri), NamedNode(previous.iri)
        self.add(plan, akg_term("follows"), before)
        self.add(plan, _DCT_REPLACES, before)
        evidence = _evidence(current, previous)
        if evidence:
            self.add(plan, akg_term("followsEvidence"), Literal(evidence))

    def continuity(self, current: PlanRow, previous: PlanRow, row: Alignment) -> None:
        iris = self.iris
        node = NamedNode(iris.continuity(current.plan, row.line, previous.plan, row.previous_line))
        self.add(node, Rdf.type, akg_term("Continuity"))
        self.add(node, Rdf.type, Prov.Entity)
        self.add(node, akg_term("relation"), akg_term(f"continuity_{row.relation}"))
        self.add(node, akg_term("previousPlan"), NamedNode(previous.iri))
        self.add(node, akg_term("method"), self.method)
        if row.line is not None:
            line = NamedNode(iris.line(current.plan, row.line))
            self.add(line, akg_term("continuity"), node)
            self.add(node, akg_term("line"), line)
            self.add(node, Prov.wasDerivedFrom, line)
        else:
            self.add(NamedNode(current.iri), akg_term("continuity"), node)
        if row.previous_line is not None:
            old = NamedNode(iris.line(previous.plan, row.previous_line))
            self.add(node, akg_term("previousLine"), old)
            self.add(node, Prov.wasDerivedFrom, old)
        if row.similarity is not None:
            self.add(node, akg_term("similarity"), _decimal(row.similarity))
        for entity in row.entities_added:
            self.add(node, akg_term("entityAdded"), NamedNode(entity))
        for entity in row.entities_removed:
            self.add(node, akg_term("entityRemoved"), NamedNode(entity))
        if row.strength_change is not None:
            self.add(
                node,
                akg_term("strengthChange"),
                Literal(str(row.strength_change), datatype=Xsd.integer),
            )
        if row.word_diff is not None:
            self.add(node, akg_term("wordDiff"), Literal(row.word_diff))


class EditionsCache:
    """The quads of each edition pair (its ``akg:follows`` and continuity nodes) kept
    between builds in ``folder``, one N-Quads file per pair named by its key: the
    digests of the two plan graphs, the base IRI and :func:`editions_version`. A pair's
    quads depend on nothing else (no time stamp), so a build that finds both plans
    unchanged reuses them instead of aligning the pair again (the key also holds the
    code digest of :func:`aseankg.graph.shards.code_digest`). Each file starts with the
    sha256 of the rest and is written whole (temporary file, then rename): a file cut
    short or altered is ignored and the pair recomputed."""

    _HEAD = b"# aseankg edition pair, sha256 "

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.nq"

    def get(self, key: str) -> list[Quad] | None:
        """The pair's quads, or None when the pair has no whole file."""
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        head, _, body = data.partition(b"\n")
        if head != self._HEAD + hashlib.sha256(body).hexdigest().encode("ascii"):
            return None
        try:
            return list(parse(body, format=RdfFormat.N_QUADS))
        except SyntaxError:
            return None

    def put(self, key: str, quads: list[Quad]) -> None:
        """Keep the pair's quads; a folder that cannot be written only loses the cache."""
        body = serialize(quads, format=RdfFormat.N_QUADS) or b""
        data = self._HEAD + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self._path(key), lambda file: file.write(data))
        except OSError:
            return


def _pair_key(minter: Minter, digests: Mapping[str, str], new: PlanRow, old: PlanRow) -> str:
    if new.plan not in digests or old.plan not in digests:
        return ""
    # the code digest: the IRIs and node shapes written here are code, like a shard's
    parts = [editions_version(), code_digest(), minter.base, new.plan, digests[new.plan]]
    parts += [old.plan, digests[old.plan]]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _order(rows: Iterable[PlanRow]) -> list[PlanRow]:
    return sorted(rows, key=lambda r: (r.start is None, r.start or 0, r.end or 0, r.plan))


def _replace_graph(store: ReadStore, graph: NamedNode, quads: list[Quad]) -> tuple[int, int]:
    """Make ``graph`` of ``store`` hold ``quads``; return the quads it lost and gained. In
    an Oxigraph store that holds the graph already (a build started from a copy of the
    previous one), only the difference is written: removing and adding back 10^5-10^6
    unchanged quads one transaction at a time took most of a warm build's editions step
    (7.9 of 8.6 s at 100 plans)."""
    if isinstance(store, Store):
        old = set(store.quads_for_pattern(None, None, None, graph))
        new = set(quads)
        gone, gained = old - new, new - old
        for quad in gone:
            store.remove(quad)
        if len(gained) > 10_000:  # the bulk writer makes files: for many quads only
            store.bulk_extend(gained)
        else:
            store.extend(gained)
        return len(gone), len(gained)
    removed = 0
    if graph in set(store.named_graphs()):  # an engine's build, from empty: rarely held
        removed = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        store.remove_graph(graph)
    store.extend(quads)
    return removed, len(set(quads))


@dataclass(frozen=True)
class PartnershipTask:
    """One partnership's share of the cross-plan step, as a worker gets it: its editions
    (oldest first), the edition pairs to align (previous, current and the pair's cache
    key, "" for none) with the action lines of their plans, whether to validate, and the
    folder of the :class:`EditionsCache` (None: keep nothing)."""

    base: str
    slug: str
    label: str
    editions: tuple[PlanRow, ...]
    pairs: tuple[tuple[PlanRow, PlanRow, str], ...]
    lines: tuple[tuple[str, tuple[EditionLine, ...]], ...]
    validate: bool = False
    cache: str | None = None
    #: the build's :func:`editions_version` and code digest, which a worker must share
    software: str = ""


@dataclass(frozen=True)
class PartnershipPart:
    """What :func:`align_partnership` made of a task: the partnership node's quads and
    those of every pair it aligned, in order; the continuity nodes among them; and the
    SHACL report when they do not conform (then nothing was kept in the cache)."""

    quads: list[Quad]
    continuities: int
    report: str | None = None


def align_partnership(
    task: PartnershipTask, validate: Callable[[list[Quad]], str | None] | None = None
) -> PartnershipPart:
    """Align the edition pairs of one partnership and write its quads: the public unit
    of the cross-plan step, run in this process or by any executor's workers.

    With ``task.validate`` the quads (and the alignment method node, which every
    continuity's ``sh:class akg:AlignmentMethod`` needs) are checked by ``validate``,
    else by the packaged shapes; when they conform, each keyed pair's quads are kept in
    the cache folder. A failed check is the part's report.

    Raises:
        GraphError: this process runs another aseankg or rapidfuzz than ``task.software``.
    """
    if task.software and task.software != _software():
        raise GraphError(
            f"this worker runs {_software()[:60]}..., the build {task.software[:60]}...: "
            "install the same aseankg and libraries on every worker"
        )
    out = _Writer(Minter(task.base))
    out.method_node()
    head = len(out.quads)
    out.partnership(task.slug, task.label, list(task.editions))
    lines = dict(task.lines)
    made: list[tuple[str, int, int]] = []
    continuities = 0
    for previous, current, key in task.pairs:
        first = len(out.quads)
        out.follows(current, previous)
        alignment = align_editions(lines.get(current.iri, ()), lines.get(previous.iri, ()))
        for item in alignment:
            out.continuity(current, previous, item)
        continuities += len(alignment)
        if key:
            made.append((key, first, len(out.quads)))
    report = None
    if task.validate:
        if validate is None:
            validate = packaged_validator(task.base)
        # One SHACL call per partnership, not one over all the quads: the editions
        # shapes (ontology/shapes.ttl) are per-node checks of Partnership and Continuity
        # nodes, and every subject's quads here sit in one partnership (a plan is in one
        # partnership, a line and a continuity node in one edition pair of it), so the
        # verdicts are those of one call. For the same reason the reused pairs,
        # validated when they were kept, need no new call.
        report = validate(out.quads)
    if task.cache is not None and report is None:
        cache = EditionsCache(task.cache)
        for key, first, end in made:
            cache.put(key, out.quads[first:end])
    return PartnershipPart(out.quads[head:], continuities, report)


def _software() -> str:
    return f"{editions_version()}, code {code_digest()}"


def _align_elsewhere(task: PartnershipTask) -> tuple[bytes, int, str | None]:
    """:func:`align_partnership` for an executor: its quads as N-Quads, which a worker
    writes and this process reads back 7 times faster than it pickles them."""
    part = align_partnership(task)
    return serialize(part.quads, format=RdfFormat.N_QUADS) or b"", part.continuities, part.report


def _run_parts(
    tasks: Sequence[PartnershipTask],
    validate: Callable[[list[Quad]], str | None] | None,
    executor: Executor | None,
    pool: Callable[[int], Executor | None] | None,
) -> list[PartnershipPart]:
    """The part of every task, in task order: here, through ``executor``, or through
    the executor ``pool(n)`` gives for the ``n`` pairs to align (shut down after)."""
    with runner_for(executor, pool, sum(len(task.pairs) for task in tasks)) as runner:
        if runner is None:
            return [align_partnership(task, validate) for task in tasks]
        # the largest partnerships first, so that no worker is left with one at the end
        order = sorted(range(len(tasks)), key=lambda k: -len(tasks[k].pairs))
        futures = {k: runner.submit(_align_elsewhere, tasks[k]) for k in order}
        parts = []
        for k in range(len(tasks)):
            data, continuities, report = futures[k].result()
            quads = list(parse(data, format=RdfFormat.N_QUADS)) if data else []
            parts.append(PartnershipPart(quads, continuities, report))
        return parts


def link_editions(
    store: ReadStore,
    minter: Minter,
    *,
    validate: Callable[[list[Quad]], str | None] | None = None,
    write: bool = True,
    cache: EditionsCache | None = None,
    digests: Mapping[str, str] | None = None,
    executor: Executor | None = None,
    pool: Callable[[int], Executor | None] | None = None,
    facts: EditionFacts | None = None,
) -> EditionsSummary:
    """Compute the partnerships, editions and continuity of every plan in ``store`` and,
    with ``write``, add them to its graph ``graph/editions`` (replacing what it held).

    ``facts`` are the rows of the store's plans and lines (``aseankg.graph.facts``: a
    build reads them one plan graph at a time); without them the step queries ``store``.

    ``validate`` (a SHACL check of the new quads, say ``PlanValidator.validate``) returns
    a report when they do not conform; the workers of an ``executor`` check with the
    packaged shapes instead (what a build's validator holds). With a ``cache`` and the
    ``digests`` of the plan graphs (plan id to sha256), an edition pair whose two plans
    are unchanged since a build that kept it is not aligned nor validated again: its
    quads are reused (they were validated when kept). The result is the same quads
    either way, and the same with an ``executor`` (each partnership is a task for it,
    :func:`align_partnership`) or a ``pool`` (asked for one as :func:`map_shards` is).

    Raises:
        ValidationError: ``validate`` reported a problem; nothing is written.
        QueryError: the store cannot answer the step's queries.
    """
    groups: dict[str, tuple[str, list[PlanRow]]] = {}
    for row in facts.plans if facts is not None else read_plan_rows(store):
        partner = _partner_of(row, minter)
        if partner is None:
            continue
        slug, label = _partnership(*partner)
        groups.setdefault(slug, (label, []))[1].append(row)
    known = digests if cache is not None and digests is not None else {}
    ordered = {slug: _order(rows) for slug, (_label, rows) in groups.items()}
    pairs = {
        slug: [
            (previous, current, _pair_key(minter, known, current, previous))
            for previous, current in itertools.pairwise(r for r in rows if r.start is not None)
            if previous.start != current.start  # two plans of one period: neither follows
        ]
        for slug, rows in ordered.items()
    }
    kept = {
        key: quads
        for slug in pairs
        for _old, _new, key in pairs[slug]
        if key and cache is not None and (quads := cache.get(key)) is not None
    }
    # the lines are read only when a pair is aligned
    lines = (
        dict(facts.lines if facts is not None else read_line_rows(store))
        if any(not key or key not in kept for v in pairs.values() for *_, key in v)
        else {}
    )
    tasks = []
    for slug in sorted(groups):
        todo = tuple(pair for pair in pairs[slug] if pair[2] not in kept)
        plans = sorted({row.iri for previous, current, _key in todo for row in (previous, current)})
        tasks.append(
            PartnershipTask(
                minter.base,
                slug,
                groups[slug][0],
                tuple(ordered[slug]),
                todo,
                tuple((iri, tuple(lines.get(iri, ()))) for iri in plans),
                validate is not None,
                None if cache is None else str(cache.folder),
                _software(),
            )
        )
    parts = _run_parts(tasks, validate, executor, pool)
    reports = [part.report for part in parts if part.report is not None]
    if reports:
        raise ValidationError(
            "the partnerships and editions fail SHACL validation", "\n".join(reports)
        )
    out = _Writer(minter)
    if groups:
        out.method_node()
    reused: list[Quad] = []
    summaries = []
    continuities = 0
    for task, part in zip(tasks, parts, strict=True):
        summaries.append(
            PartnershipSummary(task.slug, task.label, tuple(r.plan for r in task.editions))
        )
        out.quads.extend(part.quads)
        continuities += part.continuities
        for _previous, _current, key in pairs[task.slug]:
            if key in kept:
                reused.extend(kept[key])
                continuities += sum(1 for q in kept[key] if q.object == _CONTINUITY)
    quads = out.quads + reused
    removed = added = 0
    if write:
        removed, added = _replace_graph(store, NamedNode(minter.editions_graph()), quads)
    recomputed = sum(len(task.pairs) for task in tasks)
    return EditionsSummary(
        tuple(summaries), continuities, quads, recomputed, len(kept), removed, added
    )
