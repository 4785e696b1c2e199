"""The store boundary: pyoxigraph on disk, with atomic build-and-swap.

Layout of ``--store DIR`` (the contract api/ reads)::

    DIR/current            symlink -> builds/<build-id>  (swapped atomically)
    DIR/builds/<build-id>/oxigraph/       a pyoxigraph on-disk store
    DIR/builds/<build-id>/manifest.json   a :class:`Manifest`: version, time, plans, base
    DIR/.lock              held by the one build writing DIR

A build writes a whole new build directory, validates it, then renames a new symlink over
``DIR/current``: a rename is atomic, so a reader (or a build killed with SIGKILL at any
moment) sees either the old store or the new one, never half of one. The current build
and the one before it are kept; older and unfinished build directories are removed.

Everything reads the store through :func:`current_build` (the build directory and its
typed, frozen :class:`Manifest`, read once per build directory: a committed build is
never changed) or :func:`open_store`.

>>> [plan.plan for plan in current_build(seed_store).manifest.plans]
['asean-canada-2021-2025']
>>> store = open_store(seed_store)
>>> bool(store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True))
True
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from pyoxigraph import Store

from aseankg.graph.errors import StoreError

__all__ = [
    "BUILDS",
    "CURRENT",
    "DEFAULT_STORE",
    "KEEP_BUILDS",
    "MANIFEST_FILE",
    "OXIGRAPH",
    "Build",
    "BuildDirectory",
    "Manifest",
    "ManifestPlan",
    "current_build",
    "open_store",
    "read_manifest",
    "start_build",
]

DEFAULT_STORE = Path("data/store")
CURRENT = "current"
BUILDS = "builds"
OXIGRAPH = "oxigraph"
MANIFEST_FILE = "manifest.json"
KEEP_BUILDS = 2
_LOCK = ".lock"


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


@dataclass(frozen=True)
class Manifest:
    """What ``manifest.json`` says about one build: the dataset ``version`` (a digest of
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
    )


@dataclass(frozen=True)
class Build:
    """One committed build: its directory and its manifest; ``store`` is the store
    directory as the caller named it (for messages)."""

    path: Path
    manifest: Manifest
    store: str = ""

    @property
    def oxigraph(self) -> Path:
        """The pyoxigraph store directory of this build."""
        return self.path / OXIGRAPH

    def open(self, *, read_only: bool = True) -> Store:
        """Open this build's store.

        Raises:
            StoreError: the store cannot be opened (missing, damaged, locked: RocksDB
                reports damage as a ``RuntimeError``).
        """
        store = self.store or os.fspath(self.path.parent.parent)
        try:
            if read_only:
                return Store.read_only(str(self.oxigraph))
            return Store(str(self.oxigraph))
        except RuntimeError as exc:
            line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StoreError(
                f"the store at {store} is damaged ({line}): "
                "rebuild it with `aseankg build --replace`"
            ) from exc
        except OSError as exc:
            raise StoreError(f"cannot open the store at {store}: {exc}") from exc


# committed build directories never change, so each one's manifest is read once
_BUILDS: dict[Path, Build] = {}
_KEEP_READ = 8


def _read_build(path: Path, root: str) -> Build:
    try:
        data = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
        manifest = Manifest.from_json(data)
    except (OSError, ValueError) as exc:
        raise StoreError(f"the store at {root} has no readable manifest") from exc
    if not (path / OXIGRAPH).is_dir():
        raise StoreError(f"the store at {root} has no graph: run `aseankg build` again")
    return Build(path, manifest, root)


def current_build(path: str | os.PathLike[str]) -> Build | None:
    """The build ``DIR/current`` points at, or None when there is no store at ``path`` yet.

    Raises:
        StoreError: ``DIR/current`` exists but its build has no readable manifest or graph.
    """
    link = Path(path) / CURRENT
    if not link.exists():
        return None
    target = link.resolve()
    build = _BUILDS.get(target)
    if build is None:
        build = _read_build(target, os.fspath(path))
        if len(_BUILDS) >= _KEEP_READ:
            _BUILDS.clear()
        _BUILDS[target] = build
    if build.store != os.fspath(path):  # the same build, named another way by this caller
        build = replace(build, store=os.fspath(path))
    return build


