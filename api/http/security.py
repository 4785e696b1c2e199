"""Security headers on every response: a Content Security Policy, nosniff, frame and
referrer policies.

The policy allows what the UI needs and nothing else: scripts and styles from this
origin only (the vendored YASGUI and Swagger UI included; no CDN), inline styles (the
pages' own ``<style>`` block and the style attributes YASGUI and Swagger UI write), images
and fonts from this origin or ``data:``, requests to this origin only (the query page
posts to ``/sparql``; federation goes server-side), no plugins, no ``<base>``, forms to
this origin, and no framing by other sites. No inline script runs anywhere except the
Swagger UI start-up script of ``/docs``, allowed by its hash (:func:`script_hash`) on that
page alone. A route that sets one of these headers itself keeps its own value.
"""

from __future__ import annotations

import base64
import hashlib

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DEFAULT_POLICY", "SecurityHeaders", "content_security_policy", "script_hash"]


def content_security_policy(*script_hashes: str) -> str:
    """The policy, with extra ``'sha256-…'`` sources for inline scripts if given."""
    scripts = " ".join(("'self'", *script_hashes))
    return (
        "default-src 'self'; "
        f"script-src {scripts}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; "
        "font-src 'self' data:; "
        "connect-src 'self'; "
        "object-src 'none'; "
        "base-uri 'none'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


DEFAULT_POLICY = content_security_policy()

_HEADERS = {
    "content-security-policy": DEFAULT_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


def script_hash(script: str) -> str:
    """The CSP source ``'sha256-…'`` allowing the inline script ``script`` (its text)."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


class SecurityHeaders:
    """ASGI middleware: add the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, secured_send)
