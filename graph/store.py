"""The store boundary: where builds live, how a build is started and flipped in, and how
the current one is read.

``--store`` names either a folder (the embedded Oxigraph store, the default,
:mod:`aseankg.graph.backends.folder`) or a SPARQL engine by a URL whose scheme names its
dialect (``virtuoso+http://127.0.0.1:8890/sparql``, ``oxigraph+http://127.0.0.1:7878``;
:mod:`aseankg.graph.backends.engine`). A text with a scheme (``word:/``) is never taken
for a folder name. Both keep the same contract: a build is loaded whole beside the
current one, checked, then made current in one step; a build that fails or is killed
leaves the previous one serving; the current build and the one before are kept.

Everything reads the store through :func:`current_build` (the :class:`Build` and its
typed, frozen :class:`Manifest`, read together) or :func:`open_store`; builders use
:func:`start_build` (the interface is drawn in :mod:`aseankg.graph.backends.record`).

>>> [plan.plan for plan in current_build(seed_store).manifest.plans]
['asean-canada-2021-2025']
>>> store = open_store(seed_store)
>>> bool(store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True))
True
>>> open_backend("oxigraph+http://127.0.0.1:7878").name
'oxigraph+http://127.0.0.1:7878'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeAlias

from pyoxigraph import Store

from aseankg.graph.backends.engine import EngineBackend, EngineStore, is_engine_url
from aseankg.graph.backends.folder import (
    BUILDS,
    CURRENT,
    MANIFEST_FILE,
    OXIGRAPH,
    BuildDirectory,
    FolderBackend,
)
from aseankg.graph.backends.record import Backend, Build, BuildSession, Manifest, ManifestPlan
from aseankg.graph.errors import StoreError

__all__ = [
    "BUILDS",
    "CURRENT",
    "DEFAULT_STORE",
    "KEEP_BUILDS",
    "MANIFEST_FILE",
    "OXIGRAPH",
    "Backend",
    "Build",
    "BuildDirectory",
    "BuildSession",
    "Manifest",
    "ManifestPlan",
    "ReadStore",
    "StoreLocation",
    "current_build",
    "open_backend",
    "open_store",
    "read_manifest",
    "start_build",
    "store_name",
]

DEFAULT_STORE = Path("data/store")
KEEP_BUILDS = 2

ReadStore: TypeAlias = Store | EngineStore
"""What a build is read through: a pyoxigraph store, or an engine's view of one build."""

StoreLocation: TypeAlias = str | os.PathLike[str] | EngineBackend | FolderBackend
"""A store as callers name it: a folder, an engine URL, or a backend already opened."""

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:/")


def store_name(store: StoreLocation) -> str:
    """The store as the user named it (a folder path or an engine URL)."""
    if isinstance(store, EngineBackend | FolderBackend):
        return store.name
    return os.fspath(store)


def open_backend(store: StoreLocation) -> Backend:
    """The backend of ``store``: an engine for a URL naming a dialect, else a folder.

    Raises:
        StoreError: ``store`` has a scheme but is not an engine URL this program speaks
            (unknown dialect, credentials in the URL, no host).
    """
    if isinstance(store, EngineBackend | FolderBackend):
        return store
    text = os.fspath(store)
    if is_engine_url(text) or _SCHEME.match(text):
        return EngineBackend.from_url(text)
    return FolderBackend(Path(text), text)


def current_build(store: StoreLocation) -> Build | None:
    """The current build of ``store``, or None when there is no build there yet.

    Raises:
        StoreError: the store exists but its build record (manifest) or graph is
            unreadable, or the engine cannot be reached.
    """
    return open_backend(store).current()


def _require_build(store: StoreLocation) -> Build:
    build = current_build(store)
    if build is None:
        raise StoreError(f"no store at {store_name(store)}: run `aseankg build` first")
    return build


def open_store(store: StoreLocation, *, read_only: bool = True) -> ReadStore:
    """Open the current build of ``store`` to read it.

    Raises:
        StoreError: there is no built store at ``store`` or it cannot be opened.
    """
    return _require_build(store).open(read_only=read_only)


def read_manifest(store: StoreLocation) -> Manifest:
    """The manifest of the current build of ``store``.

    Raises:
        StoreError: there is no store, or its manifest is missing or malformed.
    """
    return _require_build(store).manifest


@contextmanager
def start_build(store: StoreLocation, *, keep: int = KEEP_BUILDS) -> Iterator[BuildSession]:
    """Hold ``store``'s build lock and yield a new build (a :class:`BuildSession`).

    The caller loads N-Quads files with ``build.load(paths)`` (spooling them in
    ``build.workdir``), checks ``build.reader()``, and calls ``build.commit(manifest)``.
    If the block raises (or never commits), the new build is discarded and the current
    one is left as it was. After a commit, builds beyond the newest ``keep`` are pruned.

    Raises:
        StoreError: the store cannot be created or reached, or another build holds its lock.
    """
    with open_backend(store).start(keep=keep) as build:
        yield build
