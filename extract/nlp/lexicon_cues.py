"""Cue phrases that give the role of a mention, read leftwards from the mention.

Language data only. Each table maps a lower-case cue phrase (as tokens joined by one
space, straight quotes) to a role of DESIGN.md's "Mentions CSV". The role of a mention
is that of the nearest cue ending before it within its clause; list glue (commas, "and",
"the", other mentions) between the cue and the mention does not break the link, so
"support the work of A, B and C" gives A, B and C the same role.
"""

from __future__ import annotations

__all__ = [
    "ACTOR_CUES",
    "CLAUSE_BREAKS",
    "GLUE",
    "INSTRUMENT_CUES",
    "MAX_CUE_DISTANCE",
]

INSTRUMENT_CUES: dict[str, str] = {
    # implements: the line commits to support or pursue its implementation
    "implementation of": "implements",
    "implementation of the": "implements",
    "implement": "implements",
    "implement the": "implements",
    "implementing": "implements",
    "implementing the": "implements",
    "support for the implementation of": "implements",
    "realise": "implements",
    "realisation of": "implements",
    "realization of": "implements",
    "operationalise": "implements",
    "operationalisation of": "implements",
    "support": "implements",
    "support the": "implements",
    "supporting": "implements",
    "international law": "conforms_to",
    "according to": "conforms_to",
    "utilisation of": "implements",
    "participation in the implementation of": "implements",
    "through": "references",
    "through the": "references",
    "links and synergies between": "references",
    "between": "references",
    # conforms_to: in accordance / in line / consistent with it, under it
    "in accordance with": "conforms_to",
    "in line with": "conforms_to",
    "consistent with": "conforms_to",
    "in conformity with": "conforms_to",
    "pursuant to": "conforms_to",
    "in the framework of": "conforms_to",
    "within the framework of": "conforms_to",
    "under": "conforms_to",
    "under the": "conforms_to",
    "as embodied by": "conforms_to",
    "as embodied in": "conforms_to",
    "enshrined in": "promotes",
    "guided by": "conforms_to",
    "in support of": "implements",
    # promotes: promote, disseminate, universalise it
    "promote": "promotes",
    "promoting": "promotes",
    "promotion of": "promotes",
    "promotion and dissemination of": "promotes",
    "dissemination of": "promotes",
    "disseminate": "promotes",
    "universalisation of": "promotes",
    "universalization of": "promotes",
    "universalise": "promotes",
    "awareness of": "promotes",
    "ratification of": "promotes",
    "accession to": "promotes",
}

ACTOR_CUES: dict[str, str] = {
    # supports: support its work or efforts
    "support": "supports",
    "support the": "supports",
    "support the work of": "supports",
    "support the work of the": "supports",
    "supporting the work of": "supports",
    "the work of": "supports",
    "the work of the": "supports",
    "strengthen": "supports",
    "strengthen the": "supports",
    "capacity of": "supports",
    "support to": "supports",
    "assistance to": "supports",
    # cooperates_with: cooperation, collaboration, engagement, consultation with it
    "cooperation with": "cooperates_with",
    "cooperation with the": "cooperates_with",
    "collaboration with": "cooperates_with",
    "collaboration with the": "cooperates_with",
    "in collaboration with": "cooperates_with",
    "in partnership with": "cooperates_with",
    "partnership with": "cooperates_with",
    "engagement with": "cooperates_with",
    "engagement between": "cooperates_with",
    "consultation with": "cooperates_with",
    "consultations with": "cooperates_with",
    "consultations between": "cooperates_with",
    "dialogue with": "cooperates_with",
    "dialogues and engagement between": "cooperates_with",
    "dialogues between": "cooperates_with",
    "cooperation between": "cooperates_with",
    "collaboration between": "cooperates_with",
    "coordination with": "cooperates_with",
    "work with": "cooperates_with",
    "working with": "cooperates_with",
    "coordination and collaboration with": "cooperates_with",
    "engaging with": "cooperates_with",
    "engage with": "cooperates_with",
    "cooperate with": "cooperates_with",
    "cooperate with the": "cooperates_with",
    "cooperating with": "cooperates_with",
    "collaborate with": "cooperates_with",
    "coordinate with": "cooperates_with",
    "work closely with": "cooperates_with",
    "partner with": "cooperates_with",
    "fora": "works_through",
    "forums": "works_through",
    "report to": "references",
    "progress to": "references",
    "reports to": "references",
    "partners, such as": "cooperates_with",
    "such as": "cooperates_with",
    # convenes: hold or convene its meetings
    "convening": "convenes",
    "convening regular": "convenes",
    "convene": "convenes",
    "hold": "convenes",
    "hold regular": "convenes",
    "holding": "convenes",
    "meetings of": "convenes",
    "organise": "convenes",
    # works_through: through, within the framework of, under it
    "through": "works_through",
    "through the": "works_through",
    "within": "works_through",
    "within the framework of": "works_through",
    "within the framework of the": "works_through",
    "in the framework of": "works_through",
    "under": "works_through",
    "under the": "works_through",
    "under the work of": "works_through",
    "under the work of the": "works_through",
    "via": "works_through",
    "mechanisms of": "works_through",
    "at": "works_through",
    "including at": "works_through",
}

# Tokens that neither carry a cue nor break the link between a cue and a mention.
GLUE: frozenset[str] = frozenset(
    {
        ",",
        "and",
        "or",
        "the",
        "its",
        "their",
        "as",
        "well",
        "including",
        "namely",
        "both",
        "(",
        ")",
        "relevant",
        "regular",
        "existing",
        "annual",
        "all",
        "other",
        "/",
    }
)

# Tokens that end the clause a cue can reach across.
CLAUSE_BREAKS: frozenset[str] = frozenset({";", ".", ":"})

# How many non-glue tokens may stand between a cue and the mention it governs.
MAX_CUE_DISTANCE = 3
