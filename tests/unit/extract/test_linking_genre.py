"""Linking rules of the genre on text written for them (issue 11, issue 13): another
partnership's mechanisms, "Full Name (ACR)" definitions without a head noun, and an
instrument named inside a longer instrument's name."""

from __future__ import annotations

from pathlib import Path

from aseankg.extract.extractor import extract_plan
from aseankg.extract.parser import parse_plan
from aseankg.extract.records import Mention


def _mentions(tmp_path: Path, title: str, *lines: str) -> dict[str, list[Mention]]:
    body = "".join(f"1.1.{n}. {text};\n" for n, text in enumerate(lines, 1))
    path = tmp_path / "plan.txt"
    path.write_text(f"{title} (2026-2030)\n1. Cooperation\n{body}", "utf-8")
    extraction = extract_plan(parse_plan(path))
    return {line.action_line: list(line.mentions) for line in extraction.lines}


def _named(mentions: list[Mention]) -> set[tuple[str, str]]:
    return {(m.entity_id, m.role) for m in mentions if m.role != "party" and not m.nested}


def test_another_partnerships_mechanisms_are_the_plans_own(tmp_path: Path) -> None:
    got = _mentions(
        tmp_path,
        "Plan of Action to Implement the ASEAN-India Comprehensive Strategic Partnership",
        "Hold regular consultations through the PMC+1 with India",
        "Report to the Joint Cooperation Committee (JCC) each year",
        "Review progress at the JCC and with the Permanent Mission of India to ASEAN",
        "Engage the Ambassador of Japan to ASEAN",
    )
    ids = {m.entity_id for mentions in got.values() for m in mentions}
    assert not [i for i in ids if "canada" in i], ids  # none resolves to Canada's
    assert "asean-post-ministerial-conference-with-india" in ids
    assert {m.entity_id for m in got["1.1.2"]} >= {"asean-india-joint-cooperation-committee"}
    assert "asean-india-joint-cooperation-committee" in {m.entity_id for m in got["1.1.3"]}
    assert "permanent-mission-of-india-to-asean" in ids
    assert "ambassador-of-japan-to-asean" in ids  # Japan's, named so, in India's plan


def test_a_mechanism_written_with_its_partner_stays_that_partners(tmp_path: Path) -> None:
    got = _mentions(
        tmp_path,
        "ASEAN-Korea Plan of Action",
        "Exchange experience with the ASEAN-Canada Joint Cooperation Committee",
    )
    assert {i for i, _ in _named(got["1.1.1"])} == {"asean-canada-jcc"}
    canada = _mentions(tmp_path, "ASEAN-Canada Plan of Action", "Convene the PMC+1 annually")
    assert ("pmc-plus-1-canada", "convenes") in _named(canada["1.1.1"])


def test_a_proper_name_defined_inline_is_an_entity_without_a_head_noun(tmp_path: Path) -> None:
    got = _mentions(
        tmp_path,
        "ASEAN-Korea Plan of Action",
        "Support the ASEAN Food Reserve for Emergencies (AFRE) and later uses of the AFRE",
        "Strengthen the Korea-ASEAN Digital Innovation Flagship (KADIF)",
        "Assist Micro, Small and Medium Enterprises (MSMEs) and Corporate Social"
        " Responsibility (CSR) practices",
    )
    afre = [m for m in got["1.1.1"] if m.acronym == "AFRE"]
    assert [(m.entity_type, m.entity_label) for m in afre] == [
        ("Instrument", "ASEAN Food Reserve for Emergencies")
    ]
    assert [m.entity_label for m in got["1.1.2"] if m.role != "party" and not m.nested] == [
        "Korea-ASEAN Digital Innovation Flagship"
    ]
    assert _named(got["1.1.3"]) == set()  # subjects, not names: no one is named


def test_an_instrument_inside_an_instruments_name_is_a_reference_of_its_own(
    tmp_path: Path,
) -> None:
    got = _mentions(
        tmp_path,
        "ASEAN-Japan Plan of Action",
        "Implement the ASEAN Trade in Goods Agreement (ATIGA) Upgrade Protocol",
        "Realise the Master Plan on ASEAN Connectivity (MPAC) 2025",
        "Uphold the United Nations Convention on the Law of the Sea (UNCLOS)",
    )
    first = {(m.acronym or m.entity_label, m.role, m.nested) for m in got["1.1.1"]}
    assert ("ATIGA", "references", False) in first  # a row of its own
    assert any(m.entity_label.endswith("Upgrade Protocol") for m in got["1.1.1"])
    assert len([m for m in got["1.1.2"] if not m.nested]) == 1  # MPAC 2025, one edition
    un = [m for m in got["1.1.3"] if m.entity_id == "un"]
    assert un and all(m.nested for m in un)  # an actor inside an instrument stays nested


def test_a_definition_spelling_out_a_known_acronym_is_the_authoritys_entity(
    tmp_path: Path,
) -> None:
    # "UN" for "United Nations" inside the long form: still the authority's UNCLOS
    got = _mentions(
        tmp_path,
        "ASEAN-New Zealand Plan of Action",
        "Enhance cooperation in line with the 1982 UN Convention on the Law of the Sea (UNCLOS)",
        "Act in line with UNCLOS",
    )
    assert ("unclos", "conforms_to") in _named(got["1.1.1"])
    assert "unclos" in {i for i, _ in _named(got["1.1.2"])}