def _require_build(path: str | os.PathLike[str]) -> Build:
    build = current_build(path)
    if build is None:
        raise StoreError(f"no store at {os.fspath(path)}: run `aseankg build` first")
    return build


def open_store(path: str | os.PathLike[str], *, read_only: bool = True) -> Store:
    """Open the current store of ``DIR`` (resolving ``DIR/current``).

    Raises:
        StoreError: there is no built store at ``path`` or it cannot be opened.
    """
    return _require_build(path).open(read_only=read_only)


def read_manifest(path: str | os.PathLike[str]) -> Manifest:
    """The manifest of the current store of ``DIR``.

    Raises:
        StoreError: there is no store, or its manifest is missing or malformed.
    """
    return _require_build(path).manifest


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BuildDirectory:
    """A new build directory under ``DIR/builds/`` being filled; ``commit`` swaps it in."""

    def __init__(self, root: Path, path: Path) -> None:
        self.root = root
        self.path = path
        self.committed = False

    @property
    def oxigraph(self) -> Path:
        return self.path / OXIGRAPH

    def commit(self, manifest: Manifest) -> None:
        """Write the manifest, then atomically point ``DIR/current`` at this build.

        Raises:
            StoreError: the manifest or the symlink cannot be written.
        """
        try:
            tmp = self.path / f".{MANIFEST_FILE}.tmp"
            text = json.dumps(manifest.to_json(), indent=2, sort_keys=True) + "\n"
            tmp.write_text(text, "utf-8")
            os.replace(tmp, self.path / MANIFEST_FILE)
            _fsync_directory(self.path)
            link = self.root / f".{CURRENT}.{os.getpid()}"
            with contextlib.suppress(FileNotFoundError):
                link.unlink()
            os.symlink(f"{BUILDS}/{self.path.name}", link)
            os.replace(link, self.root / CURRENT)
            _fsync_directory(self.root)
        except OSError as exc:
            raise StoreError(f"cannot swap in the new store at {self.root}: {exc}") from exc
        self.committed = True

    def discard(self) -> None:
        """Remove this (uncommitted) build directory."""
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)


def _prune(root: Path, keep: int) -> None:
    """Remove build directories other than the current one and the newest finished ones."""
    builds = root / BUILDS
    link = root / CURRENT
    current = link.resolve() if link.exists() else None
    finished = sorted(
        (entry for entry in builds.iterdir() if (entry / MANIFEST_FILE).is_file()),
        key=lambda entry: entry.name,
        reverse=True,
    )
    kept = {entry.name for entry in finished[:keep]}
    if current is not None:
        kept.add(current.name)
    for entry in builds.iterdir():
        if entry.name not in kept and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def _new_build_path(builds: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    for attempt in range(1000):
        path = builds / f"{stamp}-{os.getpid()}-{attempt:03d}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise StoreError(f"cannot create a new build directory under {builds}")


@contextlib.contextmanager
def start_build(
    path: str | os.PathLike[str], *, keep: int = KEEP_BUILDS
) -> Iterator[BuildDirectory]:
    """Hold ``DIR``'s build lock and yield a fresh build directory.

    The caller fills ``build.oxigraph`` and calls ``build.commit(manifest)``. If the block
    raises (or never commits), the new directory is removed and ``DIR/current`` is left
    as it was. After a commit, builds beyond the newest ``keep`` are pruned.

    Raises:
        StoreError: ``DIR`` cannot be created, or another build holds its lock.
    """
    root = Path(path)
    try:
        (root / BUILDS).mkdir(parents=True, exist_ok=True)
        lock = open(root / _LOCK, "a+b")  # noqa: SIM115 - held for the whole build
    except OSError as exc:
        raise StoreError(f"cannot create the store directory {root}: {exc}") from exc
    try:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreError(f"another build is writing the store at {root}") from exc
        _prune(root, keep)
        build = BuildDirectory(root, _new_build_path(root / BUILDS))
        try:
            yield build
        finally:
            build.discard()
        if build.committed:
            _prune(root, keep)
    finally:
        lock.close()
