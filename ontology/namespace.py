"""The ``akg:`` vocabulary as a closed rdflib namespace: misspelt terms fail at import.

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

    # Classes
    ActionLine: URIRef  # action line
    Actor: URIRef  # actor
    ActorLink: URIRef  # actor link
    AlignmentMethod: URIRef  # alignment method
    Area: URIRef  # area of cooperation
    AseanBody: URIRef  # ASEAN body
    BindingInstrument: URIRef  # binding instrument
    Build: URIRef  # build
    CanadianBody: URIRef  # Canadian body
    CandidateEntity: URIRef  # candidate entity
    Commitment: URIRef  # commitment
    Continuity: URIRef  # continuity of an action line
    Instrument: URIRef  # instrument
    InstrumentLink: URIRef  # instrument link
    InternationalOrganisation: URIRef  # international organisation
    Link: URIRef  # link
    MeetingMechanism: URIRef  # meeting mechanism
    Mention: URIRef  # mention
    NonBindingInstrument: URIRef  # non-binding instrument
    PartnerBody: URIRef  # dialogue partner body
    Partnership: URIRef  # partnership
    Party: URIRef  # party
    PlanOfAction: URIRef  # plan of action
    Section: URIRef  # section
    SubItem: URIRef  # sub-item
    TextEdition: URIRef  # text edition

    # Object properties
    adoptedBy: URIRef  # adopted by
    area: URIRef  # area
    conformsTo: URIRef  # conforms to
    continuity: URIRef  # continuity
    convenes: URIRef  # convenes
    cooperatesWith: URIRef  # cooperates with
    edition: URIRef  # edition
    entityAdded: URIRef  # entity added
    entityRemoved: URIRef  # entity removed
    evidence: URIRef  # evidence
    follows: URIRef  # follows the edition
    hasActorLink: URIRef  # has actor link
    hasCommitment: URIRef  # has commitment
    hasInstrumentLink: URIRef  # has instrument link
    hasLink: URIRef  # has link
    implements: URIRef  # implements
    instrumentType: URIRef  # instrument type
    ledBy: URIRef  # led by
    line: URIRef  # action line
    linkedActor: URIRef  # linked actor
    linkedInstrument: URIRef  # linked instrument
    method: URIRef  # alignment method
    partner: URIRef  # party to the plan
    partnership: URIRef  # partnership
    period: URIRef  # period
    plan: URIRef  # plan
    previousLine: URIRef  # previous action line
    previousPlan: URIRef  # previous edition
    promotes: URIRef  # promotes
    referencesActor: URIRef  # references actor
    referencesInstrument: URIRef  # references instrument
    relation: URIRef  # continuity relation
    role: URIRef  # role
    sdg: URIRef  # sustainable development goal
    section: URIRef  # section
    status: URIRef  # curation status
    strength: URIRef  # commitment strength
    supportsActor: URIRef  # supports
    textEdition: URIRef  # text edition
    topic: URIRef  # topic
    worksThrough: URIRef  # works through

    # Datatype properties
    adopted: URIRef  # adopted on
    binding: URIRef  # binding
    canonicalText: URIRef  # canonical text
    confidence: URIRef  # confidence
    coverage: URIRef  # coverage
    end: URIRef  # end offset
    followsEvidence: URIRef  # evidence of the previous edition
    itemLabel: URIRef  # item label
    page: URIRef  # page
    parseWarning: URIRef  # parse warning
    periodEnd: URIRef  # period end year
    periodStart: URIRef  # period start year
    rank: URIRef  # rank
    sha256: URIRef  # SHA-256
    similarity: URIRef  # similarity
    softwareVersion: URIRef  # software version
    start: URIRef  # start offset
    strengthChange: URIRef  # change of commitment strength
    text: URIRef  # text
    verb: URIRef  # commitment verb
    verbSequence: URIRef  # verb sequence
    wordDiff: URIRef  # word diff
    year: URIRef  # year

    # Annotation properties
    acronym: URIRef  # acronym

    # Concept schemes
    ActorRoleScheme: URIRef  # actor roles
    ContinuityScheme: URIRef  # continuity relations
    CurationStatusScheme: URIRef  # curation statuses
    InstrumentRoleScheme: URIRef  # instrument roles
    InstrumentTypeScheme: URIRef  # instrument types
    StrengthScheme: URIRef  # commitment strength scale
    TopicScheme: URIRef  # topics of cooperation

    # Collections
    BindingInstrumentTypes: URIRef  # binding instrument types
    NonBindingInstrumentTypes: URIRef  # non-binding instrument types

    # Ordered collections
    StrengthOrder: URIRef  # commitment strengths in order

    # Concepts
    ActionPlan: URIRef  # action plan
    Agenda: URIRef  # agenda
    Agreement: URIRef  # agreement
    Blueprint: URIRef  # blueprint
    Charter: URIRef  # charter
    Convention: URIRef  # convention
    Declaration: URIRef  # declaration
    Framework: URIRef  # framework
    Initiative: URIRef  # initiative
    MasterPlan: URIRef  # master plan
    Outlook: URIRef  # outlook
    Plan: URIRef  # plan
    Programme: URIRef  # programme
    Protocol: URIRef  # protocol
    Statement: URIRef  # statement
    Strategy: URIRef  # strategy
    TermsOfReference: URIRef  # terms of reference
    Treaty: URIRef  # treaty
    Vision: URIRef  # vision
    WorkPlan: URIRef  # work plan
    continuity_carried_over: URIRef  # carried over
    continuity_dropped: URIRef  # dropped
    continuity_new: URIRef  # new
    continuity_revised: URIRef  # revised
    role_conforms_to: URIRef  # conforms to
    role_convenes: URIRef  # convenes
    role_cooperates_with: URIRef  # cooperates with
    role_implements: URIRef  # implements
    role_lead: URIRef  # lead
    role_promotes: URIRef  # promotes
    role_references: URIRef  # references
    role_supports: URIRef  # supports
    role_works_through: URIRef  # works through
    status_candidate: URIRef  # candidate
    status_known: URIRef  # known
    strength_moderate: URIRef  # moderate
    strength_strong: URIRef  # strong
    strength_unspecified: URIRef  # unspecified
    strength_weak: URIRef  # weak
    topic_civil_service: URIRef  # civil service
    topic_connectivity: URIRef  # connectivity
    topic_counter_terrorism: URIRef  # counter-terrorism
    topic_cross_pillar: URIRef  # cross-pillar cooperation
    topic_cybersecurity: URIRef  # cybersecurity
    topic_disaster_management: URIRef  # disaster management and emergency response
    topic_economic_cooperation: URIRef  # economic cooperation
    topic_education_youth_culture: URIRef  # education, youth, sports, culture and people-to-peop...
    topic_energy: URIRef  # energy and minerals
    topic_environment_climate: URIRef  # environment and climate change
    topic_finance: URIRef  # finance
    topic_food_agriculture: URIRef  # food, agriculture and forestry
    topic_good_governance: URIRef  # good governance and anti-corruption
    topic_health: URIRef  # health
    topic_human_rights: URIRef  # human rights
    topic_ict_digital: URIRef  # ICT, digital integration and e-commerce
    topic_illicit_drugs: URIRef  # illicit drugs
    topic_implementation: URIRef  # implementation, monitoring and review
    topic_institutional_strengthening: URIRef  # institutional strengthening
    topic_maritime_security: URIRef  # maritime security
    topic_migrant_workers: URIRef  # rights of migrant workers
    topic_msme: URIRef  # micro, small and medium enterprises
    topic_narrowing_development_gap: URIRef  # narrowing the development gap
    topic_political_security: URIRef  # political and security cooperation
    topic_science_technology: URIRef  # science, technology and innovation
    topic_smart_cities: URIRef  # smart cities
    topic_social_protection_gender: URIRef  # social protection, inclusion and gender
    topic_socio_cultural_cooperation: URIRef  # socio-cultural cooperation
    topic_sustainable_development: URIRef  # sustainable development
    topic_tourism: URIRef  # tourism
    topic_trade_investment: URIRef  # trade and investment
    topic_trafficking_in_persons: URIRef  # trafficking in persons
    topic_transnational_crime: URIRef  # transnational crime
    topic_transport: URIRef  # transport
