"""The ``--store`` option, and reading a store that may be damaged: one line for the
user, no engine paths.

``--store`` takes a folder or a SPARQL engine's URL naming its dialect
(``virtuoso+http://127.0.0.1:8890/sparql``, ``oxigraph+http://127.0.0.1:7878``);
:func:`check_store_option` refuses, as a usage error, a text with a scheme that is no such URL
(it is never taken for a folder name) or that carries credentials.

Oxigraph (RocksDB underneath) reports a damaged store with a ``RuntimeError`` or an
``OSError`` whose message names the absolute path of the file it choked on, at open
time or only when a query reaches the bad block. The commands that read a store run
inside :func:`reading_store`, which turns those into a :class:`StoreError` that names
the store as the user gave it, says what is wrong in the engine's words with every
path inside the store cut to its file name, and says how to recover.

>>> _without_paths("bad block in /srv/kg/builds/b1/oxigraph/000009.sst offset 3", "/srv/kg")
'bad block in 000009.sst offset 3'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from aseankg.graph.errors import GraphError, StoreError
from aseankg.graph.store import open_backend

__all__ = ["STORE_HELP", "check_store_option", "reading_store"]

STORE_HELP = (
    "The store: a directory, or a SPARQL engine's URL (virtuoso+http://HOST:PORT/sparql, "
    "oxigraph+http://HOST:PORT; credentials from ASEANKG_STORE_USER/ASEANKG_STORE_PASSWORD)."
)


def check_store_option(value: str | None) -> str | None:
    """``value`` when it names a folder or an engine this program speaks (or None).

    Raises:
        typer.BadParameter: ``value`` has a scheme but is no engine URL we speak, or it
            holds credentials.
    """
    if value is None:
        return None
    try:
        open_backend(value)
    except StoreError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


_ABSOLUTE = re.compile(r"/[^\s:,;'\"()]+")
_DETAIL_CHARS = 160


def _without_paths(message: str, store: str) -> str:
    """``message`` with each absolute path inside ``store`` cut to its last segment
    (the store's own path, as the user gave it, stays)."""
    roots = {os.path.abspath(store), os.path.realpath(store)}

    def shorten(match: re.Match[str]) -> str:
        path = match.group(0)
        inside = any(path.startswith(root + os.sep) for root in roots)
        return os.path.basename(path.rstrip("/")) if inside else path

    return _ABSOLUTE.sub(shorten, message)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    line = lines[0] if lines else "unknown error"
    return line if len(line) <= _DETAIL_CHARS else line[: _DETAIL_CHARS - 1] + "…"


@contextmanager
def reading_store(store: str) -> Iterator[None]:
    """Run the block that reads the store at ``store``; a damaged store is one line.

    Raises:
        StoreError: the engine failed on the store's files (the store is damaged); the
            message names ``store`` as given and no path inside it.
        GraphError: any other error of the graph layer, its paths inside ``store`` cut.
    """
    try:
        yield
    except BrokenPipeError:
        raise
    except GraphError as exc:
        if exc.args and isinstance(exc.args[0], str):
            exc.args = (_without_paths(exc.args[0], store), *exc.args[1:])
        raise
    except (RuntimeError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise  # an error of this machine (disk full, permissions), not of the store
        detail = _first_line(_without_paths(str(exc) or type(exc).__name__, store))
        raise StoreError(
            f"the store at {store} is damaged ({detail}): rebuild it with `aseankg build --replace`"
        ) from exc
