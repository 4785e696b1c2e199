"""Head nouns that make a capitalised name an actor or an instrument, with its type.

Language data only. Keys are lower-case head phrases as they end a name or precede its
first preposition ("Committee" in "ASEAN Committee on Disaster Management", "Plan of Action"
in "ASEAN Plan of Action on Energy Cooperation"). Values are (kind, type): the type is a
local name of the ontology (actor classes, or concepts of the instrument type scheme).
Multi-word heads are listed before their last word so the longest head wins.
"""

from __future__ import annotations

__all__ = [
    "ACTOR_HEADS",
    "HEADS",
    "INSTRUMENT_HEADS",
    "INTERNATIONAL_MARKERS",
    "MEETING_TYPE",
    "NAME_CONNECTORS",
    "NOT_NAME_STARTS",
    "PLURAL_HEADS",
]

MEETING_TYPE = "MeetingMechanism"

ACTOR_HEADS: dict[str, str] = {
    "commission": "AseanBody",
    "committee": "AseanBody",
    "centre": "AseanBody",
    "center": "AseanBody",
    "network": "AseanBody",
    "secretariat": "AseanBody",
    "office": "AseanBody",
    "institute": "AseanBody",
    "council": "AseanBody",
    "working group": "AseanBody",
    "task force": "AseanBody",
    "board": "AseanBody",
    "foundation": "AseanBody",
    "agency": "AseanBody",
    "authority": "AseanBody",
    "ministry": "PartnerBody",
    "department": "PartnerBody",
    "minister": "PartnerBody",
    # a partner's representation to ASEAN ("Ambassador of Japan to ASEAN")
    "ambassador": "PartnerBody",
    "mission": "PartnerBody",
    "permanent mission": "PartnerBody",
    "ministers": "AseanBody",
    "organization": "InternationalOrganisation",
    "organisation": "InternationalOrganisation",
    "fund": "InternationalOrganisation",
    "bank": "InternationalOrganisation",
    "alliance": "InternationalOrganisation",
    "defence force": "PartnerBody",
    "armed forces": "PartnerBody",
    "service": "PartnerBody",
    "process": MEETING_TYPE,
    "forum": MEETING_TYPE,
    "meeting": MEETING_TYPE,
    "meetings": MEETING_TYPE,
    "conference": MEETING_TYPE,
    "summit": MEETING_TYPE,
    "dialogue": MEETING_TYPE,
    "consultations": MEETING_TYPE,
    # a standing venue or institution of the genre ("ASEAN Culture House")
    "house": "AseanBody",
}

INSTRUMENT_HEADS: dict[str, str] = {
    "treaty": "Treaty",
    "convention": "Convention",
    "protocol": "Protocol",
    "agreement": "Agreement",
    "charter": "Charter",
    "joint declaration": "Declaration",
    "declaration": "Declaration",
    "joint statement": "Statement",
    "statement": "Statement",
    "plan of action": "ActionPlan",
    "action plan": "ActionPlan",
    "strategic action plan": "ActionPlan",
    "work plan": "WorkPlan",
    "workplan": "WorkPlan",
    "master plan": "MasterPlan",
    "masterplan": "MasterPlan",
    "code of conduct": "Agreement",
    "standard operating procedure": "Framework",
    "standard operating procedures": "Framework",
    "strategic plan": "Plan",
    "plan": "Plan",
    "work programme": "Programme",
    "programme": "Programme",
    "program": "Programme",
    "framework": "Framework",
    "strategy": "Strategy",
    "blueprint": "Blueprint",
    "vision": "Vision",
    "outlook": "Outlook",
    "agenda": "Agenda",
    "roadmap": "Plan",
    "terms of reference": "TermsOfReference",
    "initiative": "Initiative",
    "project": "Initiative",
    # connectivity projects of the genre: a named road, line or grid is a project
    # ("India-Myanmar-Thailand Trilateral Highway", "Trans-ASEAN Gas Pipeline")
    "highway": "Initiative",
    "corridor": "Initiative",
    "railway": "Initiative",
    "rail link": "Initiative",
    "pipeline": "Initiative",
    "power grid": "Initiative",
    "single window": "Initiative",
}

HEADS: dict[str, tuple[str, str]] = {
    **{head: ("Actor", kind) for head, kind in ACTOR_HEADS.items()},
    **{head: ("Instrument", kind) for head, kind in INSTRUMENT_HEADS.items()},
}

# Plural forms the text uses for a head ("Programmes", "Meetings").
PLURAL_HEADS: dict[str, str] = {
    "programmes": "programme",
    "programs": "programme",
    "plans": "plan",
    "work plans": "work plan",
    "frameworks": "framework",
    "agreements": "agreement",
    "conventions": "convention",
    "declarations": "declaration",
    "treaties": "treaty",
    "protocols": "protocol",
    "strategies": "strategy",
    "initiatives": "initiative",
    "projects": "initiative",
    "centres": "centre",
    "committees": "committee",
    "networks": "network",
    "forums": "forum",
    "fora": "forum",
    "institutes": "institute",
}

# Lower-case words allowed inside a capitalised name ("Treaty of Amity and Cooperation in
# Southeast Asia", "Convention against Corruption").
NAME_CONNECTORS: frozenset[str] = frozenset(
    {"of", "on", "for", "and", "the", "in", "to", "against", "with", "from", "&"}
)

# Capitalised words that open a sentence or a phrase but never a name.
NOT_NAME_STARTS: frozenset[str] = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "both", "all"}
)

# Words that mark a name as an international (not ASEAN) organisation.
INTERNATIONAL_MARKERS: frozenset[str] = frozenset(
    {"united", "nations", "international", "world", "global", "un"}
)
