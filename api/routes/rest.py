"""JSON routes for analysts who do not write SPARQL, backed by the named queries.

Lists and per-entity action lines run the packaged ``queries/*.rq`` (``actors``,
``instruments``, ``action-lines-by-actor``, ``action-lines-by-instrument``,
``action-lines-by-text``) with their parameters bound by the query loader; the few reads
no named query covers (plans, one action line, entity names) are small SPARQL texts here,
with values bound by pyoxigraph substitution. Every route is in the OpenAPI at ``/docs``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel

from aseankg.api.http.errors import BadRequest, Conflict, NotFound, ServiceUnavailable
from aseankg.api.http.settings import Runtime, runtime_of
from aseankg.queries.loader import QueryLoadError, bind_query, load_query

__all__ = ["Listing", "router", "run_named"]

_P = """PREFIX akg: <https://w3id.org/aseankg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_PLANS = (
    _P
    + """SELECT ?plan ?title ?adopted ?period_start ?period_end (COUNT(?l) AS ?action_lines)
      ?iri WHERE {
  ?p a akg:PlanOfAction ; dct:identifier ?plan ; dct:title ?title . OPTIONAL { ?p akg:adopted
    ?adopted }
  OPTIONAL { ?p akg:periodStart ?period_start } OPTIONAL { ?p akg:periodEnd ?period_end }
  OPTIONAL { ?l a akg:ActionLine ; akg:plan ?p } BIND(STR(?p) AS ?iri)
} GROUP BY ?plan ?title ?adopted ?period_start ?period_end ?iri ORDER BY ?plan"""
)
_LINE = (
    _P
    + """SELECT ?plan ?notation ?text ?section ?section_title ?area ?area_title ?iri WHERE {
  ?p dct:identifier ?plan . ?l a akg:ActionLine ; akg:plan ?p ; skos:notation ?notation ;
    akg:text ?text ;
  akg:section ?s . ?s skos:notation ?section . OPTIONAL { ?s dct:title ?section_title }
  OPTIONAL { ?l akg:area ?a . ?a skos:notation ?area . OPTIONAL { ?a dct:title ?area_title } }
  BIND(STR(?l) AS ?iri) } ORDER BY ?plan"""
)
_LINKS = (
    _P
    + """SELECT ?line ?kind ?id ?label ?role ?confidence ?iri WHERE {
  { ?line akg:hasActorLink ?k . ?k akg:linkedActor ?e BIND("actor" AS ?kind) }
  UNION { ?line akg:hasInstrumentLink ?k . ?k akg:linkedInstrument ?e BIND("instrument" AS ?kind) }
  ?k akg:role/skos:notation ?role . OPTIONAL { ?k akg:confidence ?confidence }
  OPTIONAL { ?e skos:prefLabel ?label } BIND(STR(?e) AS ?iri) BIND(REPLACE(STR(?e), "^.*/", "")
    AS ?id)
} ORDER BY ?kind ?label ?role"""
)
_ENTITY = (
    _P + "SELECT ?entity ?label WHERE { ?entity a/rdfs:subClassOf* ?class . OPTIONAL { ?entity "
    "skos:prefLabel ?label } } LIMIT 1"
)
_NAMES = (
    _P
    + """SELECT DISTINCT ?q ?kind ?id ?label ?name ?iri WHERE {
  VALUES (?class ?kind) { (akg:Actor "actor") (akg:Instrument "instrument") }
  ?e a/rdfs:subClassOf* ?class ; akg:acronym|skos:prefLabel|skos:altLabel ?name .
  FILTER(CONTAINS(LCASE(STR(?name)), LCASE(STR(?q))))
  OPTIONAL { ?e skos:prefLabel ?label } BIND(STR(?e) AS ?iri) BIND(REPLACE(STR(?e), "^.*/", "")
    AS ?id)
} ORDER BY ?kind ?label LIMIT 100"""
)
_CLASSES = {
    "actor": "https://w3id.org/aseankg/ontology#Actor",
    "instrument": "https://w3id.org/aseankg/ontology#Instrument",
}


class Listing(BaseModel):
    """A list of rows (one object per answer, SPARQL variable -> string value)."""

    items: list[dict[str, str]]


class EntityLines(BaseModel):
    """An actor or instrument and the action lines that name it (or a body under it)."""

    id: str
    label: str
    iri: str
    action_lines: list[dict[str, str]]


class ActionLine(BaseModel):
    """One action line with its section, area, and links to actors and instruments."""

    line: dict[str, str]
    links: list[dict[str, str]]


class SearchResult(BaseModel):
    """Actors and instruments whose names contain the words, and lines whose text does."""

    q: str
    entities: list[dict[str, str]]
    action_lines: list[dict[str, str]]


async def run_named(
    runtime: Runtime, name: str, params: dict[str, str | None]
) -> list[dict[str, str]]:
    """Rows of the named query ``name`` with ``params`` bound (``None`` values left out).

    Raises ``BadRequest`` for a value the query refuses, ``ServiceUnavailable`` when the
    query is not installed, or as the executor.
    """
    try:
        query = load_query(name)
    except QueryLoadError as exc:
        raise ServiceUnavailable(
            f"named query {name!r} is not available: {exc}", kind="query-missing"
        ) from None
    try:
        text = bind_query(query, {k: v for k, v in params.items() if v is not None})
    except QueryLoadError as exc:
        raise BadRequest(str(exc), kind="invalid-parameter") from None
    return await runtime.executor.select(text)


