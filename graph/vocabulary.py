"""The ontology terms the graph layer writes, as pyoxigraph ``NamedNode`` constants.

Terms of our own ontology come from the generated, closed ``AKG`` namespace, so a
misspelt term fails at import rather than in the data; external vocabularies (ELI, ORG,
SKOS, DCTERMS, PROV, OA, OWL-Time) come from rdflib's namespaces or their IRIs.
"""

from __future__ import annotations

from pyoxigraph import NamedNode
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from aseankg.graph.errors import GraphError
from aseankg.ontology.namespace import AKG

__all__ = [
    "ACTOR_ROLES",
    "AKG_NS",
    "BINDING_TYPES",
    "ELI_NS",
    "INSTRUMENT_ROLES",
    "INSTRUMENT_TYPES",
    "NON_BINDING_TYPES",
    "OA_NS",
    "PREFIXES",
    "AkgTerms",
    "Dct",
    "Eli",
    "Oa",
    "Org",
    "Prov",
    "Rdf",
    "Skos",
    "Xsd",
    "akg_term",
    "entity_class",
    "instrument_type_concept",
    "role_concept",
    "status_concept",
    "strength_concept",
    "topic_concept",
]

AKG_NS = str(AKG)
ELI_NS = "http://data.europa.eu/eli/ontology#"
OA_NS = "http://www.w3.org/ns/oa#"

PREFIXES: dict[str, str] = {
    "akg": AKG_NS,
    "eli": ELI_NS,
    "oa": OA_NS,
    "org": str(ORG),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "time": "http://www.w3.org/2006/time#",
}


def akg_term(name: str) -> NamedNode:
    """The ``akg:`` term ``name``, checked against the closed ontology namespace.

    Raises:
        AttributeError: ``name`` is not a term of the ontology.
    """
    return NamedNode(str(getattr(AKG, name)))


def _node(namespace: str, name: str) -> NamedNode:
    return NamedNode(namespace + name)


class Rdf:
    type = NamedNode(str(RDF.type))
    label = NamedNode(str(RDFS.label))


class Xsd:
    string = NamedNode(str(XSD.string))
    integer = NamedNode(str(XSD.integer))
    decimal = NamedNode(str(XSD.decimal))
    boolean = NamedNode(str(XSD.boolean))
    date = NamedNode(str(XSD.date))
    date_time = NamedNode(str(XSD.dateTime))


class Eli:
    Work = _node(ELI_NS, "Work")
    WorkSubdivision = _node(ELI_NS, "WorkSubdivision")
    Expression = _node(ELI_NS, "Expression")
    is_part_of = _node(ELI_NS, "is_part_of")
    has_part = _node(ELI_NS, "has_part")
    number = _node(ELI_NS, "number")
    realizes = _node(ELI_NS, "realizes")


class Skos:
    notation = NamedNode(str(SKOS.notation))
    prefLabel = NamedNode(str(SKOS.prefLabel))
    altLabel = NamedNode(str(SKOS.altLabel))


class Dct:
    title = NamedNode(str(DCTERMS.title))
    identifier = NamedNode(str(DCTERMS.identifier))
    source = NamedNode(str(DCTERMS.source))
    format = NamedNode(str(DCTERMS.format))
    hasVersion = NamedNode(str(DCTERMS.hasVersion))
    created = NamedNode(str(DCTERMS.created))


class Org:
    subOrganizationOf = NamedNode(str(ORG.subOrganizationOf))


class Prov:
    Plan = NamedNode(str(PROV.Plan))
    Activity = NamedNode(str(PROV.Activity))
    Entity = NamedNode(str(PROV.Entity))
    SoftwareAgent = NamedNode(str(PROV.SoftwareAgent))
    used = NamedNode(str(PROV.used))
    generated = NamedNode(str(PROV.generated))
    wasGeneratedBy = NamedNode(str(PROV.wasGeneratedBy))
    wasDerivedFrom = NamedNode(str(PROV.wasDerivedFrom))
    wasAssociatedWith = NamedNode(str(PROV.wasAssociatedWith))
    wasInformedBy = NamedNode(str(PROV.wasInformedBy))
    startedAtTime = NamedNode(str(PROV.startedAtTime))
    endedAtTime = NamedNode(str(PROV.endedAtTime))


class Oa:
    Annotation = _node(OA_NS, "Annotation")
    SpecificResource = _node(OA_NS, "SpecificResource")
    TextPositionSelector = _node(OA_NS, "TextPositionSelector")
    TextQuoteSelector = _node(OA_NS, "TextQuoteSelector")
    hasBody = _node(OA_NS, "hasBody")
    hasTarget = _node(OA_NS, "hasTarget")
    hasSource = _node(OA_NS, "hasSource")
    hasSelector = _node(OA_NS, "hasSelector")
    hasScope = _node(OA_NS, "hasScope")
    motivatedBy = _node(OA_NS, "motivatedBy")
    identifying = _node(OA_NS, "identifying")
    classifying = _node(OA_NS, "classifying")
    start = _node(OA_NS, "start")
    end = _node(OA_NS, "end")
    exact = _node(OA_NS, "exact")
    prefix = _node(OA_NS, "prefix")
    suffix = _node(OA_NS, "suffix")


