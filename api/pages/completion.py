"""What the query page's editor completes and explains: the prefixes of the project and
the classes, properties and concepts its ontology declares (``akg:`` and the reused terms
of ORG, ELI, SKOS, Dublin Core, PROV, Web Annotation, OWL-Time ...), each with its English
label and definition. Read from the packaged ontology, so it works offline and before a
graph is built (the LOV completers of YASQE stay off).

Raises (from :func:`completion_terms`): ``OntologyLoadError`` when the packaged ontology
is missing or does not parse, which is a packaging bug.

>>> terms = {t.iri: t for t in completion_terms()}
>>> terms["https://w3id.org/aseankg/ontology#ActionLine"].kind
'class'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from aseankg.graph.vocabulary import PREFIXES
from aseankg.ontology.resources import load_ontology_graph

__all__ = ["CompletionTerm", "completion_terms"]

_KINDS = {
    OWL.Class: "class",
    RDFS.Class: "class",
    OWL.ObjectProperty: "property",
    OWL.DatatypeProperty: "property",
    OWL.AnnotationProperty: "property",
    RDF.Property: "property",
    SKOS.Concept: "concept",
}
_DEFINITION_CHARS = 240


@dataclass(frozen=True)
class CompletionTerm:
    """One term: its IRI, prefixed name (``akg:ActionLine``), kind (class, property or
    concept), English label and definition (cut to a tooltip's length)."""

    iri: str
    curie: str
    kind: str
    label: str
    definition: str


def _english(graph: Graph, node: URIRef, *predicates: URIRef) -> str:
    for predicate in predicates:
        values = [o for o in graph.objects(node, predicate) if isinstance(o, Literal)]
        for value in sorted(values, key=lambda v: (v.language not in ("en", None), str(v))):
            return " ".join(str(value).split())
    return ""


def _curie(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return ""


@functools.cache
def completion_terms() -> tuple[CompletionTerm, ...]:
    """Every class, property and concept of the packaged ontology under one of the
    project's prefixes, sorted by prefixed name (read once)."""
    graph = load_ontology_graph()
    found: dict[str, CompletionTerm] = {}
    for node, cls in graph.subject_objects(RDF.type):
        kind = _KINDS.get(cls)  # type: ignore[call-overload]
        if kind is None or not isinstance(node, URIRef) or str(node) in found:
            continue
        curie = _curie(str(node))
        if not curie:
            continue
        label = _english(graph, node, SKOS.prefLabel, RDFS.label) or curie.split(":", 1)[1]
        definition = _english(graph, node, SKOS.definition, RDFS.comment)
        if len(definition) > _DEFINITION_CHARS:
            definition = definition[: _DEFINITION_CHARS - 1].rstrip() + "…"
        found[str(node)] = CompletionTerm(str(node), curie, kind, label, definition)
    return tuple(sorted(found.values(), key=lambda t: (t.curie.casefold(), t.kind)))
