"""Bad input to the command line: one line on stderr, a documented exit code, no traceback.

Each test is what a user typing the command would see: the exit code and the one line,
and, for builds, that the store they had still answers as before.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aseankg.api.cli import run

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
PLAN = "asean-canada-2021-2025"


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("aseankg: error: "), err
    assert "Traceback" not in err
    return lines[0]


def _copy_store(store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(store, copy, symlinks=True)
    return copy


def _export(capsys: pytest.CaptureFixture[str], store: Path) -> str:
    code, out, err = _cli(capsys, "export", "--store", str(store), "--format", "nq")
    assert code == 0, err
    return out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (bytes(range(256)) * 4, "not UTF-8 text"),
        (b"", "holds no gold records"),
        (b"\n  \n", "holds no gold records"),
        (b'{"action_line": "1.1.1"\n', ":1: not JSON"),
        (b'{"action_line": "1.1.1", "mentions": [1]}\n', "'mentions' is not a list of objects"),
        (b"[" * 100_000 + b"\n", "not JSON"),
    ],
    ids=["binary", "empty", "blank", "malformed", "wrong-shape", "deep"],
)
def test_evaluate_with_a_bad_gold_file_fails_in_one_line(
    content: bytes, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(content)
    code, out, err = _cli(capsys, "evaluate", str(SEED), "--gold", str(gold))
    assert code == 1 and out == ""
    line = _one_error_line(err)
    assert str(gold) in line and expected in line


@pytest.mark.parametrize("command", ["parse", "build"])
@pytest.mark.parametrize("plan_id", ["Bad Id!", "UPPER", "a--b", "-a", "é", "a" * 101])
def test_a_plan_id_that_is_not_a_slug_is_a_usage_error(
    command: str, plan_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    extra = ["--store", str(store)] if command == "build" else []
    code, out, err = _cli(capsys, command, str(SEED), "--plan-id", plan_id, *extra)
    assert code == 2 and out == ""
    assert "is not a plan id" in err and "lowercase letters, digits and single hyphens" in err
    assert "%20" not in err and not store.exists()


def test_a_good_plan_id_names_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, "parse", str(SEED), "--plan-id", "asean-canada-2021-2025-v2")
    assert code == 0 and '"plan": "asean-canada-2021-2025-v2"' in out


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "plan.docx",
            SEED.read_bytes(),
            "not a valid .docx file (Word document); it looks like plain text (name it .txt)",
        ),
        (
            "plan.pdf",
            SEED.read_bytes(),
            "not a valid .pdf file (no PDF header); it looks like plain text (name it .txt)",
        ),
        ("plan.txt", b"%PDF-1.7\n\x00\x01\x02", "it looks like a PDF document (name it .pdf)"),
        ("plan.docx", b"%PDF-1.7\n\x00\x01\x02", "it looks like a PDF document (name it .pdf)"),
        ("plan.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "old binary Office file"),
        ("plan.docx", bytes(range(256)) * 4, "not a valid .docx file (Word document)"),
        (
            "notes.txt",
            b"Dear colleagues, see you on Monday.\n",
            "notes.txt: no numbered sections or action lines found: not a plan of action",
        ),
    ],
    ids=["text-as-docx", "text-as-pdf", "pdf-as-txt", "pdf-as-docx", "doc", "junk", "no-plan"],
)
def test_a_file_that_is_not_what_its_name_says_is_told_what_it_looks_like(
    name: str, content: bytes, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = _cli(capsys, "parse", str(path))
    assert code == 1 and out == ""
    line = _one_error_line(err)
    assert line.startswith(f"aseankg: error: {path}: ") and expected in line


def test_a_duplicated_action_line_is_refused_by_name_and_the_store_kept(
    seed_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _copy_store(seed_store, tmp_path)
    before = _export(capsys, store)
    bad = tmp_path / "duplicate.txt"
    text = SEED.read_text("utf-8")
    bad.write_text(text.replace("1.1.2. Continue to promote", "1.1.1. Continue to promote"))
    code, out, err = _cli(capsys, "build", str(bad), "--store", str(store))
    assert code == 3 and out == ""  # data that fails validation (docs/cli.md)
    line = _one_error_line(err)
    assert line == (
        f"aseankg: error: {bad}: action line 1.1.1 is numbered twice (text lines 8 and 10): "
        "renumber one of them"
    )
    assert _export(capsys, store) == before


def test_a_plan_with_no_action_lines_is_refused_and_the_stored_plan_kept(
    seed_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _copy_store(seed_store, tmp_path)
    before = _export(capsys, store)
    headings = tmp_path / "headings-only.txt"
    headings.write_text(
        "ASEAN-Canada Plan of Action 2021-2025\nAdopted on 10 September 2020\n\n"
        "The parties agree as follows.\n\n1. Political and Security Cooperation\n\n"
        "1.1. Regional Security Architecture\n\n2. Economic Cooperation\n\n"
        "2.1. Trade and Investment\n",
        "utf-8",
    )
    code, out, err = _cli(capsys, "build", str(headings), "--store", str(store))
    assert code == 1 and out == ""
    line = _one_error_line(err)
    assert line.startswith(f"aseankg: error: {headings}: no action lines")
    assert f"its plan {PLAN} are left as they were" in line
    assert _export(capsys, store) == before


def _flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for index in range(100, len(data), 97):
        data[index] ^= 0x5A
    path.write_bytes(bytes(data))


def _damage(build: Path, kind: str) -> None:
    """Damage the pyoxigraph (RocksDB) files of ``build`` the way disks and people do."""
    oxigraph = build / "oxigraph"
    tables = sorted(oxigraph.glob("*.sst"))
    if kind == "flipped-bytes":
        for table in tables:
            _flip_bytes(table)
    elif kind == "truncated":
        for table in tables:
            with table.open("r+b") as file:
                file.truncate(100)
    elif kind == "missing-table":
        tables[len(tables) // 2].unlink()
    elif kind == "garbled-current":
        (oxigraph / "CURRENT").write_text("garbage\n")
    elif kind == "emptied-files":
        for entry in oxigraph.iterdir():
            entry.write_bytes(b"")
    elif kind == "no-manifest":
        (build / "manifest.json").unlink()


COMMANDS = {
    "export": ["export", "--format", "nq"],
    "query": ["query", "lines-per-section"],
    "check": ["check", "--no-reason"],
}


@pytest.mark.parametrize(
    "kind",
    [
        "flipped-bytes",
        "truncated",
        "missing-table",
        "garbled-current",
        "emptied-files",
        "no-manifest",
    ],
)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_damaged_store_is_one_line_without_its_paths(
    kind: str,
    command: str,
    seed_store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = _copy_store(seed_store, tmp_path)
    build = (store / "current").resolve()
    _damage(build, kind)
    code, out, err = _cli(capsys, *COMMANDS[command], "--store", str(store))
    assert code == 1 and out == ""
    line = _one_error_line(err)
    assert f"the store at {store} " in line
    rest = line.replace(str(store), "<store>")
    assert str(tmp_path) not in rest and str(build) not in rest and "builds/" not in rest


def test_a_build_over_a_damaged_store_is_one_line_and_replace_recovers(
    seed_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _copy_store(seed_store, tmp_path)
    _damage((store / "current").resolve(), "flipped-bytes")
    plan = ROOT / "tests" / "data" / "plans" / "asean-korea-poa-2021-2025.txt"
    code, out, err = _cli(capsys, "build", str(plan), "--store", str(store))
    assert code == 1 and out == ""
    line = _one_error_line(err)
    assert line.startswith(f"aseankg: error: the store at {store} is damaged (")
    assert line.endswith("rebuild it with `aseankg build --replace`")
    assert str(tmp_path) not in line.replace(str(store), "<store>")
    code, out, err = _cli(capsys, "build", str(plan), "--store", str(store), "--replace")
    assert code == 0, err
    assert _cli(capsys, "query", "lines-per-section", "--store", str(store))[0] == 0


def test_the_installed_command_on_a_damaged_store_prints_no_traceback(
    seed_store: Path, tmp_path: Path
) -> None:
    store = _copy_store(seed_store, tmp_path)
    _damage((store / "current").resolve(), "flipped-bytes")
    command = Path(sys.executable).with_name("aseankg")
    for argv in COMMANDS.values():
        result = subprocess.run(
            [str(command), *argv, "--store", "store"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith("aseankg: error: the store at store is damaged (")
        assert len(result.stderr.splitlines()) == 1 and str(tmp_path) not in result.stderr


def test_a_plan_the_store_does_not_hold_is_a_bad_value(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["query", "action-lines-by-actor", "--param", "actor=AICHR", "--store", str(seed_store)]
    code, out, err = _cli(capsys, *argv, "--param", "plan=nope")
    assert code == 1 and out == ""
    line = _one_error_line(err)
    assert f"holds no plan 'nope' (it holds {PLAN})" in line
    code, out, err = _cli(capsys, *argv, "--param", f"plan={PLAN}")
    assert code == 0, err
    assert out.splitlines()[2].split()[:2] == ["1.5.1", PLAN]


def test_an_endpoint_s_explanation_reaches_the_user(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.rq"
    broken.write_text("SELECT ?s WHERE {\n  ?s ?p\n}\n", "utf-8")
    code, out, err = _cli(capsys, "query", str(broken), "--endpoint", f"{server}/sparql")
    assert code == 1 and out == ""
    line = _one_error_line(err)
    assert "refused the query: HTTP 400 Bad request: " in line
    assert re.search(r"\b\d+:\d+\b", line.split("refused the query")[1])  # line:column
    assert "QueryBadFormed" not in line
    code, out, err = _cli(capsys, "query", "actors", "--endpoint", f"{server}/nowhere")
    assert code == 1 and "HTTP 404" in _one_error_line(err)
    code, out, err = _cli(capsys, "query", "actors", "--endpoint", "file:///etc/hostname")
    assert code == 1 and "is not an http:// or https:// URL" in _one_error_line(err)
    code, out, err = _cli(capsys, "query", "actors", "--endpoint", f"{server}/sparql")
    assert code == 0 and "ACMW" in out
