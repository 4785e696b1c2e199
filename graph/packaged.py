"""The packaged graphs: the ontology (TBox), the authority file and the SHACL shapes.

They ship inside ``aseankg.ontology`` and are read with ``importlib.resources``. Loaded
into the store, their blank nodes (OWL axioms, RDF lists) are canonicalised (RDFC-1.0)
and skolemised to IRIs under the base, so every node has an IRI and two builds dump the
same bytes; IRIs under the default data base are moved onto the configured base.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    parse,
)

from aseankg.graph.errors import GraphError
from aseankg.graph.iris import Minter, rebase

__all__ = [
    "PackagedGraph",
    "authority_graph",
    "ontology_graph",
    "shapes_text",
]

_PACKAGE = "aseankg.ontology"
_ONTOLOGY = "aseankg.ttl"
_SHAPES = "shapes.ttl"
_AUTHORITY = "authority"


@dataclass(frozen=True)
class PackagedGraph:
    """The quads of one packaged named graph and the sha256 of their source bytes."""

    name: str
    quads: tuple[Quad, ...]
    sha256: str


def _resource(*parts: str) -> Traversable:
    node = resources.files(_PACKAGE)
    for part in parts:
        node = node.joinpath(part)
    return node


def _read(node: Traversable) -> bytes:
    try:
        return node.read_bytes()
    except OSError as exc:
        raise GraphError(f"the packaged file {node.name} cannot be read: {exc}") from exc


def _term(term: object, minter: Minter, scope: str) -> object:
    if isinstance(term, BlankNode):
        return NamedNode(minter.skolem(scope, term.value))
    if isinstance(term, NamedNode):
        return NamedNode(rebase(term.value, minter.base))
    return term


def _skolemised(data: list[bytes], minter: Minter, scope: str) -> tuple[Quad, ...]:
    dataset = Dataset()
    for chunk in data:
        try:
            for quad in parse(chunk, RdfFormat.TURTLE):
                dataset.add(quad)
        except SyntaxError as exc:
            raise GraphError(f"a packaged {scope} file does not parse: {exc}") from exc
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    graph = NamedNode(minter.base + "graph/" + scope)
    out: list[Quad] = []
    for quad in dataset:
        subject = _term(quad.subject, minter, scope)
        obj = _term(quad.object, minter, scope)
        assert isinstance(subject, NamedNode)
        assert isinstance(obj, NamedNode | Literal)
        out.append(Quad(subject, quad.predicate, obj, graph))
    return tuple(sorted(out, key=str))


def ontology_graph(minter: Minter) -> PackagedGraph:
    """The ontology as quads of ``graph/ontology``.

    Raises:
        GraphError: the packaged ontology is missing or does not parse.
    """
    data = _read(_resource(_ONTOLOGY))
    quads = _skolemised([data], minter, "ontology")
    return PackagedGraph("ontology", quads, hashlib.sha256(data).hexdigest())


def _authority_files() -> Iterator[Traversable]:
    folder = _resource(_AUTHORITY)
    if folder.is_dir():
        yield from sorted(
            (entry for entry in folder.iterdir() if entry.name.endswith(".ttl")),
            key=lambda entry: entry.name,
        )


def authority_graph(minter: Minter) -> PackagedGraph:
    """The authority file(s) as quads of ``graph/authority`` (empty when none ship).

    Raises:
        GraphError: a packaged authority file does not parse.
    """
    chunks = [_read(entry) for entry in _authority_files()]
    quads = _skolemised(chunks, minter, "authority")
    digest = hashlib.sha256(b"".join(hashlib.sha256(c).digest() for c in chunks)).hexdigest()
    return PackagedGraph("authority", quads, digest)


def shapes_text() -> str | None:
    """The SHACL shapes (Turtle), or None when the ontology package ships none."""
    node = _resource(_SHAPES)
    if not node.is_file():
        return None
    return _read(node).decode("utf-8")