async def _entity(runtime: Runtime, kind: str, slug: str) -> dict[str, str]:
    iri = f"{runtime.settings.base}{kind}/{slug}"
    bindings = (("entity", "iri", iri), ("class", "iri", _CLASSES[kind]))
    rows = await runtime.executor.select(
        _ENTITY.replace("SELECT ?entity", "SELECT ?class ?entity"), bindings=bindings
    )
    if not rows:
        raise NotFound(f"no {kind} {slug!r}")
    return {"id": slug, "iri": iri, "label": rows[0].get("label", slug)}


async def _entity_lines(request: Request, kind: str, slug: str, plan: str | None) -> EntityLines:
    runtime = runtime_of(request)
    entity = await _entity(runtime, kind, slug)
    rows = await run_named(runtime, f"action-lines-by-{kind}", {kind: entity["iri"], "plan": plan})
    return EntityLines(**entity, action_lines=rows)


async def _line(runtime: Runtime, plan: str | None, notation: str) -> ActionLine:
    bindings = [("notation", "literal", notation)] + ([("plan", "literal", plan)] if plan else [])
    rows = await runtime.executor.select(_LINE, bindings=tuple(bindings))
    if not rows:
        raise NotFound(f"no action line {notation!r}" + (f" in plan {plan!r}" if plan else ""))
    if len(rows) > 1:
        plans = ", ".join(row["plan"] for row in rows)
        raise Conflict(
            f"action line {notation!r} is in several plans ({plans}); "
            f"use /api/plans/{{plan}}/action-lines/{notation}"
        )
    links = await runtime.executor.select(_LINKS, bindings=(("line", "iri", rows[0]["iri"]),))
    return ActionLine(
        line=rows[0], links=[{k: v for k, v in link.items() if k != "line"} for link in links]
    )


router = APIRouter(prefix="/api", tags=["analysts"])
PlanParam = Annotated[
    str | None, Query(description="A plan id (asean-canada-2021-2025); every plan when absent")
]
Slug = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._~-]*$",
        description="The entity's slug, the last segment of its IRI (aichr)",
    ),
]


@router.get("/actors", summary="Actors named by action lines, with counts")
async def actors(request: Request, plan: PlanParam = None) -> Listing:
    """The named query ``actors``."""
    return Listing(items=await run_named(runtime_of(request), "actors", {"plan": plan}))


@router.get("/actors/{id}/action-lines", summary="Action lines naming an actor or a body under it")
async def actor_lines(request: Request, id: Slug, plan: PlanParam = None) -> EntityLines:
    """The named query ``action-lines-by-actor``; 404 for an unknown actor."""
    return await _entity_lines(request, "actor", id, plan)


@router.get("/instruments", summary="Instruments named by action lines, with type and counts")
async def instruments(request: Request, plan: PlanParam = None) -> Listing:
    """The named query ``instruments``."""
    return Listing(items=await run_named(runtime_of(request), "instruments", {"plan": plan}))


@router.get("/instruments/{id}/action-lines", summary="Action lines naming an instrument")
async def instrument_lines(request: Request, id: Slug, plan: PlanParam = None) -> EntityLines:
    """The named query ``action-lines-by-instrument``; 404 for an unknown instrument."""
    return await _entity_lines(request, "instrument", id, plan)


@router.get("/plans", summary="The plans of action in the graph")
async def plans(request: Request) -> Listing:
    """Each plan with its title, adoption date, period and number of action lines."""
    return Listing(items=await runtime_of(request).executor.select(_PLANS))


@router.get("/plans/{plan}/action-lines/{notation}", summary="One action line of one plan")
async def plan_line(request: Request, plan: str, notation: str) -> ActionLine:
    """The line's text, section, area and links (role, confidence); 404 when unknown."""
    return await _line(runtime_of(request), plan, notation)


@router.get("/action-lines/{notation}", summary="One action line, when only one plan has it")
async def line(request: Request, notation: str) -> ActionLine:
    """As ``/api/plans/{plan}/action-lines/{notation}``; 409 when several plans have it."""
    return await _line(runtime_of(request), None, notation)


@router.get("/search", summary="Search actor and instrument names and action-line texts")
async def search(
    request: Request,
    q: Annotated[str, Query(min_length=2, max_length=200, description="Words to find")],
) -> SearchResult:
    """Entities whose label, acronym or other name contains ``q``; lines containing every word."""
    runtime = runtime_of(request)
    entities = await runtime.executor.select(_NAMES, bindings=(("q", "literal", q.strip()),))
    lines = await run_named(runtime, "action-lines-by-text", {"words": q})
    seen: dict[str, dict[str, Any]] = {}
    for row in entities:
        seen.setdefault(row["iri"], {k: v for k, v in row.items() if k != "q"})
    return SearchResult(q=q, entities=list(seen.values()), action_lines=lines)
