"""Provenance of builds with PROV-O.

Each plan graph records the ``akg:Build`` activity that generated it: the software
(name and version from the installed package metadata), the source file it used (with
its sha256), the text edition it generated, and its time. The store's ``graph/build``
records the activity that assembled the store from the plan graphs, and is the one graph
that describes the software agent (type, label, version): a plan graph only names it, so
no triple lives in two graphs and the union default graph has no duplicate rows (issue
18). Times come from
``SOURCE_DATE_EPOCH`` when it is set, so two builds of the same sources are identical.

>>> stamp = build_stamp(environ={"SOURCE_DATE_EPOCH": "0"})
>>> stamp.time.isoformat()
'1970-01-01T00:00:00+00:00'
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata

from pyoxigraph import Literal, NamedNode, Quad

from aseankg.extract.records import Plan
from aseankg.graph.errors import GraphError
from aseankg.graph.iris import Minter
from aseankg.graph.vocabulary import AkgTerms, Dct, Prov, Rdf, Xsd

__all__ = [
    "PACKAGE",
    "BuildStamp",
    "build_stamp",
    "plan_build_iri",
    "plan_provenance",
    "software_version",
    "store_provenance",
]

PACKAGE = "aseankg"


def software_version() -> str:
    """The installed version of the aseankg package (``0+unknown`` when not installed)."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "0+unknown"


@dataclass(frozen=True)
class BuildStamp:
    """When and with what software a build ran."""

    time: datetime
    version: str

    @property
    def iso_time(self) -> str:
        return self.time.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_stamp(environ: Mapping[str, str] | None = None) -> BuildStamp:
    """The stamp of a build starting now, or at ``SOURCE_DATE_EPOCH`` when set.

    Raises:
        GraphError: ``SOURCE_DATE_EPOCH`` is set but is not an integer.
    """
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            time = datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise GraphError(f"SOURCE_DATE_EPOCH is not a Unix time: {epoch!r}") from exc
    else:
        time = datetime.now(tz=UTC).replace(microsecond=0)
    return BuildStamp(time=time, version=software_version())


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def plan_build_iri(plan: Plan, stamp: BuildStamp, minter: Minter) -> str:
    """The IRI of the activity that builds ``plan``'s graph (content-derived)."""
    sha = _digest(plan.plan, plan.source.sha256, plan.text_sha256, stamp.version, stamp.iso_time)
    return minter.build(sha)


def _time(stamp: BuildStamp) -> Literal:
    return Literal(stamp.iso_time, datatype=Xsd.date_time)


def _activity(
    activity: NamedNode, stamp: BuildStamp, minter: Minter, graph: NamedNode
) -> list[Quad]:
    software = NamedNode(minter.software(stamp.version))
    return [
        Quad(activity, Rdf.type, AkgTerms.Build, graph),
        Quad(activity, Rdf.type, Prov.Activity, graph),
        Quad(activity, Prov.startedAtTime, _time(stamp), graph),
        Quad(activity, Prov.endedAtTime, _time(stamp), graph),
        Quad(activity, Prov.wasAssociatedWith, software, graph),
        Quad(activity, AkgTerms.softwareVersion, Literal(stamp.version), graph),
    ]


def _software(stamp: BuildStamp, minter: Minter, graph: NamedNode) -> list[Quad]:
    """The software agent's description: in ``graph/build`` only (module docstring)."""
    software = NamedNode(minter.software(stamp.version))
    return [
        Quad(software, Rdf.type, Prov.SoftwareAgent, graph),
        Quad(software, Rdf.label, Literal(f"{PACKAGE} {stamp.version}"), graph),
        Quad(software, Dct.hasVersion, Literal(stamp.version), graph),
    ]


def plan_provenance(plan: Plan, stamp: BuildStamp, minter: Minter) -> list[Quad]:
    """The quads, in the plan's graph, of the activity that built that graph."""
    graph = NamedNode(minter.plan_graph(plan.plan))
    activity = NamedNode(plan_build_iri(plan, stamp, minter))
    source = NamedNode(minter.source(plan.source.sha256))
    edition = NamedNode(minter.text_edition(plan.plan))
    quads = _activity(activity, stamp, minter, graph)
    quads += [
        Quad(activity, Prov.used, source, graph),
        Quad(activity, Prov.generated, edition, graph),
        Quad(activity, Prov.generated, graph, graph),
        Quad(activity, AkgTerms.sha256, Literal(plan.source.sha256), graph),
        Quad(graph, Prov.wasGeneratedBy, activity, graph),
        Quad(edition, Prov.wasGeneratedBy, activity, graph),
    ]
    return quads


def store_provenance(
    plan_builds: Iterable[tuple[str, str]], stamp: BuildStamp, minter: Minter
) -> list[Quad]:
    """The quads of ``graph/build``: the activity that assembled the store.

    ``plan_builds`` pairs each plan graph IRI with the activity that built it (the kept
    plans' earlier activities and this build's new ones).
    """
    pairs = sorted(set(plan_builds))
    graph = NamedNode(minter.build_graph())
    activity = NamedNode(minter.build(_digest(stamp.version, stamp.iso_time, *map(str, pairs))))
    quads = _activity(activity, stamp, minter, graph) + _software(stamp, minter, graph)
    for plan_graph, plan_build in pairs:
        quads.append(Quad(activity, Prov.wasInformedBy, NamedNode(plan_build), graph))
        quads.append(Quad(activity, Prov.used, NamedNode(plan_graph), graph))
    quads.append(Quad(graph, Prov.wasGeneratedBy, activity, graph))
    return quads
