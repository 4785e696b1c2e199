"""Linked data: every IRI under the base dereferences at ``/id/...``; the ontology at ``/ontology``.

``/id/{path}`` answers HTML (for browsers), Turtle, JSON-LD, N-Triples or RDF/XML by
``Accept`` (at equal q, a type named beats ``*/*``: ``application/rdf+xml, */*`` is
RDF/XML), or by a suffix (``.html``, ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``), with
``Vary: Accept`` and a
``Content-Location`` naming the format-specific URL; an IRI the graph does not mention is
404. The RDF is the resource's outgoing and incoming triples. The HTML page is in the
reader's language (``?lang=fr`` or ``Accept-Language``; English by default, so it also
varies by ``Accept-Language``) and is built by ``aseankg.api.pages.entity_context``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from urllib.parse import quote, unquote_to_bytes

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from aseankg.api.http.errors import NotAcceptable, NotFound
from aseankg.api.http.negotiation import content_type, negotiate
from aseankg.api.http.openapi import problem_responses, representations
from aseankg.api.http.settings import Runtime, runtime_of
from aseankg.api.pages.entity_context import page_context
from aseankg.api.pages.language import page_language
from aseankg.api.pages.templates import render_page
from aseankg.graph.formats import GRAPH_FORMATS, HTML, Format
from aseankg.graph.query import QueryJob
from aseankg.graph.vocabulary import AKG_NS, PREFIXES
from aseankg.queries.loader import QueryLoadError, bind_query, load_query

__all__ = ["PAGE_FORMATS", "canonical_path", "router"]

_AKG = AKG_NS

PAGE_FORMATS: tuple[Format, ...] = (
    HTML,
    *(f for f in GRAPH_FORMATS if f.name in ("ttl", "jsonld", "nt", "rdfxml")),
)
_SUFFIXES = {f".{f.suffix}": f for f in PAGE_FORMATS}


def canonical_path(raw_path: bytes) -> str:
    """The IRI path under ``/id/`` as the graph layer mints it: each segment of the raw
    request path percent-decoded, then encoded again except for ``A-Za-z0-9-._~``
    (so ``caf%c3%a9``, ``caf%C3%A9`` and ``café`` all name one IRI, and ``%2F`` stays
    inside its segment)."""
    path = raw_path.split(b"?", 1)[0]
    path = path[len(b"/id/") :] if path.startswith(b"/id/") else path
    return "/".join(quote(unquote_to_bytes(segment), safe="-._~") for segment in path.split(b"/"))


def _resolve(path: str) -> tuple[str, Format | None]:
    for suffix, fmt in _SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], fmt
    return path, None


async def _describe(runtime: Runtime, iri: str, fmt: Format) -> bytes:
    try:
        text = bind_query(load_query("pages/resource"), {"this": iri})
    except QueryLoadError as exc:
        raise NotFound(f"<{iri}> is not in the graph: {exc}") from None
    job = QueryJob(
        text, solutions_format=None, graph_format=fmt.name, prefixes=tuple(PREFIXES.items())
    )
    return (await runtime.executor.run(job)).body


router = APIRouter(tags=["linked data"])


_PAGES = {
    **representations(
        [f.media_type for f in PAGE_FORMATS], "The resource as HTML or RDF, by Accept or suffix"
    ),
    **problem_responses(404, 406, 503),
}


@router.api_route(
    "/id/{path:path}",
    methods=["GET"],
    summary="Dereference an IRI under the base",
    responses=_PAGES,
)
async def resource(path: str, request: Request) -> Response:
    """The resource ``<base><path>`` as HTML, Turtle, JSON-LD or N-Triples (module docstring)."""
    runtime = runtime_of(request)
    local, fmt = _resolve(canonical_path(request.scope.get("raw_path") or path.encode()))
    fmt = fmt or negotiate(request.headers.get("accept"), PAGE_FORMATS)
    if fmt is None:
        raise NotAcceptable("available as " + ", ".join(f.media_type for f in PAGE_FORMATS))
    iri = runtime.settings.base + local
    headers = {"Vary": "Accept", "Content-Location": f"/id/{local}.{fmt.suffix}"}
    if fmt == HTML:
        context = await page_context(runtime, iri, page_language(request))
        if not context["out"] and not context["incoming"]:
            raise NotFound(f"<{iri}> is not in the graph")
        headers["Vary"] = "Accept, Accept-Language"
        return render_page("entity.html", request, headers=headers, **context)
    body = await _describe(runtime, iri, fmt)
    if _empty(body, fmt):
        raise NotFound(f"<{iri}> is not in the graph")
    return Response(body, media_type=content_type(fmt), headers=headers)


def _empty(body: bytes, fmt: Format) -> bool:
    """Whether a description holds no triple: an empty body or JSON-LD document, or RDF/XML
    with no ``rdf:about`` (the graph has no blank nodes, so every node has one)."""
    if fmt.name == "rdfxml":
        return b"rdf:about" not in body
    return not body.strip() or body.strip() in (b"[]", b"{}")


def _ontology_html() -> str | None:
    try:
        docs = importlib.import_module("aseankg.ontology.docs")
    except ImportError:
        return None
    render: Callable[[], str] = docs.render_ontology_html
    return render()


@router.api_route(
    "/ontology{suffix:path}",
    methods=["GET"],
    summary="The ontology: HTML or RDF",
    responses=_PAGES,
)
async def ontology(suffix: str, request: Request) -> Response:
    """The ontology graph: its HTML documentation for browsers, RDF otherwise."""
    runtime = runtime_of(request)
    fmt = (
        _SUFFIXES.get(suffix) if suffix else negotiate(request.headers.get("accept"), PAGE_FORMATS)
    )
    if suffix and fmt is None:
        raise NotFound(f"no ontology representation {suffix!r}")
    if fmt is None:
        raise NotAcceptable("available as " + ", ".join(f.media_type for f in PAGE_FORMATS))
    headers = {"Vary": "Accept", "Content-Location": f"/ontology.{fmt.suffix}"}
    if fmt == HTML:
        page = _ontology_html()
        if page is not None:
            return HTMLResponse(page, headers=headers)
        context = await page_context(runtime, _AKG.rstrip("#"), page_language(request))
        return render_page("entity.html", request, headers=headers, **context)
    graph = runtime.settings.base + "graph/ontology"
    job = QueryJob(
        load_query("exports/graph").text,
        union=False,
        default_graphs=(graph,),
        named_graphs=(),
        graph_format=fmt.name,
    )
    body = (await runtime.executor.run(job)).body
    return Response(body, media_type=content_type(fmt), headers=headers)
