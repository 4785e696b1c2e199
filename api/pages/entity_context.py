"""What a linked-data page (``/id/...`` as HTML) shows, read through the endpoint.

:func:`page_context` runs the reads of ``queries/pages/`` for one resource through the
service's time-limited executor (``Runtime.select``, result-cached per dataset version)
and shapes them with :mod:`aseankg.api.pages.resource_page`: by type, an action line's
title (plan and notation), breadcrumb (partnership › plan › section › area › line), text
with its mentions marked by offset (:mod:`aseankg.api.pages.highlight`), links with
roles, SDGs with their evidence, predecessors and successors in the neighbouring
editions; an actor's, an instrument's, a topic's or an SDG's action lines grouped by
partnership and edition with a small timeline; a plan's sections. :func:`load_corpus` is
the plans and partnerships every page names its plans with.

Raises (both): ``NotFound`` for an IRI a query cannot name, or as the executor
(``ServiceUnavailable`` ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from aseankg.api.http.errors import NotFound
from aseankg.api.http.settings import Runtime
from aseankg.api.pages.browse import local_href
from aseankg.api.pages.corpus import Corpus, read_corpus
from aseankg.api.pages.figures import query_page_link
from aseankg.api.pages.highlight import Marked, highlight_line
from aseankg.api.pages.language import one_per_key
from aseankg.api.pages.resource_page import (
    grouped_lines,
    property_rows,
    referrers,
    type_values,
)
from aseankg.extract.notation import notation_key
from aseankg.graph.iris import SDG_BASE
from aseankg.graph.vocabulary import AKG_NS
from aseankg.queries.loader import QueryLoadError, bind_query, load_query

__all__ = ["graph_picture", "load_corpus", "page_context", "sdg_name"]

_AKG = AKG_NS
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_SUB_ORG = "http://www.w3.org/ns/org#subOrganizationOf"
_TOPIC_SCHEME = _AKG + "TopicScheme"
_ENTITY_TYPES = {_AKG + "Actor", _AKG + "Instrument"}
# the types whose pages list their action lines (the query ``pages/resource-lines``)
_WITH_LINES = {*_ENTITY_TYPES, _AKG + "Section", _AKG + "Area"}


def _start_of(corpus: Corpus, plan: str) -> int:
    card = corpus.find(plan)
    return card.period_start or 0 if card is not None else 0


def sdg_name(code: str) -> str:
    """The name of an SDG without a label in the graph: "Goal 14", "Target 14.1"."""
    return f"Target {code}" if "." in code else f"Goal {code}"


async def _rows(runtime: Runtime, name: str, iri: str) -> list[dict[str, str]]:
    """Rows of the page query ``name`` bound to the resource ``iri``."""
    try:
        text = bind_query(load_query(name), {"this": iri})
    except QueryLoadError as exc:
        raise NotFound(f"<{iri}> is not in the graph: {exc}") from None
    return await runtime.select(text)


async def load_corpus(runtime: Runtime, language: str) -> Corpus:
    """The plans of the graph grouped into partnerships, named in ``language``."""
    plans = await runtime.select(load_query("pages/plans").text)
    names = await runtime.select(load_query("pages/partner-names").text)
    return read_corpus(plans, names, language, runtime.settings.base)


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


def _label(out: list[dict[str, str]], language: str, iri: str) -> str:
    """The resource's label in ``language``: its preferred label, title or notation."""
    for prop in (_SKOS + "prefLabel", _DCT + "title", "http://www.w3.org/2000/01/rdf-schema#label"):
        rows = [{"l": r["o"], "lLang": r.get("oLang", "")} for r in out if r["p"] == prop]
        if rows:
            return one_per_key(rows, (), "l", language)[0]["l"]
    notation = next((r["o"] for r in out if r["p"] == _SKOS + "notation"), "")
    return notation or iri.rsplit("/", 1)[-1]


def _marks(rows: list[dict[str, str]], language: str, href: Any) -> list[Marked]:
    """One mark per mention span (the entities of one span in the tooltip)."""
    spans: dict[tuple[int, int], list[Mapping[str, str]]] = {}
    for row in one_per_key(rows, ("start", "end", "entity"), "entityLabel", language):
        spans.setdefault((int(row["start"]), int(row["end"])), []).append(row)
    marks = []
    for (start, end), found in sorted(spans.items()):
        found = sorted(found, key=lambda r: r["entity"])
        title = "; ".join(r.get("entityLabel") or r["entity"] for r in found)
        marks.append(Marked(start, end, href(found[0]["entity"]), title))
    return marks


def _plan_crumbs(corpus: Corpus, plan: str, href: Any) -> list[dict[str, str]]:
    """The breadcrumb down to a plan: its partnership (when known), the plan."""
    crumbs = []
    partnership = corpus.partnership_of(plan)
    if partnership is not None:
        crumbs.append({"text": partnership.label, "href": partnership.href})
    crumbs.append({"text": corpus.name(plan), "href": href(plan)})
    return crumbs


