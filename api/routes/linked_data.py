"""Linked data: every IRI under the base dereferences at ``/id/...``; the ontology at ``/ontology``.

``/id/{path}`` answers HTML (for browsers), Turtle, JSON-LD or N-Triples by ``Accept``,
or by a suffix (``.html``, ``.ttl``, ``.jsonld``, ``.nt``), with ``Vary: Accept`` and a
``Content-Location`` naming the format-specific URL; an IRI the graph does not mention is
404. The RDF is the resource's outgoing and incoming triples. The HTML page adds, by type:
an action line's text with its mentions highlighted and linked, its section and its
links with roles; an actor's or instrument's action lines grouped by section (and an
actor's parent and sub-bodies) under the small graph around it (``/pictures/graph.svg``,
linked to the query that drew it); a plan's sections; a section's or area's lines.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import HTMLResponse, Response

from aseankg.api.http.errors import NotAcceptable, NotFound
from aseankg.api.http.negotiation import content_type, negotiate
from aseankg.api.http.settings import Runtime, runtime_of
from aseankg.api.pages.browse import local_href, notation_key
from aseankg.api.pages.figures import query_page_link
from aseankg.api.pages.templates import render_page
from aseankg.graph.formats import GRAPH_FORMATS, HTML, Format
from aseankg.graph.query import QueryJob
from aseankg.graph.vocabulary import AKG_NS, PREFIXES
from aseankg.queries.loader import QueryLoadError, bind_query, load_query

__all__ = [
    "PAGE_FORMATS",
    "canonical_path",
    "graph_picture",
    "highlight",
    "router",
]

_AKG = AKG_NS
# the types whose pages list their action lines (the query ``pages/resource-lines``)
_WITH_LINES = {_AKG + "Actor", _AKG + "Instrument", _AKG + "Section", _AKG + "Area"}

PAGE_FORMATS: tuple[Format, ...] = (
    HTML,
    *(f for f in GRAPH_FORMATS if f.name in ("ttl", "jsonld", "nt")),
)
_SUFFIXES = {f".{f.suffix}": f for f in PAGE_FORMATS}


def highlight(
    text: str, mentions: Sequence[Mapping[str, str]], href: Callable[[str], str]
) -> Markup:
    """``text`` as HTML with each mention's exact surface marked and linked, in text order."""
    parts, cursor = [], 0
    for mention in sorted(mentions, key=lambda m: int(m.get("start", "0"))):
        surface = " ".join(mention["exact"].split())
        found = text.find(surface, cursor)
        if not surface or found < 0:
            continue
        title = html.escape(mention.get("entityLabel", ""), quote=True)
        parts.append(html.escape(text[cursor:found]))
        parts.append(
            f'<a href="{html.escape(href(mention["entity"]), quote=True)}" title="{title}">'
            f"<mark>{html.escape(surface)}</mark></a>"
        )
        cursor = found + len(surface)
    parts.append(html.escape(text[cursor:]))
    return Markup("".join(parts))


async def _rows(runtime: Runtime, name: str, iri: str) -> list[dict[str, str]]:
    """Rows of the page query ``name`` bound to the resource ``iri``.

    Raises ``NotFound`` for an IRI a query cannot name, or as the executor."""
    try:
        text = bind_query(load_query(name), {"this": iri})
    except QueryLoadError as exc:
        raise NotFound(f"<{iri}> is not in the graph: {exc}") from None
    return await runtime.select(text)


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


def _grouped_lines(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    sections: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: notation_key(r["lineNotation"])):
        section = sections.setdefault(
            row["section"],
            {
                "iri": row["section"],
                "notation": row["sectionNotation"],
                "title": row.get("sectionTitle", ""),
                "lines": {},
            },
        )
        section["lines"].setdefault(row["line"], row)
    ordered = sorted(sections.values(), key=lambda s: notation_key(s["notation"]))
    return [{**s, "lines": list(s["lines"].values())} for s in ordered]


