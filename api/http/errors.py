"""Errors of the HTTP layer and the one ``application/problem+json`` shape they render to.

Tree::

    ApiError                    base: every error the service answers with a 4xx/5xx
    ├── BadRequest              400: malformed request, syntax error, undecodable body
    ├── Forbidden               403: updates, refused SERVICE calls
    ├── NotFound                404: unknown IRI, route or named resource
    ├── MethodNotAllowed        405: writes on a read-only route (``Allow`` header)
    ├── NotAcceptable           406: no acceptable representation
    ├── Conflict                409: a short name matches several resources
    ├── PayloadTooLarge         413: request body over the cap
    ├── UnsupportedMediaType    415: unknown request Content-Type or charset
    ├── ResultTooLarge          422: a query result over the byte budget
    ├── BadGateway              502: an allowed federated SERVICE endpoint failed
    └── ServiceUnavailable      503: query timeout, queue full, store missing

Every error, including Starlette's own (404 route, 405 method), FastAPI's validation
errors and unexpected exceptions (500, traceback to the server log only), goes through
:func:`render_problem`, so clients see one shape: ``{"type", "title", "status", "detail"}``;
only a browser (``Accept`` preferring HTML) gets a 404 as an HTML page instead
(``aseankg.api.pages.not_found``).
A ``detail`` never shows an absolute file-system path (:func:`scrub_paths`: a store's
location is the operator's business, not the client's). A client that goes away before
its request is read (``ClientDisconnect``) is recorded as 499 ``client-disconnected``:
not a server error, and no traceback.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from typing import ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from aseankg.api.pages.not_found import prefers_html, render_not_found

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "ApiError",
    "BadGateway",
    "BadRequest",
    "Conflict",
    "Forbidden",
    "MethodNotAllowed",
    "NotAcceptable",
    "NotFound",
    "PayloadTooLarge",
    "ResultTooLarge",
    "ServiceUnavailable",
    "UnsupportedMediaType",
    "install_error_handlers",
    "problem_body",
    "render_problem",
    "scrub_paths",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
_TYPE_BASE = "https://w3id.org/aseankg/problems/"


class ApiError(Exception):
    """Base of every HTTP error; ``kind`` names it in the problem type and in metrics."""

    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"

    def __init__(self, detail: str, *, kind: str = "", headers: Mapping[str, str] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.kind = kind or re.sub(r"(?<!^)(?=[A-Z])", "-", type(self).__name__).lower()
        self.headers = dict(headers or {})


class BadRequest(ApiError):
    status = 400
    title = "Bad request"


class Forbidden(ApiError):
    status = 403
    title = "Forbidden"


class NotFound(ApiError):
    status = 404
    title = "Not found"


class MethodNotAllowed(ApiError):
    status = 405
    title = "Method not allowed"


class NotAcceptable(ApiError):
    status = 406
    title = "Not acceptable"


class Conflict(ApiError):
    status = 409
    title = "Conflict"


class PayloadTooLarge(ApiError):
    status = 413
    title = "Payload too large"


class UnsupportedMediaType(ApiError):
    status = 415
    title = "Unsupported media type"


class ResultTooLarge(ApiError):
    status = 422
    title = "Result too large"


class BadGateway(ApiError):
    status = 502
    title = "Bad gateway"


class ServiceUnavailable(ApiError):
    status = 503
    title = "Service unavailable"


_TITLES = {405: "Method not allowed", 404: "Not found", 400: "Bad request", 422: "Bad request"}


def _path_pattern() -> re.Pattern[str]:
    # An absolute path starts with a folder that exists at the file-system root (/tmp,
    # /home, /work ...): URL paths (/id/..., /api/...) and IRIs (http://h/a/b) do not match.
    try:
        roots = sorted(name for name in os.listdir("/") if os.path.isdir("/" + name))
    except OSError:
        roots = []
    alternatives = "|".join(re.escape(name) for name in roots) or "(?!)"
    return re.compile(rf"(?<![\w:/.<%~-])/(?:{alternatives})(?:/[^\s'\"<>,;]*)?(?![\w.-])")


_PATH = _path_pattern()


def scrub_paths(text: str) -> str:
    """``text`` with every absolute file-system path cut to ``…/<last component>``."""

    def cut(match: re.Match[str]) -> str:
        last = match.group(0).rstrip("/").rsplit("/", 1)[-1]
        return f"…/{last}"

    return _PATH.sub(cut, text)


def problem_body(status: int, title: str, detail: str, *, kind: str) -> bytes:
    """The problem+json body (RFC 9457) of one error, its ``detail`` scrubbed of paths."""
    body = {"type": _TYPE_BASE + kind, "title": title, "status": status, "detail": ""}
    body["detail"] = scrub_paths(detail)
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def render_problem(
    status: int, title: str, detail: str, *, kind: str, headers: Mapping[str, str] | None = None
) -> Response:
    """Render one problem+json response (RFC 9457)."""
    response = Response(
        problem_body(status, title, detail, kind=kind),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers or {}),
    )
    response.headers.setdefault("Cache-Control", "no-store")
    return response


async def _handle(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ApiError):
        problem = (exc.status, exc.title, exc.detail, exc.kind, exc.headers)
    elif isinstance(exc, StarletteHTTPException):
        status = exc.status_code
        title = _TITLES.get(status, "HTTP error")
        kind = title.lower().replace(" ", "-")
        problem = (status, title, str(exc.detail), kind, dict(exc.headers or {}))
    elif isinstance(exc, ClientDisconnect):  # nobody will read this answer
        problem = (499, "Client closed request", "the client went away", "client-disconnected", {})
    elif isinstance(exc, RequestValidationError):
        detail = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', '')}"
            for err in exc.errors()
        )
        problem = (400, "Bad request", detail, "invalid-parameter", {})
    else:  # a bug: the client gets the one shape, the server log gets the traceback
        problem = (
            500,
            "Internal error",
            "the server failed to answer this request",
            "internal-error",
            {},
        )
    request.state.error_kind = problem[3]
    if problem[0] == 404 and prefers_html(request.headers.get("accept")):
        return render_not_found(request, scrub_paths(problem[2]), problem[4])  # a browser
    return render_problem(problem[0], problem[1], problem[2], kind=problem[3], headers=problem[4])


def install_error_handlers(app: FastAPI) -> None:
    """Register the one handler for every error type the service can meet."""
    # ClientDisconnect has its own entry so Starlette's ExceptionMiddleware answers it;
    # a bare ``Exception`` handler runs in ServerErrorMiddleware, which re-raises (traceback).
    handled = (ApiError, StarletteHTTPException, RequestValidationError, ClientDisconnect)
    for exc_type in (*handled, Exception):
        app.add_exception_handler(exc_type, _handle)
