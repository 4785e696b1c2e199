"""Issue 18: a path-prefix deployment behind a real reverse proxy on loopback.

The proxy (a small ASGI app of this test on uvicorn, forwarding with httpx) publishes
the service under ``/aseankg/`` and strips the prefix, as nginx's
``location /aseankg/ { proxy_pass http://127.0.0.1:PORT/; }`` does. The service runs with
``public_url`` naming that path. The test browses the pages through the proxy and follows
every link they hold (bounded): each same-origin link carries the prefix and answers.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
import uvicorn
from starlette.types import Receive, Scope, Send

from aseankg.api.http.settings import Settings
from tests.integration.conftest import ServeWith

PREFIX = "/aseankg"
_HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade", "host", "te", "trailer"}
_LINK = re.compile(r"""\s(?:href|src|action)=["']([^"']*)["']""")
# pages to start from; their links lead to the rest
STARTS = ("/", "/sparql", "/id/actor/aichr", "/ontology", "/search?q=human+rights", "/docs")
PER_KIND = 4


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class StripPrefixProxy:
    """Forward ``/aseankg/…`` to ``backend`` + ``/…`` (404 for anything else)."""

    def __init__(self, backend: str) -> None:
        self.backend = backend

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        raw = scope.get("raw_path") or scope["path"].encode()
        if not raw.startswith(PREFIX.encode() + b"/"):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b"not under the prefix"})
            return
        url = self.backend + raw[len(PREFIX) :].decode("latin-1")
        if scope.get("query_string"):
            url += "?" + scope["query_string"].decode("latin-1")
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, v in scope["headers"]
            if k.decode("latin-1").lower() not in _HOP
        ]
        async with httpx.AsyncClient(timeout=60) as client:
            request = client.build_request(scope["method"], url, headers=headers, content=body)
            answer = await client.send(request, stream=True)
            content = b"".join([chunk async for chunk in answer.aiter_raw()])
        out = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in answer.headers.multi_items()
            if k.lower() not in _HOP
        ]
        await send({"type": "http.response.start", "status": answer.status_code, "headers": out})
        await send({"type": "http.response.body", "body": content})


@contextmanager
def serving(app: Any, sock: socket.socket) -> Iterator[None]:
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", http="h11"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the proxy did not start"
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


@pytest.fixture(scope="module")
def proxied(settings: Settings, serve_with: ServeWith) -> Iterator[str]:
    """The proxy's URL of the service (``http://127.0.0.1:P/aseankg``)."""
    sock = free_socket()
    public = f"http://127.0.0.1:{sock.getsockname()[1]}{PREFIX}/"
    changed = Settings(**{**vars(settings), "public_url": public})
    with serve_with(changed) as backend, serving(StripPrefixProxy(backend), sock):
        yield public.rstrip("/")


def _links(page: str, url: str) -> list[str]:
    return [urljoin(url, link) for link in _LINK.findall(page)]


def _kind(path: str) -> str:
    """What a link leads to, for bounding the crawl: its first segment (and a query's)."""
    return path[len(PREFIX) :].split("/")[1] or "home"


def test_every_link_of_the_pages_carries_the_prefix_and_answers(proxied: str) -> None:
    """Every same-origin link of every page seen carries the prefix; at most
    ``PER_KIND`` links of each kind (``id``, ``static``, ``sparql`` ...) are followed."""
    origin = urlsplit(proxied)
    queue = [proxied + start for start in STARTS]
    seen: set[str] = set()
    followed: dict[str, int] = {}
    links = 0
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    with httpx.Client(timeout=60, headers={"accept": browser}) as client:
        while queue:
            url = queue.pop(0).split("#")[0]
            kind = _kind(urlsplit(url).path)
            if url in seen or followed.get(kind, 0) >= PER_KIND:
                continue
            seen.add(url)
            followed[kind] = followed.get(kind, 0) + 1
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            for link in _links(response.text, url):
                target = urlsplit(link)
                if target.scheme not in ("http", "https") or target.netloc != origin.netloc:
                    continue  # data:, #fragments, the licence's site
                assert target.path.startswith(PREFIX + "/"), (url, link)
                links += 1
                queue.append(link)
    assert links > 100 and len(seen) > 20, (links, followed)
    assert {"id", "static", "sparql", "pictures", "docs-assets", "search"} <= set(followed)


def test_headers_and_descriptions_name_the_prefix(proxied: str) -> None:
    with httpx.Client(timeout=60) as client:
        slash = client.get(proxied + "/sparql/?query=ASK%7B%7D")
        assert slash.status_code == 308
        assert slash.headers["location"] == PREFIX + "/sparql?query=ASK%7B%7D"
        # Starlette's own trailing-slash redirect names the server's host: made relative
        dumps = client.get(proxied + "/dumps")
        assert dumps.is_redirect and dumps.headers["location"] == PREFIX + "/dumps/"
        assert client.get(proxied + "/dumps", follow_redirects=True).status_code == 200
        page = client.get(proxied + "/id/actor/aichr", headers={"accept": "text/turtle"})
        assert page.headers["content-location"] == PREFIX + "/id/actor/aichr.ttl"
        described = client.get(proxied + "/sparql", headers={"accept": "text/turtle"}).text
        assert f"<{proxied}/sparql>" in described
        assert client.get(proxied + "/openapi.json").json()["servers"] == [{"url": PREFIX}]
        docs = client.get(proxied + "/docs").text
        assert f"'{PREFIX}/openapi.json'" in docs and f'"{PREFIX}/docs-assets/' in docs


def test_without_a_public_path_links_stay_root_relative(client: httpx.Client) -> None:
    page = client.get("/", headers={"accept": "text/html"}).text
    links = [link for link in _LINK.findall(page) if link.startswith("/")]
    assert links and not any(link.startswith(PREFIX) for link in links)
    assert any(link.startswith("/static/") for link in links)
