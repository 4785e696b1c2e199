"""The SPARQL 1.1 Protocol at ``/sparql`` (``/sparql/`` answers 308 to it): read-only,
time-limited, complete or an error.

Queries come by GET, by POST form-encoded, or by POST ``application/sparql-query``;
``default-graph-uri`` / ``named-graph-uri`` select the dataset, otherwise the default
graph is the union of all named graphs (unless the query has ``FROM`` clauses). Updates
are never run (403). GET without ``query`` serves the service description (or the query
page to a browser). Results are negotiated with ``Accept`` or ``format=``.
"""

from __future__ import annotations

import asyncio
import codecs
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from aseankg.api.http.cache import cache_key, strong_etag
from aseankg.api.http.conditional import not_modified, validators
from aseankg.api.http.egress import mentions_service
from aseankg.api.http.errors import (
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    NotAcceptable,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from aseankg.api.http.executor import SpooledResult
from aseankg.api.http.negotiation import content_type, negotiate
from aseankg.api.http.openapi import (
    SPARQL_PARAMETERS,
    SPARQL_REQUEST_BODY,
    problem_responses,
    representations,
)
from aseankg.api.http.settings import Runtime, Settings, runtime_of
from aseankg.api.routes import describe
from aseankg.graph.formats import (
    FORMATS,
    GRAPH_FORMATS,
    SOLUTION_FORMATS,
    Format,
    by_name,
    find_format,
)
from aseankg.graph.query import QueryJob, QueryResult
from aseankg.graph.store import Build
from aseankg.graph.vocabulary import PREFIXES

__all__ = [
    "ProtocolRequest",
    "answer",
    "decode_body",
    "decode_params",
    "plan_job",
    "read_body",
    "read_protocol_request",
    "render_result",
    "router",
]

_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolRequest:
    """The protocol parameters of one request, decoded exactly once."""

    query: str | None
    update: bool
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None
    truncate: bool = False


def decode_body(body: bytes, charset: str | None) -> str:
    """Decode a request body as UTF-8, the one charset the protocol's media types have
    (a BOM is dropped). Raises ``UnsupportedMediaType`` (415, kind ``unsupported-charset``)
    for any other declared ``charset``, never decoding it silently; ``BadRequest`` when
    the bytes are not UTF-8."""
    name = (charset or "utf-8").strip().strip('"').lower()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        codec = name
    if codec != "utf-8":
        raise UnsupportedMediaType(
            f"charset {name!r} is not accepted: send the query in UTF-8 "
            "(charset=utf-8, or no charset)",
            kind="unsupported-charset",
        )
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"the body is not valid UTF-8: {exc.reason}", kind="bad-encoding"
        ) from None


def decode_params(text: str) -> list[tuple[str, str]]:
    """Split and percent-decode (as UTF-8) one ``a=b&c=d`` string. Raises ``BadRequest``."""
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(f"parameters are not valid UTF-8: {exc}", kind="bad-encoding") from None


