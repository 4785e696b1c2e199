"""Extraction quality against the hand-made gold (issue 4, item 10), in every format.

Seed: link F1 >= 0.95, type accuracy >= 0.95, instrument-role accuracy >= 0.85, verb
F1 >= 0.9, whether the seed comes as .txt, .docx or .pdf. Second plan (New Zealand),
with every entity its gold names removed from the authority file: link F1 >= 0.85.
"""

from __future__ import annotations

import json
from pathlib import Path

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
