"""The editions step keeps each edition pair's quads in the shard folder: a build that
finds a pair's two plans unchanged reuses them instead of aligning and validating the
pair again, and whatever it reuses, the store exports the same N-Quads as a build that
aligned every pair. A cache file cut short is not trusted: its pair is aligned again."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from aseankg.graph.build import build_plans
from aseankg.graph.serialize import export_store
from aseankg.graph.store import open_store
from bench.synthetic import generate_plan


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Four editions of one partnership (2006-2010 ... 2021-2025), oldest first."""
    folder = tmp_path_factory.mktemp("plans")
    paths = []
    for index, start in enumerate((2006, 2011, 2016, 2021)):
        path = folder / f"japan-{start}.txt"
        path.write_text(generate_plan(index, "Japan", (start, start + 4)), "utf-8")
        paths.append(path)
    return paths


def _counted(summary: object, store: Path) -> None:
    """The triple count the build worked out (from what the editions write reported,
    not by counting) is the store's size."""
    assert summary.triples == len(open_store(store))  # type: ignore[attr-defined]


def _export(store: Path) -> bytes:
    out = io.BytesIO()
    export_store(open_store(store), out, "nq")
    return out.getvalue()


def _cold(paths: list[Path], tmp: Path, name: str) -> bytes:
    """A build from empty with an empty shard folder: every pair aligned."""
    summary = build_plans(paths, store=tmp / name, replace=True, shards=tmp / f"{name}-shards")
    assert summary.editions_reused == 0
    return _export(tmp / name)


def test_unchanged_pairs_are_reused_and_the_store_is_the_same(
    editions: list[Path], tmp_path: Path
) -> None:
    store, shards = tmp_path / "store", tmp_path / "shards"
    first = build_plans(editions[:3], store=store, replace=True, shards=shards)
    assert (first.editions_recomputed, first.editions_reused) == (2, 0)
    _counted(first, store)
    three = _export(store)

    warm = build_plans(editions[:3], store=store, replace=True, shards=shards)
    assert (warm.editions_recomputed, warm.editions_reused) == (0, 2)
    _counted(warm, store)
    assert _export(store) == three

    added = build_plans(editions, store=store, replace=True, shards=shards)
    assert (added.editions_recomputed, added.editions_reused) == (1, 2)
    _counted(added, store)
    assert _export(store) == _cold(editions, tmp_path, "cold4")
    assert b"/ontology#Continuity>" in _export(store)

    # the middle edition dropped: its two pairs' quads leave, one new pair is aligned
    dropped = build_plans(editions[:1] + editions[2:], store=store, replace=True, shards=shards)
    assert (dropped.editions_recomputed, dropped.editions_reused) == (1, 1)
    _counted(dropped, store)
    assert _export(store) == _cold(editions[:1] + editions[2:], tmp_path, "cold3")


def test_a_cache_file_cut_short_is_aligned_again(editions: list[Path], tmp_path: Path) -> None:
    store, shards = tmp_path / "store", tmp_path / "shards"
    build_plans(editions[:3], store=store, replace=True, shards=shards)
    reference = _export(store)
    kept = sorted((shards / "editions").glob("*.nq"))
    assert len(kept) == 2
    data = kept[0].read_bytes()
    # a write cut short (a crash, a full disk) at a line's end: what is left still parses
    kept[0].write_bytes(data[: data.rindex(b"\n", 0, len(data) // 2) + 1])
    again = build_plans(editions[:3], store=store, replace=True, shards=shards)
    assert (again.editions_recomputed, again.editions_reused) == (1, 1)
    assert _export(store) == reference
    assert kept[0].read_bytes() == data  # kept whole again
