"""``aseankg build`` without paths never drops a plan; ``aseankg remove PLAN`` does, on
purpose: real ``aseankg`` subprocesses on a temporary store, from a folder of its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from aseankg.graph.store import read_manifest

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "tests" / "data" / "plans"
CLI = Path(sys.executable).with_name("aseankg")
KOREA, INDIA = "asean-korea-2021-2025", "asean-india-2026-2030"
AUSTRALIA = "asean-australia-2025-2029"


def _aseankg(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *argv], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def _plans(store: Path) -> list[str]:
    return [plan.plan for plan in read_manifest(store).plans]


def test_a_plan_whose_file_is_gone_is_kept_and_remove_takes_it_out(tmp_path: Path) -> None:
    (tmp_path / "data" / "sources").mkdir(parents=True)
    shutil.copy(PLANS / "asean-australia-poa-2025-2029.txt", tmp_path / "data" / "sources")
    added = tmp_path / "elsewhere"
    added.mkdir()
    for name in ("asean-korea-poa-2021-2025.txt", "asean-india-poa-2026-2030.txt"):
        shutil.copy(PLANS / name, added)
        built = _aseankg(tmp_path, "build", str(added / name), "--store", "store")
        assert built.returncode == 0, built.stderr
    (added / "asean-korea-poa-2021-2025.txt").unlink()

    rebuilt = _aseankg(tmp_path, "build", "--store", "store")
    assert rebuilt.returncode == 0, rebuilt.stderr
    store = tmp_path / "store"
    assert _plans(store) == [AUSTRALIA, INDIA, KOREA]
    assert f"{KOREA}: its source" in rebuilt.stderr and "is gone, kept as built" in rebuilt.stderr
    rows = {line.split()[0]: line.split()[-1] for line in rebuilt.stdout.splitlines()[2:5]}
    assert rows == {AUSTRALIA: "built", INDIA: "built", KOREA: "kept"}

    unknown = _aseankg(tmp_path, "remove", "asean-mars-2031-2035", "--store", "store")
    assert unknown.returncode == 1 and unknown.stderr.count("\n") == 1
    assert "no plan 'asean-mars-2031-2035'" in unknown.stderr and KOREA in unknown.stderr
    assert _plans(store) == [AUSTRALIA, INDIA, KOREA]

    removed = _aseankg(tmp_path, "remove", KOREA, "--store", "store")
    assert removed.returncode == 0, removed.stderr
    assert _plans(store) == [AUSTRALIA, INDIA]
    again = _aseankg(tmp_path, "build", "--store", "store")
    assert again.returncode == 0 and _plans(store) == [AUSTRALIA, INDIA]


def test_remove_without_a_store_is_a_one_line_error(tmp_path: Path) -> None:
    done = _aseankg(tmp_path, "remove", KOREA, "--store", str(tmp_path / "none"))
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "no store" in done.stderr and "Traceback" not in done.stderr
