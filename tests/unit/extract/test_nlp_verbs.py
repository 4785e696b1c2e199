"""Commitment verbs: what the line commits to, not what others do or how."""

from __future__ import annotations

import pytest
import spacy

from aseankg.extract.nlp.verbs import find_verbs, strength_of

NLP = spacy.blank("en")


def _verbs(text: str) -> list[str]:
    return [lemma for lemma, _ in find_verbs(NLP(text))]


@pytest.mark.parametrize(
    ("text", "verbs"),
    [
        ("Continue to support the work of the AICHR", ["continue", "support"]),
        ("Further enhance cooperation to advance the agenda", ["enhance", "advance"]),
        (
            "Explore cooperation to support the implementation of the ASEAN Declaration",
            ["explore", "support"],
        ),
        (
            "Enhance cooperation on drug crimes and support the implementation of the plan",
            ["enhance", "support"],
        ),
        ("Support and foster the efficient access to financing", ["support", "foster"]),
        (
            "Continue to support ASEAN’s efforts to strengthen the ASEAN Secretariat by "
            "enhancing its capacity, and explore providing training",
            ["continue", "support", "explore", "provide"],
        ),
        (
            "Support the ASEAN Outlook on the Indo-Pacific by exploring possible cooperation",
            ["support"],
        ),
        (
            "Support regional integration through initiatives that promote stability and "
            "strengthen regulators",
            ["support"],
        ),
        (
            "Explore consultations between the ASOMM and Canada to encourage investments "
            "and promote sustainable development",
            ["explore", "encourage", "promote"],
        ),
        ("The measures provided under this Plan may be implemented with funding", ["implement"]),
        (
            "Strengthen cooperation in combatting cybercrimes, taking into account the need "
            "to develop or improve laws",
            ["strengthen"],
        ),
    ],
)
def test_commitment_verbs(text: str, verbs: list[str]) -> None:
    assert _verbs(text) == verbs


def test_a_noun_after_and_is_no_verb() -> None:
    assert _verbs("Support capacity building, support for research and exchange of views") == [
        "support"
    ]


def test_strength_is_the_highest_rank_of_the_line() -> None:
    doc = NLP("Explore cooperation to support the implementation of the plan")
    assert strength_of(doc, find_verbs(doc)) == "strong"
    doc = NLP("Explore cooperation on tourism")
    assert strength_of(doc, find_verbs(doc)) == "weak"
    doc = NLP("Review of this Plan of Action will be made")
    assert strength_of(NLP("of the plan"), find_verbs(NLP("of the plan"))) == "unspecified"
    assert strength_of(doc, find_verbs(doc)) == "weak"


# A real lemmatizer (spaCy's rule lemmatizer, spacy-lookups-data): verbs the lexicon never
# listed, their inflections and both spellings; chains and coordination across "to".
@pytest.mark.parametrize(
    ("text", "verbs"),
    [
        (
            "Harmonise standards for halal products and operationalise the guidelines",
            ["harmonise", "operationalise"],
        ),
        (
            "Harmonize customs procedures and operationalize the single window",
            ["harmonize", "operationalize"],
        ),
        ("Mainstream gender perspectives in disaster risk reduction", ["mainstream"]),
        ("Institutionalise the annual dialogue on cyber policy", ["institutionalise"]),
        ("Intensify joint patrols and expand information sharing", ["intensify", "expand"]),
        ("Work together to promote sustainable fisheries", ["work", "promote"]),
        (
            "Continue to support the network as well as to study new modalities",
            ["continue", "support", "study"],
        ),
        ("Digitalise trade documents and streamline the procedures", ["digitalise", "streamline"]),
        ("The guidelines may be harmonised by 2027", ["harmonise"]),
        ("Joint research on tropical diseases", []),  # "joint" is no opening imperative
        ("United Nations agencies and partners", []),  # nor is "united"
        ("Strengthen cooperation and further promote trade", ["strengthen", "promote"]),
        ("Improve road, and rail transport links", ["improve"]),  # "rail" is a noun here
    ],
)
def test_unseen_verbs_inflections_and_spellings_are_read(text: str, verbs: list[str]) -> None:
    assert _verbs(text) == verbs


def test_both_spellings_have_one_strength() -> None:
    for text in ("Organise workshops", "Organize workshops"):
        doc = NLP(text)
        assert strength_of(doc, find_verbs(doc)) == "strong"
    doc = NLP("Harmonise rules")  # a verb the strength table lacks: moderate
    assert strength_of(doc, find_verbs(doc)) == "moderate"
