"""The HTML "not found" page browsers get instead of the problem+json body.

A 404 is content-negotiated: a client whose ``Accept`` prefers ``text/html`` over JSON (a
browser) gets a page that says what was not found and where to go; every other client
(no ``Accept``, ``*/*``, ``application/json``, ``application/problem+json``) keeps the
one problem+json shape. Raises nothing.

>>> prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
True
>>> prefers_html("*/*"), prefers_html(None), prefers_html("application/json")
(False, False, False)
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse

from aseankg.api.http.negotiation import negotiate
from aseankg.api.pages.templates import render_page
from aseankg.graph.formats import HTML, Format

__all__ = ["prefers_html", "render_not_found"]

_PROBLEM = Format(
    "problem", "page", "application/problem+json", "problem", "json", aliases=("application/json",)
)


def prefers_html(accept: str | None) -> bool:
    """Whether ``accept`` ranks HTML above JSON (ties and no header go to JSON)."""
    return negotiate(accept, (_PROBLEM, HTML)) == HTML


def render_not_found(request: Request, detail: str, headers: dict[str, str]) -> HTMLResponse:
    """The 404 page for ``request``, saying ``detail``."""
    response = render_page(
        "not_found.html", request, status=404, headers=headers, detail=detail, path=request.url.path
    )
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Vary"] = "Accept"
    return response
