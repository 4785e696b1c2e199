"""A very long action line: extracted when it is within the documented bound, else a
one-line error naming it; never spaCy's traceback. Through the real ``aseankg`` CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from aseankg.extract.nlp.pipeline import MAX_TEXT_CHARS

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
PHRASE = " and to promote cooperation with the ASEAN Regional Forum (ARF) on energy"


def _plan_with_long_line(tmp_path: Path, chars: int) -> Path:
    """The seed with action line 1.1.1 made ``chars`` characters longer."""
    seed = SEED.read_text("utf-8")
    end = seed.index("\n", seed.index("1.1.1."))
    filler = (PHRASE * (chars // len(PHRASE) + 1))[:chars]
    path = tmp_path / "long.txt"
    path.write_text(seed[:end].rstrip(";") + filler + ";" + seed[end:], "utf-8")
    return path


def _aseankg(*argv: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "aseankg"
    return subprocess.run(
        [str(script), *argv], capture_output=True, text=True, timeout=300, check=False
    )


def test_a_line_over_a_million_characters_is_a_one_line_error(tmp_path: Path) -> None:
    plan = _plan_with_long_line(tmp_path, 1_000_001)
    for argv in (["extract", str(plan)], ["build", str(plan), "--store", str(tmp_path / "s")]):
        result = _aseankg(*argv)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        (line,) = result.stderr.strip().splitlines()
        assert "action line 1.1.1" in line
        assert f"at most {MAX_TEXT_CHARS:,}" in line
    assert not (tmp_path / "s" / "current").exists()


def test_a_long_line_within_the_bound_is_extracted(tmp_path: Path) -> None:
    plan = _plan_with_long_line(tmp_path, 20_000)
    result = _aseankg("extract", str(plan), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert ",1.1.1,arf," in result.stdout
