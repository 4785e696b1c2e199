"""The browser UI: home page, search, query page, pictures and name suggestions.

Routes: ``/`` (what the graph holds), ``/search?q=`` (the search form's target, works
without JavaScript), ``/api/suggest?q=`` (JSON for the search boxes' autocompletion),
``/pictures/heatmap.svg``, ``/pictures/instrument-types.svg`` (``?plan=``) and
``/pictures/graph.svg?iri=`` (server-side SVG). The query page is rendered by
:func:`render_query_page`, which the SPARQL router calls for a browser's GET ``/sparql``
without ``query``. Every store read goes through the endpoint's time-limited executor;
its errors (``ServiceUnavailable`` ...) reach the one problem+json handler, except on the
home page, which says the graph is not built yet.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from aseankg.api.http.errors import BadRequest, NotFound, ServiceUnavailable
from aseankg.api.http.settings import Runtime, runtime_of
from aseankg.api.pages.browse import (
    PlanCard,
    local_href,
    read_plans,
    read_search_lines,
    read_sections,
    read_top_entities,
    suggest_entities,
    topic_facet,
)
from aseankg.api.pages.completion import completion_terms
from aseankg.api.pages.corpus import Corpus
from aseankg.api.pages.entity_context import load_corpus
from aseankg.api.pages.figures import (
    Figure,
    draw_heatmap,
    draw_instrument_types,
    draw_neighbourhood,
    named_query_link,
    query_page_link,
)
from aseankg.api.pages.language import page_language
from aseankg.api.pages.pictures import Label, Span, render_timeline
from aseankg.api.pages.templates import render_page
from aseankg.graph.vocabulary import PREFIXES
from aseankg.queries.loader import (
    TAGS,
    NamedQuery,
    QueryLoadError,
    bind_query,
    list_queries,
    load_query,
)

__all__ = ["render_query_page", "router"]

router = APIRouter()

_SVG = "image/svg+xml"


async def _rows(runtime: Runtime, text: str) -> list[defaultdict[str, str]]:
    """Rows of the SELECT ``text``, "" for unbound variables, run by the executor through
    the result cache."""
    return [defaultdict(str, row) for row in await runtime.select(text)]


async def _select(runtime: Runtime, name: str, **values: str) -> list[defaultdict[str, str]]:
    """Rows of the query ``name`` of ``queries/`` with ``values`` bound (as :func:`_rows`).

    Raises ``QueryLoadError`` for a value the query refuses, or as the executor."""
    return await _rows(runtime, bind_query(load_query(name), values))


# ---------------------------------------------------------------- named queries


def _params_text(query: NamedQuery) -> str:
    return "; ".join(
        f"{p.name}{' (required)' if p.required else ''}: {p.description or p.type}"
        for p in query.params
    )


# the parameter names whose field gets a picker, and the kind of /api/suggest it asks
_PICKERS = {
    "actor": "actor",
    "instrument": "instrument",
    "plan": "plan",
    "partner": "partner",
    "other": "partner",
    "section": "section",
    "topic": "topic",
}


def _example(query: NamedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "params_text": _params_text(query),
        "params": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "description": p.description,
                "choices": list(p.choices),
                "picker": _PICKERS.get(p.name, ""),
            }
            for p in query.params
        ],
        "required": any(p.required for p in query.params),
        "query": query.text,
        "href": query_page_link(query.text, query.title),
        "view": query.view,
        "tags": list(query.tags),
    }


def render_query_page(request: Request) -> HTMLResponse:
    """The query page (YASGUI on this server's ``/sparql``, ready-made queries in an
    examples dialog, parameter forms, result views, completion from the ontology). Reads
    only packaged files: works even before a graph is built."""
    examples = [_example(q) for q in list_queries()]
    default_query = load_query("pages/first-lines").body
    links = {"endpoint": "/sparql", "suggest": "/api/suggest", "idRoot": "/id/"}
    config = {
        "links": links,
        "base": runtime_of(request).settings.base,
        "prefixes": PREFIXES,
        "defaultQuery": default_query,
        "examples": {e["name"]: e for e in examples},
        "vocabulary": [vars(t) for t in completion_terms()],
    }
    used = {tag for e in examples for tag in e["tags"]}
    response = render_page(
        "ui_query.html",
        request,
        endpoint=runtime_of(request).public_root(request) + "/sparql",
        default_query=default_query,
        examples=examples,
        tags=[tag for tag in TAGS if tag in used],
        links=links,
        config=config,
    )
    response.headers["Vary"] = "Accept"
    return response


# ---------------------------------------------------------------- pages


def _figure_view(fig: Figure, ident: str, caption: str, svg_href: str) -> dict[str, str]:
    return {
        "id": ident,
        "svg": fig.svg,
        "caption": caption,
        "query_href": fig.query_href,
        "svg_href": svg_href,
    }


async def _actor_iris(runtime: Runtime) -> dict[str, str]:
    """Actor display names (as the named queries print them) -> IRI, when unambiguous."""
    seen: dict[str, set[str]] = {}
    for r in await _select(runtime, "pages/actor-names"):
        seen.setdefault(r["name"], set()).add(r["actor"])
    return {name: next(iter(iris)) for name, iris in seen.items() if len(iris) == 1}


async def _draw_heatmap(runtime: Runtime, plan: PlanCard, sections: list[Any]) -> Figure:
    named = load_query("actor-section-matrix")
    text = bind_query(named, {"plan": plan.id})
    rows = await _rows(runtime, text)
    link = named_query_link(named.title, text)
    iris = await _actor_iris(runtime)
    return draw_heatmap(rows, sections, runtime.settings.base, link, actor_iris=iris)


async def _draw_instrument_types(runtime: Runtime, plan: PlanCard, sections: list[Any]) -> Figure:
    named = load_query("instrument-types-by-section")
    text = bind_query(named, {"plan": plan.id})
    rows = await _rows(runtime, text)
    link = named_query_link(named.title, text)
    return draw_instrument_types(rows, sections, runtime.settings.base, link)


async def _plan_figures(runtime: Runtime, plan: PlanCard, sections: list[Any]) -> list[Any]:
    plan_param = "?plan=" + quote(plan.id)
    heat = await _draw_heatmap(runtime, plan, sections)
    types = await _draw_instrument_types(runtime, plan, sections)
    return [
        _figure_view(
            heat,
            "heatmap",
            "Actors by section: how many action lines of each section name each actor.",
            "/pictures/heatmap.svg" + plan_param,
        ),
        _figure_view(
            types,
            "instrument-types",
            "Instrument types by section: how many instruments of each type each section names.",
            "/pictures/instrument-types.svg" + plan_param,
        ),
    ]


def _timeline(corpus: Corpus, base: str) -> str:
    """The partnerships' editions on one time axis (SVG)."""
    rows = [
        (
            Label(p.key, p.label, p.label, p.href or None),
            [
                Span(
                    Label(e.id, e.period, corpus.name(e.iri), local_href(e.iri, base)),
                    *years,
                    e.lines,
                )
                for e in p.editions
                if (years := _years(e)) is not None
            ],
        )
        for p in corpus.partnerships
    ]
    return render_timeline(rows, title="Editions of each partnership")


