"""The one Jinja environment of the service: every HTML page renders through
:func:`render_page`, with ``StrictUndefined`` (a template naming a value the route did not
pass is an error in the tests, not an empty string on the page). Templates link static
files with ``asset("ui/ui.css")``: the content-hashed, long-cached URL of
``aseankg.api.pages.assets``.

Raises (from :func:`render_page`): ``jinja2.TemplateError`` for a broken template or an
undefined value, which is a bug, never bad input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from aseankg.api.pages.assets import asset_url

__all__ = ["render_page"]

_ENVIRONMENT = Environment(
    loader=PackageLoader("aseankg.api", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENVIRONMENT.globals["asset"] = asset_url


def render_page(
    name: str,
    request: Request,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """The HTML response of template ``name`` rendered with ``request`` and ``context``."""
    context.setdefault("q", "")
    html = _ENVIRONMENT.get_template(name).render(request=request, **context)
    return HTMLResponse(html, status_code=status, headers=dict(headers or {}))
