"""Extraction quality against the hand-made gold (issue 4, item 10), in every format.

Seed: link F1 >= 0.95, type accuracy >= 0.95, instrument-role accuracy >= 0.85, verb
F1 >= 0.9, whether the seed comes as .txt, .docx or .pdf. Second plan (New Zealand),
with every entity its gold names removed from the authority file: link F1 >= 0.85.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aseankg.extract.evaluation import Report, evaluate
from aseankg.extract.extractor import extract_plan
from aseankg.extract.parser import parse_plan
from aseankg.ontology.authority import load_authority
from aseankg.ontology.records import AuthorityEntity

GOLD = Path(__file__).resolve().parent.parent / "data" / "gold"
SEED_GOLD = GOLD / "asean-canada-2021-2025.jsonl"
NZ_GOLD = GOLD / "asean-newzealand-2026-2030.jsonl"


def _seed_report(path: Path) -> Report:
    return evaluate(extract_plan(parse_plan(path)), SEED_GOLD)


def _assert_seed_quality(report: Report) -> None:
    assert report.links.f1 >= 0.95, report.misses + report.false_hits
    assert report.type_accuracy >= 0.95, report.wrong
    assert report.instrument_role_accuracy >= 0.85, report.wrong
    assert report.verbs.f1 >= 0.9


def test_seed_txt_meets_the_quality_bar(seed_path: Path) -> None:
    _assert_seed_quality(_seed_report(seed_path))


def test_seed_docx_meets_the_quality_bar(seed_docx_path: Path) -> None:
    _assert_seed_quality(_seed_report(seed_docx_path))


def test_seed_docx_with_automatic_numbering_meets_the_quality_bar(
    seed_docx_auto_path: Path,
) -> None:
    _assert_seed_quality(_seed_report(seed_docx_auto_path))


def test_seed_pdf_meets_the_quality_bar(seed_pdf_path: Path) -> None:
    _assert_seed_quality(_seed_report(seed_pdf_path))


def _without_gold_entities(gold: Path) -> tuple[AuthorityEntity, ...]:
    """The authority file less every entity (but the parties) the gold file names."""
    keys = {
        mention["entity"]
        for line in gold.read_text("utf-8").splitlines()
        if line.strip()
        for mention in json.loads(line)["mentions"]
    }
    return tuple(
        entity
        for entity in load_authority()
        if entity.party or not ({entity.label, *entity.acronyms, *entity.alt_labels} & keys)
    )


@pytest.fixture(scope="module")
def nz_reduced_authority() -> tuple[AuthorityEntity, ...]:
    reduced = _without_gold_entities(NZ_GOLD)
    assert len(reduced) < len(load_authority())  # the plan's entities really are gone
    return reduced


def test_second_plan_links_without_its_entities_in_the_authority(
    nz_path: Path, nz_reduced_authority: tuple[AuthorityEntity, ...]
) -> None:
    extraction = extract_plan(parse_plan(nz_path), authority=nz_reduced_authority)
    report = evaluate(extraction, NZ_GOLD)
    assert report.links.f1 >= 0.85, report.misses + report.false_hits
    assert any(c.entity_type == "Actor" for c in extraction.candidates)
    assert any(c.entity_type == "Instrument" for c in extraction.candidates)


def test_second_plan_pdf_links_without_its_entities_in_the_authority(
    nz_pdf_path: Path, nz_reduced_authority: tuple[AuthorityEntity, ...]
) -> None:
    extraction = extract_plan(parse_plan(nz_pdf_path), authority=nz_reduced_authority)
    assert evaluate(extraction, NZ_GOLD).links.f1 >= 0.85


# -- the layouts of the genre (issue 11) ------------------------------------------------

PLANS = GOLD.parent / "plans"
FORMATS = ("txt", "docx", "pdf")
# layout -> (plan file, gold file)
LAYOUTS = {
    "lettered": ("asean-korea-poa-2021-2025", "asean-korea-2021-2025"),
    "roman": ("asean-eu-poa-2023-2027", "asean-eu-2023-2027"),
    "restarting": ("asean-australia-poa-2025-2029", "asean-australia-2025-2029"),
    "bullets": ("asean-india-poa-2026-2030", "asean-india-2026-2030"),
    "table": ("asean-japan-workplan-2024-2026", "asean-japan-2024-2026"),
    "headings": ("asean-plus-three-workplan-2023-2027", "asean-plus-three-2023-2027"),
    "mixed": ("asean-china-poa-2026-2030", "asean-china-2026-2030"),
}


def _expected(layout: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (PLANS / f"{LAYOUTS[layout][0]}.expected.json").read_text("utf-8")
    )
    assert data["layout"] == layout
    return data


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_line_of_every_layout_is_found_with_its_text_and_parents(
    layout: str, fmt: str
) -> None:
    expected = _expected(layout)
    plan = parse_plan(PLANS / f"{LAYOUTS[layout][0]}.{fmt}")  # fails on unread text
    got = [(x.id, x.section, x.area, x.text) for x in plan.action_lines]
    want = [(x["id"], x["section"], x["area"], x["text"]) for x in expected["action_lines"]]
    print(f"{layout}.{fmt}: {sum(g in want for g in got)}/{len(want)} lines")
    assert got == want
    assert [(s.id, s.title) for s in plan.sections] == [
        (s["id"], s["title"]) for s in expected["sections"]
    ]
    assert [(a.id, a.section, a.title) for a in plan.areas] == [
        (a["id"], a["section"], a["title"]) for a in expected["areas"]
    ]
    cells = [(x.lead and x.lead.text, x.timeline and x.timeline.text) for x in plan.action_lines]
    assert cells == [(x.get("lead"), x.get("timeline")) for x in expected["action_lines"]]
    assert (plan.coverage, plan.unassigned) == (1.0, ())
    assert (plan.period_start, plan.period_end) == tuple(expected["period"].values())
    for line in plan.action_lines:  # offsets point at the text, in every format
        assert " ".join(plan.text[line.start : line.end].split()).startswith(line.text[:20])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_links_and_verbs_of_every_layout_meet_the_bar(layout: str, fmt: str) -> None:
    stem, gold = LAYOUTS[layout]
    report = evaluate(extract_plan(parse_plan(PLANS / f"{stem}.{fmt}")), GOLD / f"{gold}.jsonl")
    print(f"{layout}.{fmt}: link F1 {report.links.f1}, verb F1 {report.verbs.f1}")
    assert report.links.f1 >= 0.95, report.misses + report.false_hits
    assert report.verbs.f1 >= 0.9


def test_a_tables_lead_column_becomes_a_lead_link_of_the_row() -> None:
    extraction = extract_plan(parse_plan(PLANS / "asean-japan-workplan-2024-2026.pdf"))
    leads = {
        (line.action_line, m.entity_label)
        for line in extraction.lines
        for m in line.mentions
        if m.role == "lead"
    }
    assert ("1.1", "Japan Coast Guard") in leads
    assert (
        "2.1",
        "ASEAN Coordinating Centre for Humanitarian Assistance on disaster management",
    ) in leads
    assert len(leads) == 7