def _years(plan: PlanCard) -> tuple[int, int] | None:
    if plan.period_start is None:
        return None
    return plan.period_start, plan.period_end or plan.period_start


def _default_plan(corpus: Corpus) -> PlanCard | None:
    """The plan the home page shows first: the newest edition of the partnership with the
    most action lines."""
    if not corpus.partnerships:
        return None
    biggest = max(corpus.partnerships, key=lambda p: (sum(e.lines for e in p.editions), p.label))
    return biggest.editions[-1]


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def home(request: Request, plan: str = Query("", max_length=300)) -> HTMLResponse:
    """The home page: partnerships and their editions, a plan picker, the chosen plan's
    sections and pictures, top entities, queries."""
    runtime = runtime_of(request)
    base = runtime.settings.base
    language = page_language(request)
    queries = [
        {"title": q.title, "description": q.description, "href": query_page_link(q.text, q.title)}
        for q in list_queries()
    ]
    try:
        corpus = await load_corpus(runtime, language)
        sections = read_sections(await _select(runtime, "pages/sections"))
        counts = await _select(runtime, "pages/entity-counts")
    except ServiceUnavailable as exc:
        if exc.kind != "store-missing":
            raise
        return render_page(
            "ui_home.html", request, status=503, corpus=None, chosen=None, actors=[],
            instruments=[], queries=queries, timeline="", lang=language,
        )  # fmt: skip
    chosen = corpus.find(plan) if plan else _default_plan(corpus)
    if chosen is None and plan:
        raise NotFound(f"no plan {plan!r} in the graph", kind="unknown-plan")
    view = None
    if chosen is not None:
        own = [s for s in sections if s.plan == chosen.iri]
        view = {
            "iri": chosen.iri,
            "id": chosen.id,
            "name": corpus.name(chosen.iri),
            "href": local_href(chosen.iri, base),
            "title": chosen.title,
            "adopted": chosen.adopted,
            "lines": chosen.lines,
            "sections": [dict(vars(s), href=local_href(s.iri, base)) for s in own],
            "figures": await _plan_figures(runtime, chosen, own),
        }
    actors, instruments = (
        [dict(vars(e), href=local_href(e.iri, base)) for e in read_top_entities(counts, kind)]
        for kind in ("Actor", "Instrument")
    )
    return render_page(
        "ui_home.html",
        request,
        corpus=corpus,
        names={p.iri: corpus.name(p.iri) for p in corpus.plans},
        href=lambda iri: local_href(iri, base),
        chosen=view,
        actors=actors,
        instruments=instruments,
        queries=queries,
        timeline=_timeline(corpus, base) if corpus.plans else "",
        lang=language,
        headers={"Vary": "Accept-Language"},
    )


