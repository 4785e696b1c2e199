"""Security headers on every kind of response, against a real server; problem details
never show a file-system path."""

from __future__ import annotations

import httpx
import pytest

from aseankg.api.http.errors import scrub_paths

SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


@pytest.mark.parametrize(
    ("path", "accept", "media"),
    [
        ("/", "text/html", "text/html"),
        ("/id/actor/aichr", "text/html", "text/html"),
        ("/sparql", "text/html", "text/html"),
        ("/api/plans", "application/json", "application/json"),
        ("/sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D", "application/sparql-results+json", "sparql"),
        ("/id/actor/aichr", "text/turtle", "text/turtle"),
        ("/static/yasgui/yasgui.min.js", "*/*", "javascript"),
        ("/id/actor/no-such-body", "application/json", "application/problem+json"),
    ],
)
def test_every_response_carries_the_security_headers(
    client: httpx.Client, path: str, accept: str, media: str
) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert media in response.headers["content-type"]
    for name, value in SECURITY.items():
        assert response.headers[name] == value, name
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_cors_preflight_also_carries_them(client: httpx.Client) -> None:
    response = client.options(
        "/sparql",
        headers={"Origin": "https://portal.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"


def test_api_docs_allow_only_their_own_inline_script(client: httpx.Client) -> None:
    response = client.get("/docs")
    policy = response.headers["content-security-policy"]
    assert response.status_code == 200 and "'sha256-" in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Corruption: Sst file size mismatch sstable: /tmp/p/builds/b/oxigraph/000009.sst  "
            "The file /tmp/p/builds/b/oxigraph/MANIFEST-000005 may be corrupted.",
            "Corruption: Sst file size mismatch sstable: …/000009.sst  "
            "The file …/MANIFEST-000005 may be corrupted.",
        ),
        ("the store at /home/x/data/store has no readable manifest", "the store at …/store has"),
        ("no resource <https://w3id.org/aseankg/id/tmp/x>", "no resource <https://w3id.org/"),
        ("unknown route /api/actors/x", "unknown route /api/actors/x"),
    ],
)
def test_paths_are_cut_from_details(text: str, expected: str) -> None:
    assert scrub_paths(text).startswith(expected)
