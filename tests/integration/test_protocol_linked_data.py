"""Issue 18: RDF/XML from ``/id/`` and ``/ontology`` for rdflib and older crawlers, and a
type named in ``Accept`` beating ``*/*`` (real server, rdflib fetching over HTTP)."""

from __future__ import annotations

import httpx
import pytest
import rdflib

from tests.integration.conftest import BASE

AICHR = "/id/actor/aichr"
RDF_XML = "application/rdf+xml"


@pytest.mark.parametrize("path", [AICHR, "/ontology"])
def test_rdflib_reads_rdf_xml_from_the_server(server: str, path: str) -> None:
    graph = rdflib.Graph()
    graph.parse(server + path, format="xml")
    assert len(graph) > 10
    if path == AICHR:
        assert (rdflib.URIRef(BASE + "actor/aichr"), None, None) in graph


@pytest.mark.parametrize("path", [AICHR, "/ontology"])
def test_rdf_xml_named_beside_any_type_is_rdf_xml(client: httpx.Client, path: str) -> None:
    for accept in (RDF_XML, f"{RDF_XML}, */*", f"{RDF_XML}, text/html;q=0.9, */*;q=0.8"):
        response = client.get(path, headers={"accept": accept})
        assert response.status_code == 200, (accept, response.text)
        assert response.headers["content-type"].startswith(RDF_XML)
        assert response.headers["content-location"].endswith(".rdf")
        assert rdflib.Graph().parse(data=response.content, format="xml")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert (
        client.get(path, headers={"accept": browser})
        .headers["content-type"]
        .startswith("text/html")
    )


def test_the_rdf_suffix_and_an_unknown_iri(client: httpx.Client) -> None:
    response = client.get(AICHR + ".rdf")
    assert response.status_code == 200 and response.headers["content-type"].startswith(RDF_XML)
    missing = client.get("/id/actor/no-such-actor", headers={"accept": RDF_XML})
    assert missing.status_code == 404