class AkgTerms:
    """Our own terms (resolved once, at import, against the closed namespace)."""

    PlanOfAction = akg_term("PlanOfAction")
    Section = akg_term("Section")
    Area = akg_term("Area")
    ActionLine = akg_term("ActionLine")
    SubItem = akg_term("SubItem")
    TextEdition = akg_term("TextEdition")
    Commitment = akg_term("Commitment")
    Actor = akg_term("Actor")
    Instrument = akg_term("Instrument")
    ActorLink = akg_term("ActorLink")
    InstrumentLink = akg_term("InstrumentLink")
    Mention = akg_term("Mention")
    CandidateEntity = akg_term("CandidateEntity")
    Build = akg_term("Build")
    canonicalText = akg_term("canonicalText")
    sha256 = akg_term("sha256")
    coverage = akg_term("coverage")
    parseWarning = akg_term("parseWarning")
    verb = akg_term("verb")
    verbSequence = akg_term("verbSequence")
    strength = akg_term("strength")
    plan = akg_term("plan")
    section = akg_term("section")
    area = akg_term("area")
    text = akg_term("text")
    start = akg_term("start")
    end = akg_term("end")
    page = akg_term("page")
    itemLabel = akg_term("itemLabel")
    hasCommitment = akg_term("hasCommitment")
    adopted = akg_term("adopted")
    periodStart = akg_term("periodStart")
    periodEnd = akg_term("periodEnd")
    partner = akg_term("partner")
    textEdition = akg_term("textEdition")
    referencesActor = akg_term("referencesActor")
    referencesInstrument = akg_term("referencesInstrument")
    hasActorLink = akg_term("hasActorLink")
    hasInstrumentLink = akg_term("hasInstrumentLink")
    linkedActor = akg_term("linkedActor")
    linkedInstrument = akg_term("linkedInstrument")
    role = akg_term("role")
    confidence = akg_term("confidence")
    evidence = akg_term("evidence")
    acronym = akg_term("acronym")
    status = akg_term("status")
    instrumentType = akg_term("instrumentType")
    topic = akg_term("topic")
    sdg = akg_term("sdg")
    softwareVersion = akg_term("softwareVersion")


# Concepts of the ontology's SKOS schemes. The local names follow terms.md; the
# functions are the one place that maps record strings onto concept IRIs.
ACTOR_ROLES = (
    "supports",
    "cooperates_with",
    "convenes",
    "works_through",
    "lead",
    "references",
)
INSTRUMENT_ROLES = ("implements", "conforms_to", "promotes", "references")


def _concept(prefix: str, value: str) -> NamedNode:
    local = "".join(ch if ch.isalnum() else "_" for ch in value.strip().lower())
    try:
        return akg_term(prefix + local)
    except AttributeError as exc:
        kind = prefix.rstrip("_")
        raise GraphError(f"{value!r} is not a {kind} concept of the ontology") from exc


def role_concept(kind: str, role: str) -> NamedNode:
    """The role concept of an actor or instrument link (``akg:role_supports`` ...).

    One ``akg:role_references`` concept serves both schemes, so ``kind`` does not change
    the IRI; it is kept so callers state which scheme they mean.
    """
    del kind
    return _concept("role_", role)


def strength_concept(strength: str) -> NamedNode:
    """The concept of the commitment strength scheme (``akg:strength_strong`` ...)."""
    return _concept("strength_", strength)


def topic_concept(topic: str) -> NamedNode:
    """The concept of the topic scheme named by ``topic`` (``akg:topic_human_rights``)."""
    return _concept("topic_", topic)


def status_concept(status: str) -> NamedNode:
    """The curation status concept (``akg:status_known`` / ``akg:status_candidate``)."""
    return _concept("status_", status)


def instrument_type_concept(name: str) -> NamedNode:
    """The concept of the instrument type scheme (``akg:Treaty``, ``akg:Declaration`` ...).

    Raises:
        GraphError: ``name`` is not a concept of the ontology.
    """
    try:
        return akg_term(name)
    except AttributeError as exc:
        raise GraphError(f"{name!r} is not an instrument type of the ontology") from exc


def entity_class(kind: str, type_name: str) -> NamedNode:
    """The most specific class for an entity of ``kind`` and ``type_name``.

    Instrument types map to ``akg:BindingInstrument`` / ``akg:NonBindingInstrument``;
    actor types name classes directly (``AseanBody`` ...). Unknown names fall back to
    ``akg:Actor`` / ``akg:Instrument``.
    """
    if kind == "Instrument":
        if type_name in BINDING_TYPES:
            return akg_term("BindingInstrument")
        if type_name in NON_BINDING_TYPES:
            return akg_term("NonBindingInstrument")
        return AkgTerms.Instrument
    try:
        return akg_term(type_name)
    except AttributeError:
        return AkgTerms.Actor


BINDING_TYPES = frozenset({"Treaty", "Convention", "Protocol", "Agreement", "Charter"})
NON_BINDING_TYPES = frozenset(
    {
        "Declaration",
        "Statement",
        "Plan",
        "WorkPlan",
        "ActionPlan",
        "MasterPlan",
        "Programme",
        "Framework",
        "Strategy",
        "Blueprint",
        "Vision",
        "Outlook",
        "Agenda",
        "TermsOfReference",
        "Initiative",
    }
)
INSTRUMENT_TYPES = BINDING_TYPES | NON_BINDING_TYPES
