"""The one table from the graph layer's errors to HTTP problems."""

from __future__ import annotations

import pytest

from aseankg.api.http.problems import PROBLEMS, Failure, problem_for
from aseankg.graph.errors import (
    DatasetError,
    GraphError,
    QueryError,
    QueryIOError,
    QuerySyntaxError,
    QueryTimeoutError,
    ResultFormatError,
    StoreError,
    ValidationError,
)


@pytest.mark.parametrize(
    ("error", "status", "kind"),
    [
        (QuerySyntaxError("the query does not parse: error at 1:3"), 400, "syntax-error"),
        (DatasetError("invalid IRI"), 400, "invalid-dataset"),
        (ResultFormatError("no acceptable format for a SELECT result"), 406, "not-acceptable"),
        (QueryTimeoutError("out of time"), 503, "timeout"),
        (QueryIOError("the query could not read its data"), 503, "read-failed"),
        (QueryError("the query failed"), 400, "query-error"),
        (StoreError("no graph is built"), 503, "store-missing"),
        (ValidationError("fails SHACL", "report"), 500, "graph-error"),
    ],
)
def test_each_graph_error_has_its_problem(error: GraphError, status: int, kind: str) -> None:
    problem = problem_for(error)
    assert (problem.status, problem.kind, problem.detail) == (status, kind, str(error))


def test_an_io_error_is_not_a_bad_request() -> None:
    """A worker's OSError (a corrupted store) is the server's trouble, not the client's."""
    assert problem_for(QueryIOError("Corruption: block checksum mismatch")).status == 503


def test_details_never_show_a_path() -> None:
    message = "the query could not read its data: IO error: /srv/kg/builds/1/oxigraph/00012.sst"
    detail = problem_for(QueryIOError(message)).detail
    assert "/srv" not in detail and detail.endswith("IO error: …")
    url = "the query could not read its data: cannot reach http://127.0.0.1:8/sparql/x"
    assert problem_for(QueryIOError(url)).detail == url


def test_every_graph_error_class_is_in_the_table() -> None:
    errors = [
        cls
        for cls in vars(__import__("aseankg.graph.errors").graph.errors).values()
        if isinstance(cls, type) and issubclass(cls, GraphError)
    ]
    assert set(errors) - set(PROBLEMS) == {ValidationError}


@pytest.mark.parametrize(
    ("kind", "status", "problem"),
    [
        ("update", 403, "update-refused"),
        ("refused", 403, "service-refused"),
        ("remote", 502, "service-failed"),
        ("not-acceptable", 406, "not-acceptable"),
    ],
)
def test_the_egress_verdicts_share_the_table(kind: str, status: int, problem: str) -> None:
    answered = problem_for(Failure(kind, "the remote endpoint failed: no"))  # type: ignore[arg-type]
    assert (answered.status, answered.kind) == (status, problem)
