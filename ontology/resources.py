"""Paths to the packaged ontology files, and loaders that parse them with rdflib.

The files ship inside the ``aseankg.ontology`` package (``importlib.resources``), so the
loaders work from a source tree, an editable install or a wheel alike.

>>> from aseankg.ontology.resources import load_ontology_graph
>>> len(load_ontology_graph()) > 0
True
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rdflib import Graph

from aseankg.ontology.errors import OntologyLoadError

__all__ = [
    "ONTOLOGY_IRI",
    "authority_paths",
    "load_authority_graph",
    "load_ontology_graph",
    "load_shapes_graph",
    "load_turtle",
    "ontology_path",
    "shapes_path",
]

ONTOLOGY_IRI = "https://w3id.org/aseankg/ontology"
_PACKAGE = "aseankg.ontology"


def _packaged(name: str) -> Path:
    path = Path(str(resources.files(_PACKAGE).joinpath(name)))
    if not path.is_file():
        raise OntologyLoadError(f"packaged ontology file missing: {name}")
    return path


def ontology_path() -> Path:
    """The path of the TBox, ``aseankg.ttl``.

    Raises:
        OntologyLoadError: the file is not installed.
    """
    return _packaged("aseankg.ttl")


def shapes_path() -> Path:
    """The path of the SHACL shapes, ``shapes.ttl``.

    Raises:
        OntologyLoadError: the file is not installed.
    """
    return _packaged("shapes.ttl")


def authority_paths() -> tuple[Path, ...]:
    """The authority files (``authority/*.ttl``), sorted by name; empty when none exist."""
    folder = Path(str(resources.files(_PACKAGE).joinpath("authority")))
    if not folder.is_dir():
        return ()
    return tuple(sorted(p for p in folder.glob("*.ttl") if p.is_file()))


def load_turtle(*paths: Path) -> Graph:
    """Parse Turtle files into one rdflib graph.

    Raises:
        OntologyLoadError: a file is missing or is not valid Turtle.
    """
    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except FileNotFoundError as exc:
            raise OntologyLoadError(f"{path}: file not found") from exc
        except Exception as exc:  # rdflib raises many parser exception types
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise OntologyLoadError(f"{path.name}: not valid Turtle: {first}") from exc
    return graph


def load_ontology_graph() -> Graph:
    """The TBox (classes, properties, concept schemes) as an rdflib graph.

    Raises:
        OntologyLoadError: the file is missing or does not parse.
    """
    return load_turtle(ontology_path())


def load_authority_graph() -> Graph:
    """Every authority file merged into one rdflib graph (empty when there is none).

    Raises:
        OntologyLoadError: a file does not parse.
    """
    return load_turtle(*authority_paths())


def load_shapes_graph() -> Graph:
    """The SHACL shapes as an rdflib graph.

    Raises:
        OntologyLoadError: the file is missing or does not parse.
    """
    return load_turtle(shapes_path())
