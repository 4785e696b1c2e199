"""Errors raised by the graph layer.

Tree::

    GraphError                  base: every error of this layer
    ├── StoreError              the store cannot be opened, written or swapped
    ├── QueryError              a query is malformed, unknown or fails
    │   └── QueryTimeoutError   a query ran out of time
    └── ValidationError         the built graph fails SHACL / cross-node checks (exit 3)
"""

from __future__ import annotations

__all__ = ["GraphError", "QueryError", "QueryTimeoutError", "StoreError", "ValidationError"]


class GraphError(Exception):
    """Base of every error of the graph layer; its message is one line for the user."""


class StoreError(GraphError):
    """The store cannot be opened, written or swapped in."""


class QueryError(GraphError):
    """A query is malformed, unknown, or failed while running."""


class QueryTimeoutError(QueryError):
    """A query ran out of its time limit."""


class ValidationError(GraphError):
    """The graph fails validation; ``report`` holds the full report."""

    def __init__(self, message: str, report: str = "") -> None:
        super().__init__(message)
        self.report = report
