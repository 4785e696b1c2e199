"""The engine backend's pure parts: engine URLs, graph renaming in queries and in
streamed answers, and how an engine's refusals read."""

from __future__ import annotations

import httpx
import pytest

from aseankg.graph.backends.dialects import DIALECTS
from aseankg.graph.backends.engine import EngineAddress, _Answer
from aseankg.graph.backends.sparql_text import Renamer, has_dataset_clause
from aseankg.graph.errors import (
    QueryIOError,
    QueryRefusedError,
    QueryTimeoutError,
    StoreAccessError,
    StoreError,
)
from aseankg.graph.store import open_backend

PUBLIC = "https://w3id.org/aseankg/id/graph/"
PRIVATE = "https://w3id.org/aseankg/id/store/b1/graph/"


def test_engine_urls_name_their_dialect_and_server() -> None:
    virtuoso = EngineAddress.parse("virtuoso+http://127.0.0.1:8890/sparql")
    assert (virtuoso.dialect.name, virtuoso.root, virtuoso.port) == (
        "virtuoso",
        "http://127.0.0.1:8890",
        8890,
    )
    oxigraph = EngineAddress.parse("oxigraph+http://127.0.0.1:7878/")
    assert (oxigraph.root, oxigraph.host) == ("http://127.0.0.1:7878", "127.0.0.1")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("http://127.0.0.1:8890/sparql", "not a folder nor an engine URL"),
        ("fuseki+http://127.0.0.1:3030/ds", "not a folder nor an engine URL"),
        ("virtuoso+http://dba:dba@127.0.0.1:8890/sparql", "ASEANKG_STORE_PASSWORD"),
        ("virtuoso+http://127.0.0.1:99999/sparql", "not an engine URL"),
    ],
)
def test_a_text_with_a_scheme_is_never_a_folder(text: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        open_backend(text)


def test_queries_are_renamed_in_iris_and_prefixed_names_only() -> None:
    renamer = Renamer(PUBLIC, PRIVATE)
    query = (
        f"PREFIX g: <{PUBLIC}> SELECT * FROM <{PUBLIC}a> "
        f'{{ GRAPH g:b {{ ?s ?p "{PUBLIC}c" }} }} # <{PUBLIC}d>'
    )
    renamed = renamer.query(query, graphs=frozenset({PRIVATE + "a"}), none="urn:none")
    assert f"FROM <{PRIVATE}a>" in renamed and f"GRAPH <{PRIVATE}b>" in renamed
    assert f'"{PUBLIC}c"' in renamed and f"# <{PUBLIC}d>" in renamed


def test_a_from_naming_another_graph_of_the_engine_reads_nothing() -> None:
    renamer = Renamer(PUBLIC, PRIVATE)
    query = "SELECT * FROM <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o }"
    renamed = renamer.query(query, graphs=frozenset({PRIVATE + "a"}), none="urn:none")
    assert "FROM <urn:none>" in renamed
    assert has_dataset_clause(query) and not has_dataset_clause("SELECT ?from { }")


@pytest.mark.parametrize("size", [1, 2, 7, 40, 41, 1000])
def test_answers_are_renamed_back_across_chunk_boundaries(size: int) -> None:
    body = ("x" * 13 + PRIVATE + "p " + PRIVATE + PRIVATE[:20]).encode() * 3
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    response = httpx.Response(200, content=iter(chunks))
    answer = _Answer(response, Renamer(PUBLIC, PRIVATE))
    assert answer.read() == body.replace(PRIVATE.encode(), PUBLIC.encode())


@pytest.mark.parametrize(
    ("status", "text", "error"),
    [
        (500, "Virtuoso 42000 Error SR186:SECURITY: No permission to execute", StoreAccessError),
        (401, "Unauthorized", StoreAccessError),
        (
            500,
            "Virtuoso 42000 Error SQ200: The estimated execution time 400 (sec)",
            QueryRefusedError,
        ),
        (500, "S1TAT: the anytime limit cut it", QueryTimeoutError),
        (500, "Virtuoso 08C01 Error CL...: connection lost", QueryIOError),
    ],
)
def test_virtuoso_refusals_read_as_graph_errors(status: int, text: str, error: type) -> None:
    assert isinstance(DIALECTS["virtuoso"].failure(status, text), error)
