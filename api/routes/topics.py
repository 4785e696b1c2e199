"""Topic and SDG pages: ``/topics`` and ``/sdgs`` list them with their action lines per
plan; ``/topics/{notation}`` (``/topics/human-rights``) and ``/sdgs/{code}``
(``/sdgs/14``, ``/sdgs/14.1``) are the page of one topic concept or UN goal/target: its
labels and definition and its action lines grouped by partnership and edition, like an
entity's page. Topic concepts live in the ontology's namespace and SDGs in the UN's, so
neither dereferences under ``/id/``; these routes are their pages, and every page links
topics and SDGs here (``aseankg.api.pages.browse.local_href``). Unknown ones are 404.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from aseankg.api.http.errors import NotFound
from aseankg.api.http.settings import runtime_of
from aseankg.api.pages.browse import local_href, notation_key
from aseankg.api.pages.entity_context import load_corpus, page_context, sdg_name
from aseankg.api.pages.language import one_per_key, page_language
from aseankg.api.pages.templates import render_page
from aseankg.graph.iris import SDG_BASE
from aseankg.graph.vocabulary import AKG_NS
from aseankg.queries.loader import load_query

__all__ = ["router"]

router = APIRouter()

_TOPIC = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SDG = re.compile(r"^\d{1,2}(?:\.[0-9a-z]{1,2})?$")


async def _entity_page(request: Request, iri: str, what: str) -> HTMLResponse:
    runtime = runtime_of(request)
    language = page_language(request)
    context = await page_context(runtime, iri, language)
    if not context["out"] and not context["groups"]:
        raise NotFound(f"no {what} {iri.rsplit('/', 1)[-1]!r} in the graph", kind=f"unknown-{what}")
    headers = {"Vary": "Accept-Language"}
    return render_page("entity.html", request, headers=headers, **context)


async def _index(request: Request, name: str, key: str) -> list[dict[str, object]]:
    """The rows of ``pages/topics`` or ``pages/sdgs`` as one entry per concept, with its
    line count per plan (named), in notation order."""
    runtime = runtime_of(request)
    language = page_language(request)
    corpus = await load_corpus(runtime, language)
    rows = await runtime.select(load_query(name).text)
    labels: Mapping[str, Mapping[str, str]] = {
        r[key]: r for r in one_per_key(rows, (key,), "label", language)
    }
    per_plan: dict[str, dict[str, int]] = {}
    for r in rows:
        counts = per_plan.setdefault(r[key], {})
        if r.get("plan"):
            counts[r["plan"]] = int(r["lines"] or 0)
    base = runtime.settings.base
    entries: list[dict[str, object]] = [
        {
            "href": local_href(iri, base),
            "notation": labels[iri].get("notation") or iri.rsplit("/", 1)[-1],
            "label": labels[iri].get("label")
            or labels[iri].get("notation")
            or (sdg_name(iri.rsplit("/", 1)[-1]) if iri.startswith(SDG_BASE) else iri),
            "lines": sum(counts.values()),
            "plans": [
                {"name": corpus.name(p), "href": local_href(p, base), "lines": counts[p]}
                for p in corpus.newest_first(counts)
            ],
        }
        for iri, counts in per_plan.items()
    ]
    return sorted(entries, key=lambda e: notation_key(str(e["notation"])))


@router.get("/topics", response_class=HTMLResponse, include_in_schema=False)
async def topics(request: Request) -> HTMLResponse:
    """Every topic of the topic scheme with its action lines per plan."""
    entries = await _index(request, "pages/topics", "topic")
    entries.sort(key=lambda e: str(e["label"]).casefold())
    return render_page(
        "ui_concepts.html", request, heading="Topics", entries=entries, lang=page_language(request)
    )


@router.get("/sdgs", response_class=HTMLResponse, include_in_schema=False)
async def sdgs(request: Request) -> HTMLResponse:
    """Every SDG goal or target an action line is tied to, with its lines per plan."""
    entries = await _index(request, "pages/sdgs", "sdg")
    return render_page(
        "ui_concepts.html",
        request,
        heading="Sustainable Development Goals",
        entries=entries,
        lang=page_language(request),
    )


@router.get("/topics/{notation}", response_class=HTMLResponse, include_in_schema=False)
async def topic(notation: str, request: Request) -> HTMLResponse:
    """The page of one topic concept (by its notation)."""
    if not _TOPIC.match(notation):
        raise NotFound(f"no topic {notation!r}", kind="unknown-topic")
    return await _entity_page(request, AKG_NS + "topic_" + notation.replace("-", "_"), "topic")


@router.get("/sdgs/{code}", response_class=HTMLResponse, include_in_schema=False)
async def sdg(code: str, request: Request) -> HTMLResponse:
    """The page of one UN Sustainable Development Goal or target (``14``, ``14.1``)."""
    if not _SDG.match(code):
        raise NotFound(f"no SDG {code!r}", kind="unknown-sdg")
    return await _entity_page(request, SDG_BASE + code, "sdg")
