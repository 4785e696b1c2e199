"""The CLI's one policy for a reader that closes stdout early (``| head``): success.

``aseankg export | head`` must exit 0 under ``set -o pipefail``: the reader closing the
pipe is not an error of the command. Without this policy typer turns the
``BrokenPipeError`` of a write into exit status 1. ``aseankg.api.cli`` applies
:func:`closed_stdout_tolerated` to every command once; no command handles it itself.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

__all__ = ["closed_stdout_tolerated", "tolerate_closed_stdout"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


@contextmanager
def tolerate_closed_stdout() -> Iterator[None]:
    """Treat a reader that closed stdout early as success, not an error.

    Flushes stdout on the way out so a write still buffered meets the closed pipe here.
    Raises nothing for a closed stdout; every other error passes through.

    >>> with tolerate_closed_stdout():
    ...     print("written")
    written
    """
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def closed_stdout_tolerated(command: Callable[_P, _R]) -> Callable[_P, _R | None]:
    """``command`` run under :func:`tolerate_closed_stdout` (its signature kept for typer)."""

    @functools.wraps(command)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R | None:
        with tolerate_closed_stdout():
            return command(*args, **kwargs)
        return None  # the reader closed stdout: the command's result is moot

    return run
