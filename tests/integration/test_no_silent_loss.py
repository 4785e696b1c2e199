"""No silent loss (issue 11): a plan not all read fails parse, extract and build loudly;
``--allow-partial`` accepts it and the graph records its coverage and the warning.

Real subprocess runs of the ``aseankg`` command on files written in a temporary folder.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NZ = ROOT / "tests" / "data" / "plans" / "asean-newzealand-poa-2026-2030.txt"
LAYOUT_PLANS = sorted((ROOT / "tests" / "data" / "plans").glob("asean-*.expected.json"))
COVERAGE_QUERY = """PREFIX akg: <https://w3id.org/aseankg/ontology#>
SELECT ?coverage ?warning WHERE {
  ?text akg:coverage ?coverage OPTIONAL { ?text akg:parseWarning ?warning }
}
"""


def aseankg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("aseankg")), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def half_read(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The New Zealand plan with every second action line numbered in no known way
    ("1-1-2" for "1.1.2."): half its numbered lines cannot be read."""
    count = 0

    def mangle(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return match.group(0) if count % 2 else match.group(0).rstrip(".").replace(".", "-")

    text = re.sub(r"(?m)^\d+\.\d+\.\d+\.?(?=[ \t])", mangle, NZ.read_text("utf-8"))
    assert count == 39
    path = tmp_path_factory.mktemp("partial") / "half-read.txt"
    path.write_text(text, "utf-8")
    return path


def _one_line_error(result: subprocess.CompletedProcess[str], path: Path) -> str:
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("aseankg: error")]
    assert len(errors) == 1 and "Traceback" not in result.stderr
    assert str(path) in errors[0]
    return errors[0]


def test_parse_fails_naming_the_file_the_coverage_and_the_first_unread_text(
    half_read: Path,
) -> None:
    error = _one_line_error(aseankg("parse", str(half_read)), half_read)
    assert "numbered text left unassigned: coverage 0.59" in error
    assert "'1-1-2 Continue to support ASEAN centrality" in error
    accepted = aseankg("parse", "--allow-partial", str(half_read))
    assert accepted.returncode == 0
    data = json.loads(accepted.stdout)
    assert data["coverage"] == pytest.approx(0.59, abs=0.01)
    assert len(data["action_lines"]) == 20
    assert data["unassigned"][0]["text"].startswith("1-1-2 Continue to support")
    first = data["unassigned"][0]
    assert half_read.read_text("utf-8")[first["start"] : first["end"]].startswith("1-1-2")
    assert "partial plan accepted" in accepted.stderr


def test_extract_fails_too_unless_partial_is_allowed(half_read: Path) -> None:
    _one_line_error(aseankg("extract", str(half_read)), half_read)
    accepted = aseankg("extract", "--allow-partial", str(half_read))
    assert accepted.returncode == 0
    assert len(json.loads(accepted.stdout)["action_lines"]) == 20


def test_build_fails_and_a_partial_build_records_coverage_and_warning(
    half_read: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    _one_line_error(aseankg("build", "--store", str(store), str(half_read)), half_read)
    assert not (store / "current").exists()
    built = aseankg("build", "--allow-partial", "--store", str(store), str(half_read))
    assert built.returncode == 0, built.stderr
    query = tmp_path / "coverage.rq"
    query.write_text(COVERAGE_QUERY, "utf-8")
    result = aseankg("query", "--store", str(store), "--format", "json", str(query))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert len(rows) == 1
    assert float(rows[0]["coverage"]["value"]) == pytest.approx(0.591, abs=0.001)
    assert rows[0]["warning"]["value"].startswith("partial plan accepted: numbered text")


def test_a_plan_in_an_unknown_layout_fails_loudly(tmp_path: Path) -> None:
    path = tmp_path / "unknown.txt"
    path.write_text(
        "ASEAN-Japan Plan of Action (2026-2030)\nAdopted on 1 May 2025\n\n"
        "1. Political and Security Cooperation\n\n"
        "A1: Strengthen the ASEAN Regional Forum;\n\nA2: Support the East Asia Summit;\n\n"
        "2. Economic Cooperation\n\n"
        "B1: Promote the RCEP Agreement;\n\nB2: Support the AEC Blueprint 2025;\n",
        "utf-8",
    )
    error = _one_line_error(aseankg("parse", str(path)), path)
    assert "first unassigned text" in error and "A1: Strengthen" in error


def test_every_layout_builds_with_its_notations_valid(tmp_path: Path) -> None:
    files = [str(p).replace(".expected.json", ".txt") for p in LAYOUT_PLANS]
    files = [f for f in files if "newzealand" not in f]
    assert len(files) == 7
    built = aseankg("build", "--store", str(tmp_path / "store"), *files)
    assert built.returncode == 0, built.stderr
    assert "total: 7 plans" in built.stdout


def test_lines_numbered_with_a_parenthesis_are_read_whole(tmp_path: Path) -> None:
    """ "1)" lines restart under each heading (docs/parsing.md, layout 2b): every one of
    them is an action line, none is dropped."""
    path = tmp_path / "paren.txt"
    path.write_text(
        "ASEAN-Japan Plan of Action (2026-2030)\n1. Political Cooperation\n"
        "1) Strengthen dialogue through the ASEAN Regional Forum;\n"
        "2) Promote maritime cooperation;\n2. Economic Cooperation\n"
        "1) Enhance trade and investment;\n2) Support small enterprises;\n",
        "utf-8",
    )
    done = aseankg("parse", str(path))
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert [(x["id"], x["text"].split()[0]) for x in plan["action_lines"]] == [
        ("1.1", "Strengthen"),
        ("1.2", "Promote"),
        ("2.1", "Enhance"),
        ("2.2", "Support"),
    ]
    assert plan["coverage"] == 1.0
