"""What every store backend shares: the build record and the backend interface.

A *build* is one complete, checked graph of the store; the *build record* of the current
build is its :class:`Manifest` (the dataset version, the plans and their graphs, the
base). Readers ask a backend for the current :class:`Build` and read that one only, so a
build that is still loading (or was killed half way) is never seen.

The interface a builder drives (``aseankg.graph.build``, with its shards, fills it)::

    with start_build(store) as build:     # a BuildSession; the lock is held
        build.workdir                     # a private local folder for spool files
        build.load([Path("a.nq"), ...])   # N-Quads files, graphs by their public names
        build.reader()                    # the new build, read over the same engine
        build.commit(manifest)            # flip the "current build" record
    # leaving the block without a commit discards the new build: the old one stays

A backend is a folder of embedded Oxigraph builds (:mod:`aseankg.graph.backends.folder`)
or a SPARQL engine over HTTP (:mod:`aseankg.graph.backends.engine`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pyoxigraph import Store

    from aseankg.graph.backends.engine import EngineStore

__all__ = ["Backend", "Build", "BuildSession", "Manifest", "ManifestPlan"]


@dataclass(frozen=True)
class ManifestPlan:
    """One plan graph of a build: its id, named graph, counts and content digest."""

    plan: str
    graph: str
    action_lines: int = 0
    mentions: int = 0
    candidates: int = 0
    triples: int = 0
    sha256: str = ""
    build: str = ""
    source: str = ""  # the file it was built from (absolute path): `aseankg build` rebuilds it


@dataclass(frozen=True)
class Manifest:
    """What the build record says about one build: the dataset ``version`` (a digest of
    its content, used in ETags and VoID), the build time ``built`` (ISO 8601), the IRI
    ``base``, the ``software`` version, the number of ``triples`` and the ``plans``."""

    version: str
    built: str = ""
    base: str = ""
    software: str = ""
    triples: int = 0
    plans: tuple[ManifestPlan, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The manifest as the JSON object written to ``manifest.json``."""
        data = asdict(self)
        data["plans"] = [asdict(plan) for plan in self.plans]
        return data

    @classmethod
    def from_json(cls, data: object) -> Manifest:
        """Read the JSON object of ``manifest.json`` (unknown keys are ignored).

        Raises:
            ValueError: ``data`` is not a manifest (not an object, no version, bad types).
        """
        if not isinstance(data, Mapping) or not isinstance(data.get("version"), str):
            raise ValueError("not a manifest object with a version")
        plans = data.get("plans", [])
        if not isinstance(plans, list):
            raise ValueError("plans is not a list")
        try:
            return cls(
                version=data["version"],
                built=str(data.get("built", "")),
                base=str(data.get("base", "")),
                software=str(data.get("software", "")),
                triples=int(data.get("triples", 0)),
                plans=tuple(_plan(entry) for entry in plans),
            )
        except (TypeError, KeyError) as exc:
            raise ValueError(f"malformed entry: {exc}") from exc


def _plan(entry: object) -> ManifestPlan:
    if not isinstance(entry, Mapping):
        raise TypeError("a plan entry is not an object")
    return ManifestPlan(
        plan=str(entry["plan"]),
        graph=str(entry["graph"]),
        action_lines=int(entry.get("action_lines", 0)),
        mentions=int(entry.get("mentions", 0)),
        candidates=int(entry.get("candidates", 0)),
        triples=int(entry.get("triples", 0)),
        sha256=str(entry.get("sha256", "")),
        build=str(entry.get("build", "")),
        source=str(entry.get("source", "")),
    )


class Backend(Protocol):
    """Where builds live: a folder of embedded stores or a SPARQL engine."""

    @property
    def name(self) -> str:
        """The store as the user named it (a folder or an engine URL), for messages."""
        ...

    def current(self) -> Build | None:
        """The current build, or None when nothing is built yet.

        Raises ``StoreError`` when the store cannot be read or its record is damaged."""
        ...

    def open_build(self, build: Build, *, read_only: bool = True) -> Store | EngineStore:
        """A store to read ``build`` (a pyoxigraph ``Store`` or an :class:`EngineStore`).

        Raises ``StoreError`` when it cannot be opened."""
        ...

    def start(self, *, keep: int) -> AbstractContextManager[BuildSession, bool | None]:
        """Take the build lock and start a new build; see the module docstring.

        Raises ``StoreError`` when another build holds the lock or nothing can be written."""
        ...


class BuildSession(Protocol):
    """A build being loaded; nobody reads it until :meth:`commit`."""

    @property
    def id(self) -> str:
        """The build's id (unique in its store)."""
        ...

    @property
    def workdir(self) -> Path:
        """A local folder private to this build, for spool files; removed with it."""
        ...

    @property
    def committed(self) -> bool:
        """Whether :meth:`commit` has flipped the record to this build."""
        ...

    def load(self, files: Sequence[Path]) -> None:
        """Add the quads of these N-Quads files (graphs by their public names).

        Raises ``StoreError`` when a file cannot be read or the store cannot be written."""
        ...

    def reader(self) -> Store | EngineStore:
        """The new build as a store to query (for the checks), before it is committed.

        Raises ``StoreError`` when it cannot be opened."""
        ...

    def commit(self, manifest: Manifest) -> None:
        """Make this build the current one (readers see it from now on, whole).

        Raises ``StoreError`` when the record cannot be written."""
        ...


@dataclass(frozen=True)
class Build:
    """One committed build: its id, its manifest, and the backend that holds it.
    ``store`` is the store as the caller named it (for messages); ``path`` is the build
    directory of an embedded store (None on an engine); ``key`` tells builds apart
    (a path, or the engine URL with the build id); ``graphs`` are the names of the
    build's graphs in an engine (build-specific names, see ``backends.engine``);
    ``default`` names the engine graph that holds the merge of them all, queried as the
    default graph (a dialect that keeps one, Oxigraph server), or is empty."""

    id: str
    manifest: Manifest
    store: str
    backend: Backend = field(compare=False, repr=False)
    path: Path | None = None
    graphs: tuple[str, ...] = ()
    default: str = ""

    @property
    def key(self) -> str:
        """What tells this build from every other of any store."""
        return str(self.path) if self.path is not None else f"{self.store}#{self.id}"

    @property
    def oxigraph(self) -> Path:
        """The pyoxigraph store directory of an embedded build.

        Raises ``ValueError`` for a build on an engine."""
        if self.path is None:
            raise ValueError(f"the build {self.id} of {self.store} is on an engine")
        return self.path / "oxigraph"

    def open(self, *, read_only: bool = True) -> Store | EngineStore:
        """Open this build to read it.

        Raises:
            StoreError: the store cannot be opened (missing, damaged, locked, unreachable).
        """
        return self.backend.open_build(self, read_only=read_only)
