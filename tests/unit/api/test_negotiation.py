"""Content negotiation: q-values, wildcards, specificity."""

from __future__ import annotations

import pytest

from aseankg.api.http.negotiation import negotiate, parse_accept
from aseankg.graph.formats import GRAPH_FORMATS, HTML, SOLUTION_FORMATS


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("*", "json"),
        ("text/csv", "csv"),
        ("text/csv;q=0.1, application/sparql-results+xml;q=0.2", "xml"),
        ("text/tab-separated-values, text/csv", "csv"),
        ("text/*;q=0.5, */*;q=0.1", "xml"),
        ("text/*, text/csv;q=0", "xml"),
        ("application/json", "json"),
        ("application/xml", "xml"),
        ("TEXT/CSV", "csv"),
        ("text/csv;q=abc, application/sparql-results+json", "json"),
        ("image/png", None),
        ("text/csv;q=0", None),
    ],
)
def test_solution_formats(accept: str | None, expected: str | None) -> None:
    chosen = negotiate(accept, SOLUTION_FORMATS)
    assert (chosen.name if chosen else None) == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("*/*", "ttl"),
        ("application/ld+json;q=0.9, text/turtle;q=0.8", "jsonld"),
        ("application/json", "jsonld"),
        ("application/rdf+xml, application/xml;q=0.1", "rdfxml"),
        ("text/plain", "nt"),
        ("application/n-quads", "nq"),
    ],
)
def test_graph_formats(accept: str, expected: str) -> None:
    chosen = negotiate(accept, GRAPH_FORMATS)
    assert chosen is not None and chosen.name == expected


def test_browser_prefers_html_but_wildcard_prefers_rdf() -> None:
    offers = (*GRAPH_FORMATS, HTML)
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert negotiate(browser, offers) == HTML
    assert negotiate("*/*", offers) == GRAPH_FORMATS[0]


def test_exact_match_beats_wildcard_q() -> None:
    assert parse_accept("text/csv;q=0.5, */*") == [("text/csv", 0.5), ("*/*", 1.0)]
    chosen = negotiate("text/csv;q=0.5, */*", SOLUTION_FORMATS)
    assert chosen is not None and chosen.name == "json"
