"""The store layout: DIR/current swapped atomically, failed builds leave the old store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from aseankg.graph.errors import StoreError
from aseankg.graph.store import (
    BUILDS,
    CURRENT,
    MANIFEST_FILE,
    BuildDirectory,
    Manifest,
    ManifestPlan,
    current_build,
    open_store,
    read_manifest,
    start_build,
)

_G = NamedNode("http://example.org/g")


def _fill(path: Path, value: str) -> None:
    store = Store(str(path))
    store.add(
        Quad(
            NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), Literal(value), _G
        )
    )
    store.flush()
    del store


def _build(root: Path, value: str) -> Path:
    with start_build(root) as build:
        assert isinstance(build, BuildDirectory)
        _fill(build.oxigraph, value)
        build.commit(Manifest(version=value))
    return build.path


def _value(root: Path) -> str:
    store = open_store(root)
    assert isinstance(store, Store)
    value = next(iter(store)).object
    assert isinstance(value, Literal)
    return value.value


def test_no_store_yet_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="aseankg build"):
        open_store(tmp_path / "store")
    assert current_build(tmp_path / "store") is None


def test_a_committed_build_becomes_current(tmp_path: Path) -> None:
    root = tmp_path / "store"
    path = _build(root, "one")
    assert (root / CURRENT).is_symlink()
    current = current_build(root)
    assert current is not None and current.path == path.resolve()
    assert _value(root) == "one"
    assert read_manifest(root).version == "one"
    assert json.loads((path / MANIFEST_FILE).read_text())["version"] == "one"


def test_a_failing_build_leaves_the_previous_store(tmp_path: Path) -> None:
    root = tmp_path / "store"
    _build(root, "one")
    with pytest.raises(RuntimeError), start_build(root) as build:
        assert isinstance(build, BuildDirectory)
        _fill(build.oxigraph, "two")
        raise RuntimeError("validation failed")
    assert _value(root) == "one"
    assert len(list((root / BUILDS).iterdir())) == 1


def test_an_uncommitted_build_is_discarded(tmp_path: Path) -> None:
    root = tmp_path / "store"
    _build(root, "one")
    with start_build(root) as build:
        assert isinstance(build, BuildDirectory)
        _fill(build.oxigraph, "two")
    assert _value(root) == "one"


def test_the_last_two_builds_are_kept(tmp_path: Path) -> None:
    root = tmp_path / "store"
    first = _build(root, "one")
    second = _build(root, "two")
    third = _build(root, "three")
    assert not first.exists()
    assert second.exists() and third.exists()
    assert _value(root) == "three"


def test_leftovers_of_a_killed_build_are_pruned(tmp_path: Path) -> None:
    root = tmp_path / "store"
    _build(root, "one")
    dead = root / BUILDS / "00000000T000000-1-000"
    (dead / "oxigraph").mkdir(parents=True)
    _build(root, "two")
    assert not dead.exists()


def test_two_builds_at_once_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "store"
    with start_build(root), pytest.raises(StoreError, match="another build"), start_build(root):
        pass


def test_the_manifest_is_typed_and_round_trips(tmp_path: Path) -> None:
    root = tmp_path / "store"
    plan = ManifestPlan(plan="asean-x-2031-2035", graph="urn:g", action_lines=3, sha256="ab")
    with start_build(root) as build:
        assert isinstance(build, BuildDirectory)
        _fill(build.oxigraph, "one")
        build.commit(Manifest(version="v1", base="https://example.org/id/", plans=(plan,)))
    manifest = read_manifest(root)
    assert manifest.plans == (plan,) and manifest.base == "https://example.org/id/"
    assert Manifest.from_json(manifest.to_json()) == manifest


@pytest.mark.parametrize(
    "text", ["[]", "{}", '{"version": 3}', "not json", '{"version": "v", "plans": [{}]}']
)
def test_a_malformed_manifest_is_a_store_error(tmp_path: Path, text: str) -> None:
    root = tmp_path / "store"
    path = _build(root, "one")
    (path / MANIFEST_FILE).write_text(text)
    with pytest.raises(StoreError, match="no readable manifest"):
        current_build(root)
