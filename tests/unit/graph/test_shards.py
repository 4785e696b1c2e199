"""Shard keys: what a shard's bytes depend on changes its key, nothing else does."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from aseankg.graph.shards import (
    SHARD_LIBRARIES,
    ShardSettings,
    ShardTask,
    shard_key,
    shard_settings,
)


def _with_version(settings: ShardSettings, name: str) -> ShardSettings:
    libraries = tuple((n, f"{v}.1" if n == name else v) for n, v in settings.libraries)
    return replace(settings, libraries=libraries)


def test_the_key_follows_the_bytes_the_epoch_the_base_the_options_and_the_code(
    tmp_path: Path,
) -> None:
    doc = tmp_path / "plan.txt"
    doc.write_text("1. Trade\n1.1.1. Explore;\n", "utf-8")
    settings = shard_settings(tmp_path / "shards", environ={"SOURCE_DATE_EPOCH": "1"})
    task = ShardTask(str(doc), settings)
    key = shard_key(task)
    names = [name for name, _version in settings.libraries]
    assert names == ["python", *SHARD_LIBRARIES]
    assert "spacy-lookups-data" in names and "pyshacl-turbo" in names
    same = [
        replace(task, settings=replace(settings, folder=str(tmp_path / "elsewhere"))),
        replace(task, path=str(tmp_path / "." / "plan.txt")),
        # the build time is not part of the key, SOURCE_DATE_EPOCH is: without it a
        # reused shard keeps the time it was made at, like a kept plan
        replace(task, settings=replace(settings, time="2030-01-01T00:00:00+00:00")),
    ]
    assert {shard_key(t) for t in same} == {key}
    other = [
        replace(task, settings=shard_settings(tmp_path, environ={"SOURCE_DATE_EPOCH": "2"})),
        replace(task, settings=replace(settings, base="https://example.org/kg/")),
        replace(task, settings=replace(settings, software="9.9")),
        replace(task, settings=replace(settings, code="0" * 64)),
        replace(task, settings=replace(settings, ontology="0" * 64)),
        replace(task, settings=replace(settings, authority="0" * 64)),
        replace(task, settings=replace(settings, shapes="0" * 64)),
        # the libraries the bytes depend on: the lemma tables, the readers, the SHACL
        # engine (its verdict decides whether the shard is made), Python itself
        *(replace(task, settings=_with_version(settings, name)) for name in names),
        replace(task, plan_id="other-plan"),
        replace(task, allow_partial=True),
    ]
    keys = [shard_key(t) for t in other]
    assert key not in keys and len(set(keys)) == len(keys)
    doc.write_text("1. Trade\n1.1.1. Explore!\n", "utf-8")
    assert shard_key(task) not in {key, *keys}
