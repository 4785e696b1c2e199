"""Validation of plan graphs and stores: SHACL per plan graph, then cross-node SPARQL.

SHACL (pySHACL) runs on each plan's graph alone, joined with the ontology and authority
graphs so ``sh:class`` constraints see the classes of linked entities: small graphs, fast.
Checks that span nodes run as SPARQL on Oxigraph over the whole store: each mention's
quote equals the text edition's substring at its offsets, each subdivision has one
start/end, and notations are unique per plan and class.

>>> check_store(seed_store).plans
1
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store
from pyshacl import Validator
from pyshacl.graph_abstraction import DataGraph
from pyshacl.pytypes import SHACLExecutor

from aseankg.extract.records import ActionLine, Area, Plan, Section
from aseankg.graph.errors import ValidationError
from aseankg.graph.iris import Minter
from aseankg.graph.packaged import shapes_text
from aseankg.graph.store import open_store, read_manifest
from aseankg.queries.loader import list_queries

__all__ = [
    "CheckSummary",
    "PlanValidator",
    "check_store",
    "cross_node_violations",
    "duplicate_notation",
]

_RdfTerm = rdflib.URIRef | rdflib.BNode | rdflib.Literal


class _FocusedValidator(Validator):
    """One pySHACL validator reused for every plan, its shapes harvested once.

    pySHACL checks "is this node a focus node" against a list; with a plan's thousand
    nodes that lookup dominates, so the executor gets a frozenset instead.
    """

    def make_executor(self) -> SHACLExecutor:
        executor: SHACLExecutor = super().make_executor()
        if executor.focus_nodes:
            fast: Any = frozenset(executor.focus_nodes)
            executor.focus_nodes = fast
        return executor


class PlanValidator:
    """Runs the SHACL shapes on one plan graph at a time.

    ``support`` holds the quads of the ontology and authority graphs, joined to every
    plan graph before validation. Without packaged shapes the validator accepts all.

    Raises:
        ValidationError: (on construction) the packaged shapes do not parse.
    """

    REFRESH = 20

    def __init__(self, support: Iterable[Quad], *, shapes: str | None = None) -> None:
        text = shapes if shapes is not None else shapes_text()
        self._terms: dict[object, _RdfTerm] = {}
        self.shapes: rdflib.Graph | None = None
        if text is not None:
            try:
                self.shapes = rdflib.Graph().parse(data=text, format="turtle")
            except Exception as exc:  # rdflib raises many parser types
                raise ValidationError(f"the SHACL shapes do not parse: {exc}") from exc
        self._support = [self._triple(quad) for quad in support]
        self._support_terms = dict(self._terms)
        self._validated = 0
        self._fresh_graph()

    def _fresh_graph(self) -> None:
        """A new data graph holding the support triples, and a validator on it.

        rdflib's memory stores keep an empty index entry for every subject ever removed,
        so a graph that plan after plan gains and loses triples grows without bound; a
        fresh graph every ``REFRESH`` plans keeps memory flat at a small copying cost.
        """
        self._data = rdflib.Graph()
        for triple in self._support:
            self._data.add(triple)
        self._validator = _FocusedValidator(
            DataGraph.from_rdflib(self._data),
            shacl_graph=self.shapes if self.shapes is not None else rdflib.Graph(),
            options={
                "inference": "none",
                "abort_on_first": False,
                "allow_warnings": True,
                "inplace": True,
            },
        )

    def _term(self, term: object) -> _RdfTerm:
        cached = self._terms.get(term)
        if cached is not None:
            return cached
        converted: _RdfTerm
        if isinstance(term, NamedNode):
            converted = rdflib.URIRef(term.value)
        elif isinstance(term, BlankNode):
            converted = rdflib.BNode(term.value)
        elif isinstance(term, Literal):
            if term.language:
                converted = rdflib.Literal(term.value, lang=term.language)
            else:
                converted = rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
        else:
            raise ValidationError(f"unsupported RDF term in a plan graph: {term!r}")
        if not isinstance(term, Literal) or len(term.value) < 200:
            self._terms[term] = converted
        return converted

    def _triple(self, quad: Quad) -> tuple[_RdfTerm, _RdfTerm, _RdfTerm]:
        return (self._term(quad.subject), self._term(quad.predicate), self._term(quad.object))

    def validate(self, quads: Iterable[Quad]) -> str | None:
        """The SHACL report when ``quads`` do not conform, else None.

        Only the nodes of ``quads`` are focus nodes: the authority's entities, present
        for ``sh:class``, are not validated again with every plan.
        """
        if self.shapes is None:
            return None
        self._validated += 1
        if self._validated % self.REFRESH == 0:
            self._fresh_graph()
        data = self._data
        added = []
        focus: set[str] = set()
        for quad in quads:
            triple = self._triple(quad)
            if triple not in data:
                data.add(triple)
                added.append(triple)
            if isinstance(quad.subject, NamedNode):
                focus.add(quad.subject.value)
        try:
            self._validator.options["focus_nodes"] = sorted(focus)
            conforms, _graph, text = self._validator.run()  # type: ignore[no-untyped-call]
        finally:
            for triple in added:
                data.remove(triple)
            self._terms = dict(self._support_terms)  # memory stays flat across plans
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


def cross_node_violations(store: Store, *, limit: int = 20) -> list[str]:
    """One line per violation of the cross-node checks, the queries in ``queries/checks/``
    (at most ``limit`` per check), each line led by the check's title."""
    problems: list[str] = []
    for check in list_queries(internal=True):
        if not check.name.startswith("checks/"):
            continue
        name = check.title
        solutions = store.query(check.text, use_default_graph_as_union=True)
        for count, solution in enumerate(solutions):  # type: ignore[arg-type]
            if count >= limit:
                problems.append(f"{name}: ... (more)")
                break
            item, detail = solution["item"], solution["detail"]
            problems.append(
                f"{name}: {getattr(item, 'value', item)}: {getattr(detail, 'value', detail)}"
            )
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
        if not isinstance(graph, NamedNode) or minter.plan_of_graph(graph.value) is None:
            continue
        plans += 1
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
