"""Reading a store that may be damaged: one line for the user, no engine paths.

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

from aseankg.graph.errors import GraphError, StoreError

__all__ = ["reading_store"]

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
