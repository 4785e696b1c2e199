"""JSON routes for analysts who do not write SPARQL, backed by the named queries.

Lists and per-entity action lines run the analysts' named queries (``actors``,
``instruments``, ``action-lines-by-actor``, ``action-lines-by-instrument``,
``action-lines-by-text``); the few reads no named query covers (plans, one action line,
entity names, resolving an ``{id}``) are the internal queries of ``queries/rest/``. Every
value is bound by the query loader.

One shape everywhere: a row's keys are its query's variables (the notation of an action
line is ``line`` and its plan's id ``plan`` on every route, an entity's IRI beside its
``…Label``), every key is present (``null`` when the graph has no value), numbers and
booleans are JSON numbers and booleans (:mod:`aseankg.api.http.rows`). An ``{id}`` is an
entity's slug, acronym or label in any case; a name several entities share is a 409 listing
their slugs; an unknown entity or ``?plan=`` is a 404 problem on every route. Every route
is in the OpenAPI at ``/docs`` with its response schema, an example, and its problems.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from aseankg.api.http.errors import BadRequest, Conflict, NotFound, ServiceUnavailable
from aseankg.api.http.openapi import problem_responses
from aseankg.api.http.rows import Row, typed_rows
from aseankg.api.http.settings import Runtime, runtime_of
from aseankg.graph.vocabulary import AKG_NS
from aseankg.queries.loader import QueryLoadError, bind_query, load_query

__all__ = [
    "ActorItem",
    "ActorLine",
    "Continuity",
    "ContinuityRow",
    "EntityId",
    "EntityIdParam",
    "EntityLines",
    "EntityName",
    "InstrumentItem",
    "InstrumentLine",
    "LineDetail",
    "LineFields",
    "LineLink",
    "Listing",
    "Notation",
    "PlanId",
    "PlanItem",
    "PlanParam",
    "SearchResult",
    "TextHit",
    "router",
    "run_named",
]

_CLASSES = {"actor": AKG_NS + "Actor", "instrument": AKG_NS + "Instrument"}
_ID = "https://w3id.org/aseankg/id/"
_PLAN = "asean-canada-2021-2025"
_LINE_TEXT = (
    "Continue to support the work of the ASEAN Intergovernmental Commission on Human Rights"
)


def _example(**values: Any) -> ConfigDict:
    # rows may carry more columns than documented (a named query grows): extra keys pass
    return ConfigDict(extra="allow", json_schema_extra={"examples": [values]})


class PlanItem(BaseModel):
    """A plan of action of the graph."""

    model_config = _example(
        plan=_PLAN,
        title="Plan of Action to Implement the Joint Declaration on ASEAN-Canada Enhanced "
        "Partnership (2021-2025)",
        adopted="2020-09-10",
        period_start=2021,
        period_end=2025,
        action_lines=106,
        iri=f"{_ID}plan/{_PLAN}",
    )
    plan: str
    title: str
    adopted: str | None
    period_start: int | None
    period_end: int | None
    action_lines: int
    iri: str


class ActorItem(BaseModel):
    """An actor named by action lines (named query ``actors``)."""

    model_config = _example(
        actor=f"{_ID}actor/aichr",
        actorLabel="ASEAN Intergovernmental Commission on Human Rights",
        acronym="AICHR",
        type="AseanBody",
        status="known",
        lines=2,
        plans=1,
    )
    actor: str
    actorLabel: str
    acronym: str | None
    type: str | None
    status: str
    lines: int
    plans: int


class InstrumentItem(BaseModel):
    """An instrument named by action lines (named query ``instruments``)."""

    model_config = _example(
        instrument=f"{_ID}instrument/unclos",
        instrumentLabel="United Nations Convention on the Law of the Sea",
        acronym="UNCLOS",
        type="Convention",
        binding=True,
        status="known",
        lines=2,
        plans=1,
    )
    instrument: str
    instrumentLabel: str
    acronym: str | None
    type: str | None
    binding: bool | None
    status: str
    lines: int
    plans: int


class ActorLine(BaseModel):
    """An action line naming an actor (or a body under it) in a role."""

    model_config = _example(
        line="1.5.1",
        plan=_PLAN,
        actor=f"{_ID}actor/aichr",
        actorLabel="ASEAN Intergovernmental Commission on Human Rights",
        role="supports",
        text=_LINE_TEXT + " (AICHR) …",
    )
    line: str
    plan: str
    actor: str
    actorLabel: str
    role: str
    text: str


class InstrumentLine(BaseModel):
    """An action line naming an instrument in a role."""

    model_config = _example(
        line="1.2.2",
        plan=_PLAN,
        instrument=f"{_ID}instrument/unclos",
        instrumentLabel="United Nations Convention on the Law of the Sea",
        role="conforms_to",
        text="Promote maritime cooperation … in accordance with … UNCLOS …",
    )
    line: str
    plan: str
    instrument: str
    instrumentLabel: str
    role: str
    text: str


class TextHit(BaseModel):
    """An action line whose text contains every word searched for."""

    model_config = _example(line="1.5.1", plan=_PLAN, text=_LINE_TEXT + " …")
    line: str
    plan: str
    text: str


class LineFields(BaseModel):
    """An action line's text, section and area."""

    model_config = _example(
        line="1.5.1",
        plan=_PLAN,
        text=_LINE_TEXT + " …",
        section="1",
        section_title="Political-Security Cooperation",
        area="1.5",
        area_title="Human rights",
        iri=f"{_ID}plan/{_PLAN}/line/1.5.1",
    )
    line: str
    plan: str
    text: str
    section: str
    section_title: str | None
    area: str | None
    area_title: str | None
    iri: str


