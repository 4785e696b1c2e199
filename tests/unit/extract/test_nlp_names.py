"""Capitalised names typed by their head noun; capitalised topics are not names."""

from __future__ import annotations

import pytest
import spacy

from aseankg.extract.nlp.names import find_names, type_name

NLP = spacy.blank("en")


def _names(text: str) -> list[tuple[str, str]]:
    return [(span.text, span.label_) for span in find_names(NLP(text))]


@pytest.mark.parametrize(
    "text",
    [
        "developing a digital-ready workforce equipped for the Fourth Industrial Revolution",
        "new technological developments such as Smart Cities and Big Data Analytics",
        "ARF Inter-Sessional Meetings on Disaster Relief, Maritime Security, Counter-Terrorism",
    ],
)
def test_capitalised_topics_are_not_entities(text: str) -> None:
    names = [name for name, _ in _names(text)]
    assert not any(
        topic in names
        for topic in ("Fourth Industrial Revolution", "Smart Cities", "Big Data Analytics")
    )
    assert "Maritime Security" not in names


def test_names_are_typed_by_their_head_noun() -> None:
    found = dict(
        _names(
            "Support the ASEAN Smart Cities Network and the Treaty of Amity and Cooperation "
            "in Southeast Asia under the ASEAN Health Cluster Work Programmes"
        )
    )
    assert found["ASEAN Smart Cities Network"] == "Actor:AseanBody"
    assert found["Treaty of Amity and Cooperation in Southeast Asia"] == "Instrument:Treaty"
    assert found["ASEAN Health Cluster Work Programmes"] == "Instrument:Programme"


def test_the_opening_verb_and_article_are_not_part_of_a_name() -> None:
    assert _names("Support the ASEAN Outlook on the Indo-Pacific") == [
        ("ASEAN Outlook on the Indo-Pacific", "Instrument:Outlook")
    ]


def test_two_names_joined_by_and_the_are_two() -> None:
    text = (
        "the Convention on the Rights of the Child and the Convention on the Elimination "
        "of All Forms of Discrimination against Women"
    )
    assert [n for n, _ in _names(text)] == [
        "Convention on the Rights of the Child",
        "Convention on the Elimination of All Forms of Discrimination against Women",
    ]


def test_the_name_is_the_headed_complement() -> None:
    assert _names(
        "Standards and Recommended Practices of the International Civil Aviation Organisation"
    ) == [("International Civil Aviation Organisation", "Actor:InternationalOrganisation")]


def test_a_bare_head_names_nothing() -> None:
    assert type_name(["Action", "Plan"]) is None
    assert type_name(["IAI", "Work", "Plan", "IV"]) == ("Instrument", "WorkPlan")
