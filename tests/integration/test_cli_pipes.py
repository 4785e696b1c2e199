"""A reader that closes the pipe early (``| head``) is not an error of the command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"


def test_extract_json_into_a_closed_pipe_exits_zero_without_a_traceback() -> None:
    script = (
        "import sys; from aseankg.api.cli import run; "
        "sys.exit(run(['extract', sys.argv[1], '--format', 'json']))"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script, str(SEED)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.read(16)  # like `head -c 16`, then close the pipe
        process.stdout.close()
        error = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0, error
    assert first.startswith(b"{")
    assert "Traceback" not in error