class LineLink(BaseModel):
    """An actor or instrument an action line links to, in a role."""

    model_config = _example(
        kind="actor",
        id="aichr",
        label="ASEAN Intergovernmental Commission on Human Rights",
        role="supports",
        confidence=0.95,
        iri=f"{_ID}actor/aichr",
    )
    kind: str
    id: str
    label: str | None
    role: str
    confidence: float | None
    iri: str


class EntityName(BaseModel):
    """An actor or instrument whose name contains the text searched for."""

    model_config = _example(
        kind="actor",
        id="aichr",
        label="ASEAN Intergovernmental Commission on Human Rights",
        name="AICHR",
        iri=f"{_ID}actor/aichr",
    )
    kind: str
    id: str
    label: str | None
    name: str
    iri: str


class ContinuityRow(BaseModel):
    """An action line aligned with its counterpart in the previous edition (a row of the
    named query ``line-continuity``): ``previous_*`` and ``similarity`` are null for a new
    line; a dropped line of the previous edition has ``plan`` = that edition."""

    model_config = _example(
        line="1.2.1",
        plan="asean-new-zealand-2026-2030",
        previous_line="1.1.3",
        previous_plan="asean-new-zealand-2021-2025",
        relation="revised",
        similarity=0.71,
    )
    line: str
    plan: str
    previous_line: str | None
    previous_plan: str | None
    relation: str
    similarity: float | None


class Continuity(BaseModel):
    """A plan's action lines aligned with the previous edition of its partnership."""

    plan: str = Field(examples=["asean-new-zealand-2026-2030"])
    partnership: str | None = Field(examples=["asean-new-zealand"])
    previous_plan: str | None = Field(examples=["asean-new-zealand-2021-2025"])
    items: list[ContinuityRow]


Item = TypeVar("Item", bound=BaseModel)
LineItem = TypeVar("LineItem", bound=BaseModel)


class Listing(BaseModel, Generic[Item]):
    """A list of rows."""

    items: list[Item]


class EntityLines(BaseModel, Generic[LineItem]):
    """An actor or instrument (``id`` its slug) and the action lines that name it."""

    id: str = Field(examples=["aichr"])
    label: str = Field(examples=["ASEAN Intergovernmental Commission on Human Rights"])
    iri: str = Field(examples=[f"{_ID}actor/aichr"])
    action_lines: list[LineItem]


class LineDetail(BaseModel):
    """One action line with its section, area, and links to actors and instruments."""

    line: LineFields
    links: list[LineLink]


class SearchResult(BaseModel):
    """Actors and instruments whose names contain the words, and lines whose text does."""

    q: str
    entities: list[EntityName]
    action_lines: list[TextHit]


