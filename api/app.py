"""The FastAPI application factory: ``create_app(settings)``.

One router per concern (``sparql``, ``linked_data``, ``rest``, ``describe``,
``operations``, and the browser ``ui``), the packaged static files under ``/static``
(``assets``), one error shape (``errors``), CORS for every read route, an executor of worker
processes started and stopped with the app's lifespan, and a result cache
(``cache``) of its own; every GET route answers HEAD and gets validators (``conditional``);
every response carries the security headers (``security``); with a ``--public-url``
path, links carry it (``prefix``).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import Message, Send
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from aseankg.api.http.cache import ResultCache
from aseankg.api.http.conditional import ConditionalGet
from aseankg.api.http.egress import EgressPolicy
from aseankg.api.http.errors import install_error_handlers
from aseankg.api.http.executor import Executor
from aseankg.api.http.openapi import install_openapi
from aseankg.api.http.prefix import PathPrefix, path_prefix
from aseankg.api.http.security import SecurityHeaders, content_security_policy, script_hash
from aseankg.api.http.settings import Runtime, Settings
from aseankg.api.routes import (
    assets,
    describe,
    linked_data,
    operations,
    partnerships,
    rest,
    sparql,
    topics,
    ui,
)
from aseankg.api.routes.operations import Metrics, ObservedApp

__all__ = ["OpenCors", "create_app", "install_api_docs"]


class OpenCors(CORSMiddleware):
    """Starlette's CORS with every origin allowed and no ``Vary: Origin`` on answers: the
    answer is ``Access-Control-Allow-Origin: *`` whatever the origin, so caches need not
    keep one copy per origin."""

    async def send(self, message: Message, send: Send, request_headers: Headers) -> None:
        async def without_vary_origin(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                _drop_vary_origin(headers)
                message = {**message, "headers": headers.raw}
            await send(message)

        await super().send(message, without_vary_origin, request_headers)

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        _drop_vary_origin(response.headers)
        return response


def _drop_vary_origin(headers: MutableHeaders) -> None:
    kept = [v.strip() for v in ",".join(headers.getlist("vary")).split(",")]
    kept = [v for v in kept if v and v.lower() != "origin"]
    if "vary" in headers:
        del headers["vary"]
    if kept:
        headers["Vary"] = ", ".join(kept)


def install_api_docs(app: FastAPI, prefix: str = "") -> None:
    """Serve the OpenAPI page at ``/docs`` with a packaged Swagger UI (no CDN: works
    offline). ``prefix`` (a path-prefix deployment) goes into the one URL its start-up
    script holds; its attributes get it from :class:`PathPrefix` like every page's."""
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")

    page = get_swagger_ui_html(
        openapi_url=prefix + "/openapi.json",
        title="aseankg API",
        swagger_js_url="/docs-assets/swagger-ui-bundle.js",
        swagger_css_url="/docs-assets/swagger-ui.css",
        swagger_favicon_url="/docs-assets/favicon-32x32.png",
    )
    # the page's one inline script (Swagger UI's start-up) is allowed by its hash, here only
    inline = re.findall(rb"<script>(.*?)</script>", bytes(page.body), flags=re.DOTALL)
    policy = content_security_policy(*(script_hash(script.decode()) for script in inline))

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(page.body, headers={"Content-Security-Policy": policy})


def create_app(settings: Settings) -> FastAPI:
    """Build the service for ``settings``; the store is opened by the query workers."""
    executor = Executor(
        settings.store,
        workers=settings.query_workers,
        timeout=settings.query_timeout,
        queue_size=settings.queue_size,
        egress=EgressPolicy(settings.service_allowlist, settings.allow_loopback_service),
        memory=settings.query_memory,
    )
    runtime = Runtime(settings, executor, Metrics(), results=ResultCache(settings.cache_bytes))
    runtime.metrics.watch(lambda: executor.running, lambda: executor.waiting)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await executor.start()
        try:
            yield
        finally:
            await executor.close()

    prefix = path_prefix(settings.public_url)
    app = FastAPI(
        servers=[{"url": prefix}] if prefix else None,
        title="aseankg",
        summary="The knowledge graph of ASEAN-Canada commitments",
        version=version("aseankg"),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    for module in (operations, sparql, describe, linked_data, rest):
        app.include_router(module.router)
    install_api_docs(app, prefix)
    install_openapi(app)
    # The browser UI (issue 7): home, search, pictures, suggestions, and its static files
    # (content-hashed names, compressed, cached for a year: api/pages/assets.py).
    app.include_router(ui.router)
    app.include_router(partnerships.router)  # the partnership pages (issue 13)
    app.include_router(topics.router)  # topic and SDG pages (issue 13)
    app.include_router(assets.router)
    app.add_middleware(PathPrefix, prefix=prefix)
    app.add_middleware(
        OpenCors,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "If-None-Match", "Cache-Control"],
        expose_headers=["ETag", "Content-Location", "X-SPARQL-Truncated", "Vary", "X-Cache"],
        max_age=600,
    )
    app.add_middleware(ConditionalGet, max_age=settings.cache_max_age, build=runtime.build)
    app.add_middleware(ObservedApp, metrics=runtime.metrics)
    app.add_middleware(SecurityHeaders)
    return app