def graph_picture(iri: str, label: str, acronym: str = "") -> dict[str, str] | None:
    """The small graph around an actor or instrument as an ``<img>``: its ``src``, ``alt``
    text, and the query page link that reopens the query that drew it (``None`` for an
    IRI a query cannot name)."""
    try:
        query = bind_query(load_query("pages/neighbourhood"), {"entity": iri})
    except QueryLoadError:
        return None
    name = acronym or label
    full = f"{acronym} ({label})" if acronym and acronym != label else label
    return {
        "src": "/pictures/graph.svg?iri=" + quote(iri, safe=""),
        "alt": (
            f"Graph around {full}: the action lines that name it and the other actors and"
            " instruments those lines name."
        ),
        "query_href": query_page_link(query, f"Around {name}"),
    }


async def _page_context(runtime: Runtime, iri: str) -> dict[str, Any]:
    base = runtime.settings.base
    out = await _rows(runtime, "pages/resource-out", iri)
    incoming = await _rows(runtime, "pages/resource-in", iri)
    types = {row["type"] for row in await _rows(runtime, "pages/resource-types", iri)}
    first = {row["p"]: row["o"] for row in reversed(out)}
    label = (
        first.get("http://www.w3.org/2004/02/skos/core#prefLabel")
        or first.get("http://purl.org/dc/terms/title")
        or first.get("http://www.w3.org/2004/02/skos/core#notation")
        or iri.rsplit("/", 1)[-1]
    )
    context: dict[str, Any] = {
        "iri": iri,
        "label": label,
        "out": out,
        "incoming": incoming,
        "types": sorted(types),
        "href": lambda i: local_href(i, base),
        "sections": [],
        "picture": None,
        "plan_sections": [],
        "links": [],
    }
    if types & _WITH_LINES:
        context["sections"] = _grouped_lines(await _rows(runtime, "pages/resource-lines", iri))
        if context["sections"] and types & {_AKG + "Actor", _AKG + "Instrument"}:
            context["picture"] = graph_picture(iri, label, first.get(_AKG + "acronym", ""))
    sub_org = "http://www.w3.org/ns/org#subOrganizationOf"
    context["parents"] = [row for row in out if row["p"] == sub_org]
    context["children"] = [row for row in incoming if row["p"] == sub_org]
    if _AKG + "PlanOfAction" in types:
        rows = await _rows(runtime, "pages/plan-sections", iri)
        context["plan_sections"] = sorted(rows, key=lambda r: notation_key(r["sectionNotation"]))
    if _AKG + "ActionLine" in types:
        text = first.get(_AKG + "text", "")
        mentions = await _rows(runtime, "pages/line-mentions", iri)
        context["text"] = highlight(text, mentions, context["href"])
        context["links"] = await _rows(runtime, "pages/line-links", iri)
    return context


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


@router.api_route("/id/{path:path}", methods=["GET"], summary="Dereference an IRI under the base")
@router.api_route("/id/{path:path}", methods=["HEAD"], include_in_schema=False)
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
        context = await _page_context(runtime, iri)
        if not context["out"] and not context["incoming"]:
            raise NotFound(f"<{iri}> is not in the graph")
        return render_page("entity.html", request, headers=headers, **context)
    body = await _describe(runtime, iri, fmt)
    if not body.strip() or body.strip() in (b"[]", b"{}"):
        raise NotFound(f"<{iri}> is not in the graph")
    return Response(body, media_type=content_type(fmt), headers=headers)


def _ontology_html() -> str | None:
    try:
        docs = importlib.import_module("aseankg.ontology.docs")
    except ImportError:
        return None
    render: Callable[[], str] = docs.render_ontology_html
    return render()


@router.api_route("/ontology{suffix:path}", methods=["GET"], summary="The ontology: HTML or Turtle")
@router.api_route("/ontology{suffix:path}", methods=["HEAD"], include_in_schema=False)
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
        context = await _page_context(runtime, _AKG.rstrip("#"))
        return render_page("entity.html", request, headers=headers, **context)
    graph = runtime.settings.base + "graph/ontology"
    job = QueryJob(
        load_query("exports/graph").text,
        union=False,
        default_graphs=(graph,),
        named_graphs=(),
        graph_format=fmt.name,
        row_cap=1_000_000,
    )
    body = (await runtime.executor.run(job)).body
    return Response(body, media_type=content_type(fmt), headers=headers)
