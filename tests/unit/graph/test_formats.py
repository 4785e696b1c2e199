"""The format registry: built from pyoxigraph's enums, our names and aliases as data."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aseankg.graph.formats import (
    FORMATS,
    GRAPH_FORMATS,
    HTML,
    SOLUTION_FORMATS,
    by_name,
    find_format,
)


@pytest.mark.parametrize(
    ("value", "solutions", "graph"),
    [
        ("json", "json", "jsonld"),
        ("xml", "xml", "rdfxml"),
        ("csv", "csv", None),
        ("turtle", None, "ttl"),
        ("rdf+xml", None, "rdfxml"),
        ("json-ld", None, "jsonld"),
        ("application/sparql-results+json", "json", None),
        ("text/tab-separated-values", "tsv", None),
        ("docx", None, None),
    ],
)
def test_format_parameter_names(value: str, solutions: str | None, graph: str | None) -> None:
    found_solutions = find_format(value, SOLUTION_FORMATS)
    found_graph = find_format(value, GRAPH_FORMATS)
    assert (found_solutions.name if found_solutions else None) == solutions
    assert (found_graph.name if found_graph else None) == graph


def test_every_format_is_pyoxigraphs_own() -> None:
    for fmt in GRAPH_FORMATS:
        assert ox.RdfFormat.from_media_type(fmt.media_type) == fmt.rdf
        assert ox.RdfFormat.from_extension(fmt.suffix) == fmt.rdf
    for fmt in SOLUTION_FORMATS:
        assert ox.QueryResultsFormat.from_media_type(fmt.media_type) == fmt.results
        assert ox.QueryResultsFormat.from_extension(fmt.suffix) == fmt.results


def test_names_are_unique_and_found_again() -> None:
    names = [fmt.name for fmt in (*FORMATS, HTML)]
    assert len(names) == len(set(names))
    for fmt in FORMATS:
        assert by_name(fmt.name) is fmt
        assert find_format(fmt.media_type, FORMATS) is fmt
    assert by_name("jsonld").iri == "http://www.w3.org/ns/formats/JSON-LD"
    with pytest.raises(KeyError):
        by_name("docx")


def test_prefixes_and_graphs() -> None:
    assert by_name("ttl").takes_prefixes and not by_name("nq").takes_prefixes
    assert by_name("nq").keeps_graphs and not by_name("ttl").keeps_graphs
