"""Roles from the cue that governs a mention, shared along a list."""

from __future__ import annotations

import pytest

from aseankg.extract.nlp.linking import links_of
from aseankg.extract.nlp.pipeline import load_pipeline
from aseankg.ontology.records import AuthorityEntity

AUTHORITY = (
    AuthorityEntity(
        "aichr",
        "Actor",
        "AseanBody",
        "ASEAN Intergovernmental Commission on Human Rights",
        ("AICHR",),
    ),
    AuthorityEntity(
        "acwc", "Actor", "AseanBody", "ASEAN Commission on Women and Children", ("ACWC",)
    ),
    AuthorityEntity("arf", "Actor", "MeetingMechanism", "ASEAN Regional Forum", ("ARF",)),
    AuthorityEntity(
        "uncac", "Instrument", "Convention", "United Nations Convention against Corruption"
    ),
    AuthorityEntity("ascc-blueprint", "Instrument", "Blueprint", "ASCC Blueprint 2025"),
    AuthorityEntity("tagp", "Instrument", "Programme", "Trans-ASEAN Gas Pipeline", ("TAGP",)),
)


def _roles(text: str) -> dict[str, str]:
    doc = load_pipeline(AUTHORITY)(text)
    return {link.entity.id: link.role for link in links_of(doc) if not link.nested}


@pytest.mark.parametrize(
    ("text", "entity", "role"),
    [
        ("Continue to support the work of the AICHR and the ACWC", "acwc", "supports"),
        ("Explore cooperation with the ARF", "arf", "cooperates_with"),
        ("Continue to hold regular ARF meetings", "arf", "convenes"),
        ("Strengthen cooperation within the framework of the ARF", "arf", "works_through"),
        (
            "Explore cooperation and promote the universalisation of the United Nations "
            "Convention against Corruption",
            "uncac",
            "promotes",
        ),
        (
            "Promote cooperation in accordance with the ASCC Blueprint 2025",
            "ascc-blueprint",
            "conforms_to",
        ),
        ("Support the implementation of the Trans-ASEAN Gas Pipeline (TAGP)", "tagp", "implements"),
        ("Exchange information on the Trans-ASEAN Gas Pipeline", "tagp", "references"),
    ],
)
def test_roles_come_from_the_governing_cue(text: str, entity: str, role: str) -> None:
    assert _roles(text)[entity] == role


def test_a_cue_does_not_reach_across_a_clause() -> None:
    assert _roles("Explore cooperation with partners; review the ARF")["arf"] == "references"
