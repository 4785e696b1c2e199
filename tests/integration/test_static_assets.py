"""The UI's static files on a real server: pages link content-hashed names cached for a
year; bodies come brotli- or gzip-compressed as the client accepts; the plain names stay
valid and revalidate."""

from __future__ import annotations

import gzip
import re
from importlib import resources

import brotli  # type: ignore[import-untyped]
import httpx
import pytest

from aseankg.api.pages.assets import IMMUTABLE, catalogue

HTML = {"Accept": "text/html"}
_STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def _linked(client: httpx.Client, path: str) -> list[str]:
    return _STATIC.findall(client.get(path, headers=HTML).text)


def test_pages_link_hashed_names_that_are_cached_for_a_year(client: httpx.Client) -> None:
    linked = set(_linked(client, "/sparql")) | set(_linked(client, "/"))
    assert {
        "yasgui/yasgui.min",
        "echarts/echarts.min",
        "ui/query",
        "ui/views",
        "ui/ui",
    } <= {re.sub(r"\.[0-9a-f]{12}\.\w+$", "", url.removeprefix("/static/")) for url in linked}
    for url in linked:
        assert re.search(r"\.[0-9a-f]{12}\.(js|css)$", url), url
        response = client.get(url, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == IMMUTABLE
        plain = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", url)
        assert client.get(plain).content == response.content
        assert client.get(plain).headers["cache-control"] == "no-cache"


def test_the_big_bundles_come_brotli_compressed_and_decompress_to_the_file(
    client: httpx.Client,
) -> None:
    url = next(u for u in _linked(client, "/sparql") if "yasgui.min" in u and u.endswith(".js"))
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and len(plain.content) > 900_000
    with httpx.stream("GET", str(client.base_url) + url, headers={"Accept-Encoding": "br"}) as br:
        assert br.headers["content-encoding"] == "br"
        assert "Accept-Encoding" in br.headers["vary"].split(", ")
        raw = b"".join(br.iter_raw())
    assert len(raw) < 300_000
    assert brotli.decompress(raw) == plain.content
    # a client without brotli gets gzip (compressed once, in memory)
    with httpx.stream("GET", str(client.base_url) + url, headers={"Accept-Encoding": "gzip"}) as gz:
        assert gz.headers["content-encoding"] == "gzip"
        raw = b"".join(gz.iter_raw())
    assert gzip.decompress(raw) == plain.content
    refused = client.get(url, headers={"Accept-Encoding": "br;q=0, gzip;q=0"})
    assert "content-encoding" not in refused.headers


def test_a_known_tag_gets_304_and_an_unknown_file_a_404_problem(client: httpx.Client) -> None:
    first = client.get("/static/ui/ui.css", headers={"Accept-Encoding": "gzip"})
    again = client.get(
        "/static/ui/ui.css",
        headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304 and again.content == b""
    for missing in ("/static/ui/nothing.js", "/static/ui/ui.000000000000.css"):
        response = client.get(missing)
        assert response.status_code == 404, missing
        assert response.headers["content-type"] == "application/problem+json"
    head = client.head("/static/ui/query.js")
    assert head.status_code == 200 and int(head.headers["content-length"]) > 1000


@pytest.mark.parametrize(
    "path", sorted(p for p, a in catalogue().items() if p == a.path and "br" in a.bodies)
)
def test_every_brotli_sibling_holds_its_file(path: str) -> None:
    """A stale .br (the file changed, ``make vendor`` not rerun) would send old bytes."""
    folder = resources.files("aseankg.api") / "static"
    data = (folder / path).read_bytes()
    assert brotli.decompress((folder / (path + ".br")).read_bytes()) == data