async def run_named(runtime: Runtime, name: str, params: dict[str, str | None]) -> list[Row]:
    """Typed rows of the query ``name`` of ``queries/`` with ``params`` bound (``None``
    values left out).

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
    return typed_rows(await runtime.select_result(text))


async def _plans(runtime: Runtime) -> list[Row]:
    return await run_named(runtime, "rest/plans", {})


async def _require_plan(runtime: Runtime, plan: str | None) -> None:
    if plan is None:
        return
    if not any(row["plan"] == plan for row in await _plans(runtime)):
        raise NotFound(f"no plan {plan!r} in the graph (see /api/plans)", kind="unknown-plan")


async def _entity(runtime: Runtime, kind: str, wanted: str) -> EntityId:
    """The one entity of ``kind`` whose slug (exactly), or else slug, acronym or label in
    any case, is ``wanted``."""
    rows = await run_named(runtime, "rest/resolve", {"id": wanted, "class": _CLASSES[kind]})
    exact = [row for row in rows if row["exact"] is True]
    found: dict[str, Row] = {str(row["entity"]): row for row in (exact or rows)}
    if not found:
        raise NotFound(f"no {kind} {wanted!r}", kind=f"unknown-{kind}")
    if len(found) > 1:
        slugs = sorted(str(row["slug"]) for row in found.values())
        raise Conflict(
            f"{wanted!r} names {len(slugs)} {kind}s: {', '.join(slugs)}; "
            f"use one of these ids (/api/{kind}s/{slugs[0]}/action-lines)",
            kind=f"ambiguous-{kind}",
        )
    (iri, row), *_ = found.items()
    return EntityId(id=str(row["slug"]), label=str(row["label"]), iri=iri)


class EntityId(BaseModel):
    """An entity an ``{id}`` resolved to."""

    id: str
    label: str
    iri: str


async def _entity_lines(request: Request, kind: str, wanted: str, plan: str | None) -> Any:
    runtime = runtime_of(request)
    await _require_plan(runtime, plan)
    entity = await _entity(runtime, kind, wanted)
    rows = await run_named(runtime, f"action-lines-by-{kind}", {kind: entity.iri, "plan": plan})
    return {**entity.model_dump(), "action_lines": rows}


async def _line(runtime: Runtime, plan: str | None, notation: str) -> LineDetail:
    await _require_plan(runtime, plan)
    rows = await run_named(runtime, "rest/line", {"line": notation, "plan": plan})
    if not rows:
        raise NotFound(
            f"no action line {notation!r}" + (f" in plan {plan!r}" if plan else ""),
            kind="unknown-line",
        )
    if len(rows) > 1:
        plans = ", ".join(str(row["plan"]) for row in rows)
        raise Conflict(
            f"action line {notation!r} is in several plans ({plans}); "
            f"use /api/plans/{{plan}}/action-lines/{notation}",
            kind="ambiguous-line",
        )
    links = await run_named(runtime, "rest/line-links", {"line": str(rows[0]["iri"])})
    return LineDetail(
        line=LineFields.model_validate(rows[0]),
        links=[LineLink.model_validate({k: v for k, v in r.items() if k != "line"}) for r in links],
    )


router = APIRouter(prefix="/api", tags=["analysts"])
# printable text: a control character is in no name, slug or notation (the loader refuses it)
_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"
PlanParam = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=200,
        pattern=_PRINTABLE,
        description="A plan id (asean-canada-2021-2025); every plan when absent; "
        "404 when no plan has it",
    ),
]
EntityIdParam = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        pattern=_PRINTABLE,
        description="The entity's slug (the last segment of its IRI: aichr), acronym "
        "(AICHR) or label, in any case; 409 with the slugs when several entities share it",
    ),
]
Notation = Annotated[
    str,
    Path(
        min_length=1,
        max_length=100,
        pattern=_PRINTABLE,
        description="The line's notation (1.5.1, 1.1(a), I.2)",
    ),
]
PlanId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        pattern=_PRINTABLE,
        description="A plan id (asean-canada-2021-2025)",
    ),
]


@router.get(
    "/actors",
    summary="Actors named by action lines, with counts",
    responses=problem_responses(400, 404, 503),
)
async def actors(request: Request, plan: PlanParam = None) -> Listing[ActorItem]:
    """The named query ``actors``."""
    runtime = runtime_of(request)
    await _require_plan(runtime, plan)
    return Listing[ActorItem].model_validate(
        {"items": await run_named(runtime, "actors", {"plan": plan})}
    )


@router.get(
    "/actors/{id}/action-lines",
    summary="Action lines naming an actor or a body under it",
    responses=problem_responses(400, 404, 409, 503),
)
async def actor_lines(
    request: Request, id: EntityIdParam, plan: PlanParam = None
) -> EntityLines[ActorLine]:
    """The named query ``action-lines-by-actor``."""
    body = await _entity_lines(request, "actor", id, plan)
    return EntityLines[ActorLine].model_validate(body)


@router.get(
    "/instruments",
    summary="Instruments named by action lines, with type and counts",
    responses=problem_responses(400, 404, 503),
)
async def instruments(request: Request, plan: PlanParam = None) -> Listing[InstrumentItem]:
    """The named query ``instruments``."""
    runtime = runtime_of(request)
    await _require_plan(runtime, plan)
    return Listing[InstrumentItem].model_validate(
        {"items": await run_named(runtime, "instruments", {"plan": plan})}
    )


@router.get(
    "/instruments/{id}/action-lines",
    summary="Action lines naming an instrument",
    responses=problem_responses(400, 404, 409, 503),
)
async def instrument_lines(
    request: Request, id: EntityIdParam, plan: PlanParam = None
) -> EntityLines[InstrumentLine]:
    """The named query ``action-lines-by-instrument``."""
    body = await _entity_lines(request, "instrument", id, plan)
    return EntityLines[InstrumentLine].model_validate(body)


@router.get("/plans", summary="The plans of action in the graph", responses=problem_responses(503))
async def plans(request: Request) -> Listing[PlanItem]:
    """Each plan with its title, adoption date, period and number of action lines."""
    return Listing[PlanItem].model_validate({"items": await _plans(runtime_of(request))})


@router.get(
    "/plans/{plan}/continuity",
    summary="What a plan carried over, revised, added and dropped",
    responses=problem_responses(400, 404, 503),
)
async def plan_continuity(request: Request, plan: PlanId) -> Continuity:
    """The named query ``line-continuity`` for the plan, with its partnership and the
    edition it follows."""
    runtime = runtime_of(request)
    edition = await run_named(runtime, "editions/plan-edition", {"plan": plan})
    if not edition:
        raise NotFound(f"no plan {plan!r} in the graph (see /api/plans)", kind="unknown-plan")
    rows = await run_named(runtime, "line-continuity", {"plan": plan})
    return Continuity.model_validate(
        {
            "plan": plan,
            "partnership": edition[0]["partnership"],
            "previous_plan": edition[0]["previous_plan"],
            "items": rows,
        }
    )


@router.get(
    "/plans/{plan}/action-lines/{notation}",
    summary="One action line of one plan",
    responses=problem_responses(400, 404, 503),
)
async def plan_line(request: Request, plan: PlanId, notation: Notation) -> LineDetail:
    """The line's text, section, area and links (role, confidence)."""
    return await _line(runtime_of(request), plan, notation)


