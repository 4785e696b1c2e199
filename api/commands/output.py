"""Writing command output to stdout when the reader may close it early (``| head``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["tolerate_closed_stdout"]


@contextmanager
def tolerate_closed_stdout() -> Iterator[None]:
    """Treat a reader that closed stdout early as success, not an error.

    Without this, click turns the ``BrokenPipeError`` into exit status 1, which makes
    ``aseankg export | head`` fail under ``set -o pipefail``.

    >>> with tolerate_closed_stdout():
    ...     pass
    """
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
