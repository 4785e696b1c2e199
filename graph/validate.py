"""Validation of plan graphs and stores: SHACL per plan graph, then cross-node SPARQL.

SHACL (pyshacl-turbo, a Rust engine with pySHACL's API and reports) runs on each plan's
graph alone, joined with the ontology and authority graphs so ``sh:class`` constraints see
the classes of linked entities: small graphs, fast (about 0.1 s a plan, pySHACL took 2 s).
Checks that span nodes run as SPARQL on Oxigraph over the whole store: each mention's
quote equals the text edition's substring at its offsets, each subdivision has one
start/end, and notations are unique per plan and class.

>>> check_store(seed_store).plans
1
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeAlias

import pyshacl_turbo
import rdflib
from pyoxigraph import NamedNode, Quad, Store
from pyshacl_turbo.rdf import Input

from aseankg.extract.records import ActionLine, Area, Plan, Section
from aseankg.graph.errors import ValidationError
from aseankg.graph.iris import Minter
from aseankg.graph.packaged import shapes_text
from aseankg.graph.store import ReadStore, open_store, read_manifest
from aseankg.queries.loader import NamedQuery, list_queries

__all__ = [
    "PLAN_CHECKS",
    "CheckSummary",
    "PlanValidator",
    "Violation",
    "check_store",
    "cross_node_violations",
    "duplicate_notation",
    "plan_violations",
]


@functools.lru_cache(maxsize=4)
def _compiled(text: str) -> Any:
    """The shapes ``text`` compiled, once per process (about 0.2 s): a build makes a
    validator for its shards and one for the cross-plan step's graph.

    Raises:
        ValidationError: the shapes do not parse.
    """
    try:
        graph = rdflib.Graph().parse(data=text, format="turtle")
        return pyshacl_turbo.compile_shapes(graph)  # type: ignore[no-untyped-call]
    except Exception as exc:  # rdflib and the engine raise many parser types
        raise ValidationError(f"the SHACL shapes do not parse: {exc}") from exc


class PlanValidator:
    """Runs the SHACL shapes on one plan graph at a time, with pyshacl-turbo.

    pyshacl-turbo is a Rust SHACL engine with pySHACL's API and report text (checked
    against pySHACL on every fixture of ``tests/data/shapes``): the shapes are compiled
    once, and each plan graph is validated in a fresh in-memory Oxigraph store holding
    that graph and ``support``, the quads of the ontology and authority graphs, so
    ``sh:class`` constraints see the classes of linked entities. Only the plan's nodes
    are focus nodes: the authority's entities are not validated again with every plan.
    Without packaged shapes the validator accepts all.

    Raises:
        ValidationError: (on construction) the packaged shapes do not parse.
    """

    def __init__(self, support: Iterable[Quad], *, shapes: str | None = None) -> None:
        text = shapes if shapes is not None else shapes_text()
        self._shapes: Any = None if text is None else _compiled(text)
        self._support = [Quad(q.subject, q.predicate, q.object) for q in support]
        # the support as N-Triples, once: the data of every validation starts with it
        self._support_text = "".join(f"{quad} .\n" for quad in self._support)

    def validate(self, quads: Iterable[Quad], *, triples: str | None = None) -> str | None:
        """The SHACL report when ``quads`` do not conform, else None.

        ``triples`` is the same graph as N-Triples lines when the caller has them (a
        shard's lines without their graph name): it spares writing them again. The
        engine reads the data as N-Triples text (what it makes of a store anyway); a
        graph that does not conform is validated again through a store, as it always
        was, so that its report is word for word the same.
        """
        if self._shapes is None:
            return None
        plan = list(quads)
        focus = sorted({q.subject.value for q in plan if isinstance(q.subject, NamedNode)})
        if triples is None:
            triples = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in plan)
        data = Input(self._support_text + triples, "oxigraph-nquads", None, {}, preserve_ids=True)
        # focus nodes as plain IRIs: the engine reads each one's text (an rdflib.URIRef
        # would only check the IRI again)
        conforms, _graph, _text = self._shapes.validate(
            data, allow_warnings=True, focus_nodes=focus
        )
        return None if conforms else self._report(plan, focus)

    def _report(self, plan: list[Quad], focus: list[str]) -> str | None:
        data = Store()
        data.extend(self._support)
        data.extend(Quad(q.subject, q.predicate, q.object) for q in plan)
        conforms, _graph, text = self._shapes.validate(
            data,
            allow_warnings=True,
            focus_nodes=[rdflib.URIRef(node) for node in focus],
        )
        return None if conforms else str(text)


def duplicate_notation(plan: Plan) -> str | None:
    """A one-line description of the first element numbered like an earlier one, or None.

    Two sections, areas or action lines of one plan with one number would get one IRI
    (``…/line/1.1.1``) and merge into one node, so the graph refuses them by name here,
    before SHACL would report the merged node's doubled offsets. The parser keeps both
    and only warns: real plans repeat numbers, and the reader of ``aseankg parse`` sees
    both. Lines are counted in the canonical text (``aseankg parse --text``).

    >>> from aseankg.extract.parser import parse_text
    >>> from aseankg.extract.records import Source
    >>> text = "Plan\\n1. Trade\\n1.1.1. Explore;\\n1.1.1. Study.\\n"
    >>> duplicate_notation(parse_text(text, Source("p.txt", "txt", "")))
    'action line 1.1.1 is numbered twice (text lines 3 and 4): renumber one of them'
    """
    kinds: tuple[tuple[str, tuple[Section | Area | ActionLine, ...]], ...] = (
        ("section", plan.sections),
        ("area", plan.areas),
        ("action line", plan.action_lines),
    )
    for kind, elements in kinds:
        first: dict[str, int] = {}
        for element in elements:
            if element.id in first:
                lines = (_line_of(plan.text, first[element.id]), _line_of(plan.text, element.start))
                return (
                    f"{kind} {element.id} is numbered twice (text lines {lines[0]} and "
                    f"{lines[1]}): renumber one of them"
                )
            first[element.id] = element.start
    return None


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


#: the cross-node checks that look inside one plan graph only (every node they join is a
#: node of one plan: its mentions, selectors, edition and text; its sections, areas, lines
#: and items): a build runs them on each plan's graph in the per-plan stage
#: (:func:`plan_violations`), and over the whole store only the others, which join plans
#: (``continuity-targets``: the editions graph against the plans it names)
PLAN_CHECKS = frozenset(
    {"checks/mention-quotes", "checks/notation-twice", "checks/subdivision-fields"}
)

#: one violation of a check: (the check's name, its item, the detail), as text
Violation: TypeAlias = tuple[str, str, str]


def _checks() -> list[NamedQuery]:
    return [q for q in list_queries(internal=True) if q.name.startswith("checks/")]


def _violations(store: ReadStore, check: NamedQuery, limit: int) -> list[Violation]:
    """At most ``limit + 1`` violations of ``check`` in ``store``, in the check's order."""
    found: list[Violation] = []
    solutions = store.query(check.text, use_default_graph_as_union=True)
    for solution in solutions:  # type: ignore[union-attr]
        if len(found) > limit:
            break
        item, detail = solution["item"], solution["detail"]
        found.append(
            (check.name, str(getattr(item, "value", item)), str(getattr(detail, "value", detail)))
        )
    return found


def plan_violations(graph: Iterable[Quad] | Store, *, limit: int = 20) -> tuple[Violation, ...]:
    """The violations of the ``PLAN_CHECKS`` in one plan's graph, its quads or a store
    holding it (and nothing else the checks read): at most ``limit + 1`` per check, in
    each check's order, what :func:`cross_node_violations` reports of that graph when
    given them as ``plan_rows``."""
    if isinstance(graph, Store):
        store = graph
    else:
        store = Store()
        store.extend(graph)
    checks = [check for check in _checks() if check.name in PLAN_CHECKS]
    return tuple(row for check in checks for row in _violations(store, check, limit))


def cross_node_violations(
    store: ReadStore, *, limit: int = 20, plan_rows: Iterable[Violation] | None = None
) -> list[str]:
    """One line per violation of the cross-node checks, the queries in ``queries/checks/``
    (at most ``limit`` per check), each line led by the check's title.

    With ``plan_rows`` (the :func:`plan_violations` of every plan graph of ``store``) the
    ``PLAN_CHECKS`` are not run on ``store``: their violations are those rows, in the
    check's order (by item), and the lines are the same as if they had been run on it.
    """
    rows = list(plan_rows) if plan_rows is not None else None
    problems: list[str] = []
    for check in _checks():
        if rows is not None and check.name in PLAN_CHECKS:
            mine = [row for row in rows if row[0] == check.name]
            found = sorted(mine, key=lambda row: row[1])[: limit + 1]
        else:
            found = _violations(store, check, limit)
        for count, (_name, item, detail) in enumerate(found):
            if count >= limit:
                problems.append(f"{check.title}: ... (more)")
                break
            problems.append(f"{check.title}: {item}: {detail}")
    return problems


@dataclass(frozen=True)
class CheckSummary:
    """What ``check_store`` checked."""

    plans: int
    triples: int


def check_store(path: str | os.PathLike[str]) -> CheckSummary:
    """Validate the current store of ``DIR``: SHACL per plan graph and the cross-node checks.

    Raises:
        StoreError: there is no store at ``path``.
        ValidationError: a plan graph fails SHACL or a cross-node check fails; the
            exception's ``report`` holds every problem found.
    """
    manifest = read_manifest(path)
    minter = Minter(manifest.base or Minter().base)
    store = open_store(path)
    support = [
        quad
        for name in (minter.ontology_graph(), minter.authority_graph())
        for quad in store.quads_for_pattern(None, None, None, NamedNode(name))
    ]
    validator = PlanValidator(support)
    reports: list[str] = []
    plans = 0
    for graph in sorted(store.named_graphs(), key=str):
        if not isinstance(graph, NamedNode):
            continue
        if minter.plan_of_graph(graph.value) is not None:
            plans += 1
        elif graph.value != minter.editions_graph():  # partnerships and continuity
            continue
        report = validator.validate(store.quads_for_pattern(None, None, None, graph))
        if report is not None:
            reports.append(f"SHACL, graph <{graph.value}>:\n{report}")
    reports.extend(cross_node_violations(store))
    if reports:
        raise ValidationError(
            f"the store at {os.fspath(path)} fails validation ({len(reports)} problems)",
            "\n".join(reports),
        )
    return CheckSummary(plans=plans, triples=len(store))
