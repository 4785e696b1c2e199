"""Issue 18: every GET route answers HEAD with the same validators, and every cacheable
answer has a strong ETag tied to the build and a Last-Modified, honoured with 304s.

The routes come from the app's own route table, so a route added later is walked too: a
route with a path parameter this file has no sample for fails, saying so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
from starlette.routing import Mount

from aseankg.api.app import create_app
from aseankg.api.http.conditional import UNCACHED
from aseankg.api.http.settings import Settings
from tests.integration.conftest import BASE, PLAN

# a value for each path parameter of the app's routes
SAMPLES = {
    "path": "actor/aichr",
    "suffix": "",
    "file": "aseankg.ttl",
    "id": "aichr",
    "plan": PLAN,
    "notation": "1.1.1",
    "slug": "asean-canada",
}
# a value for a path parameter of one route (instrument slugs are not actor slugs)
ROUTE_SAMPLES = {
    "/api/instruments/{id}/action-lines": {"id": "agenda-2030"},
    "/topics/{notation}": {"notation": "food-agriculture"},
    "/sdgs/{code}": {"code": "16"},
    "/static/{path:path}": {"path": "ui/ui.css"},
}
# static files change with the software, not the build: their own strong ETag (the
# file's content), no Last-Modified of the build
STATIC = "/static/"
# query parameters some routes need to answer 200
QUERIES: dict[str, dict[str, str]] = {
    "/pictures/graph.svg": {"iri": BASE + "actor/aichr"},
    "/api/search": {"q": "human rights"},
    "/api/suggest": {"q": "aic"},
    "/sparql": {"query": "ASK {}"},
}


def _routes(routes: list[Any]) -> Iterator[tuple[str, set[str]]]:
    for route in routes:
        if isinstance(route, Mount):
            continue
        if getattr(route, "methods", None) is not None:
            yield route.path, set(route.methods)
        else:  # an included router (FastAPI keeps the router it included)
            yield from _routes(route.original_router.routes)


def _fill(path: str, samples: dict[str, str]) -> str:
    return re.sub(r"{(\w+)(?::\w+)?}", lambda m: samples[m.group(1)], path)


def get_paths(settings: Settings) -> list[str]:
    """Every GET route of the app, with its path parameters filled in."""
    paths = []
    for path, methods in _routes(create_app(settings).routes):
        if "GET" not in methods or path in ("/sparql/",):
            continue
        names = re.findall(r"{(\w+)(?::\w+)?}", path)
        samples = {**SAMPLES, **ROUTE_SAMPLES.get(path, {})}
        missing = [name for name in names if name not in samples]
        assert not missing, f"add a sample for {missing} of {path} to SAMPLES"
        paths.append(_fill(path, samples))
    return sorted(set(paths))


def test_the_walk_covers_the_routes_the_issue_names(settings: Settings) -> None:
    paths = get_paths(settings)
    for path in ("/", "/sparql", "/.well-known/void", "/ontology", "/id/actor/aichr", "/api/plans"):
        assert path in paths
    assert "/dumps/aseankg.ttl" in paths and len(paths) > 20


_VALIDATORS = ("etag", "last-modified", "cache-control", "content-type", "content-length")


def _check(client: httpx.Client, path: str) -> None:
    params = QUERIES.get(path, {})
    got = client.get(path, params=params)
    assert got.status_code == 200, (path, got.status_code, got.text[:200])
    head = client.head(path, params=params)
    assert head.status_code == 200, (path, head.status_code)
    assert head.content == b""
    for name in _VALIDATORS:
        if path in UNCACHED and name == "content-length":
            continue  # /metrics counts the GET just made
        assert head.headers.get(name) == got.headers.get(name), (path, name)
    if path in UNCACHED:
        assert got.headers["cache-control"] == "no-store"
        return
    etag, stamp = got.headers.get("etag"), got.headers.get("last-modified")
    assert etag and not etag.startswith("W/"), (path, etag)
    assert stamp or path.startswith(STATIC), (path, stamp)
    conditionals = [{"if-none-match": etag}] + ([{"if-modified-since": stamp}] if stamp else [])
    for conditional in conditionals:
        again = client.get(path, params=params, headers=conditional)
        assert again.status_code == 304 and again.content == b"", (path, conditional)
        assert again.headers["etag"] == etag
    changed = client.get(path, params=params, headers={"if-none-match": '"other"'})
    assert changed.status_code == 200 and changed.content == got.content


def test_every_get_route_answers_head_with_validators(
    client: httpx.Client, settings: Settings
) -> None:
    for path in get_paths(settings):
        _check(client, path)


def test_static_files_and_the_service_description_by_head(client: httpx.Client) -> None:
    _check(client, "/static/ui/ui.css")
    turtle = client.head("/sparql", headers={"accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["etag"]


def test_no_vary_origin_since_cors_answers_star(client: httpx.Client) -> None:
    for headers in ({}, {"origin": "https://portal.example"}):
        for path in ("/api/plans", "/sparql?query=ASK%7B%7D", "/id/actor/aichr"):
            response = client.get(path, headers=headers)
            vary = [v.strip().lower() for v in response.headers.get("vary", "").split(",")]
            assert "origin" not in vary, (path, headers, vary)
            if headers:
                assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={"origin": "https://portal.example", "access-control-request-method": "POST"},
    )
    assert "origin" not in preflight.headers.get("vary", "").lower().split(", ")
