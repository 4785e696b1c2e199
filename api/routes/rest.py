"""JSON routes for analysts who do not write SPARQL, backed by the named queries.

Lists and per-entity action lines run the analysts' named queries (``actors``,
``instruments``, ``action-lines-by-actor``, ``action-lines-by-instrument``,
``action-lines-by-text``); the few reads no named query covers (plans, one action line,
entity names) are the internal queries of ``queries/rest/``. Every value is bound by the
query loader. Every route is in the OpenAPI at ``/docs``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel

from aseankg.api.http.errors import BadRequest, Conflict, NotFound, ServiceUnavailable
from aseankg.api.http.settings import Runtime, runtime_of
from aseankg.graph.vocabulary import AKG_NS
from aseankg.queries.loader import QueryLoadError, bind_query, load_query

__all__ = [
    "CONTINUITY_COLUMNS",
    "Continuity",
    "EntityLines",
    "LineDetail",
    "Listing",
    "PlanParam",
    "SearchResult",
    "Slug",
    "router",
    "run_named",
]

_CLASSES = {"actor": AKG_NS + "Actor", "instrument": AKG_NS + "Instrument"}


class Listing(BaseModel):
    """A list of rows (one object per answer, SPARQL variable -> string value)."""

    items: list[dict[str, str]]


class EntityLines(BaseModel):
    """An actor or instrument and the action lines that name it (or a body under it)."""

    id: str
    label: str
    iri: str
    action_lines: list[dict[str, str]]


class LineDetail(BaseModel):
    """One action line with its section, area, and links to actors and instruments."""

    line: dict[str, str]
    links: list[dict[str, str]]


CONTINUITY_COLUMNS = ("line", "plan", "previous_line", "previous_plan", "relation", "similarity")


class Continuity(BaseModel):
    """A plan's action lines aligned with the previous edition of its partnership (the
    rows of the named query ``line-continuity``, every column present, "" when empty)."""

    plan: str
    partnership: str
    previous_plan: str
    items: list[dict[str, str]]


class SearchResult(BaseModel):
    """Actors and instruments whose names contain the words, and lines whose text does."""

    q: str
    entities: list[dict[str, str]]
    action_lines: list[dict[str, str]]


async def run_named(
    runtime: Runtime, name: str, params: dict[str, str | None]
) -> list[dict[str, str]]:
    """Rows of the query ``name`` of ``queries/`` with ``params`` bound (``None`` values
    left out).

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
        text = bind_query(query, params)
    except QueryLoadError as exc:
        raise BadRequest(str(exc), kind="invalid-parameter") from None
    return await runtime.select(text)


async def _entity(runtime: Runtime, kind: str, slug: str) -> dict[str, str]:
    iri = f"{runtime.settings.base}{kind}/{slug}"
    rows = await run_named(runtime, "rest/entity", {"entity": iri, "class": _CLASSES[kind]})
    if not rows:
        raise NotFound(f"no {kind} {slug!r}")
    return {"id": slug, "iri": iri, "label": rows[0].get("label", slug)}


async def _entity_lines(request: Request, kind: str, slug: str, plan: str | None) -> EntityLines:
    runtime = runtime_of(request)
    entity = await _entity(runtime, kind, slug)
    rows = await run_named(runtime, f"action-lines-by-{kind}", {kind: entity["iri"], "plan": plan})
    return EntityLines(**entity, action_lines=rows)


async def _line(runtime: Runtime, plan: str | None, notation: str) -> LineDetail:
    rows = await run_named(runtime, "rest/line", {"notation": notation, "plan": plan})
    if not rows:
        raise NotFound(f"no action line {notation!r}" + (f" in plan {plan!r}" if plan else ""))
    if len(rows) > 1:
        plans = ", ".join(row["plan"] for row in rows)
        raise Conflict(
            f"action line {notation!r} is in several plans ({plans}); "
            f"use /api/plans/{{plan}}/action-lines/{notation}"
        )
    links = await run_named(runtime, "rest/line-links", {"line": rows[0]["iri"]})
    return LineDetail(
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
    return Listing(items=await run_named(runtime_of(request), "rest/plans", {}))


@router.get("/plans/{plan}/continuity", summary="What a plan carried over, revised, added, dropped")
async def plan_continuity(request: Request, plan: str) -> Continuity:
    """The named query ``line-continuity`` for the plan; 404 for an unknown plan."""
    runtime = runtime_of(request)
    edition = await run_named(runtime, "editions/plan-edition", {"plan": plan})
    if not edition:
        raise NotFound(f"no plan {plan!r}")
    rows = await run_named(runtime, "line-continuity", {"plan": plan})
    return Continuity(
        plan=plan,
        partnership=edition[0].get("partnership", ""),
        previous_plan=edition[0].get("previous_plan", ""),
        items=[{column: row.get(column, "") for column in CONTINUITY_COLUMNS} for row in rows],
    )


@router.get("/plans/{plan}/action-lines/{notation}", summary="One action line of one plan")
async def plan_line(request: Request, plan: str, notation: str) -> LineDetail:
    """The line's text, section, area and links (role, confidence); 404 when unknown."""
    return await _line(runtime_of(request), plan, notation)


@router.get("/action-lines/{notation}", summary="One action line, when only one plan has it")
async def line(request: Request, notation: str) -> LineDetail:
    """As ``/api/plans/{plan}/action-lines/{notation}``; 409 when several plans have it."""
    return await _line(runtime_of(request), None, notation)


@router.get("/search", summary="Search actor and instrument names and action-line texts")
async def search(
    request: Request,
    q: Annotated[str, Query(min_length=2, max_length=200, description="Words to find")],
) -> SearchResult:
    """Entities whose label, acronym or other name contains ``q``; lines containing every word."""
    runtime = runtime_of(request)
    entities = await run_named(runtime, "rest/names", {"q": q})
    lines = await run_named(runtime, "action-lines-by-text", {"words": q})
    seen: dict[str, dict[str, Any]] = {}
    for row in entities:
        seen.setdefault(row["iri"], {k: v for k, v in row.items() if k != "q"})
    return SearchResult(q=q, entities=list(seen.values()), action_lines=lines)