async def read_body(request: Request, cap: int) -> bytes:
    """The request body, refusing more than ``cap`` bytes (413) without reading it all."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise PayloadTooLarge(f"the request body is over the cap of {cap} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise PayloadTooLarge(f"the request body is over the cap of {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _media_type(request: Request) -> tuple[str, str | None]:
    media, _, rest = request.headers.get("content-type", "").partition(";")
    charset = None
    for param in rest.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip()
    return media.strip().lower(), charset


async def read_protocol_request(request: Request, cap: int) -> ProtocolRequest:
    """Collect the protocol parameters from the URL and, for POST, the body (see module)."""
    raw = request.scope.get("query_string", b"")
    if len(raw) > cap:
        raise PayloadTooLarge(f"the query string is over the cap of {cap} bytes")
    params = decode_params(decode_body(raw, "utf-8"))
    direct: str | None = None
    if request.method == "POST":
        media, charset = _media_type(request)
        if media == _UPDATE:
            raise Forbidden("updates are not accepted by this endpoint", kind="update-refused")
        if media not in (_FORM, _DIRECT):
            raise UnsupportedMediaType(
                f"POST needs {_FORM} or {_DIRECT}, not {media or 'no Content-Type'!r}"
            )
        text = decode_body(await read_body(request, cap), charset)
        if media == _FORM:
            params += decode_params(text)
        else:
            direct = text
    return _protocol_request(params, direct)


def _protocol_request(params: list[tuple[str, str]], direct: str | None) -> ProtocolRequest:
    queries = [v for k, v in params if k == "query"] + ([direct] if direct is not None else [])
    has_update = any(k == "update" for k, _ in params)
    if has_update and queries:
        raise BadRequest(
            "a request cannot carry both a query and an update", kind="query-and-update"
        )
    if has_update:
        raise Forbidden("updates are not accepted by this endpoint", kind="update-refused")
    if len(queries) > 1:
        raise BadRequest("a request must carry exactly one query", kind="multiple-queries")
    formats = [v for k, v in params if k == "format"]
    return ProtocolRequest(
        truncate=_truncate(params),
        query=queries[0] if queries else None,
        update=False,
        default_graphs=tuple(v for k, v in params if k == "default-graph-uri"),
        named_graphs=tuple(v for k, v in params if k == "named-graph-uri"),
        format=formats[0] if formats else None,
    )


_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no", "")


def _truncate(params: list[tuple[str, str]]) -> bool:
    values = {v.strip().lower() for k, v in params if k == "truncate"}
    if values - {*_TRUE, *_FALSE}:
        raise BadRequest("truncate takes true or false", kind="invalid-parameter")
    return bool(values & set(_TRUE))


def _formats(fmt: str | None, accept: str | None) -> tuple[Format | None, Format | None]:
    if fmt is None:
        return negotiate(accept, SOLUTION_FORMATS), negotiate(accept, GRAPH_FORMATS)
    solutions, graph = find_format(fmt, SOLUTION_FORMATS), find_format(fmt, GRAPH_FORMATS)
    if solutions is None and graph is None:
        raise BadRequest(f"unknown format {fmt!r}", kind="unknown-format")
    return solutions, graph


def plan_job(req: ProtocolRequest, accept: str | None, settings: Settings) -> QueryJob:
    """The job for a protocol request, refusing a request no format can answer (406).

    Relative IRIs in the query resolve against the data's base (``settings.base``). An
    ASK asked for as CSV/TSV (which have no boolean form) answers in the boolean format
    ``Accept`` also allows (SPARQL JSON, else XML), else 406. The result is complete or
    a 422 (over ``settings.result_budget`` bytes), unless the request says
    ``truncate=true``: then at most ``settings.row_cap`` rows that fit the budget.

    Nothing here reads the query: updates (403), ``SERVICE`` calls (403), ``FROM``
    clauses and a form with no acceptable format (406) are decided in the worker, under
    the query's time limit (``egress.screen_job``), never on the event loop.
    """
    query = req.query or ""
    if not query.strip():
        raise BadRequest("the query is empty", kind="missing-query")
    solutions, graph = _formats(req.format, accept)
    if solutions is None and graph is None:
        raise NotAcceptable("no acceptable format for a query result")
    boolean = None if req.format is not None else negotiate(accept, _BOOLEAN_FORMATS)
    dataset = bool(req.default_graphs or req.named_graphs)
    return QueryJob(
        query,
        union=not dataset,
        default_graphs=req.default_graphs if dataset else None,
        named_graphs=req.named_graphs if dataset else None,
        solutions_format=solutions.name if solutions else None,
        graph_format=graph.name if graph else None,
        boolean_format=boolean.name if boolean else None,
        row_cap=settings.row_cap if req.truncate else None,
        byte_budget=settings.result_budget,
        truncate=req.truncate,
        base_iri=settings.base,
        prefixes=tuple(PREFIXES.items()),
    )


_BOOLEAN_FORMATS = tuple(f for f in SOLUTION_FORMATS if f.name in ("json", "xml"))


def _headers(runtime: Runtime, build: Build, etag: str | None, cache: str) -> dict[str, str]:
    headers = {"Vary": "Accept", "X-Cache": cache, **validators(build, etag)}
    if etag is not None:
        headers["Cache-Control"] = f"public, max-age={runtime.settings.cache_max_age}"
    else:
        headers["Cache-Control"] = "no-cache"
    return headers


def render_result(result: QueryResult, headers: dict[str, str]) -> Response:
    """The HTTP response of a query result: ``X-SPARQL-Truncated`` (the rows kept) when
    ``truncate=true`` cut it; a spooled body streamed from its file."""
    if result.truncated:
        headers["X-SPARQL-Truncated"] = str(result.rows)
    media = content_type(by_name(result.format))
    if isinstance(result, SpooledResult):
        headers["Content-Length"] = str(result.size)
        return StreamingResponse(_chunks(result), media_type=media, headers=headers)
    return Response(result.body, media_type=media, headers=headers)


_CHUNK = 1 << 20


async def _chunks(result: SpooledResult) -> AsyncIterator[bytes]:
    """The body of a spooled result, 1 MiB at a time, read in a thread; closes its file."""
    try:
        for offset in range(0, result.size, _CHUNK):
            yield await asyncio.to_thread(os.pread, result.fd, _CHUNK, offset)
    finally:
        os.close(result.fd)


async def answer(request: Request, runtime: Runtime, job: QueryJob) -> Response:
    """The response to ``job``: 304 when the client holds it, from the result cache when
    there, else computed (and kept when it was computed on the build the key names).

    ``X-Cache`` says ``hit``, ``miss`` or ``bypass`` (cache off, or a query that mentions
    ``service``, whose answer may depend on another endpoint's data).
    """
    build = runtime.build()
    key = cache_key(build.manifest.version, job)
    etag = strong_etag(key)
    cacheable = runtime.results.enabled and not mentions_service(job.query)
    state = "miss" if cacheable else "bypass"
    if not_modified(request, etag, build):
        return Response(status_code=304, headers=_headers(runtime, build, etag, state))
    if cacheable:
        cached = runtime.results.get(key)
        if cached is not None:
            return render_result(cached, _headers(runtime, build, etag, "hit"))
    client = request.client.host if request.client else ""
    result = await runtime.executor.run(job, lane="query", client=client, stream=True)
    if result.build != build.key:  # the store was swapped meanwhile: a newer answer
        return render_result(result, _headers(runtime, build, None, state))
    if cacheable and not isinstance(result, SpooledResult):
        runtime.results.put(key, result)
    return render_result(result, _headers(runtime, build, etag, state))


router = APIRouter(tags=["sparql"])


_ANSWERS = {
    **representations(
        dict.fromkeys(f.media_type for f in FORMATS),
        "The query's result in the negotiated format; without a query, the Service Description",
    ),
    **problem_responses(400, 403, 406, 413, 415, 422, 503),
}


@router.api_route(
    "/sparql",
    methods=["GET"],
    summary="SPARQL 1.1 Protocol query by GET",
    responses=_ANSWERS,
    openapi_extra={"parameters": SPARQL_PARAMETERS},
)
@router.api_route(
    "/sparql",
    methods=["POST"],
    summary="SPARQL 1.1 Protocol query by POST",
    responses=_ANSWERS,
    openapi_extra={"requestBody": SPARQL_REQUEST_BODY},
)
async def sparql(request: Request) -> Response:
    """Answer one SPARQL protocol request (module docstring)."""
    runtime = runtime_of(request)
    req = await read_protocol_request(request, runtime.settings.body_cap)
    if req.query is None:
        if request.method == "POST":
            raise BadRequest("the request carries no query", kind="missing-query")
        return await describe.service_description(request)
    job = plan_job(req, request.headers.get("accept"), runtime.settings)
    return await answer(request, runtime, job)


@router.api_route(
    "/sparql/",
    methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"],
    include_in_schema=False,
)
async def sparql_slash(request: Request) -> Response:
    """308 to ``/sparql``, the one URL the Service Description names (query string kept;
    308 keeps the method and body of a POST)."""
    query = request.url.query
    target = request.url.path.removesuffix("/") + (f"?{query}" if query else "")
    return Response(status_code=308, headers={"Location": target})


_ALLOW = {"Allow": "GET, HEAD, POST, OPTIONS"}


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
async def refuse_writes(request: Request) -> Response:
    """405 with ``Allow``: the endpoint is read-only (there is no graph store protocol)."""
    raise MethodNotAllowed(f"{request.method} is not allowed on /sparql", headers=_ALLOW)


@router.api_route("/sparql", methods=["OPTIONS"], include_in_schema=False)
async def options() -> Response:
    """The methods of the endpoint (CORS preflights are answered before routing)."""
    return Response(status_code=204, headers=_ALLOW)
