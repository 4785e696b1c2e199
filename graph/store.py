"""The store boundary: pyoxigraph on disk, with atomic build-and-swap.

Layout of ``--store DIR`` (the contract api/ reads)::

    DIR/current            symlink -> builds/<build-id>  (swapped atomically)
    DIR/builds/<build-id>/oxigraph/       a pyoxigraph on-disk store
    DIR/builds/<build-id>/manifest.json   version, time, plans, software, base
    DIR/.lock              held by the one build writing DIR

A build writes a whole new build directory, validates it, then renames a new symlink over
``DIR/current``: a rename is atomic, so a reader (or a build killed with SIGKILL at any
moment) sees either the old store or the new one, never half of one. The current build
and the one before it are kept; older and unfinished build directories are removed.

>>> store = open_store("data/store")  # doctest: +SKIP
>>> bool(store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True))  # doctest: +SKIP
True
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pyoxigraph import Store

from aseankg.graph.errors import StoreError

__all__ = [
    "BUILDS",
    "CURRENT",
    "DEFAULT_STORE",
    "KEEP_BUILDS",
    "MANIFEST",
    "OXIGRAPH",
    "BuildDirectory",
    "current_build",
    "open_store",
    "read_manifest",
    "start_build",
]

DEFAULT_STORE = Path("data/store")
CURRENT = "current"
BUILDS = "builds"
OXIGRAPH = "oxigraph"
MANIFEST = "manifest.json"
KEEP_BUILDS = 2
_LOCK = ".lock"


def current_build(path: str | os.PathLike[str]) -> Path | None:
    """The build directory ``DIR/current`` points at, or None when there is no store yet."""
    link = Path(path) / CURRENT
    if not link.exists():
        return None
    return link.resolve()


def _require_build(path: str | os.PathLike[str]) -> Path:
    build = current_build(path)
    if build is None or not (build / OXIGRAPH).is_dir():
        raise StoreError(f"no store at {os.fspath(path)}: run `aseankg build` first")
    return build


def open_store(path: str | os.PathLike[str], *, read_only: bool = True) -> Store:
    """Open the current store of ``DIR`` (resolving ``DIR/current``).

    Raises:
        StoreError: there is no built store at ``path`` or it cannot be opened.
    """
    build = _require_build(path)
    try:
        if read_only:
            return Store.read_only(str(build / OXIGRAPH))
        return Store(str(build / OXIGRAPH))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {os.fspath(path)}: {exc}") from exc


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of the current store of ``DIR``.

    Raises:
        StoreError: there is no store, or its manifest is missing or not JSON.
    """
    build = _require_build(path)
    try:
        manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"the store at {os.fspath(path)} has no readable manifest") from exc
    if not isinstance(manifest, dict):
        raise StoreError(f"the store at {os.fspath(path)} has a malformed manifest")
    return manifest


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

    def commit(self, manifest: dict[str, Any]) -> None:
        """Write the manifest, then atomically point ``DIR/current`` at this build.

        Raises:
            StoreError: the manifest or the symlink cannot be written.
        """
        try:
            tmp = self.path / f".{MANIFEST}.tmp"
            tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
            os.replace(tmp, self.path / MANIFEST)
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
    current = current_build(root)
    finished = sorted(
        (entry for entry in builds.iterdir() if (entry / MANIFEST).is_file()),
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