@router.get("/dataset", response_class=HTMLResponse, include_in_schema=False)
async def dataset(request: Request) -> HTMLResponse:
    """The dataset page: what the graph holds, its dumps, its endpoint and description."""
    runtime = runtime_of(request)
    base = runtime.settings.base
    corpus = await load_corpus(runtime, page_language(request))
    counts = await _rows(runtime, load_query("service/counts").text)
    graphs = await _rows(runtime, load_query("service/graphs").text)
    return render_page(
        "ui_dataset.html",
        request,
        corpus=corpus,
        names={p.iri: corpus.name(p.iri) for p in corpus.plans},
        href=lambda iri: local_href(iri, base),
        triples=int(counts[0]["triples"] or 0) if counts else 0,
        graphs=graphs,
        licence_url=runtime.settings.licence,
    )


def _highlight(text: str, query: str) -> list[tuple[str, bool]]:
    """``text`` cut into (part, is_match) pieces around each occurrence of a word of
    ``query`` (ignoring case)."""
    words = sorted({w for w in query.split() if w}, key=len, reverse=True)
    if not words:
        return [(text, False)]
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in re.finditer("|".join(map(re.escape, words)), text, re.I):
        parts.append((text[pos : m.start()], False))
        parts.append((m.group(0), True))
        pos = m.end()
    parts.append((text[pos:], False))
    return [p for p in parts if p[0]]


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
async def search(
    request: Request,
    q: str = Query("", max_length=200),
    topic: str = Query("", max_length=200),
) -> HTMLResponse:
    """Actors and instruments whose names match ``q``, and action lines containing it,
    each named by its plan, with a facet of their topics (``topic`` keeps one)."""
    runtime = runtime_of(request)
    base = runtime.settings.base
    language = page_language(request)
    entities: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    facet: list[Any] = []
    found_lines: list[Any] = []
    hits_cap = 100
    if q.strip():
        corpus = await load_corpus(runtime, language)
        found = suggest_entities(await _select(runtime, "pages/names"), q, limit=50)
        entities = [dict(vars(s), href=local_href(s.iri, base)) for s in found]
        try:
            rows = await _select(runtime, "pages/search-lines", words=q)
        except QueryLoadError as exc:
            raise BadRequest(str(exc), kind="invalid-parameter") from None
        every = read_search_lines(rows, language)
        facet = [dict(vars(t), href=_search_href(q, t.notation)) for t in topic_facet(every)]
        found_lines = [h for h in every if not topic or any(t[1] == topic for t in h.topics)]
        lines = [
            {
                "notation": h.notation,
                "href": local_href(h.iri, base),
                "plan": corpus.name(h.plan),
                "plan_href": local_href(h.plan, base),
                "parts": _highlight(h.text, q),
                "topics": [{"label": t[2], "href": _search_href(q, t[1])} for t in h.topics],
            }
            for h in found_lines[:hits_cap]
        ]
    return render_page(
        "ui_search.html",
        request,
        q=q.strip(),
        topic=topic,
        topic_label=next((t["label"] for t in facet if t["notation"] == topic), topic),
        all_href=_search_href(q, ""),
        facet=facet,
        entities=entities,
        lines=lines,
        lines_cut=len(found_lines) > hits_cap,
        lang=language,
    )


def _search_href(q: str, topic: str) -> str:
    """The search page for ``q``, narrowed to the topic ``topic`` when given."""
    return "/search?q=" + quote(q.strip()) + ("&topic=" + quote(topic) if topic else "")


_SuggestKind = Literal["", "actor", "instrument", "plan", "partner", "section", "topic"]


def _term_suggestions(
    rows: list[defaultdict[str, str]], kind: str, q: str, limit: int
) -> list[dict[str, str]]:
    """Plans, sections or topics (rows of ``pages/picker-terms``) whose label or value
    contains ``q`` (ignoring case; every one when ``q`` is empty), those starting with it
    first."""
    wanted = q.strip().casefold()
    found = []
    for r in rows:
        if r["kind"] != kind:
            continue
        texts = (r["value"].casefold(), r["label"].casefold())
        if wanted and not any(wanted in text for text in texts):
            continue
        found.append((not any(text.startswith(wanted) for text in texts), r))
    found.sort(key=lambda pair: pair[0])
    return [
        {
            "iri": r["iri"],
            "href": "",
            "kind": kind.capitalize(),
            "label": r["label"],
            "acronym": "",
            "value": r["value"],
            "context": r["context"],
        }
        for _, r in found[:limit]
    ]


