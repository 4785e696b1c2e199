"""Sharded builds through the real CLI: unchanged documents skipped, a failing document
fails the build after the others (the previous store stays), progress on a terminal."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from aseankg.api.cli import run
from aseankg.graph.store import read_manifest

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "tests" / "data" / "plans"
DOCS = [
    PLANS / "asean-australia-poa-2025-2029.txt",
    PLANS / "asean-china-poa-2026-2030.txt",
    PLANS / "asean-eu-poa-2023-2027.txt",
]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
CLI = [str(Path(sys.executable).with_name("aseankg"))]


@pytest.fixture(autouse=True)
def _epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])


@dataclass(frozen=True)
class _Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def aseankg(capsys: pytest.CaptureFixture[str]) -> Callable[..., _Result]:
    """The CLI in this process (its output captured), as ``aseankg ARGV`` would run."""

    def call(*argv: str | Path) -> _Result:
        code = run([str(arg) for arg in argv])
        out, err = capsys.readouterr()
        return _Result(code, out, err)

    return call


def _export(aseankg: Callable[..., _Result], store: Path) -> str:
    result = aseankg("export", "--store", store, "--format", "nq")
    assert result.returncode == 0, result.stderr
    return result.stdout


def _shards(store: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text("utf-8")) for p in sorted((store / "shards").rglob("*.json"))]


def test_unchanged_documents_are_skipped_and_a_changed_one_is_rebuilt(
    tmp_path: Path, aseankg: Callable[..., _Result]
) -> None:
    docs = []
    for doc in DOCS:
        shutil.copy(doc, tmp_path / doc.name)
        docs.append(tmp_path / doc.name)
    store = tmp_path / "store"
    first = aseankg("build", *docs, "--store", store, "--jobs", "1")
    assert first.returncode == 0, first.stderr
    assert "documents: 3: 3 built, 0 unchanged (shard reused), 0 failed" in first.stderr
    steps = [line for line in first.stderr.splitlines() if line.endswith(" ...")]
    assert [step.split(" (")[0].removesuffix(" ...") for step in steps] == [
        "aseankg: loading 3 plan graphs",
        "aseankg: recomputing partnerships, editions and continuity",
        "aseankg: running the cross-node checks",
        "aseankg: swapping in the new store",
    ]  # the global stage's steps, after the documents
    assert len(_shards(store)) == 3

    changed = docs[1].read_text("utf-8").replace("Strengthen", "Reinforce", 1)
    assert changed != docs[1].read_text("utf-8")
    docs[1].write_text(changed, "utf-8")
    second = aseankg("build", *docs, "--store", store, "--jobs", "1")
    assert second.returncode == 0, second.stderr
    lines = [line for line in second.stderr.splitlines() if line.startswith("[")]
    assert [line.split("] ", 1)[0] for line in lines] == ["[1/3", "[2/3", "[3/3"]
    assert sorted(line.split("] ", 1)[1] for line in lines) == [  # the found ones come first
        f"{docs[0]}: unchanged, shard reused: asean-australia-2025-2029",
        f"{docs[1]}: built asean-china-2026-2030",
        f"{docs[2]}: unchanged, shard reused: asean-eu-2023-2027",
    ]
    assert "documents: 3: 1 built, 2 unchanged (shard reused), 0 failed" in second.stderr
    assert "Reinforce" in _export(aseankg, store)

    fresh = tmp_path / "fresh"  # no shard to reuse: everything made again
    third = aseankg("build", *docs, "--store", fresh, "--jobs", "1")
    assert third.returncode == 0, third.stderr
    assert _export(aseankg, fresh) == _export(aseankg, store)
    assert read_manifest(fresh).version == read_manifest(store).version

    # the checks inside one plan graph ran with its shard: what a reused shard found is
    # reported by the next build, as a check over the whole store would have
    meta_file = next(p for p in (fresh / "shards").rglob("*.json") if "australia" in p.read_text())
    meta = json.loads(meta_file.read_text("utf-8"))
    assert meta["checks"] == []
    item = "https://w3id.org/aseankg/id/mention/x"
    meta["checks"] = [["checks/mention-quotes", item, "quotes 'ARF' but the text has 'ARG'"]]
    meta_file.write_text(json.dumps(meta), "utf-8")
    before = read_manifest(fresh).version
    fourth = aseankg("build", *docs, "--store", fresh, "--jobs", "1")
    assert fourth.returncode != 0
    assert fourth.stderr.count(": unchanged, shard reused: ") == 3
    assert "the new store fails 1 cross-node check(s)" in fourth.stderr
    assert (
        f"mention quote differs from the text at its offsets: {item}: "
        "quotes 'ARF' but the text has 'ARG'"
    ) in fourth.stderr
    assert read_manifest(fresh).version == before  # the previous store stays


def test_a_failing_document_fails_the_build_after_the_others_and_keeps_the_store(
    tmp_path: Path, aseankg: Callable[..., _Result]
) -> None:
    store = tmp_path / "store"
    assert aseankg("build", DOCS[0], "--store", store).returncode == 0
    before = read_manifest(store)
    broken = tmp_path / "broken.txt"
    broken.write_text("A memo\n\nNothing numbered here at all.\n", "utf-8")
    result = aseankg("build", DOCS[1], broken, DOCS[2], "--store", store, "--jobs", "1")
    assert result.returncode == 1
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith(f"aseankg: error: {broken}") and "Traceback" not in result.stderr
    progress = sorted(line.split(": ", 1)[1] for line in result.stderr.splitlines() if "[" in line)
    assert progress == [
        "built asean-china-2026-2030",
        "built asean-eu-2023-2027",
        "failed: " + error.removeprefix("aseankg: error: "),
    ]
    assert read_manifest(store) == before  # the previous store is still the current one
    again = aseankg("build", DOCS[1], DOCS[2], "--store", store, "--jobs", "1")
    assert again.returncode == 0, again.stderr
    assert "2 unchanged (shard reused)" in again.stderr  # the good ones were kept as shards
    assert {p.plan for p in read_manifest(store).plans} == {
        "asean-australia-2025-2029",
        "asean-china-2026-2030",
        "asean-eu-2023-2027",
    }


def test_progress_is_a_bar_on_a_terminal(tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    # a terminal that tells its width but not its height, as `stty cols 100` leaves it
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 0, 100, 0, 0))
    child = subprocess.Popen(
        [*CLI, "build", *map(str, DOCS), "--store", str(tmp_path / "store"), "--jobs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env=ENV,
    )
    os.close(terminal)
    seen = b""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        elif child.poll() is not None:
            break
    os.close(controller)
    assert child.wait(timeout=60) == 0, seen.decode(errors="replace")
    text = seen.decode(errors="replace")
    assert "3/3" in text and "100%" in text and "doc" in text
    assert "[1/3]" not in text  # no plain lines on a terminal


def test_a_dask_address_that_is_not_one_is_a_one_line_error(
    tmp_path: Path, aseankg: Callable[..., _Result]
) -> None:
    result = aseankg("build", DOCS[0], "--store", tmp_path / "store", "--dask", "localhost")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "aseankg: error: --dask wants a scheduler address like tcp://host:8786, not 'localhost'"
    ]
