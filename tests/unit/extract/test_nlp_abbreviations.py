"""Inline definitions "Long Form (SF)" of the genre, and what is not one."""

from __future__ import annotations

import pytest
import spacy

from aseankg.extract.nlp.abbreviations import find_definitions

NLP = spacy.blank("en")


def _defined(text: str) -> dict[str, str]:
    return {d.short_form: d.long_form for d in find_definitions(NLP(text))}


@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        (
            "convening regular ASEAN Post Ministerial Conference with Canada (PMC+1), and",
            "PMC+1",
            "ASEAN Post Ministerial Conference with Canada",
        ),
        (
            "the work of the ASEAN Coordinating Centre for Humanitarian Assistance on "
            "disaster management (AHA Centre);",
            "AHA Centre",
            "ASEAN Coordinating Centre for Humanitarian Assistance on disaster management",
        ),
        (
            "hold regular ASEAN Plus Canada Senior Officials’ Meeting on Transnational Crime "
            "(SOMTC + Canada) Consultations",
            "SOMTC + Canada",
            "ASEAN Plus Canada Senior Officials’ Meeting on Transnational Crime",
        ),
        (
            "the implementation of the Treaty on the Southeast Asia Nuclear Weapons-Free Zone "
            "(SEANWFZ Treaty) as",
            "SEANWFZ Treaty",
            "Treaty on the Southeast Asia Nuclear Weapons-Free Zone",
        ),
        (
            "the ASEAN Digital Master Plan (ADMP) 2025;",
            "ADMP",
            "ASEAN Digital Master Plan",
        ),
        (
            "ASEAN Convention Against Trafficking in Persons, Especially Women and Children "
            "(ACTIP), ASEAN Plan of Action Against Trafficking in Persons, Especially Women "
            "and Children (APA)",
            "APA",
            "ASEAN Plan of Action Against Trafficking in Persons, Especially Women and Children",
        ),
        (
            "the ASEAN-Canada Joint Cooperation Committee (JCC) Meeting",
            "JCC",
            "ASEAN-Canada Joint Cooperation Committee",
        ),
        (
            "the ASEAN Minerals Cooperation Action Plan 2016-2025 (AMCAP III) Phase 2",
            "AMCAP III",
            "ASEAN Minerals Cooperation Action Plan 2016-2025",
        ),
    ],
)
def test_definitions_of_the_genre_are_found(text: str, short: str, long: str) -> None:
    assert _defined(text)[short] == long


def test_a_period_or_a_plain_word_in_parentheses_is_no_definition() -> None:
    assert _defined("the ASEAN Plan of Action (2018-2025) and the Action Plan (draft)") == {}


def test_an_alias_name_in_parentheses_is_no_definition() -> None:
    text = "the Kuala Lumpur Transport Strategic Plan (ASEAN Transport Strategic Plan)"
    assert _defined(text) == {}


def test_letters_must_spell_the_short_form() -> None:
    assert "IAI" not in _defined("Support for ASEAN Integration (IAI) programmes")
    assert _defined("the Initiative for ASEAN Integration (IAI)")["IAI"] == (
        "Initiative for ASEAN Integration"
    )
