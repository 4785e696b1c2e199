"""The authority file of actors and instruments as plain records (no rdflib for callers).

Conventions read from ``authority/*.ttl`` (see ``docs/ontology.md``):

- an entity is an IRI typed with an ``akg:`` subclass of ``akg:Actor`` or ``akg:Instrument``
  (``akg:Party`` included); its ``id`` is the last segment of the IRI;
- ``type``: for actors the local name of the most specific actor class (``AseanBody`` ...,
  ``Party`` only when it is the sole class); for instruments the local name of the
  ``akg:instrumentType`` concept (``Treaty`` ...), else of the most specific class;
- ``label``: ``skos:prefLabel`` (English or untagged), else ``rdfs:label``;
- ``acronyms``: ``akg:acronym``; ``alt_labels``: the other ``skos:altLabel`` values;
- ``parent``: ``org:subOrganizationOf`` for actors, ``akg:adoptedBy`` for instruments;
- ``binding``: ``akg:binding``, else implied by the class or the type concept's collection;
- ``year``: ``akg:year``; period: ``akg:periodStart``/``akg:periodEnd``, else the years of
  the ``akg:period`` interval's ``time:hasBeginning``/``time:hasEnd`` instants.

>>> from aseankg.ontology.authority import load_authority
>>> all(entity.label for entity in load_authority())
True
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rdflib import RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from aseankg.ontology.errors import OntologyLoadError
from aseankg.ontology.namespace import AKG
from aseankg.ontology.records import AuthorityEntity
from aseankg.ontology.resources import load_authority_graph, load_ontology_graph

__all__ = ["TIME", "entities_from_graph", "load_authority", "slug_of"]

_ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
_AKG = str(AKG._NS)


def slug_of(iri: str) -> str:
    """The last segment of an IRI (after the last ``/`` or ``#``).

    >>> slug_of("https://w3id.org/aseankg/id/actor/aichr")
    'aichr'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _subclasses(tbox: Graph, root: URIRef) -> set[URIRef]:
    found = {root}
    frontier = [root]
    while frontier:
        current = frontier.pop()
        for sub in tbox.subjects(RDFS.subClassOf, current):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                frontier.append(sub)
    return found


def _most_specific(tbox: Graph, classes: set[URIRef]) -> URIRef:
    def depth(cls: URIRef) -> int:
        return sum(1 for other in classes if other != cls and cls in _subclasses(tbox, other))

    # A class none of the others specialises; Party yields to any other actor class.
    leaves = sorted(c for c in classes if depth(c) == 0)
    preferred = [c for c in leaves if c != AKG.Party] or leaves
    return preferred[0]


def _english(values: Iterable[Node]) -> list[str]:
    texts = [v for v in values if isinstance(v, Literal) and v.language in (None, "en")]
    return sorted({" ".join(str(v).split()) for v in texts})


def _year(value: Node | None) -> int | None:
    if not isinstance(value, Literal):
        return None
    text = str(value).strip()
    digits = text[:4] if text[:1] != "-" else ""
    return int(digits) if digits.isdigit() else None


def _bool(value: Node | None) -> bool | None:
    if not isinstance(value, Literal):
        return None
    python = value.toPython()
    if isinstance(python, bool):
        return python
    return {"true": True, "1": True, "false": False, "0": False}.get(str(value).strip().lower())


def _instant_year(graph: Graph, interval: Node | None, edge: URIRef) -> int | None:
    if interval is None:
        return None
    instant = graph.value(interval, edge)
    if instant is None:
        return None
    for predicate in (TIME.inXSDgYear, TIME.year, AKG.year):
        year = _year(graph.value(instant, predicate))
        if year is not None:
            return year
    return None


def _binding(graph: Graph, tbox: Graph, subject: URIRef, classes: set[URIRef]) -> bool | None:
    explicit = _bool(graph.value(subject, AKG.binding))
    if explicit is not None:
        return explicit
    if AKG.BindingInstrument in classes:
        return True
    if AKG.NonBindingInstrument in classes:
        return False
    concept = graph.value(subject, AKG.instrumentType)
    if concept is not None:
        if (AKG.BindingInstrumentTypes, SKOS.member, concept) in tbox:
            return True
        if (AKG.NonBindingInstrumentTypes, SKOS.member, concept) in tbox:
            return False
    return None


def _entity(
    graph: Graph, tbox: Graph, subject: URIRef, kind: str, classes: set[URIRef]
) -> AuthorityEntity:
    labels = _english(graph.objects(subject, SKOS.prefLabel)) or _english(
        graph.objects(subject, RDFS.label)
    )
    if not labels:
        raise OntologyLoadError(f"authority entity {subject} has no English label")
    acronyms = _english(graph.objects(subject, AKG.acronym))
    alt_labels = [a for a in _english(graph.objects(subject, SKOS.altLabel)) if a not in acronyms]
    if kind == "Actor":
        type_name = slug_of(str(_most_specific(tbox, classes)))
        parent_node = graph.value(subject, _ORG.subOrganizationOf)
        binding = None
    else:
        concept = graph.value(subject, AKG.instrumentType)
        chosen = concept if isinstance(concept, URIRef) else _most_specific(tbox, classes)
        type_name = slug_of(str(chosen))
        parents = sorted(str(p) for p in graph.objects(subject, AKG.adoptedBy))
        parent_node = URIRef(parents[0]) if parents else None
        binding = _binding(graph, tbox, subject, classes)
    period = graph.value(subject, AKG.period)
    start = _year(graph.value(subject, AKG.periodStart))
    end = _year(graph.value(subject, AKG.periodEnd))
    return AuthorityEntity(
        id=slug_of(str(subject)),
        kind="Actor" if kind == "Actor" else "Instrument",
        type=type_name,
        label=labels[0],
        acronyms=tuple(acronyms),
        alt_labels=tuple(alt_labels),
        parent=slug_of(str(parent_node)) if isinstance(parent_node, URIRef) else None,
        party=AKG.Party in classes,
        binding=binding,
        year=_year(graph.value(subject, AKG.year)),
        period_start=start
        if start is not None
        else _instant_year(graph, period, TIME.hasBeginning),
        period_end=end if end is not None else _instant_year(graph, period, TIME.hasEnd),
    )


def entities_from_graph(graph: Graph, tbox: Graph | None = None) -> tuple[AuthorityEntity, ...]:
    """The actors and instruments of an authority graph, sorted by kind and id.

    Raises:
        OntologyLoadError: an entity is typed both actor and instrument, or has no label.
    """
    tbox = load_ontology_graph() if tbox is None else tbox
    actor_classes = _subclasses(tbox, AKG.Actor)
    instrument_classes = _subclasses(tbox, AKG.Instrument)
    entities: list[AuthorityEntity] = []
    for subject in sorted({s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}):
        classes = {
            c
            for c in graph.objects(subject, RDF.type)
            if isinstance(c, URIRef) and str(c).startswith(_AKG)
        }
        actor = classes & actor_classes
        instrument = classes & instrument_classes
        if actor and instrument:
            raise OntologyLoadError(
                f"authority entity {subject} is typed both actor and instrument"
            )
        if actor:
            entities.append(_entity(graph, tbox, subject, "Actor", actor))
        elif instrument:
            entities.append(_entity(graph, tbox, subject, "Instrument", instrument))
    return tuple(sorted(entities, key=lambda e: (e.kind, e.id)))


@lru_cache(maxsize=1)
def load_authority() -> tuple[AuthorityEntity, ...]:
    """Every curated actor and instrument of the packaged authority files (cached).

    Raises:
        OntologyLoadError: a file does not parse, or an entity breaks the conventions above.
    """
    return entities_from_graph(load_authority_graph(), load_ontology_graph())
