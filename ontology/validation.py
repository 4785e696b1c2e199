"""SHACL validation of a graph against ``shapes.ttl`` with pySHACL.

The ontology's named ``rdfs:subClassOf`` axioms are added to a copy of the data graph so
that ``sh:class`` sees the class hierarchy; no other inference runs. (pySHACL's own
``ont_graph`` mixing clones blank-node structures recursively and takes minutes on the
ontology's OWL lists.)

>>> from rdflib import Graph
>>> from aseankg.ontology.validation import validate_graph
>>> validate_graph(Graph())
(True, ...)
"""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from rdflib import RDFS, Graph, URIRef
from rdflib.namespace import SH

from aseankg.ontology.resources import load_ontology_graph, load_shapes_graph

__all__ = ["ShaclReport", "shacl_report", "validate_graph"]


@dataclass(frozen=True)
class ShaclReport:
    """A SHACL validation: ``text`` is pySHACL's report, ``graph`` the report as RDF."""

    conforms: bool
    text: str
    graph: Graph

    def violated_shapes(self) -> set[str]:
        """The IRIs of the shapes that produced a top-level result (named property shapes)."""
        sources = (self.graph.value(r, SH.sourceShape) for r in self.graph.objects(None, SH.result))
        return {str(source) for source in sources if isinstance(source, URIRef)}

    def focus_nodes(self) -> set[str]:
        """The nodes that failed a shape."""
        nodes = (self.graph.value(r, SH.focusNode) for r in self.graph.objects(None, SH.result))
        return {str(node) for node in nodes if node is not None}


def shacl_report(graph: Graph, *, shapes: Graph | None = None) -> ShaclReport:
    """Validate ``graph`` against the packaged shapes (or ``shapes``), keeping the details.

    Raises:
        OntologyLoadError: the shapes or the ontology file is missing or does not parse.
    """
    data = Graph()
    data += graph
    for sub, sup in load_ontology_graph().subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            data.add((sub, RDFS.subClassOf, sup))
    conforms, report_graph, report_text = pyshacl.validate(
        data,
        shacl_graph=shapes if shapes is not None else load_shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
    )
    return ShaclReport(bool(conforms), str(report_text), report_graph)


def validate_graph(graph: Graph, *, shapes: Graph | None = None) -> tuple[bool, str]:
    """Validate ``graph``; return ``(conforms, report text)``.

    Raises:
        OntologyLoadError: the shapes or the ontology file is missing or does not parse.
    """
    report = shacl_report(graph, shapes=shapes)
    return report.conforms, report.text
