"""The pictures of the UI: their queries, and their rows shaped into SVG.

Each figure keeps the exact SPARQL text that made it (a query of ``queries/`` with its
values bound by the query loader), so the picture links to the query page with that
query open (``/sparql#query=...``, YASGUI's shareable-link form).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from aseankg.api.pages.browse import (
    Rows,
    SectionSummary,
    local_href,
    notation_key,
)
from aseankg.api.pages.pictures import (
    SERIES,
    Label,
    QueryLink,
    render_heatmap,
    render_neighbourhood,
    render_stacked_bars,
)

__all__ = [
    "Figure",
    "draw_heatmap",
    "draw_instrument_types",
    "draw_neighbourhood",
    "named_query_link",
    "query_page_link",
]


@dataclass(frozen=True)
class Figure:
    """A drawn picture and the exact query that made it."""

    svg: str
    query_href: str
    name: str


def query_page_link(query: str, title: str) -> str:
    """A link to the query page that opens ``query`` in a YASGUI tab titled ``title``."""
    return "/sparql#" + urlencode({"query": query, "tabTitle": title}, quote_via=quote)


def _short(label: str, acronym: str) -> str:
    if acronym:
        return acronym
    return label if len(label) <= 30 else label[:29].rstrip() + "…"


def named_query_link(title: str, text: str) -> QueryLink:
    """The link of a picture to the (bound) named query text that produced it."""
    return QueryLink(title, query_page_link(text, title))


def _columns(sections: Sequence[SectionSummary], base: str) -> list[Label]:
    return [
        Label(s.iri, s.notation, f"{s.notation}. {s.title}".rstrip(". "), local_href(s.iri, base))
        for s in sections
    ]


_MAX_SERIES = 9
_OTHER = "other types"


def _pretty_type(name: str) -> str:
    """``TermsOfReference`` -> ``Terms of reference``."""
    words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name) or [name]
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def draw_heatmap(
    rows: Rows,
    sections: Sequence[SectionSummary],
    base: str,
    query: QueryLink,
    *,
    actor_iris: Mapping[str, str],
    limit: int = 20,
) -> Figure:
    """Actor × section heatmap from the rows of the named query ``actor-section-matrix``
    (``section`` notation, ``actor`` IRI, ``actorLabel`` name, ``lines``) for one plan,
    whose ``sections`` give the columns; rows are the ``limit`` actors named in the most
    lines. Row labels link to the actor's page (``actor``, else ``actor_iris``: name -> IRI).
    Rows without ``actorLabel`` take ``actor`` as the name."""
    totals: Counter[str] = Counter()
    counts: dict[tuple[str, str], int] = {}
    by_notation = {s.notation: s.iri for s in sections}
    iris: dict[str, str] = {}
    for r in rows:
        actor = r.get("actorLabel") or r["actor"]
        n = int(r["lines"] or 0)
        section = by_notation.get(r["section"], r["section"])
        counts[(actor, section)] = counts.get((actor, section), 0) + n
        totals[actor] += n
        iri = (r["actor"] if r.get("actorLabel") else "") or actor_iris.get(actor, "")
        if iri:
            iris[actor] = iri
    top = sorted(totals, key=lambda a: (-totals[a], a.casefold()))[:limit]
    actors = [
        Label(
            a,
            _short(a, ""),
            f"{a}: {totals[a]} action line(s)",
            local_href(iris[a], base) if a in iris else None,
            "Actor",
        )
        for a in top
    ]
    name = "Actors by section"
    title = f"{name}: the {len(actors)} actors named in the most action lines"
    svg = render_heatmap(actors, _columns(sections, base), counts, title=title, query=query)
    return Figure(svg, query.href, name)


def draw_instrument_types(
    rows: Rows, sections: Sequence[SectionSummary], base: str, query: QueryLink
) -> Figure:
    """Stacked bars from the rows of the named query ``instrument-types-by-section``
    (``section`` notation, ``type``, ``instruments``): per section, the instruments its
    lines name, by instrument type."""
    by_notation = {s.notation: s.iri for s in sections}
    totals: Counter[str] = Counter()
    for r in rows:
        totals[r["type"]] += int(r["instruments"] or 0)
    ranked = sorted(totals, key=lambda t: (t == "unknown", -totals[t], t.casefold()))
    # Past nine colours the eye cannot tell series apart: the rarest types share one.
    kept = set(ranked if len(ranked) <= _MAX_SERIES else ranked[: _MAX_SERIES - 1])
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        kind = r["type"] if r["type"] in kept else _OTHER
        key = (by_notation.get(r["section"], r["section"]), kind)
        counts[key] = counts.get(key, 0) + int(r["instruments"] or 0)
    if len(kept) < len(ranked):
        totals[_OTHER] = sum(totals[t] for t in ranked if t not in kept)
    bars = [
        Label(s.iri, f"{s.notation} {_short(s.title, '')}", f"{s.notation}. {s.title}", c.href)
        for s, c in zip(sections, _columns(sections, base), strict=True)
    ]
    series = [
        Label(t, _pretty_type(t), _pretty_type(t))
        for t in [t for t in ranked if t in kept] + ([_OTHER] if _OTHER in totals else [])
    ]
    name = "Instrument types by section"
    svg = render_stacked_bars(bars, series, counts, title=name, query=query, uid="instrument-types")
    return Figure(svg, query.href, name)


def draw_neighbourhood(
    rows: Rows,
    centre: Label,
    base: str,
    query: str,
    *,
    max_lines: int = 12,
    max_neighbours: int = 18,
    plan_names: Mapping[str, str] | None = None,
) -> Figure:
    """The ``centre`` entity, the action lines that name it and the other entities those
    lines name, from the rows of ``pages/neighbourhood`` bound to it, whose text is
    ``query`` (at most ``max_lines`` lines, newest plan first by ``plan_names``' order
    then in document order, and ``max_neighbours`` entities, the most shared first). Each
    line node names its plan (``plan_names``: plan IRI -> name) in its tooltip and takes
    its plan's colour, shown in a legend that links each plan's page."""
    names = dict(plan_names or {})
    lines: dict[str, str] = {}
    plan_of: dict[str, str] = {}
    others: dict[str, tuple[str, str, str]] = {}
    edges: set[tuple[str, str]] = set()
    for r in rows:
        lines[r["line"]] = r["notation"]
        plan_of[r["line"]] = r.get("plan", "")
        if r["other"]:
            others[r["other"]] = (r["kind"], r["label"], r["acronym"])
            edges.add((r["line"], r["other"]))
    order = {plan: k for k, plan in enumerate(names)}

    def line_order(li: str) -> tuple[int, str, tuple[object, ...]]:
        plan = plan_of.get(li, "")
        return (order.get(plan, len(order)), plan, tuple(notation_key(lines[li])))

    kept = sorted(lines, key=line_order)[:max_lines]
    plans = list(dict.fromkeys(plan_of.get(li, "") for li in kept))
    colours = {plan: SERIES[k % len(SERIES)] for k, plan in enumerate(plans)}

    def plan_name(plan: str) -> str:
        return names.get(plan) or plan.rsplit("/", 1)[-1]

    shared = Counter(b for a, b in edges if a in kept)
    near = sorted(shared, key=lambda o: (-shared[o], others[o][1].casefold(), o))[:max_neighbours]
    line_labels = [
        Label(
            li,
            lines[li],
            f"{plan_name(plan_of.get(li, ''))} \u00b7 action line {lines[li]}",
            local_href(li, base),
            "ActionLine",
            colours[plan_of.get(li, "")] if len(plans) > 1 else "",
        )
        for li in kept
    ]
    legend = [
        Label(p, plan_name(p), plan_name(p), local_href(p, base), "Plan", colours[p])
        for p in plans
        if p
    ]
    neighbour_labels = [
        Label(
            o,
            _short(others[o][1], others[o][2]),
            others[o][1] or o,
            local_href(o, base),
            others[o][0],
        )
        for o in near
    ]
    kept_edges = sorted((a, b) for a, b in edges if a in kept and b in near)
    name = f"Around {centre.text}"
    svg = render_neighbourhood(
        centre,
        line_labels,
        neighbour_labels,
        kept_edges,
        title=name,
        query=QueryLink("Around an entity", query_page_link(query, "Around an entity")),
        plans=legend,
    )
    return Figure(svg, query_page_link(query, name), name)
