"""Errors raised by the graph layer.

Tree::

    GraphError                  base: every error of this layer
    ├── StoreError              the store cannot be opened, written or swapped
    │   └── StoreAccessError    a SPARQL engine refused our credentials or permissions
    ├── QueryError              a query is malformed, unknown or fails
    │   ├── QuerySyntaxError    the query does not parse
    │   ├── DatasetError        a dataset graph or a bound IRI is not an IRI
    │   ├── ResultFormatError   no acceptable format for the kind of result
    │   ├── QueryIOError        reading the data failed (the store on disk, a SERVICE,
    │   │                       a SPARQL engine that failed or cannot be reached)
    │   ├── QueryRefusedError   a SPARQL engine refused to run the query (cost estimate)
    │   ├── ResultTooLargeError the result is over the byte budget of the query
    │   │   └── EngineTruncatedError  a SPARQL engine cut the result at its row limit
    │   └── QueryTimeoutError   a query ran out of time
    └── ValidationError         the built graph fails SHACL / cross-node checks (exit 3)
"""

from __future__ import annotations

__all__ = [
    "DatasetError",
    "EngineTruncatedError",
    "GraphError",
    "QueryError",
    "QueryIOError",
    "QueryRefusedError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "ResultFormatError",
    "ResultTooLargeError",
    "StoreAccessError",
    "StoreError",
    "ValidationError",
]


class GraphError(Exception):
    """Base of every error of the graph layer; its message is one line for the user."""


class StoreError(GraphError):
    """The store cannot be opened, written or swapped in."""


class StoreAccessError(StoreError):
    """A SPARQL engine refused the credentials or permissions it was given."""


class QueryError(GraphError):
    """A query is malformed, unknown, or failed while running."""


class QuerySyntaxError(QueryError):
    """The query does not parse; the message names the position."""


class DatasetError(QueryError):
    """A dataset graph (``default-graph-uri``, ``named-graph-uri``) or a bound IRI is not
    an IRI."""


class ResultFormatError(QueryError):
    """The query's kind of result (SELECT/ASK or CONSTRUCT/DESCRIBE) has no acceptable
    format."""


class ResultTooLargeError(QueryError):
    """The serialised result is over the byte budget of the query: no part of it is
    given (a result is complete or an error)."""


class EngineTruncatedError(ResultTooLargeError):
    """A SPARQL engine cut the result at its own row limit (Virtuoso's
    ``ResultSetMaxRows``, which it applies silently): no part of it is given, unless the
    caller asked for a cut result (``truncate``)."""


class QueryIOError(QueryError):
    """Reading the data failed while the query ran: the store on disk (damaged, gone)
    or a remote ``SERVICE`` endpoint (the engine's ``OSError`` or ``RuntimeError``)."""


class QueryRefusedError(QueryError):
    """A SPARQL engine refused to run the query (its estimate of the cost was over its
    limit): the query is too broad for the engine, not malformed."""


class QueryTimeoutError(QueryError):
    """A query ran out of its time limit."""


class ValidationError(GraphError):
    """The graph fails validation; ``report`` holds the full report."""

    def __init__(self, message: str, report: str = "") -> None:
        super().__init__(message)
        self.report = report
