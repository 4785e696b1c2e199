"""A folder store's build starts from a copy of the current build (a RocksDB checkpoint)
and loads only the changed graphs: whatever the path, the store exports the same N-Quads
as a build from empty, its triple count is the store's, and the build it started from is
left as it was."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from aseankg.graph.build import BuildSummary, build_plans
from aseankg.graph.rebuild import remove_plans
from aseankg.graph.serialize import export_store
from aseankg.graph.store import current_build, open_store

PLANS = Path(__file__).parents[1] / "data" / "plans"


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def _plans() -> list[Path]:
    return sorted(PLANS.glob("*.txt"))[:4]


def _export(store: Path) -> bytes:
    out = io.BytesIO()
    export_store(open_store(store), out, "nq")
    return out.getvalue()


def _cold(paths: list[Path], tmp: Path, name: str) -> bytes:
    store = tmp / name
    build_plans(paths, store=store, replace=True)
    return _export(store)


def _counted(summary: BuildSummary, store: Path) -> None:
    assert summary.triples == len(open_store(store))
    manifest = current_build(store)
    assert manifest is not None and manifest.manifest.triples == summary.triples


def test_warm_add_drop_and_changed_builds_equal_cold_ones(tmp_path: Path) -> None:
    plans = _plans()
    store = tmp_path / "store"
    first = build_plans(plans[:3], store=store, replace=True)
    assert "copy" not in first.timings
    _counted(first, store)
    cold3 = _export(store)

    warm = build_plans(plans[:3], store=store, replace=True)
    assert "copy" in warm.timings  # started from the current build
    _counted(warm, store)
    assert _export(store) == cold3

    added = build_plans(plans[3:4], store=store)
    assert "copy" in added.timings
    _counted(added, store)
    assert _export(store) == _cold(plans[:4], tmp_path, "cold4")

    dropped = remove_plans([_plan_of(added, plans[3])], store=store)
    assert "copy" in dropped.timings
    _counted(dropped, store)
    assert _export(store) == cold3

    changed = tmp_path / "changed" / plans[1].name
    changed.parent.mkdir()
    text = plans[1].read_text("utf-8")
    shutil.copy(plans[1], changed)
    line = next(line for line in text.splitlines() if "cooperation" in line.lower())
    changed.write_text(text.replace(line, line + " and training", 1), "utf-8")
    edited = [plans[0], changed, plans[2]]
    rebuilt = build_plans(edited, store=store, replace=True)
    assert "copy" in rebuilt.timings
    _counted(rebuilt, store)
    assert _export(store) == _cold(edited, tmp_path, "cold-changed")


def _plan_of(summary: BuildSummary, path: Path) -> str:
    return next(p.plan for p in summary.plans if Path(p.source).name == path.name)


def test_the_copy_leaves_the_build_it_started_from_as_it_was(tmp_path: Path) -> None:
    plans = _plans()
    store = tmp_path / "store"
    build_plans(plans[:2], store=store, replace=True)
    previous = current_build(store)
    assert previous is not None and previous.path is not None
    before = _export(store)
    build_plans(plans[2:3], store=store)
    from aseankg.graph.backends.folder import FolderBackend

    old = FolderBackend(store).open_build(previous)
    out = io.BytesIO()
    export_store(old, out, "nq")
    assert out.getvalue() == before
    assert len(old) == previous.manifest.triples
