"""A reader that closes the pipe early (``| head``) is not an error of the command.

The commands here write their output in many writes (CSV rows, N-Quads chunks), as a
long output does: the write after the reader has gone raises ``BrokenPipeError``. (One
single large write does not: the kernel ends it short and Python reports no error, so a
command writing that way would pass with or without the policy.)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"


def _aseankg() -> str:
    path = shutil.which("aseankg", path=str(Path(sys.executable).parent))
    assert path is not None, "the aseankg console script is installed"
    return path


def _read_then_close(argv: list[str]) -> tuple[int, bytes, str]:
    """Run ``aseankg ARGV``, read 16 bytes of stdout (like ``head -c 16``), close it."""
    with subprocess.Popen(
        [_aseankg(), *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.read(16)
        process.stdout.close()
        error = process.stderr.read().decode()
        return process.wait(timeout=120), first, error


def test_extract_csv_into_a_closed_pipe_exits_zero_without_a_message() -> None:
    code, first, error = _read_then_close(["extract", str(SEED), "--format", "csv"])
    assert first.startswith(b"plan,action_line")
    assert (code, error) == (0, "")


@pytest.mark.parametrize("format", ["nq", "nt"])
def test_export_into_a_closed_pipe_exits_zero_without_a_message(
    seed_store: Path, format: str
) -> None:
    code, first, error = _read_then_close(
        ["export", "--store", str(seed_store), "--format", format]
    )
    assert first.startswith(b"<")
    assert (code, error) == (0, "")
