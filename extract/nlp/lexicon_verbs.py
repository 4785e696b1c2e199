"""Commitment verbs of the plan-of-action genre: lemmas, inflections and strength class.

Language data only (no logic). Inflections are not listed: spaCy's rule lemmatizer with
the tables of ``spacy-lookups-data`` reads them (``lemmas.py``), also for verbs this table
lacks (their strength is then ``moderate``). ``STRENGTH`` classes are the notations of the
ontology's strength scheme: ``weak`` (explore, consider, encourage: a commitment to look
into something), ``moderate`` (support, promote, enhance: a commitment to keep doing or to
back something), ``strong`` (implement, establish, develop, provide: a commitment to deliver).
"""

from __future__ import annotations

__all__ = [
    "ADVERBS",
    "CATENATIVE",
    "LIGHT_NOUNS",
    "LIST_OPENERS",
    "OBJECT_STARTS",
    "PURPOSE_STOPS",
    "STRENGTH",
    "SUBORDINATORS",
]

# lemma -> strength class
STRENGTH: dict[str, str] = {
    # weak: to look into, to encourage others
    "explore": "weak",
    "consider": "weak",
    "encourage": "weak",
    "study": "weak",
    "examine": "weak",
    "discuss": "weak",
    "identify": "weak",
    "review": "weak",
    "seek": "weak",
    "endeavour": "weak",
    "look": "weak",
    # moderate: to keep doing, to back, to improve
    "continue": "moderate",
    "support": "moderate",
    "promote": "moderate",
    "enhance": "moderate",
    "strengthen": "moderate",
    "deepen": "moderate",
    "increase": "moderate",
    "foster": "moderate",
    "facilitate": "moderate",
    "collaborate": "moderate",
    "cooperate": "moderate",
    "coordinate": "moderate",
    "engage": "moderate",
    "maintain": "moderate",
    "advance": "moderate",
    "help": "moderate",
    "pursue": "moderate",
    "share": "moderate",
    "exchange": "moderate",
    "work": "moderate",
    "contribute": "moderate",
    "assist": "moderate",
    "expand": "moderate",
    "improve": "moderate",
    "leverage": "moderate",
    "uphold": "moderate",
    "mainstream": "moderate",
    "boost": "moderate",
    "bolster": "moderate",
    "intensify": "moderate",
    "broaden": "moderate",
    "prioritise": "moderate",
    "prioritize": "moderate",
    "advocate": "moderate",
    "raise": "moderate",
    "reaffirm": "moderate",
    "mitigate": "moderate",
    "report": "moderate",
    # strong: to deliver something
    "implement": "strong",
    "establish": "strong",
    "develop": "strong",
    "provide": "strong",
    "build": "strong",
    "hold": "strong",
    "convene": "strong",
    "conduct": "strong",
    "organise": "strong",
    "organize": "strong",
    "ensure": "strong",
    "submit": "strong",
    "deliver": "strong",
    "launch": "strong",
    "create": "strong",
    "adopt": "strong",
    "finalise": "strong",
    "finalize": "strong",
    "conclude": "strong",
    "institutionalise": "strong",
    "operationalise": "strong",
    "fund": "strong",
    "commit": "strong",
    "realise": "strong",
    "realize": "strong",
    "accelerate": "strong",
    "combat": "strong",
    "address": "moderate",
    "protect": "strong",
    "prevent": "strong",
    "reduce": "strong",
    "train": "strong",
    "invest": "strong",
    "undertake": "strong",
}

# Verbs that take a "to"-infinitive or an -ing complement that is itself a commitment.
CATENATIVE: frozenset[str] = frozenset(
    {"continue", "explore", "consider", "help", "seek", "endeavour", "work", "commit", "look"}
)

# Nouns whose "to VERB" states the purpose of the commitment ("Explore cooperation to
# support ..."), also across the noun's complements ("consultations between A and B to
# encourage ..."). "efforts" is deliberately absent: "ASEAN's efforts to strengthen ..."
# is a third party's effort, not the line's commitment.
LIGHT_NOUNS: frozenset[str] = frozenset(
    {
        "cooperation",
        "collaboration",
        "coordination",
        "engagement",
        "dialogue",
        "dialogues",
        "consultation",
        "consultations",
        "partnership",
        "partnerships",
        "exchange",
        "exchanges",
        "activities",
        "programmes",
        "programs",
        "projects",
        "initiatives",
        "work",
    }
)

# Words that end the look-back from a purpose "to" to its light noun: a relative clause,
# another party's effort or interest, "in order to".
PURPOSE_STOPS: frozenset[str] = frozenset(
    {"that", "which", "who", ";", "efforts", "effort", "interest", "order", "wishes", "need"}
)

# Words after which the text leaves the line's main clause for a list or a means
# ("including ...", "by ...-ing", "through ..."): a coordinated verb that is also a noun
# no longer counts there.
LIST_OPENERS: frozenset[str] = frozenset({"including", "by", "through", "via"})

# Words that open a subordinate clause ("initiatives that promote ...", "to combat ..."):
# no coordinated verb counts there.
SUBORDINATORS: frozenset[str] = frozenset({"which", "that", "while", "who", "so"})

# Words that may follow a coordinated verb that is also a noun ("and support the ...").
OBJECT_STARTS: frozenset[str] = frozenset(
    {
        "the",
        "a",
        "an",
        "its",
        "their",
        "our",
        "all",
        "relevant",
        "regional",
        "existing",
        "further",
        "greater",
        "more",
        "new",
        "national",
        "closer",
    }
)

# Adverbs that may open a line before its verb ("Further enhance").
ADVERBS: frozenset[str] = frozenset(
    {"further", "also", "jointly", "actively", "continuously", "progressively", "closely"}
)
