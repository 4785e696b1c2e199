"""Operations: health, Prometheus metrics and a structured access log.

``/health`` answers 200 only when the store being served answers a trivial query
(``ASK { ?s ?p ?o }`` in a query worker, so a corrupted or missing store is seen, not
just a readable manifest); otherwise a 503 problem naming the reason.

:class:`Metrics` owns one registry per app (so several apps in one process never share
counters). :class:`ObservedApp` is a plain ASGI middleware that times every request,
counts it by route template and status, counts errors by their problem kind (set by
the one error handler), and writes one JSON line per request to the
``aseankg.access`` logger.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aseankg.api.http.errors import ApiError, ServiceUnavailable
from aseankg.graph.query import QueryJob
from aseankg.queries.loader import load_query

__all__ = ["Metrics", "ObservedApp", "access_log", "router"]

access_log = logging.getLogger("aseankg.access")


@dataclass
class Metrics:
    """The service's Prometheus metrics, in their own registry."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.requests = Counter(
            "aseankg_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "aseankg_http_request_duration_seconds",
            "Time to answer a request, by route template.",
            ["route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry,
        )
        self.errors = Counter(
            "aseankg_http_errors",
            "Error responses by problem kind (syntax-error, timeout, busy ...).",
            ["kind"],
            registry=self.registry,
        )
        self.timeouts = Counter(
            "aseankg_query_timeouts",
            "Queries stopped at the time limit.",
            registry=self.registry,
        )
        self.running = Gauge(
            "aseankg_queries_running", "Queries running in a worker now.", registry=self.registry
        )
        self.waiting = Gauge(
            "aseankg_queries_waiting", "Queries waiting for a free worker.", registry=self.registry
        )

    def watch(self, running: Callable[[], float], waiting: Callable[[], float]) -> None:
        """Read the query gauges from these callables at each scrape."""
        self.running.set_function(running)
        self.waiting.set_function(waiting)

    def observe(self, method: str, route: str, status: int, seconds: float, kind: str) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)
        if kind:
            self.errors.labels(kind).inc()
            if kind == "timeout":
                self.timeouts.inc()


class ObservedApp:
    """ASGI middleware: metrics and one structured access-log line per HTTP request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        sent = 0

        async def observed_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            self._record(scope, status, sent, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, sent: int, seconds: float) -> None:
        route_obj: Any = scope.get("route")
        route = getattr(route_obj, "path", None) or "unmatched"
        state = scope.get("state") or {}
        kind = str(state.get("error_kind", "")) or ("server-error" if status >= 500 else "")
        self.metrics.observe(scope["method"], route, status, seconds, kind)
        client = scope.get("client")
        access_log.info(
            json.dumps(
                {
                    "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "method": scope["method"],
                    "path": scope["path"],
                    "query": scope.get("query_string", b"").decode("latin-1")[:200],
                    "route": route,
                    "status": status,
                    "bytes": sent,
                    "ms": round(seconds * 1000, 2),
                    "client": client[0] if client else None,
                    "error": kind or None,
                },
                separators=(",", ":"),
            )
        )


router = APIRouter(tags=["operations"])


_PROBE = QueryJob(load_query("service/probe").text)
_PROBE_TIMEOUT = 5.0


@router.get("/health", summary="Health: the store answers, and the version of its graph")
async def health(request: Request) -> JSONResponse:
    """200 ``{"status": "ok", "version": ...}`` when the store answers a trivial query.

    Raises ``ServiceUnavailable`` (503 problem) when no graph is built, its manifest is
    unreadable, or the store cannot answer (corrupted, workers busy or failing).
    """
    runtime = request.app.state.runtime
    manifest = runtime.manifest()
    try:
        await runtime.executor.run(
            _PROBE, timeout=min(_PROBE_TIMEOUT, runtime.settings.query_timeout)
        )
    except ApiError as exc:
        raise ServiceUnavailable(
            f"the store does not answer a trivial query: {exc.detail}", kind=exc.kind
        ) from None
    return JSONResponse({"status": "ok", "version": manifest.version})


@router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """The Prometheus text exposition of this process's metrics."""
    registry = request.app.state.runtime.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
