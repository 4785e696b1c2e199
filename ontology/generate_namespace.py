"""Generate ``namespace.py``, the closed ``AKG`` namespace, from ``aseankg.ttl``.

Run ``python -m aseankg.ontology.generate_namespace`` after editing the ontology; a test
fails while the two disagree. ``--check`` exits 1 instead of writing when they differ.

>>> from aseankg.ontology.generate_namespace import render_namespace_module
>>> "class AKG(DefinedNamespace):" in render_namespace_module()
True
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from aseankg.ontology.resources import load_ontology_graph

__all__ = ["AKG_NAMESPACE", "collect_terms", "main", "render_namespace_module"]

AKG_NAMESPACE = "https://w3id.org/aseankg/ontology#"

# Order of the groups in the generated module, by the term's OWL/SKOS type.
_GROUPS: tuple[tuple[str, URIRef], ...] = (
    ("Classes", OWL.Class),
    ("Object properties", OWL.ObjectProperty),
    ("Datatype properties", OWL.DatatypeProperty),
    ("Annotation properties", OWL.AnnotationProperty),
    ("Concept schemes", SKOS.ConceptScheme),
    ("Collections", SKOS.Collection),
    ("Ordered collections", SKOS.OrderedCollection),
    ("Concepts", SKOS.Concept),
)

_HEADER = '''"""The ``akg:`` vocabulary as a closed rdflib namespace: misspelt terms fail at import.

Generated from ``aseankg.ttl`` by ``python -m aseankg.ontology.generate_namespace``;
do not edit by hand (a test fails when this file and the ontology drift apart).
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["AKG"]


class AKG(DefinedNamespace):
    """aseankg ontology: https://w3id.org/aseankg/ontology#"""

    _fail = True
    _NS = Namespace("https://w3id.org/aseankg/ontology#")
'''


def _english_label(graph: Graph, term: URIRef) -> str:
    for predicate in (RDFS.label, SKOS.prefLabel):
        for value in graph.objects(term, predicate):
            if isinstance(value, Literal) and value.language == "en":
                return " ".join(str(value).split())
    return ""


def collect_terms(graph: Graph | None = None) -> dict[str, list[tuple[str, str]]]:
    """The ``akg:`` terms of the ontology by group, as (local name, English label) pairs.

    Raises:
        OntologyLoadError: the packaged ontology is missing or does not parse.
    """
    graph = load_ontology_graph() if graph is None else graph
    seen: set[str] = set()
    groups: dict[str, list[tuple[str, str]]] = {}
    for title, rdf_type in _GROUPS:
        names: list[tuple[str, str]] = []
        for subject in sorted(set(graph.subjects(RDF.type, rdf_type)), key=str):
            if not isinstance(subject, URIRef) or not str(subject).startswith(AKG_NAMESPACE):
                continue
            local = str(subject)[len(AKG_NAMESPACE) :]
            if local in seen:
                continue
            seen.add(local)
            names.append((local, _english_label(graph, subject)))
        groups[title] = names
    return groups


def render_namespace_module(graph: Graph | None = None) -> str:
    """The source text of ``namespace.py`` for the ontology.

    Raises:
        OntologyLoadError: the packaged ontology is missing or does not parse.
        ValueError: a term's local name is not a Python identifier.
    """
    lines = [_HEADER]
    for title, names in collect_terms(graph).items():
        if not names:
            continue
        lines.append(f"    # {title}")
        for local, label in names:
            if not local.isidentifier():
                raise ValueError(f"akg:{local} is not a Python identifier")
            entry = f"    {local}: URIRef"
            if label:
                room = 100 - len(entry) - 4
                text = label if len(label) <= room else label[: room - 3].rstrip() + "..."
                entry = f"{entry}  # {text}"
            lines.append(entry)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _module_path() -> Path:
    return Path(__file__).resolve().with_name("namespace.py")


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check``, compare) ``namespace.py``; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=None, help="file to write")
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is stale")
    args = parser.parse_args(argv)
    target: Path = args.output or _module_path()
    text = render_namespace_module()
    current = target.read_text(encoding="utf-8") if target.exists() else None
    if args.check:
        if current != text:
            print(f"{target} is stale: run python -m {__spec__.name}", file=sys.stderr)
            return 1
        return 0
    if current != text:
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
