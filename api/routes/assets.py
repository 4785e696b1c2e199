"""``/static/{path}``: the UI's static files (``aseankg.api.pages.assets``: hashed names,
brotli or gzip bodies, a year of caching for hashed names, ``no-cache`` for plain ones).

Raises (from the route): ``NotFound`` (404 problem) for a path that names no file, or an
out-of-date hash.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from aseankg.api.http.cache import etag_matches
from aseankg.api.http.errors import NotFound
from aseankg.api.pages.assets import IMMUTABLE, REVALIDATE, accepted_codings, catalogue

__all__ = ["router"]

router = APIRouter()


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def static_file(request: Request, path: str) -> Response:
    """One static file, compressed when the client accepts it, cached by its name."""
    asset = catalogue().get(path)
    if asset is None:
        raise NotFound(f"no static file {path!r}", kind="unknown-static-file")
    accepted = accepted_codings(request.headers.get("accept-encoding", ""))
    coding = next(c for c in asset.codings() if c == "identity" or c in accepted)
    headers = {
        "Cache-Control": IMMUTABLE if path == asset.hashed else REVALIDATE,
        "ETag": f'"{asset.digest[:32]}{"" if coding == "identity" else "-" + coding}"',
    }
    if asset.compressible:
        headers["Vary"] = "Accept-Encoding"
    if coding != "identity":
        headers["Content-Encoding"] = coding
    if etag_matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    body = asset.body(coding)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, headers=headers, media_type=asset.media_type)
    return Response(body, headers=headers, media_type=asset.media_type)
