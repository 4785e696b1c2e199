"""``aseankg parse``: JSON or canonical text on stdout, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aseankg.api.cli import run


def test_parse_prints_the_structure_as_json(
    seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["parse", str(seed_path)]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["plan"] == "asean-canada-2021-2025"
    assert data["source"] == {
        "path": str(seed_path),
        "format": "txt",
        "sha256": data["source"]["sha256"],
    }
    assert len(data["sections"]) == 8 and len(data["areas"]) == 24
    assert len(data["action_lines"]) == 106
    assert err == ""


def test_parse_text_prints_the_canonical_text_offsets_point_into(
    seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["parse", str(seed_path), "--text"]) == 0
    text = capsys.readouterr().out
    assert text == seed_path.read_text("utf-8")
    assert run(["parse", str(seed_path)]) == 0
    line = json.loads(capsys.readouterr().out)["action_lines"][0]
    assert text[line["start"] : line["end"]].startswith("Strengthen the existing mechanisms")


def test_text_keeps_crlf_byte_for_byte(
    tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes("\ufeffASEAN–Japan 2024-2028\r\n1. Trade\r\n1.1.1. Cut;\r\n".encode())
    assert run(["parse", str(plan), "--text"]) == 0
    assert (
        capfdbinary.readouterr().out
        == "ASEAN–Japan 2024-2028\r\n1. Trade\r\n1.1.1. Cut;\r\n".encode()
    )


def test_parse_reads_pdf_with_pages(
    seed_pdf_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["parse", str(seed_pdf_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source"]["format"] == "pdf"
    assert data["action_lines"][0]["page"] == 1


def test_plan_id_can_be_overridden(seed_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["parse", str(seed_path), "--plan-id", "canada-poa"]) == 0
    assert json.loads(capsys.readouterr().out)["plan"] == "canada-poa"


def test_numbering_warnings_go_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text("ASEAN-India Plan of Action 2021-2025\n1. Trade\n1.1.1. A;\n1.1.3. C;\n")
    assert run(["parse", str(plan)]) == 0
    out, err = capsys.readouterr()
    assert [x["id"] for x in json.loads(out)["action_lines"]] == ["1.1.1", "1.1.3"]
    assert err == "aseankg: warning: numbering gap: action line 1.1.3 follows 1.1.1\n"


BAD_INPUTS = {
    "missing.txt": None,
    "empty.txt": b"",
    "noise.txt": bytes(range(256)) * 16,
    "noise.docx": bytes(range(256)) * 16,
    "noise.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 16,
    "plan.odt": b"1. Trade\n",
    "letter.txt": b"Dear colleagues,\nplease find the minutes attached.\n",
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_one_line_on_stderr_and_exit_1(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    data = BAD_INPUTS[name]
    if data is not None:
        path.write_bytes(data)
    assert run(["parse", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("aseankg: error: ") and err.count("\n") == 1


def test_scanned_pdf_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    assert run(["parse", str(path)]) == 1
    assert "no text layer" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["parse"], ["parse", "a.txt", "--bogus"]])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(argv) == 2
    assert capsys.readouterr().out == ""


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("aseankg")), "parse", str(empty)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_help_explains_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["parse", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--text" in out and "canonical text" in out and "--plan-id" in out
