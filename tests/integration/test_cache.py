"""The result cache and HTTP validators of ``/sparql`` against real servers: hits with
identical bytes, one entry per format, 304 on ``If-None-Match``, no stale answer after
the store is rebuilt, and ``--no-cache`` computing every query."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from aseankg.graph.build import build_plans

SEED = Path(__file__).resolve().parents[2] / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
PLAN = "asean-canada-2021-2025"
StartServer = Callable[..., str]
SPARQL_JSON = "application/sparql-results+json"
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def marked(tag: str) -> str:
    """A query no other test sends, so its first answer is computed."""
    return (
        f'SELECT ?x ?n WHERE {{ BIND("{tag}" AS ?x) {{ SELECT (COUNT(*) AS ?n) {{ ?s ?p ?o }} }} }}'
    )


def test_second_identical_query_is_a_hit_with_the_same_bytes(client: httpx.Client) -> None:
    query = marked("hit-same-bytes")
    first = client.get("/sparql", params={"query": query})
    second = client.get("/sparql", params={"query": query})
    assert first.status_code == second.status_code == 200
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-type"] == first.headers["content-type"]
    assert "max-age" in second.headers["cache-control"]


def test_surrounding_white_space_and_post_share_the_entry(client: httpx.Client) -> None:
    query = marked("hit-normalised")
    first = client.get("/sparql", params={"query": query}, headers={"accept": SPARQL_JSON})
    headers = {"content-type": "application/sparql-query", "accept": SPARQL_JSON}
    again = client.post("/sparql", content=f"\n  {query}\n", headers=headers)
    assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", "hit")
    assert again.content == first.content


def test_each_accepted_format_is_its_own_entry(client: httpx.Client) -> None:
    query = marked("per-format")
    as_json = client.get("/sparql", params={"query": query}, headers={"accept": SPARQL_JSON})
    as_csv = client.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
    assert (as_json.headers["x-cache"], as_csv.headers["x-cache"]) == ("miss", "miss")
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.content.startswith(b"x,n")
    assert as_json.headers["etag"] != as_csv.headers["etag"]
    again = client.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
    assert again.headers["x-cache"] == "hit" and again.content == as_csv.content


def test_if_none_match_gives_304_without_a_body(client: httpx.Client) -> None:
    query = marked("revalidate")
    first = client.get("/sparql", params={"query": query})
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')  # strong
    for tag in (etag, f'"other", W/{etag}'):
        again = client.get("/sparql", params={"query": query}, headers={"if-none-match": tag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
    other = client.get("/sparql", params={"query": query}, headers={"if-none-match": '"x"'})
    assert other.status_code == 200 and other.content == first.content


def test_errors_are_not_cached(client: httpx.Client) -> None:
    for _ in range(2):
        response = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x "})
        assert response.status_code == 400
        assert "x-cache" not in response.headers and "etag" not in response.headers


def count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_a_rebuilt_store_never_gets_the_older_builds_answer(
    make_server: StartServer, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    build_plans([SEED], store=store, plan_id=PLAN)
    with httpx.Client(base_url=make_server(store=store), timeout=30) as http:
        before = http.get("/sparql", params={"query": GRAPHS})
        cached = http.get("/sparql", params={"query": GRAPHS})
        assert cached.headers["x-cache"] == "hit" and count(cached) == count(before)
        build_plans([SEED], store=store, plan_id="second-plan")  # one more plan, swapped in
        after = http.get("/sparql", params={"query": GRAPHS})
        assert after.headers["x-cache"] == "miss"
        assert count(after) == count(before) + 1
        assert after.headers["etag"] != before.headers["etag"]
        stale = http.get(
            "/sparql", params={"query": GRAPHS}, headers={"if-none-match": before.headers["etag"]}
        )
        assert stale.status_code == 200 and count(stale) == count(after)


def test_no_cache_computes_every_query(make_server: StartServer) -> None:
    query = marked("no-cache")
    with httpx.Client(base_url=make_server(cache_bytes=0), timeout=30) as http:
        answers = [http.get("/sparql", params={"query": query}) for _ in range(2)]
    assert [a.headers["x-cache"] for a in answers] == ["bypass", "bypass"]
    assert answers[0].content == answers[1].content
    assert answers[0].headers["etag"] == answers[1].headers["etag"]


def test_linked_data_and_rest_answers_revalidate(client: httpx.Client) -> None:
    for path, accept in (
        ("/api/plans", "application/json"),
        (f"/id/plan/{PLAN}", "text/turtle"),
        (f"/id/plan/{PLAN}", "text/html"),
    ):
        first = client.get(path, headers={"accept": accept})
        assert first.status_code == 200, (path, first.text)
        etag = first.headers["etag"]
        assert etag.startswith('"') and "max-age" in first.headers["cache-control"]
        again = client.get(path, headers={"accept": accept, "if-none-match": etag})
        assert again.status_code == 304 and again.content == b"", path
        assert again.headers["etag"] == etag
    missing = client.get("/api/actors/no-such-body/action-lines")
    assert missing.status_code == 404 and "etag" not in missing.headers


def test_pages_and_json_routes_read_through_the_cache_and_never_serve_an_older_build(
    make_server: StartServer, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    build_plans([SEED], store=store, plan_id=PLAN)
    with httpx.Client(base_url=make_server(store=store), timeout=30) as http:
        for _ in range(2):  # the second answer comes from the result cache
            assert [p["plan"] for p in http.get("/api/plans").json()["items"]] == [PLAN]
            assert "second-plan" not in http.get("/").text
        build_plans([SEED], store=store, plan_id="second-plan")  # swapped in
        plans = [p["plan"] for p in http.get("/api/plans").json()["items"]]
        assert plans == [PLAN, "second-plan"]
        assert "/id/plan/second-plan" in http.get("/").text
