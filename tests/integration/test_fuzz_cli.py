"""Mutated plans through the installed command, and builds over them that must fail whole.

The many-example fuzzing runs in process (``tests/unit/extract/test_parser_fuzz.py``);
here a handful of the nastiest mutations go through the real ``aseankg parse`` in a
subprocess (exit 0 with JSON, or exit 1 with one line; never a traceback), and builds
over failing inputs must leave the previous store the current one: it still answers,
and exports the same bytes, with no build directory left behind.
"""

from __future__ import annotations

import codecs
import io
import json
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from aseankg.api.cli import run

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "tests" / "data" / "plans"
SMALL = PLANS / "asean-korea-poa-2021-2025.txt"
COMMAND = Path(sys.executable).with_name("aseankg")


def _damage_deflate(data: bytes) -> bytes:
    """A .docx whose ``word/document.xml`` member has its deflate stream broken.

    The ZIP directory and CRCs stay intact, so only the decompression fails (zlib's own
    error, not zipfile's ``BadZipFile``).
    """
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    sizes = data[info.header_offset + 26 : info.header_offset + 30]
    name_size, extra_size = struct.unpack("<HH", sizes)
    start = info.header_offset + 30 + name_size + extra_size + 2
    return data[:start] + bytes(b ^ 0xFF for b in data[start : start + 8]) + data[start + 8 :]


def _mutations() -> dict[str, tuple[str, bytes]]:
    text = SMALL.read_text("utf-8")
    lines = text.split("\n")
    numbered = next(i for i, line in enumerate(lines) if line.startswith("1.1"))
    return {
        "nul-bytes": (".txt", text.replace("\n", "\n\x00\x00", 3).encode("utf-8")),
        "lone-surrogate": (
            ".txt",
            codecs.BOM_UTF8
            + text.replace("Plan", "Plan\ud800", 1).encode("utf-8", "surrogatepass"),
        ),
        "utf-16-with-bom": (".txt", text.encode("utf-16")),
        "cp1252": (".txt", text.replace("-", "–").encode("cp1252")),
        "cut-mid-character": (".txt", "é".join(lines).encode("utf-8")[:-1]),
        "duplicated-number": (
            ".txt",
            "\n".join(lines[: numbered + 1] + lines[numbered:]).encode("utf-8"),
        ),
        "megabyte-line": (".txt", (text + "\n1.1.9. " + "word " * 200_000 + ";\n").encode()),
        "control-debris": (".txt", text.replace(" ", " \x1b[0m", 5).encode("utf-8")),
        "damaged-docx": (
            ".docx",
            _damage_deflate(SMALL.with_suffix(".docx").read_bytes()),
        ),
        "cut-pdf": (".pdf", SMALL.with_suffix(".pdf").read_bytes()[:3000]),
        "text-named-pdf": (".pdf", text.encode("utf-8")),
    }


MUTATIONS = _mutations()


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_the_installed_parse_gives_json_or_one_line_on_a_mutated_plan(
    name: str, tmp_path: Path
) -> None:
    suffix, data = MUTATIONS[name]
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(data)
    result = subprocess.run(
        [str(COMMAND), "parse", str(path)], capture_output=True, timeout=120, check=False
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    assert result.returncode in (0, 1), stderr
    if result.returncode == 0:
        assert json.loads(result.stdout)["action_lines"], name
        assert all(line.startswith("aseankg: warning: ") for line in stderr.splitlines())
    else:
        assert result.stdout == b""
        assert len(stderr.splitlines()) == 1 and stderr.startswith(f"aseankg: error: {path}: ")


def _store_state(capsys: pytest.CaptureFixture[str], store: Path) -> tuple[str, list[str]]:
    code = run(["export", "--store", str(store), "--format", "nq"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, sorted(entry.name for entry in (store / "builds").iterdir())


FAILING = ["nul-bytes", "lone-surrogate", "cut-mid-character", "damaged-docx", "cut-pdf"]


def test_builds_over_failing_inputs_leave_the_previous_store(
    seed_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    shutil.copytree(seed_store, store, symlinks=True)
    before = _store_state(capsys, store)
    good = tmp_path / "good.txt"
    shutil.copy(SMALL, good)
    for name in FAILING:
        suffix, data = MUTATIONS[name]
        bad = tmp_path / f"{name}{suffix}"
        bad.write_bytes(data)
        # the good plan is read and spooled first, then the bad one fails the build
        code = run(["build", str(good), str(bad), "--store", str(store)])
        _, err = capsys.readouterr()
        assert code == 1, (name, err)
        assert err.strip().splitlines()[-1].startswith(f"aseankg: error: {bad}: "), err
        assert _store_state(capsys, store) == before, name
    duplicate = tmp_path / "duplicated-number.txt"
    duplicate.write_bytes(MUTATIONS["duplicated-number"][1])
    result = subprocess.run(
        [str(COMMAND), "build", str(duplicate), "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 3, result.stderr  # data that fails validation
    assert "Traceback" not in result.stderr and "is numbered twice" in result.stderr
    assert _store_state(capsys, store) == before
