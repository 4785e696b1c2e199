"""The partnership pages: a partnership's editions in order and what each changed.

Routes: ``/partnerships`` (every partnership and its editions) and
``/partnerships/{slug}`` (``asean-new-zealand``): the editions oldest first, then for
each edition that follows another the counts of lines carried over, revised, new and
dropped, the lists, the commitments strengthened or weakened, and each revised line's
word diff (removed words struck out, added words underlined). Reads go through the
endpoint's executor and result cache (``queries/editions/``); an unknown partnership is
the one 404 problem.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse

from aseankg.api.http.errors import BadRequest, NotFound
from aseankg.api.http.settings import Runtime, runtime_of
from aseankg.api.pages.templates import render_page
from aseankg.queries.loader import QueryLoadError, bind_query, load_query

__all__ = ["RELATIONS", "Change", "EditionPair", "diff_parts", "router"]

router = APIRouter()

RELATIONS = ("carried_over", "revised", "new", "dropped")
_DIFF = re.compile(r"\[-(?P<removed>.*?)-\]|\{\+(?P<added>.*?)\+\}")


def diff_parts(diff: str) -> list[tuple[str, str]]:
    """The word diff ``[-old-] {+new+} kept`` as ``(kind, text)`` parts, kind one of
    ``removed``, ``added``, ``kept``.

    >>> diff_parts("[-Explore-] {+Enhance+} cooperation")
    [('removed', 'Explore'), ('kept', ' '), ('added', 'Enhance'), ('kept', ' cooperation')]
    """
    parts: list[tuple[str, str]] = []
    position = 0
    for match in _DIFF.finditer(diff):
        if match.start() > position:
            parts.append(("kept", diff[position : match.start()]))
        kind = "removed" if match["removed"] is not None else "added"
        parts.append((kind, match[kind]))
        position = match.end()
    if position < len(diff):
        parts.append(("kept", diff[position:]))
    return parts


@dataclass
class Change:
    """One row of what an edition changed, ready for the template."""

    relation: str
    line: str
    text: str
    previous_line: str
    previous_text: str
    similarity: str
    strength_change: int
    diff: list[tuple[str, str]]


@dataclass
class EditionPair:
    """An edition, the one it follows and its changes grouped by relation."""

    plan: str
    previous: str
    changes: dict[str, list[Change]] = field(default_factory=dict)

    def count(self, relation: str) -> int:
        """Lines of that relation: new-edition lines, previous lines for ``dropped``."""
        rows = self.changes.get(relation, [])
        key = "previous_line" if relation == "dropped" else "line"
        return len({getattr(row, key) for row in rows})

    @property
    def strengthened(self) -> list[Change]:
        return [c for rows in self.changes.values() for c in rows if c.strength_change > 0]

    @property
    def weakened(self) -> list[Change]:
        return [c for rows in self.changes.values() for c in rows if c.strength_change < 0]


async def _select(runtime: Runtime, name: str, **values: str) -> list[defaultdict[str, str]]:
    try:
        text = bind_query(load_query(name), values)
    except QueryLoadError as exc:
        raise BadRequest(str(exc), kind="invalid-parameter") from None
    return [defaultdict(str, row) for row in await runtime.select(text)]


def _change(row: defaultdict[str, str]) -> Change:
    change = row["strength_change"]
    return Change(
        relation=row["relation"],
        line=row["line"],
        text=row["text"],
        previous_line=row["previous_line"],
        previous_text=row["previous_text"],
        similarity=row["similarity"],
        strength_change=int(change) if change.lstrip("-").isdigit() else 0,
        diff=diff_parts(row["diff"]) if row["diff"] else [],
    )


async def _pair(runtime: Runtime, plan: str, previous: str) -> EditionPair:
    pair = EditionPair(plan, previous)
    for row in await _select(runtime, "editions/changes", plan=plan):
        pair.changes.setdefault(row["relation"], []).append(_change(row))
    return pair


@router.get("/partnerships", response_class=HTMLResponse, include_in_schema=False)
async def partnerships(request: Request) -> HTMLResponse:
    """Every partnership of the graph with its editions."""
    rows = await _select(runtime_of(request), "editions/partnerships")
    groups: dict[str, list[defaultdict[str, str]]] = {}
    for row in rows:
        groups.setdefault(row["partnership"], []).append(row)
    return render_page("partnerships.html", request, partnerships=groups)


@router.get("/partnerships/{slug}", response_class=HTMLResponse, include_in_schema=False)
async def partnership(
    request: Request,
    slug: str = Path(pattern=r"^[a-z0-9][a-z0-9-]*$"),
) -> HTMLResponse:
    """One partnership: its editions in order and, per pair of editions, what changed."""
    runtime = runtime_of(request)
    editions = await _select(runtime, "editions/partnerships", partnership=slug)
    if not editions:
        raise NotFound(f"no partnership {slug!r}")
    pairs = [
        await _pair(runtime, row["plan"], row["previous_plan"])
        for row in editions
        if row["previous_plan"]
    ]
    return render_page(
        "partnership.html",
        request,
        slug=slug,
        label=editions[0]["label"],
        editions=editions,
        pairs=list(reversed(pairs)),
        relations=RELATIONS,
    )
