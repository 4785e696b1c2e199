"""The cross-partner named queries and the query by topic, on a store of two partnerships
(the seed, ASEAN–Canada, and the ASEAN–Australia test plan) built by the real build."""

from __future__ import annotations

from pathlib import Path

import pytest

from aseankg.graph.build import build_plans
from aseankg.graph.query import ResultTable, select_table
from aseankg.graph.store import ReadStore, open_store
from aseankg.queries.loader import bind_query, load_query

ROOT = Path(__file__).resolve().parents[3]
AUSTRALIA = ROOT / "tests" / "data" / "plans" / "asean-australia-poa-2025-2029.txt"
BASE = "https://w3id.org/aseankg/id/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> ReadStore:
    root = tmp_path_factory.mktemp("two-partners")
    build_plans([seed_path, AUSTRALIA], store=root)
    return open_store(root)


def _run(store: ReadStore, name: str, **params: str) -> ResultTable:
    return select_table(store, bind_query(load_query(name), params))


def _column(table: ResultTable, name: str) -> list[str]:
    return [row[table.variables.index(name)] for row in table.rows]


def test_what_one_partnership_names_and_the_other_does_not(store: ReadStore) -> None:
    only_canada = _run(store, "entities-named-by-one-partner", partner="canada", other="australia")
    entities = set(_column(only_canada, "entity"))
    assert BASE + "actor/aichr" in entities  # ASEAN–Canada names AICHR; ASEAN–Australia does not
    assert BASE + "actor/asean-secretariat" not in entities  # both name it
    assert set(_column(only_canada, "plans")) == {"asean-canada-2021-2025"}
    same = _run(store, "entities-named-by-one-partner", partner="ASEAN-Canada", other="Australia")
    assert set(_column(same, "entity")) == entities  # ids or slugs, in any case
    instruments = _run(store, "entities-named-by-one-partner", partner="canada", kind="Instrument")
    assert set(_column(instruments, "type")) == {"Instrument"}
    assert BASE + "instrument/unclos" in _column(instruments, "entity")


def test_what_two_partnerships_share(store: ReadStore) -> None:
    shared = _run(store, "entities-shared-by-partners", partner="canada", other="australia")
    entities = _column(shared, "entity")
    assert BASE + "actor/asean-secretariat" in entities and BASE + "actor/aichr" not in entities
    assert set(_column(shared, "partnershipIds")) == {"asean-australia asean-canada"} or all(
        set(ids.split()) == {"asean-australia", "asean-canada"}
        for ids in _column(shared, "partnershipIds")
    )
    assert set(_column(_run(store, "entities-shared-by-partners"), "entity")) == set(entities)


def test_commitments_per_topic_and_partnership(store: ReadStore) -> None:
    table = _run(store, "commitments-by-topic-and-partner", topic="human-rights")
    rows = {row[table.variables.index("partnershipLabel")]: row for row in table.rows}
    assert "ASEAN–Canada" in rows
    canada = rows["ASEAN–Canada"]
    lines = int(canada[table.variables.index("lines")])
    by_topic = _run(store, "lines-by-topic", topic="Human Rights", plan="asean-canada-2021-2025")
    assert lines == len({row[0] for row in by_topic.rows}) > 0
    assert int(canada[table.variables.index("strongLines")]) <= lines


def test_lines_by_topic_names_the_topic(store: ReadStore) -> None:
    table = _run(store, "lines-by-topic", topic="cybersecurity")
    assert table.variables[:4] == ("line", "plan", "topic", "topicLabel")
    assert {row[0] for row in table.rows} >= {"1.3.1", "4.2.1"}
    assert {row[3] for row in table.rows} == {"cybersecurity"}
    assert _run(store, "lines-by-topic", topic="no-such-topic").rows == ()


def test_life_below_water_is_only_the_lines_about_it(store: ReadStore) -> None:
    """A topic alone no longer ties a line to its topic's four goals: SDG 14 is the lines
    whose own words or entities are about the sea (marine debris, fisheries ...)."""
    table = _run(store, "lines-by-sdg", sdg="14", plan="asean-canada-2021-2025")
    lines = {row[0] for row in table.rows}
    assert "3.2.5" in lines  # the marine debris declaration
    # clean air, climate adaptation, climate capacity: environment lines, not the sea
    assert not lines & {"3.2.3", "3.2.6", "3.2.7"}
    marine = ("marine", "fisher", "ocean", "aquaculture", "coast", "fishing")
    assert all(any(w in row[3].lower() for w in marine) for row in table.rows), table.rows
