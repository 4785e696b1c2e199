"""Path-prefix deployments: links that carry the public URL's path.

Behind a reverse proxy that publishes the service under a path
(``https://example.org/aseankg/`` → this server's ``/``, the prefix stripped by the
proxy), every root-relative link the service writes (``/id/…``, ``/static/…``,
``/sparql``) must carry the prefix, or it leaves the deployment. With ``--public-url``
naming such a path, :class:`PathPrefix` writes it into every ``href``, ``src``,
``action`` and ``formaction`` attribute that starts with one ``/`` in HTML and SVG
answers, and into ``Location`` and ``Content-Location`` headers (root-relative ones, and
absolute ones naming the request's own ``Host``, as Starlette's trailing-slash redirects
write them: those become root-relative with the prefix); without a path (or
without ``--public-url``) nothing changes and links stay root-relative. One place, so
the templates and the Python that builds links (``/id/`` hrefs, query-page links,
pictures) write root-relative paths and never need to know the deployment. The
browser scripts find the prefix from their own ``src`` (``/aseankg/static/ui/…``).

>>> prefix_links('<a href="/id/actor/aichr">AICHR</a> <a href="//x">x</a>', "/kg")
'<a href="/kg/id/actor/aichr">AICHR</a> <a href="//x">x</a>'
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["PathPrefix", "path_prefix", "prefix_links"]

_ATTRIBUTE = re.compile(r"""(\s(?:href|src|action|formaction)=["'])/(?![/\\])""")
_REWRITTEN = ("text/html", "image/svg+xml", "application/xhtml+xml")


def path_prefix(public_url: str | None) -> str:
    """The path of ``public_url`` without its trailing slash (``/aseankg``), or ``""``."""
    if not public_url:
        return ""
    return urlsplit(public_url).path.rstrip("/")


def prefix_links(text: str, prefix: str) -> str:
    """``text`` (HTML or SVG) with ``prefix`` written before every root-relative link."""
    if not prefix:
        return text
    return _ATTRIBUTE.sub(lambda m: m.group(1) + prefix + "/", text)


def _own_origin(scope: Scope) -> str:
    """``scheme://host`` of the request as this server received it (its ``Host``)."""
    host = Headers(scope=scope).get("host")
    return f"{scope.get('scheme', 'http')}://{host}" if host else ""


class PathPrefix:
    """ASGI middleware writing ``prefix`` into links and location headers (module doc).
    With an empty ``prefix`` it passes everything through untouched."""

    def __init__(self, app: ASGIApp, *, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.prefix:
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        own = _own_origin(scope)

        async def rewriting(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                for name in ("location", "content-location"):
                    value = headers.get(name)
                    if value and own and value.startswith(own + "/"):
                        value = value[len(own) :]
                    if value and value.startswith("/") and not value.startswith("//"):
                        headers[name] = self.prefix + value
                message = {**message, "headers": headers.raw}
                media = Headers(raw=message["headers"]).get("content-type", "")
                if media.split(";")[0].strip().lower() in _REWRITTEN:
                    start = message  # held until the body is complete
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            text = b"".join(chunks).decode("utf-8", "surrogateescape")
            body = prefix_links(text, self.prefix).encode("utf-8", "surrogateescape")
            headers = MutableHeaders(raw=list(start["headers"]))
            if "content-length" in headers:
                headers["content-length"] = str(len(body))
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewriting)
