"""Issue 13: an instrument named inside a longer instrument's name is linked to its line
with role ``references`` (a row of the mentions CSV of its own), so the named query finds
the line; an organisation inside an instrument's name stays a nested mention."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from aseankg.api.cli import run


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert run(list(argv)) == 0
    return capsys.readouterr().out


def test_aadmer_inside_its_work_programme_is_a_reference_of_line_3_1_1(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(_cli(capsys, "export", "--store", str(seed_store), "--format", "csv"))
        )
    )
    line = {(r["entity_id"], r["role"]) for r in rows if r["action_line"] == "3.1.1"}
    assert {("aadmer", "references"), ("aadmer-work-programme-2021-2025", "implements")} <= line
    unclos = {r["entity_id"] for r in rows if r["action_line"] == "1.2.2"}
    assert "unclos" in unclos and "un" not in unclos  # the UN in UNCLOS stays nested
    found = _cli(
        capsys,
        "query",
        "action-lines-by-instrument",
        "--param",
        "instrument=AADMER",
        "--store",
        str(seed_store),
        "--format",
        "csv",
    )
    assert any(",references," in row and "3.1.1" in row for row in found.splitlines())
