"""Why a query gave no result, as HTTP problems: one table, the twin of the CLI's exit codes.

The CLI (``aseankg.api.cli``) answers a :class:`~aseankg.graph.errors.GraphError` with
exit 1 (3 for a ``ValidationError``); the service answers it with the problem this table
names, looked up by the error's class, most specific first (so a ``QueryIOError`` is a
503 although it is a ``QueryError``, whose own row says 400). The same table holds the
verdicts of the worker's egress screen (``aseankg.api.http.egress``), which are the HTTP
layer's own refusals, not graph errors: a :class:`Failure` named by its ``kind``.

========================  =======================  ====================
graph error               HTTP problem             ``kind``
========================  =======================  ====================
``QuerySyntaxError``      400 Bad request          ``syntax-error``
``DatasetError``          400 Bad request          ``invalid-dataset``
``ResultFormatError``     406 Not acceptable       ``not-acceptable``
``ResultTooLargeError``   422 Result too large     ``result-too-large``
``EngineTruncatedError``  422 Result too large     ``engine-truncated``
``QueryTimeoutError``     503 Service unavailable  ``timeout``
``QueryRefusedError``     503 Service unavailable  ``engine-refused``
``QueryIOError``          503 Service unavailable  ``read-failed``
``QueryError``            400 Bad request          ``query-error``
``StoreAccessError``      403 Forbidden            ``engine-forbidden``
``StoreError``            503 Service unavailable  ``store-missing``
``GraphError``            500 Internal error       ``graph-error``
egress ``update``         403 Forbidden            ``update-refused``
egress ``refused``        403 Forbidden            ``service-refused``
egress ``federate``       403 Forbidden            ``service-refused``
egress ``remote``         502 Bad gateway          ``service-failed``
egress ``not-acc…``       406 Not acceptable       ``not-acceptable``
========================  =======================  ====================

Details never carry a file system path: an absolute path in the layer's message (a
corrupted store names its files) is cut to ``…``.

>>> from aseankg.graph.errors import QueryIOError
>>> problem = problem_for(QueryIOError("cannot read /srv/kg/builds/1/oxigraph/000012.sst"))
>>> problem.status, problem.kind, problem.detail
(503, 'read-failed', 'cannot read …')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from aseankg.api.http.errors import (
    ApiError,
    BadGateway,
    BadRequest,
    Forbidden,
    NotAcceptable,
    ResultTooLarge,
    ServiceUnavailable,
)
from aseankg.graph.errors import (
    DatasetError,
    EngineTruncatedError,
    GraphError,
    QueryError,
    QueryIOError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultFormatError,
    ResultTooLargeError,
    StoreAccessError,
    StoreError,
)

__all__ = ["PROBLEMS", "Failure", "problem_for"]


@dataclass(frozen=True)
class Failure:
    """A verdict of the egress screen in a worker (not a graph error): ``kind`` and a
    one-line message. ``federate`` means "this lane may not call, the federation lane
    may"; the executor retries such a job there before answering 403."""

    kind: Literal["update", "refused", "federate", "remote", "not-acceptable"]
    message: str


PROBLEMS: dict[type[GraphError] | str, tuple[type[ApiError], str]] = {
    QuerySyntaxError: (BadRequest, "syntax-error"),
    DatasetError: (BadRequest, "invalid-dataset"),
    ResultFormatError: (NotAcceptable, "not-acceptable"),
    ResultTooLargeError: (ResultTooLarge, "result-too-large"),
    EngineTruncatedError: (ResultTooLarge, "engine-truncated"),
    QueryTimeoutError: (ServiceUnavailable, "timeout"),
    QueryRefusedError: (ServiceUnavailable, "engine-refused"),
    QueryIOError: (ServiceUnavailable, "read-failed"),
    QueryError: (BadRequest, "query-error"),
    StoreAccessError: (Forbidden, "engine-forbidden"),
    StoreError: (ServiceUnavailable, "store-missing"),
    GraphError: (ApiError, "graph-error"),
    "update": (Forbidden, "update-refused"),
    "refused": (Forbidden, "service-refused"),
    "federate": (Forbidden, "service-refused"),
    "remote": (BadGateway, "service-failed"),
    "not-acceptable": (NotAcceptable, "not-acceptable"),
}

# an absolute path: a "/" at the start of a word (not inside a URL), with at least
# two segments
_PATH = re.compile(r"(?<![\w:/.~-])/[^\s/'\"]+(?:/[^\s'\"]*)+")


def problem_for(error: GraphError | Failure) -> ApiError:
    """The HTTP error that answers ``error`` (see the table in the module docstring)."""
    if isinstance(error, Failure):
        problem, kind = PROBLEMS[error.kind]
        return problem(_PATH.sub("…", error.message), kind=kind)
    for cls in type(error).__mro__:
        if cls in PROBLEMS:
            problem, kind = PROBLEMS[cls]
            break
    else:  # pragma: no cover - GraphError is in the table
        problem, kind = ApiError, "graph-error"
    text = str(error).strip()
    detail = _PATH.sub("…", text.splitlines()[0] if text else type(error).__name__)
    return problem(detail, kind=kind)