async def _line_parts(
    runtime: Runtime, iri: str, language: str, corpus: Corpus, href: Any
) -> dict[str, Any]:
    """Title, breadcrumb, highlighted text, links and neighbours of an action line."""
    place = (await _rows(runtime, "pages/line-place", iri) or [{}])[0]
    mentions = await _rows(runtime, "pages/line-mentions", iri)
    plan = place.get("plan", "")
    notation = iri.rsplit("/", 1)[-1]
    crumbs = _plan_crumbs(corpus, plan, href) if plan else []
    for part in ("section", "area"):
        if place.get(part):
            text = f"{place[part + 'Notation']}. {place.get(part + 'Title', '')}".strip()
            crumbs.append({"text": text, "href": href(place[part])})
    crumbs.append({"text": notation, "href": ""})
    text = highlight_line(
        place.get("raw", ""), int(place.get("start") or 0), _marks(mentions, language, href)
    )
    links = one_per_key(
        await _rows(runtime, "pages/line-links", iri),
        ("entity", "role"),
        "entityLabel",
        language,
    )
    sdgs = sorted(
        one_per_key(await _rows(runtime, "pages/line-sdgs", iri), ("sdg",), "sdgLabel", language),
        key=lambda r: notation_key(r["sdg"].rsplit("/", 1)[-1]),
    )
    neighbours = [
        {**row, "planName": corpus.name(row["otherPlan"]), "href": href(row["other"])}
        for row in await _rows(runtime, "pages/line-neighbours", iri)
    ]
    return {
        "title": f"{notation} \u00b7 {corpus.name(plan)}" if plan else notation,
        "breadcrumb": crumbs,
        "text": text,
        "links": sorted(links, key=lambda r: (r.get("entityLabel") or r["entity"]).casefold()),
        "sdgs": [
            {
                "href": href(r["sdg"]),
                "label": r.get("sdgLabel") or sdg_name(r["sdg"].rsplit("/", 1)[-1]),
                "evidence": " ".join(r.get("exact", "").split()),
                "start": r.get("start", ""),
                "end": r.get("end", ""),
            }
            for r in sdgs
        ],
        "previous": [n for n in neighbours if n["direction"] == "previous"],
        "next": [n for n in neighbours if n["direction"] == "next"],
    }


async def page_context(runtime: Runtime, iri: str, language: str) -> dict[str, Any]:
    """The template context of ``entity.html`` for ``iri`` in ``language`` (module
    docstring); ``out`` and ``incoming`` are empty for an IRI the graph does not hold."""
    base = runtime.settings.base

    def href(i: str) -> str:
        return local_href(i, base)

    corpus = await load_corpus(runtime, language)
    out = await _rows(runtime, "pages/resource-out", iri)
    incoming = await _rows(runtime, "pages/resource-in", iri)
    type_rows = await _rows(runtime, "pages/resource-types", iri)
    types = {row["type"] for row in type_rows}
    label = _label(out, language, iri)
    properties = property_rows(out, language, href, base)
    context: dict[str, Any] = {
        "iri": iri,
        "label": label,
        "title": label,
        "lang": language,
        "breadcrumb": [],
        "out": out,
        "incoming": incoming,
        "properties": properties,
        "referrers": referrers(incoming, language, corpus, base),
        "types": type_values(type_rows, language, href, base),
        "href": href,
        "groups": [],
        "timeline": [],
        "picture": None,
        "plan_sections": [],
        "links": [],
        "previous": [],
        "next": [],
        "sdgs": [],
        "plan_name": "",
    }
    in_scheme = any(r["p"] == _SKOS + "inScheme" and r["o"] == _TOPIC_SCHEME for r in out)
    is_sdg = iri.startswith(SDG_BASE)
    if types & _WITH_LINES or in_scheme or is_sdg:
        rows = await _rows(runtime, "pages/resource-lines", iri)
        context["groups"] = grouped_lines(rows, corpus, href)
        listed = {line["line"] for g in context["groups"] for e in g.editions
                  for sec in e.sections for line in sec.lines}  # fmt: skip
        context["referrers"] = [r for r in context["referrers"] if r.iri not in listed]
        context["timeline"] = sorted(
            (e for g in context["groups"] for e in g.editions),
            key=lambda e: (_start_of(corpus, e.plan), e.name),
        )
        if context["groups"] and types & _ENTITY_TYPES:
            acronym = next((r["o"] for r in out if r["p"] == _AKG + "acronym"), "")
            context["picture"] = graph_picture(iri, label, acronym)
    if is_sdg and label == iri.rsplit("/", 1)[-1]:
        context["label"] = context["title"] = sdg_name(label)
    context["parents"] = [v for p in properties if p.iri == _SUB_ORG for v in p.values]
    children = one_per_key([r for r in incoming if r["p"] == _SUB_ORG], ("s",), "sLabel", language)
    context["children"] = sorted(
        ({"href": href(r["s"]), "text": r.get("sLabel") or r["s"]} for r in children),
        key=lambda c: c["text"].casefold(),
    )
    plan = next((r["o"] for r in out if r["p"] == _AKG + "plan"), "")
    notation = next((r["o"] for r in out if r["p"] == _SKOS + "notation"), "")
    if plan:
        context["plan_name"] = corpus.name(plan)
        if types & {_AKG + "Section", _AKG + "Area"}:
            context["title"] = f"{notation}. {label} \u00b7 {corpus.name(plan)}"
            crumbs = _plan_crumbs(corpus, plan, href)
            section = next((r for r in out if r["p"] == _AKG + "section"), None)
            if section is not None:
                text = f"{section.get('oNotation', '')}. {section.get('oLabel', '')}"
                crumbs.append({"text": text, "href": href(section["o"])})
            context["breadcrumb"] = [*crumbs, {"text": f"{notation}. {label}", "href": ""}]
    if _AKG + "PlanOfAction" in types:
        rows = await _rows(runtime, "pages/plan-sections", iri)
        context["plan_sections"] = sorted(rows, key=lambda r: notation_key(r["sectionNotation"]))
        context["title"] = f"{corpus.name(iri)}: {label}"
        crumbs = _plan_crumbs(corpus, iri, href)
        context["breadcrumb"] = [*crumbs[:-1], {"text": corpus.name(iri), "href": ""}]
    if _AKG + "ActionLine" in types:
        context.update(await _line_parts(runtime, iri, language, corpus, href))
    return context
