"""The embedded backend: a folder of pyoxigraph on-disk builds, with atomic swap.

Layout of ``--store DIR``::

    DIR/current            symlink -> builds/<build-id>  (swapped atomically)
    DIR/builds/<build-id>/oxigraph/       a pyoxigraph on-disk store
    DIR/builds/<build-id>/manifest.json   a :class:`Manifest`: version, time, plans, base
    DIR/.lock              held by the one build writing DIR

A build writes a whole new build directory, validates it, then renames a new symlink over
``DIR/current``: a rename is atomic, so a reader (or a build killed with SIGKILL at any
moment) sees either the old store or the new one, never half of one. The current build
and the one before it are kept; older and unfinished build directories are removed.
Committed build directories never change, so each one's manifest is read once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from aseankg.graph.backends.record import Build, Manifest
from aseankg.graph.errors import StoreError

__all__ = ["BUILDS", "CURRENT", "MANIFEST_FILE", "OXIGRAPH", "BuildDirectory", "FolderBackend"]

CURRENT = "current"
BUILDS = "builds"
OXIGRAPH = "oxigraph"
MANIFEST_FILE = "manifest.json"
_LOCK = ".lock"

_BUILDS: dict[Path, Build] = {}
_KEEP_READ = 8


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BuildDirectory:
    """A new build directory under ``DIR/builds/`` being filled; ``commit`` swaps it in.
    ``oxigraph`` is its store directory, which :meth:`load` fills by Oxigraph's bulk
    loader (or a caller fills itself)."""

    def __init__(self, root: Path, path: Path) -> None:
        self.root = root
        self.path = path
        self._committed = False
        self._store: Store | None = None

    @property
    def id(self) -> str:
        return self.path.name

    @property
    def workdir(self) -> Path:
        return self.path

    @property
    def committed(self) -> bool:
        return self._committed

    @property
    def oxigraph(self) -> Path:
        return self.path / OXIGRAPH

    def _open(self) -> Store:
        if self._store is None:
            try:
                self._store = Store(str(self.oxigraph))
            except (OSError, RuntimeError) as exc:
                raise StoreError(f"cannot write the new store at {self.path}: {exc}") from exc
        return self._store

    def start_from(self, build: Build) -> None:
        """Make this build's store a copy of committed ``build``'s, before anything is
        loaded: a RocksDB checkpoint (``Store.backup``), whose files are hard links to
        the original's immutable ones on the same filesystem, so it takes about as long
        at 8 M triples as at 8; writing the copy leaves ``build`` as it was.

        Raises:
            StoreError: the build's store cannot be read or the copy cannot be written.
        """
        try:
            Store.read_only(str(build.oxigraph)).backup(str(self.oxigraph))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"cannot copy the current store into {self.path}: {exc}") from exc

    def load(self, files: Sequence[Path]) -> None:
        """Bulk-load N-Quads files into this build's store, one file at a time (the bulk
        loader holds a batch in memory, so chunked files bound a build's memory).

        Raises:
            StoreError: a file cannot be read or parsed, or the store cannot be written.
        """
        store = self._open()
        try:
            for chunk in files:
                # lenient: no second validation of the IRIs; every line was written by
                # pyoxigraph's own N-Quads serialiser (the shards, the kept plans, the
                # packaged graphs), and a line that does not parse still fails the load
                store.bulk_load(path=str(chunk), format=RdfFormat.N_QUADS, lenient=True)
        except (OSError, SyntaxError, RuntimeError) as exc:
            raise StoreError(f"cannot write the new store at {self.path}: {exc}") from exc

    def reader(self) -> Store:
        """This build's store, open for the checks. Raises ``StoreError`` as ``load``."""
        return self._open()

    def _close(self) -> None:
        if self._store is not None:
            self._store.flush()
            self._store = None  # close the RocksDB handle before the swap

    def commit(self, manifest: Manifest) -> None:
        """Write the manifest, then atomically point ``DIR/current`` at this build.

        Raises:
            StoreError: the manifest or the symlink cannot be written.
        """
        try:
            self._close()
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
        self._committed = True

    def discard(self) -> None:
        """Remove this (uncommitted) build directory."""
        self._store = None
        if not self._committed:
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


class FolderBackend:
    """The builds of one store folder (``root``, named ``name`` by the caller)."""

    def __init__(self, root: Path, name: str = "") -> None:
        self.root = root
        self._name = name or os.fspath(root)

    @property
    def name(self) -> str:
        return self._name

    def _read(self, path: Path) -> Build:
        try:
            data = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
            manifest = Manifest.from_json(data)
        except (OSError, ValueError) as exc:
            raise StoreError(f"the store at {self.name} has no readable manifest") from exc
        if not (path / OXIGRAPH).is_dir():
            raise StoreError(f"the store at {self.name} has no graph: run `aseankg build` again")
        return Build(path.name, manifest, self.name, self, path=path)

    def current(self) -> Build | None:
        """The build ``DIR/current`` points at, or None when there is no store yet.

        Raises:
            StoreError: ``DIR/current`` exists but its build has no readable manifest or graph.
        """
        link = self.root / CURRENT
        if not link.exists():
            return None
        target = link.resolve()
        build = _BUILDS.get(target)
        if build is None:
            build = self._read(target)
            if len(_BUILDS) >= _KEEP_READ:
                _BUILDS.clear()
            _BUILDS[target] = build
        if build.store != self.name:  # the same build, named another way by this caller
            build = replace(build, store=self.name, backend=self)
        return build

    def open_build(self, build: Build, *, read_only: bool = True) -> Store:
        """Open the pyoxigraph store of ``build``.

        Raises:
            StoreError: the store cannot be opened (missing, damaged, locked: RocksDB
                reports damage as a ``RuntimeError``).
        """
        try:
            if read_only:
                return Store.read_only(str(build.oxigraph))
            return Store(str(build.oxigraph))
        except RuntimeError as exc:
            line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StoreError(
                f"the store at {self.name} is damaged ({line}): "
                "rebuild it with `aseankg build --replace`"
            ) from exc
        except OSError as exc:
            raise StoreError(f"cannot open the store at {self.name}: {exc}") from exc

    @contextlib.contextmanager
    def start(self, *, keep: int) -> Iterator[BuildDirectory]:
        """Hold ``DIR``'s build lock and yield a fresh build directory.

        If the block raises (or never commits), the new directory is removed and
        ``DIR/current`` is left as it was. After a commit, builds beyond the newest
        ``keep`` are pruned.

        Raises:
            StoreError: ``DIR`` cannot be created, or another build holds its lock.
        """
        root = self.root
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