@router.get(
    "/action-lines/{notation}",
    summary="One action line, when only one plan has it",
    responses=problem_responses(400, 404, 409, 503),
)
async def line(request: Request, notation: Notation) -> LineDetail:
    """As ``/api/plans/{plan}/action-lines/{notation}``; 409 when several plans have it."""
    return await _line(runtime_of(request), None, notation)


@router.get(
    "/search",
    summary="Search actor and instrument names and action-line texts",
    responses=problem_responses(400, 404, 503),
)
async def search(
    request: Request,
    q: Annotated[
        str,
        Query(
            min_length=2,
            max_length=200,
            pattern=r"^[^\x00-\x1f\x7f]*[^\x00-\x20\x7f][^\x00-\x1f\x7f]*$",
            description="Words to find (printable text with at least one word)",
        ),
    ],
    plan: PlanParam = None,
) -> SearchResult:
    """Entities whose label, acronym or other name contains ``q`` (named by the lines of
    ``plan``, when given); lines (of ``plan``, or of every plan) containing every word."""
    runtime = runtime_of(request)
    await _require_plan(runtime, plan)
    entities = await run_named(runtime, "rest/names", {"q": q, "plan": plan})
    lines = await run_named(runtime, "action-lines-by-text", {"words": q, "plan": plan})
    seen: dict[str, dict[str, Any]] = {}
    for row in entities:
        seen.setdefault(str(row["iri"]), {k: v for k, v in row.items() if k != "q"})
    return SearchResult.model_validate(
        {"q": q, "entities": list(seen.values()), "action_lines": lines}
    )
