"""Validators and ``HEAD`` for every GET route: strong ETags tied to the build,
``Last-Modified``, ``304`` answers.

The dataset is immutable between builds, so a successful answer to ``GET`` (or
``HEAD``) is determined by the build and the request. :class:`ConditionalGet` answers
``HEAD`` on every route as ``GET`` without the body (the same headers and validators),
and gives every ``200`` that carries no ``ETag`` of its own:

- a strong ``ETag``: the SHA-256 of the build's version and the body (another build, or
  other bytes, another tag),
- ``Last-Modified``: the time the build was made (its manifest's ``built``),
- ``Cache-Control: public, max-age=N`` when the route set none;

and answers ``304`` with no body when ``If-None-Match`` matches the tag, or (without an
``If-None-Match``) when ``If-Modified-Since`` is not older than the build. Routes that
stream (``/sparql`` results, the dumps) set their own ETag and decide ``304`` before any
work, with :func:`validators` and :func:`not_modified`; the middleware leaves their
answers alone (and those a route marks ``no-cache``/``no-store``: a result computed on a
build swapped in meanwhile), except for dropping the body of a ``HEAD``. ``/health``
and ``/metrics`` describe the process, not the dataset: ``Cache-Control: no-store`` and
no validators.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aseankg.api.http.cache import etag_matches
from aseankg.api.http.errors import ApiError
from aseankg.graph.store import Build

__all__ = ["UNCACHED", "ConditionalGet", "last_modified", "not_modified", "validators"]

UNCACHED = ("/health", "/metrics")


def _built(build: Build) -> datetime | None:
    try:
        when = datetime.fromisoformat(build.manifest.built.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def last_modified(build: Build) -> str | None:
    """The ``Last-Modified`` value of ``build`` (an HTTP date), None if it has no time."""
    when = _built(build)
    return format_datetime(when, usegmt=True) if when is not None else None


def validators(build: Build, etag: str | None) -> dict[str, str]:
    """``ETag`` (when given) and ``Last-Modified`` headers of an answer on ``build``."""
    headers = {"ETag": etag} if etag is not None else {}
    stamp = last_modified(build)
    if stamp is not None:
        headers["Last-Modified"] = stamp
    return headers


def _unmodified_since(since: str | None, build: Build) -> bool:
    when = _built(build)
    if not since or when is None:
        return False
    try:
        asked = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    return asked.tzinfo is not None and when.replace(microsecond=0) <= asked


def not_modified(request: Request | Headers, etag: str, build: Build) -> bool:
    """Whether the client holds the answer tagged ``etag`` on ``build`` already:
    ``If-None-Match`` matches it, or, with no ``If-None-Match``, ``If-Modified-Since``
    is not older than the build (RFC 9110, 13.2.2)."""
    headers = request.headers if isinstance(request, Request) else request
    wanted = headers.get("if-none-match")
    if wanted is not None:
        return etag_matches(wanted, etag)
    return _unmodified_since(headers.get("if-modified-since"), build)


def _not_modified_message(headers: MutableHeaders) -> Message:
    for name in ("content-length", "content-type"):
        if name in headers:
            del headers[name]
    return {"type": "http.response.start", "status": 304, "headers": headers.raw}


class ConditionalGet:
    """ASGI middleware: ``HEAD`` as ``GET`` without a body, and validators and ``304`` on
    every ``GET`` answer (module docstring). ``build`` gives the build being served (it
    may raise when there is none: those answers get no validators)."""

    def __init__(self, app: ASGIApp, *, max_age: int, build: Callable[[], Build]) -> None:
        self.app = app
        self.max_age = max_age
        self.build = build

    def _current(self) -> Build | None:
        try:
            return self.build()
        except ApiError:  # no build, unreadable manifest: the route answers that itself
            return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        path = str(scope["path"])
        if path in UNCACHED:
            await self.app(scope, receive, _no_store(send, head))
            return
        request = Headers(scope=scope)
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def buffered(message: Message) -> None:
            nonlocal start, passing
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                uncached = any(
                    word in headers.get("cache-control", "") for word in ("no-cache", "no-store")
                )
                if message["status"] != 200 or "etag" in headers or uncached:
                    passing = True
                    await send(message)
                    return
                start = message
                return
            if passing or start is None:
                if head and message["type"] == "http.response.body":
                    if not message.get("more_body", False):
                        await send({"type": "http.response.body", "body": b""})
                    return
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._finish(start, b"".join(chunks), request, send, head)

        await self.app(scope, receive, buffered)

    async def _finish(
        self, start: Message, body: bytes, request: Headers, send: Send, head: bool
    ) -> None:
        headers = MutableHeaders(raw=list(start["headers"]))
        build = self._current()
        if build is not None:
            digest = hashlib.sha256(build.manifest.version.encode() + b"\n" + body)
            etag = f'"{digest.hexdigest()[:32]}"'
            headers.update(validators(build, etag))
            if "cache-control" not in headers:
                headers["Cache-Control"] = f"public, max-age={self.max_age}"
            if not_modified(request, etag, build):
                await send(_not_modified_message(headers))
                await send({"type": "http.response.body", "body": b""})
                return
        await send({**start, "headers": headers.raw})
        await send({"type": "http.response.body", "body": b"" if head else body})


def _no_store(send: Send, head: bool) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(raw=list(message["headers"]))
            headers["Cache-Control"] = "no-store"
            message = {**message, "headers": headers.raw}
        elif head and message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return sending
