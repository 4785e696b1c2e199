"""One truth for a plan's dialogue partner: the plan id, the extractor's party and the
party's IRI slug agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from aseankg.extract.extractor import extract_plan
from aseankg.extract.parser import parse_plan
from aseankg.extract.partners import find_partner, slugify
from aseankg.extract.plan_id import derive_plan_id
from aseankg.ontology.records import AuthorityEntity

AUTHORITY = (AuthorityEntity("asean", "Actor", "Party", "ASEAN", ("ASEAN",), party=True),)
KOREA = (
    "Plan of Action to Implement the Joint Statement on ASEAN-Republic of Korea Strategic"
    " Partnership (2021-2025)"
)


@pytest.mark.parametrize(
    ("title", "slug", "name"),
    [
        (KOREA, "korea", "Republic of Korea"),
        ("ASEAN-ROK Plan of Action", "korea", "Republic of Korea"),
        ("ASEAN-Canada Enhanced Partnership", "canada", "Canada"),
        ("ASEAN–the European Union Strategic Partnership", "eu", "European Union"),
        ("ASEAN-United States of America Strategic Partnership", "us", "United States"),
        ("ASEAN-Utopia Enhanced Partnership", "utopia", "Utopia"),
    ],
)
def test_a_partner_has_one_slug_and_one_name(title: str, slug: str, name: str) -> None:
    partner = find_partner(title)
    assert partner is not None and (partner.slug, partner.name) == (slug, name)
    assert derive_plan_id(title, 2021, 2025) == f"asean-{slug}-2021-2025"


def test_a_title_without_a_partner_has_none() -> None:
    assert find_partner("Plan of Action 2021-2025") is None
    assert derive_plan_id("Plan of Action", None, None, fallback="My Plan.txt") == "my-plan-txt"


def test_one_slugifier_for_plans_and_entities() -> None:
    assert slugify("New Zealand") == "new-zealand"
    assert slugify("Türkiye") == "turkiye"
    assert slugify("PMC+1") == "pmc-plus-1"
    assert slugify("Officials’ Meeting's") == "officials-meetings"


def test_the_plan_id_and_the_party_name_the_same_partner(tmp_path: Path) -> None:
    path = tmp_path / "korea.txt"
    path.write_text(
        f"{KOREA}\n1. Cooperation\n1.1.1. Enhance cooperation between ASEAN and the ROK;\n"
        "1.1.2. Support the Republic of Korea in energy;\n",
        "utf-8",
    )
    plan = parse_plan(path)
    assert plan.plan == "asean-korea-2021-2025"
    extraction = extract_plan(plan, authority=AUTHORITY)
    parties = {
        (m.entity_id, m.entity_label, m.surface)
        for line in extraction.lines
        for m in line.mentions
        if m.role == "party" and m.entity_id != "asean"
    }
    assert parties == {
        ("korea", "Republic of Korea", "ROK"),
        ("korea", "Republic of Korea", "Republic of Korea"),
    }


# Every dialogue partner and framework of ASEAN (issue 11): (title words, slug, a name the
# lines use). The authority file has each, with sources; the plan's partner is its party.
EVERY_PARTNER = [
    ("ASEAN-Australia", "australia", "Australia"),
    ("ASEAN-Canada", "canada", "Canada"),
    ("ASEAN-China", "china", "China"),
    ("ASEAN-EU", "eu", "EU"),
    ("ASEAN-India", "india", "India"),
    ("ASEAN-Japan", "japan", "Japan"),
    ("ASEAN-ROK", "korea", "ROK"),
    ("ASEAN-Republic of Korea", "korea", "Republic of Korea"),
    ("ASEAN-New Zealand", "new-zealand", "New Zealand"),
    ("ASEAN-Russia", "russia", "Russia"),
    ("ASEAN-United Kingdom", "uk", "UK"),
    ("ASEAN-United States", "us", "United States"),
    ("ASEAN Plus Three", "asean-plus-three", "ASEAN Plus Three"),
    ("East Asia Summit", "eas", "EAS"),
]


@pytest.mark.parametrize(("words", "slug", "name"), EVERY_PARTNER)
def test_every_partner_and_framework_is_a_party_of_its_plan(
    tmp_path: Path, words: str, slug: str, name: str
) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        f"{words} Plan of Action (2026-2030)\n1. Cooperation\n"
        f"1.1.1. Enhance cooperation between ASEAN and {name} on energy;\n",
        "utf-8",
    )
    plan = parse_plan(path)
    stem = slug if slug in ("asean-plus-three", "eas") else f"asean-{slug}"
    assert plan.plan == f"{stem}-2026-2030"
    mentions = extract_plan(plan).lines[0].mentions  # the full authority file
    parties = {(m.entity_id, m.status) for m in mentions if m.role == "party"}
    assert parties == {("asean", "known"), (slug, "known")}
    assert not [m for m in mentions if m.role != "party"]


def test_a_framework_is_a_forum_in_another_partners_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "ASEAN-Japan Plan of Action (2026-2030)\n1. Cooperation\n"
        "1.1.1. Strengthen cooperation through the EAS and the ASEAN Plus Three;\n",
        "utf-8",
    )
    mentions = extract_plan(parse_plan(path)).lines[0].mentions
    assert {(m.entity_id, m.role) for m in mentions if m.entity_id != "asean"} == {
        ("eas", "works_through"),
        ("asean-plus-three", "works_through"),
    }
