"""HTML documentation of the ontology, generated from ``aseankg.ttl`` with Jinja.

One page: the ontology's metadata, then every class, property and concept scheme of the
``akg:`` namespace with its English and French labels, definition, super-terms,
disjointness, domain and range, and the external terms it declares. The HTTP service
serves it at the ontology IRI; ``python -m aseankg.ontology.docs PATH`` writes it.

>>> from aseankg.ontology.docs import render_ontology_html
>>> "akg:ActionLine" in render_ontology_html()
True
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from aseankg.ontology.resources import ONTOLOGY_IRI, load_ontology_graph

__all__ = ["Term", "main", "render_ontology_html", "term_sections", "write_ontology_html"]

_AKG_NS = ONTOLOGY_IRI + "#"
_SECTIONS: tuple[tuple[str, str, URIRef], ...] = (
    ("classes", "Classes", OWL.Class),
    ("object-properties", "Object properties", OWL.ObjectProperty),
    ("datatype-properties", "Datatype properties", OWL.DatatypeProperty),
    ("annotation-properties", "Annotation properties", OWL.AnnotationProperty),
)


@dataclass(frozen=True)
class Term:
    """One documented term: its names, definition and axioms as display strings."""

    iri: str
    curie: str
    anchor: str
    label_en: str
    label_fr: str
    definition: str
    facts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    notation: str = ""
    note: str = ""
    members: tuple[Term, ...] = field(default_factory=tuple)


def _curie(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        text = str(node)
        if text.startswith(_AKG_NS):
            return "akg:" + text[len(_AKG_NS) :]
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # rdflib cannot make a qname of every IRI
            return f"<{text}>"
    if isinstance(node, Literal):
        return str(node)
    members = graph.value(node, OWL.unionOf)
    if members is not None:
        return " or ".join(_curie(graph, m) for m in graph.items(members))
    prop, value = graph.value(node, OWL.onProperty), graph.value(node, OWL.hasValue)
    if prop is not None and value is not None:
        return f"{_curie(graph, prop)} value {_curie(graph, value)}"
    return "(anonymous)"


def _text(graph: Graph, node: Node, predicate: URIRef, language: str) -> str:
    for value in graph.objects(node, predicate):
        if isinstance(value, Literal) and value.language == language:
            return " ".join(str(value).split())
    return ""


def _definition(graph: Graph, node: Node) -> str:
    for predicate in (SKOS.definition, RDFS.comment):
        text = _text(graph, node, predicate, "en")
        if text:
            return text
    return ""


def _names(graph: Graph, nodes: Iterable[Node]) -> tuple[str, ...]:
    return tuple(sorted(_curie(graph, n) for n in nodes))


def _disjoint(graph: Graph, term: URIRef) -> tuple[str, ...]:
    others: set[Node] = set(graph.objects(term, OWL.disjointWith))
    others.update(graph.subjects(OWL.disjointWith, term))
    for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members_node = graph.value(group, OWL.members)
        members = list(graph.items(members_node)) if members_node is not None else []
        if term in members:
            others.update(m for m in members if m != term)
    return _names(graph, others)


def _term(graph: Graph, node: URIRef, kind: URIRef | None) -> Term:
    facts: list[tuple[str, tuple[str, ...]]] = []
    if kind == OWL.Class:
        facts.append(("subclass of", _names(graph, graph.objects(node, RDFS.subClassOf))))
        facts.append(("superclass of", _names(graph, graph.subjects(RDFS.subClassOf, node))))
        facts.append(("disjoint with", _disjoint(graph, node)))
    elif kind is not None:
        traits = tuple(
            name
            for name, trait in (
                ("functional", OWL.FunctionalProperty),
                ("inverse functional", OWL.InverseFunctionalProperty),
            )
            if (node, RDF.type, trait) in graph
        )
        facts.append(("subproperty of", _names(graph, graph.objects(node, RDFS.subPropertyOf))))
        facts.append(("domain", _names(graph, graph.objects(node, RDFS.domain))))
        facts.append(("range", _names(graph, graph.objects(node, RDFS.range))))
        facts.append(("characteristics", traits))
    else:
        facts.append(("broader", _names(graph, graph.objects(node, SKOS.broader))))
        facts.append(("SDG", _names(graph, graph.objects(node, URIRef(_AKG_NS + "sdg")))))
        facts.append(("rank", _names(graph, graph.objects(node, URIRef(_AKG_NS + "rank")))))
    local = str(node)[len(_AKG_NS) :] if str(node).startswith(_AKG_NS) else str(node)
    notation = graph.value(node, SKOS.notation)
    return Term(
        iri=str(node),
        curie=_curie(graph, node),
        anchor=local,
        label_en=_text(graph, node, RDFS.label, "en"),
        label_fr=_text(graph, node, RDFS.label, "fr"),
        definition=_definition(graph, node),
        facts=tuple((name, values) for name, values in facts if values),
        notation=str(notation) if notation is not None else "",
        note=_text(graph, node, SKOS.scopeNote, "en"),
    )


def _akg(nodes: Iterable[Node]) -> list[URIRef]:
    return sorted(
        {n for n in nodes if isinstance(n, URIRef) and str(n).startswith(_AKG_NS)}, key=str
    )


def _concept_order(graph: Graph, concept: URIRef) -> tuple[int, str]:
    rank = graph.value(concept, URIRef(_AKG_NS + "rank"))
    return (int(str(rank)) if rank is not None else 99, str(graph.value(concept, SKOS.notation)))


def term_sections(graph: Graph | None = None) -> list[tuple[str, str, list[Term]]]:
    """The documented terms by section, as (anchor, title, terms); schemes last.

    Raises:
        OntologyLoadError: the packaged ontology is missing or does not parse.
    """
    graph = load_ontology_graph() if graph is None else graph
    sections: list[tuple[str, str, list[Term]]] = []
    for anchor, title, kind in _SECTIONS:
        terms = [_term(graph, n, kind) for n in _akg(graph.subjects(RDF.type, kind))]
        sections.append((anchor, title, terms))
    schemes: list[Term] = []
    for scheme in _akg(graph.subjects(RDF.type, SKOS.ConceptScheme)):
        members = _akg(graph.subjects(SKOS.inScheme, scheme))
        members.sort(key=lambda concept: _concept_order(graph, concept))
        concepts = [_term(graph, c, None) for c in members]
        base = _term(graph, scheme, None)
        schemes.append(
            Term(
                base.iri,
                base.curie,
                base.anchor,
                base.label_en,
                base.label_fr,
                base.definition,
                note=base.note,
                members=tuple(concepts),
            )
        )
    for collection in _akg(
        [
            *graph.subjects(RDF.type, SKOS.Collection),
            *graph.subjects(RDF.type, SKOS.OrderedCollection),
        ]
    ):
        listed = graph.value(collection, SKOS.memberList)
        listing: list[Node] = list(graph.items(listed)) if listed is not None else []
        listing += sorted(set(graph.objects(collection, SKOS.member)) - set(listing), key=str)
        base = _term(graph, collection, None)
        schemes.append(
            Term(
                base.iri,
                base.curie,
                base.anchor,
                base.label_en,
                base.label_fr,
                base.definition,
                members=tuple(
                    replace(_term(graph, m, None), anchor="")
                    for m in members
                    if isinstance(m, URIRef) and str(m).startswith(_AKG_NS)
                ),
            )
        )
    sections.append(("concept-schemes", "Concept schemes and collections", schemes))
    return sections


def _external(graph: Graph) -> list[tuple[str, str]]:
    rows: set[tuple[str, str]] = set()
    for kind, name in (
        (OWL.Class, "class"),
        (OWL.ObjectProperty, "object property"),
        (OWL.DatatypeProperty, "datatype property"),
        (OWL.AnnotationProperty, "annotation property"),
    ):
        for node in graph.subjects(RDF.type, kind):
            if isinstance(node, URIRef) and not str(node).startswith(_AKG_NS):
                rows.add((_curie(graph, node), name))
    return sorted(rows)


def _template() -> jinja2.Template:
    source = resources.files("aseankg.ontology").joinpath("docs/template.html").read_text("utf-8")
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.from_string(source)


@lru_cache(maxsize=1)
def _render_packaged() -> str:
    return _render(load_ontology_graph())


def _render(graph: Graph) -> str:
    ontology = URIRef(ONTOLOGY_IRI)
    return _template().render(
        iri=ONTOLOGY_IRI,
        title=_text(graph, ontology, DCTERMS.title, "en"),
        title_fr=_text(graph, ontology, DCTERMS.title, "fr"),
        description=_text(graph, ontology, DCTERMS.description, "en"),
        version_iri=str(graph.value(ontology, OWL.versionIRI) or ""),
        version=str(graph.value(ontology, OWL.versionInfo) or ""),
        license=str(graph.value(ontology, DCTERMS.license) or ""),
        creator=str(graph.value(ontology, DCTERMS.creator) or ""),
        sections=term_sections(graph),
        external=_external(graph),
    )


def render_ontology_html(graph: Graph | None = None) -> str:
    """The HTML documentation of the ontology (of the packaged one when ``graph`` is None).

    Raises:
        OntologyLoadError: the packaged ontology is missing or does not parse.
    """
    return _render_packaged() if graph is None else _render(graph)


def write_ontology_html(path: Path) -> None:
    """Write the documentation of the packaged ontology to ``path``.

    Raises:
        OntologyLoadError: the packaged ontology is missing or does not parse.
        OSError: the file cannot be written.
    """
    path.write_text(render_ontology_html(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Write the HTML documentation to a file; return the exit code."""
    parser = argparse.ArgumentParser(description="Write the ontology's HTML documentation.")
    parser.add_argument("output", type=Path, nargs="?", default=Path("docs/ontology.html"))
    args = parser.parse_args(argv)
    write_ontology_html(args.output)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
