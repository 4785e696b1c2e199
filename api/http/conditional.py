"""Conditional GET for the linked-data (``/id/``) and REST (``/api/``) routes.

Their answers depend only on the dataset, which is immutable between builds, so a
successful ``GET`` answer gets a strong ``ETag`` (the SHA-256 of its body: the
same bytes, the same tag, whatever the build) and ``Cache-Control: public, max-age=N``
when the route set none; a request whose ``If-None-Match`` holds that tag gets ``304``
with no body. Answers that already carry an ``ETag``, or are not 200, pass untouched.
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aseankg.api.http.cache import etag_matches

__all__ = ["ConditionalGet"]

_PREFIXES = ("/id/", "/api/")


class ConditionalGet:
    """ASGI middleware adding validators to ``/id/`` and ``/api/`` answers (module doc)."""

    def __init__(self, app: ASGIApp, *, max_age: int) -> None:
        self.app = app
        self.max_age = max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not str(scope["path"]).startswith(_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        wanted = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                if message["status"] != 200 or "etag" in headers:
                    await send(message)
                    return
                start = message
                return
            if start is None:  # passing through
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._finish(start, b"".join(chunks), wanted, send)

        await self.app(scope, receive, buffered)

    async def _finish(self, start: Message, body: bytes, wanted: str | None, send: Send) -> None:
        headers = MutableHeaders(raw=list(start["headers"]))
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        headers["ETag"] = etag
        if "cache-control" not in headers:
            headers["Cache-Control"] = f"public, max-age={self.max_age}"
        if etag_matches(wanted, etag):
            for name in ("content-length", "content-type"):
                if name in headers:
                    del headers[name]
            await send({"type": "http.response.start", "status": 304, "headers": headers.raw})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({**start, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body})
