"""extract_plan: every line's mentions with exact offsets, verbs, strength, topics."""

from __future__ import annotations

from pathlib import Path

import pytest

from aseankg.extract.extractor import extract_plan
from aseankg.extract.parser import parse_plan
from aseankg.extract.records import PlanExtraction
from aseankg.ontology.records import AuthorityEntity

AUTHORITY = (
    AuthorityEntity("asean", "Actor", "Party", "ASEAN", ("ASEAN",), party=True),
    AuthorityEntity("canada", "Actor", "Party", "Canada", party=True),
    AuthorityEntity(
        "apaec",
        "Instrument",
        "ActionPlan",
        "ASEAN Plan of Action on Energy Cooperation 2016-2025",
        ("APAEC",),
        period_start=2016,
        period_end=2025,
    ),
)


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> PlanExtraction:
    return extract_plan(parse_plan(seed_path))


def test_every_action_line_is_extracted(seed: PlanExtraction) -> None:
    assert len(seed.lines) == 106
    assert seed.plan == "asean-canada-2021-2025"


def test_surfaces_are_the_canonical_text_at_their_offsets(
    seed_path: Path, seed: PlanExtraction
) -> None:
    text = seed_path.read_text("utf-8")
    mentions = [m for line in seed.lines for m in line.mentions]
    assert mentions and all(text[m.start : m.end] == m.surface for m in mentions)


def test_a_name_broken_across_two_lines_keeps_its_offsets(seed: PlanExtraction) -> None:
    line = next(line for line in seed.lines if line.action_line == "2.3.1")
    (mention,) = [m for m in line.mentions if not m.nested]
    assert mention.entity_id == "apaec-2016-2025"
    assert mention.surface.endswith("(APAEC) \n2016-2025")
    assert (line.verbs, line.strength) == (("support",), "strong")


def test_lines_carry_topics_of_their_area_and_subjects(seed: PlanExtraction) -> None:
    line = next(line for line in seed.lines if line.action_line == "3.2.5")
    assert "environment-climate" in line.topics
    assert "14.1" in line.sdgs
    assert any(t.method == "area" for t in line.topic_assignments)


def test_each_entity_is_linked_once_per_line(seed: PlanExtraction) -> None:
    for line in seed.lines:
        ids = [m.entity_id for m in line.mentions if not m.nested]
        assert len(ids) == len(set(ids)), line.action_line


def test_unknown_names_become_candidates_with_evidence(tmp_path: Path) -> None:
    text = (
        "2026-2030 Plan of Action to Implement the ASEAN-Utopia Strategic Partnership\n"
        "1. Political Cooperation\n"
        "1.1.1. Support the implementation of the ASEAN-Utopia Ocean Accord Work Plan and "
        "cooperate with the Utopian Maritime Agency (UMA);\n"
        "1.1.2. Strengthen dialogue through the UMA and Canada;\n"
    )
    (tmp_path / "utopia.txt").write_text(text, "utf-8")
    plan = parse_plan(tmp_path / "utopia.txt")
    extraction = extract_plan(plan, authority=AUTHORITY)
    ids = {c.id: c for c in extraction.candidates}
    assert ids["utopian-maritime-agency"].entity_type == "Actor"
    assert ids["utopian-maritime-agency"].acronym == "UMA"
    assert "Utopian Maritime Agency (UMA)" in ids["utopian-maritime-agency"].evidence
    second = extraction.lines[1]
    uses = [m for m in second.mentions if m.entity_id == "utopian-maritime-agency"]
    assert [(m.surface, m.role, m.status) for m in uses] == [("UMA", "works_through", "candidate")]
    parties = [
        m.entity_label for line in extraction.lines for m in line.mentions if m.role == "party"
    ]
    assert "Canada" in parties


def test_the_plans_partner_is_a_party_even_when_the_authority_lacks_it(tmp_path: Path) -> None:
    text = (
        "Plan of Action to Implement the Joint Declaration on ASEAN-Utopia Enhanced Partnership\n"
        "1. Cooperation\n"
        "1.1.1. Enhance cooperation between ASEAN and Utopia on energy;\n"
    )
    (tmp_path / "u.txt").write_text(text, "utf-8")
    extraction = extract_plan(parse_plan(tmp_path / "u.txt"), authority=AUTHORITY)
    parties = [(m.entity_label, m.role) for m in extraction.lines[0].mentions]
    assert ("Utopia", "party") in parties and ("ASEAN", "party") in parties
