"""The service in front of real SPARQL engines: its own limits hold in front of the
engine, the query workers reach the engine through their lane only, and ``aseankg
serve --store oxigraph+http://…`` serves the pages and the endpoint."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx

from aseankg.graph.build import build_plans
from aseankg.graph.store import current_build
from bench.engines import Engine
from tests.cli_server import cli_serve

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
CLI = Path(sys.executable).with_name("aseankg")
# a cross product of the store with itself, twice: hours on any engine
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_the_api_time_limit_holds_in_front_of_virtuoso(virtuoso_server: str) -> None:
    """The API's own 3 s limit answers 503 (the engine's is 300 s, with a partial
    result); a cheap query right after it is answered: the engine stopped too."""
    with httpx.Client(base_url=virtuoso_server, timeout=60) as http:
        response = http.get("/sparql", params={"query": HEAVY})
        assert response.status_code == 503, response.text
        assert response.json()["type"].endswith("/timeout")
        after = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert after.status_code == 200 and after.json()["boolean"] is True


def test_serve_in_front_of_oxigraph_server(oxigraph_engine: Engine, tmp_path: Path) -> None:
    if current_build(oxigraph_engine.url) is None:
        build_plans([SEED], store=oxigraph_engine.url)
    with (
        cli_serve(oxigraph_engine.url, tmp_path / "serve.log", start_s=90) as url,
        httpx.Client(base_url=url, timeout=30) as http,
    ):
        graphs = http.get(
            "/sparql",
            params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"accept": "text/csv"},
        )
        assert "https://w3id.org/aseankg/id/graph/asean-canada-2021-2025" in graphs.text
        assert "/store/" not in graphs.text  # build-specific names stay in the engine
        page = http.get("/id/actor/aichr", headers={"accept": "text/html"})
        assert page.status_code == 200 and "ASEAN Intergovernmental" in page.text
        assert http.get("/api/actors").json()