@router.get("/api/suggest", tags=["browse"])
async def suggest(
    request: Request,
    q: str = Query("", max_length=200),
    limit: int = Query(10, ge=1, le=50),
    kind: Annotated[_SuggestKind, Query(description="only this kind (the query pickers)")] = "",
) -> JSONResponse:
    """Actors and instruments whose label, alternative label or acronym matches ``q``
    (exact acronyms first), for search-box autocompletion; with ``kind``, only actors or
    instruments, or the plans, partnerships, sections or topics whose label or value
    contains ``q``.
    Each suggestion's ``value`` is what a query parameter takes (IRI, plan id, notation)."""
    runtime = runtime_of(request)
    base = runtime.settings.base
    if kind in ("plan", "partner", "section", "topic"):
        rows = await _select(runtime, "pages/picker-terms")
        for_terms = _term_suggestions(rows, kind, q, limit)
        for s in for_terms:
            s["href"] = local_href(s["iri"], base)
        return JSONResponse({"query": q, "suggestions": for_terms})
    found = suggest_entities(await _select(runtime, "pages/names"), q, limit=50) if q else []
    if kind:
        found = [s for s in found if s.kind.lower() == kind]
    body = {
        "query": q,
        "suggestions": [
            {
                "iri": s.iri,
                "href": local_href(s.iri, base),
                "kind": s.kind,
                "label": s.label,
                "acronym": s.acronym,
                "value": s.iri,
                "context": "",
            }
            for s in found[:limit]
        ],
    }
    return JSONResponse(body)


# ---------------------------------------------------------------- pictures


async def _plan_of(runtime: Runtime, plan: str) -> tuple[PlanCard, list[Any]]:
    plans = read_plans(await _select(runtime, "pages/plans"))
    chosen = [p for p in plans if plan in (p.iri, p.id)] if plan else plans
    if not chosen:
        raise NotFound(f"no plan {plan!r} in the graph", kind="unknown-plan")
    sections = read_sections(await _select(runtime, "pages/sections"))
    return chosen[0], [s for s in sections if s.plan == chosen[0].iri]


def _svg(svg: str) -> Response:
    return Response(svg, media_type=_SVG, headers={"Cache-Control": "public, max-age=60"})


@router.get("/pictures/heatmap.svg", include_in_schema=False)
async def heatmap_picture(request: Request, plan: str = "") -> Response:
    """Actor × section heatmap of action-line counts (first plan unless ``plan`` is given)."""
    runtime = runtime_of(request)
    chosen, sections = await _plan_of(runtime, plan)
    return _svg((await _draw_heatmap(runtime, chosen, sections)).svg)


@router.get("/pictures/instrument-types.svg", include_in_schema=False)
async def instrument_types_picture(request: Request, plan: str = "") -> Response:
    """Instrument types per section, as stacked bars."""
    runtime = runtime_of(request)
    chosen, sections = await _plan_of(runtime, plan)
    return _svg((await _draw_instrument_types(runtime, chosen, sections)).svg)


def _absolute(iri: str, base: str) -> str:
    """An IRI given as itself or as this server's ``/id/...`` path."""
    return base + iri[len("/id/") :] if iri.startswith("/id/") else iri


@router.get("/pictures/graph.svg", include_in_schema=False)
async def neighbourhood_picture(
    request: Request, iri: str = Query(..., max_length=2000)
) -> Response:
    """A small graph around an actor or instrument: its lines and co-mentioned entities."""
    runtime = runtime_of(request)
    base = runtime.settings.base
    entity = _absolute(iri, base)
    try:
        found = await _select(runtime, "pages/entity", entity=entity)
    except QueryLoadError:
        raise NotFound(f"not an IRI: {iri!r}", kind="unknown-entity") from None
    if not found:
        raise NotFound(f"no action line names {iri!r}", kind="unknown-entity")
    row: Mapping[str, str] = found[0]
    name = row["acronym"] or row["label"] or entity
    centre = Label(entity, name, row["label"] or name, local_href(entity, base), row["kind"])
    query = bind_query(load_query("pages/neighbourhood"), {"entity": entity})
    corpus = await load_corpus(runtime, page_language(request))
    names = {p: corpus.name(p) for p in corpus.newest_first(p.iri for p in corpus.plans)}
    rows = await _rows(runtime, query)
    return _svg(draw_neighbourhood(rows, centre, base, query, plan_names=names).svg)
