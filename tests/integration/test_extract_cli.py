"""``aseankg extract``, ``candidates`` and ``evaluate`` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from aseankg.api.cli import run

COLUMNS = [
    "plan",
    "action_line",
    "entity_id",
    "entity_type",
    "entity_label",
    "acronym",
    "surface",
    "start",
    "end",
    "role",
    "status",
]
GOLD = Path(__file__).resolve().parent.parent / "data" / "gold" / "asean-canada-2021-2025.jsonl"


def test_extract_csv_has_the_contract_columns_and_exact_surfaces(
    seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["extract", str(seed_path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and list(rows[0]) == COLUMNS
    text = seed_path.read_text("utf-8")
    assert all(text[int(r["start"]) : int(r["end"])] == r["surface"] for r in rows)
    assert {r["role"] for r in rows if r["entity_id"] in ("asean", "canada")} == {"party"}
    unclos = [r for r in rows if r["entity_id"] == "unclos"]
    assert [(r["action_line"], r["entity_type"], r["status"]) for r in unclos] == [
        ("1.2.2", "Instrument", "known")
    ]
    assert not any(r["entity_id"] == "un" and r["action_line"] == "1.2.2" for r in rows)


def test_extract_json_gives_verbs_strength_topics_and_nested_names(
    seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["extract", str(seed_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["plan"] == "asean-canada-2021-2025"
    line = next(a for a in data["action_lines"] if a["action_line"] == "1.2.2")
    assert line["verbs"] == ["promote"] and line["strength"] == "moderate"
    assert "maritime-security" in line["topics"]
    nested = [m for m in line["mentions"] if m.get("nested")]
    assert any(m["entity_id"] == "un" for m in nested)


def test_candidates_lists_entities_to_curate(
    nz_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["candidates", str(nz_path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {"id", "entity_type", "type", "label", "evidence"} <= set(rows[0])
    assert all(row["label"] and row["evidence"] for row in rows)


def test_evaluate_reports_scores_and_errors(
    seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["evaluate", "--gold", str(GOLD), str(seed_path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["links"]["f1"] >= 0.95
    assert {"misses", "false_hits", "wrong", "type_accuracy", "verbs"} <= set(report)


def test_evaluate_with_a_missing_gold_file_fails_in_one_line(
    seed_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["evaluate", "--gold", str(tmp_path / "none.jsonl"), str(seed_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("aseankg: error: cannot read gold file") and err.count("\n") == 1


def test_extract_of_a_file_that_is_no_plan_fails_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Just some notes, nothing numbered.\n", "utf-8")
    assert run(["extract", str(path)]) == 1
    assert capsys.readouterr().err.count("\n") == 1
