"""The editions step's rows read one plan graph at a time (each shard keeps its plan's)
are the rows of the same queries over the whole store, so a build aligns the same lines
without querying its store; a shard's rows survive its ``.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Store

from aseankg.graph import editions
from aseankg.graph.build import build_plans
from aseankg.graph.facts import EditionFacts, merge_facts, read_facts
from aseankg.graph.iris import Minter
from aseankg.graph.packaged import ontology_graph
from aseankg.graph.shards import ShardTask, build_shard, plan_findings, shard_settings
from aseankg.graph.store import open_store
from bench.synthetic import generate_plan

SEED = Path(__file__).resolve().parents[2] / "data" / "sources" / "asean-canada-poa-2021-2025.txt"


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The seed and three editions of two other partnerships."""
    folder = tmp_path_factory.mktemp("plans")
    paths = [SEED]
    for index, (partner, start) in enumerate((("Japan", 2016), ("Japan", 2021), ("India", 2021))):
        path = folder / f"{partner.lower()}-{start}.txt"
        path.write_text(generate_plan(index, partner, (start, start + 4)), "utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def built(plans: list[Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("built")
    build_plans(plans, store=tmp / "store", shards=tmp / "shards", replace=True)
    return tmp / "store", tmp / "shards"


def test_the_rows_of_each_shard_are_the_store_queries_rows(
    plans: list[Path], built: tuple[Path, Path]
) -> None:
    store, shards = built
    whole = read_facts(open_store(store))
    settings = shard_settings(shards)
    found = [build_shard(ShardTask(str(path), settings)) for path in plans]
    assert all(shard.reused for shard in found)  # the rows came back from the .json
    assert merge_facts(shard.facts for shard in found) == whole
    assert len(whole.plans) == 4 and len(whole.lines) == 4
    lines = dict(whole.lines)
    seed = lines[Minter().plan("asean-canada-2021-2025")]
    assert len(seed) == 106 and seed[0].notation == "1.1.1"
    assert any(line.entities for line in seed) and any(line.strength for line in seed)


def test_a_plan_graph_read_alone_gives_its_rows_of_the_store(built: tuple[Path, Path]) -> None:
    """What a build reads of a plan it keeps from the previous store, from its graph."""
    store = open_store(built[0])
    minter = Minter()
    whole = read_facts(store)
    ontology = ontology_graph(minter).quads
    for row in whole.plans:
        quads = list(
            store.quads_for_pattern(None, None, None, NamedNode(minter.plan_graph(row.plan)))
        )
        with_ontology = Store()  # the plan graph beside the whole ontology graph
        with_ontology.extend(ontology)
        with_ontology.extend(quads)
        alone = read_facts(with_ontology)
        assert plan_findings(quads, minter.base)[1] == alone  # what a build reads
        assert alone.plans == (row,)
        assert alone.lines == ((row.iri, dict(whole.lines)[row.iri]),)


def test_the_rows_survive_json_and_a_damaged_value_is_refused(built: tuple[Path, Path]) -> None:
    whole = read_facts(open_store(built[0]))
    assert EditionFacts.from_json(whole.to_json()) == whole
    broken = whole.to_json()
    broken["plans"][0][3] = "2021"  # a period start that is text
    with pytest.raises(TypeError):
        EditionFacts.from_json(broken)


def test_a_shard_whose_rows_are_damaged_is_made_again(plans: list[Path], tmp_path: Path) -> None:
    """A shard's ``.json`` that is not an object, or whose rows are another plan's, is not
    trusted: the document is read again, and its shard has the right rows."""
    settings = shard_settings(tmp_path / "shards")
    task = ShardTask(str(plans[1]), settings)
    made = build_shard(task)
    meta_file = Path(made.file).with_suffix(".json")
    meta = json.loads(meta_file.read_text("utf-8"))
    other = build_shard(ShardTask(str(plans[2]), settings))
    damages: list[object] = [[], {**meta, "editions": other.facts.to_json()}]
    for damage in damages:
        meta_file.write_text(json.dumps(damage), "utf-8")
        again = build_shard(task)
        assert not again.reused and again.facts == made.facts
        assert build_shard(task).reused  # the shard made again is trusted


def test_a_build_aligns_from_its_shards_rows_without_querying_its_store(
    plans: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editions step of a build, cold or from a copy of the previous store with a
    plan kept, never runs the four queries on the store: it has every plan's rows."""

    def refuse(_store: object) -> object:
        raise AssertionError("the editions step queried the store")

    monkeypatch.setattr(editions, "read_plan_rows", refuse)
    monkeypatch.setattr(editions, "read_line_rows", refuse)
    store = tmp_path / "store"
    first = build_plans(plans[1:3], store=store, shards=tmp_path / "shards", replace=True)
    assert first.editions_recomputed == 1  # the two Japan editions
    kept = build_plans(plans[3:], store=store, shards=tmp_path / "shards")  # Japan kept
    assert kept.editions_reused == 1 and len(kept.plans) == 3
