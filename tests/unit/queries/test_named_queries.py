"""The named queries answer the analysts' questions on the seed plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Store

from aseankg.graph.build import build_plans
from aseankg.graph.query import ResultTable, select_table
from aseankg.graph.store import ReadStore, open_store
from aseankg.queries.loader import bind_query, list_queries, load_query

PLAN = "asean-canada-2021-2025"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> ReadStore:
    root = tmp_path_factory.mktemp("store")
    build_plans([seed_path], store=root)
    return open_store(root)


def _run(store: ReadStore, name: str, **params: str) -> ResultTable:
    return select_table(store, bind_query(load_query(name), params))


def _lines(table: ResultTable) -> list[str]:
    return sorted({row[0] for row in table.rows})


@pytest.mark.parametrize(
    ("actor", "lines"),
    [
        ("AICHR", ["1.5.1"]),
        ("aichr", ["1.5.1"]),
        ("ASEAN Intergovernmental Commission on Human Rights", ["1.5.1"]),
        ("https://w3id.org/aseankg/id/actor/aichr", ["1.5.1"]),
        ("ACMW", ["1.5.1", "3.5.1"]),
    ],
)
def test_action_lines_by_actor(store: Store, actor: str, lines: list[str]) -> None:
    table = _run(store, "action-lines-by-actor", actor=actor)
    assert table.variables[:4] == ("line", "plan", "actor", "actorLabel")
    assert _lines(table) == lines
    assert {row[1] for row in table.rows} == {PLAN}


def test_names_match_in_any_case_in_the_sparql_text_itself(store: Store) -> None:
    """The query as a user edits it in the query page (no loader): "aichr" and the label
    in lower case find AICHR, as the parameter's comment says."""
    text = load_query("action-lines-by-actor").text
    for name in ("aichr", "asean intergovernmental commission on human rights"):
        table = select_table(
            store, text.replace("VALUES ?actor { UNDEF }", f'VALUES ?actor {{ "{name}" }}')
        )
        assert _lines(table) == ["1.5.1"], name
    text = load_query("action-lines-by-instrument").text
    table = select_table(
        store, text.replace("VALUES ?instrument { UNDEF }", 'VALUES ?instrument { "unclos" }')
    )
    assert _lines(table) == ["1.2.2"]


def test_entity_columns_are_iris_with_a_label_column_beside_them(store: Store) -> None:
    """WDQS's convention: ``?x`` holds the entity's IRI and ``?xLabel`` its name."""
    checked = 0
    for query in list_queries():
        required = {
            "actor": "ASEAN",
            "instrument": "UNCLOS",
            "words": "human rights",
            "plan": PLAN,
            "partner": "canada",
        }
        values = {p.name: required[p.name] for p in query.params if p.required}
        table = select_table(store, bind_query(query, values))
        for i, var in enumerate(table.variables):
            if f"{var}Label" not in table.variables or not table.rows:
                continue
            label = table.variables.index(f"{var}Label")
            assert label == i + 1, f"{query.name}: {var}Label is not beside {var}"
            for row in table.rows:
                # entities and partnerships under the data base; topic concepts in the ontology
                minted = ("https://w3id.org/aseankg/id/", "https://w3id.org/aseankg/ontology#")
                assert row[i].startswith(minted), (query.name, row)
                assert row[label] and not row[label].startswith("https://"), (query.name, row)
            checked += 1
    assert checked >= 8


def test_an_actor_includes_the_bodies_under_it(store: Store) -> None:
    under_asean = _lines(_run(store, "action-lines-by-actor", actor="ASEAN"))
    assert {"1.5.1", "3.5.1", "1.1.3"} <= set(under_asean)


@pytest.mark.parametrize(
    ("instrument", "lines"),
    [("UNCLOS", ["1.2.2"]), ("unclos", ["1.2.2"]), ("TAC", ["1.1.2"])],
)
def test_action_lines_by_instrument(store: Store, instrument: str, lines: list[str]) -> None:
    assert _lines(_run(store, "action-lines-by-instrument", instrument=instrument)) == lines


def test_the_plan_parameter_filters(store: Store) -> None:
    assert _run(store, "action-lines-by-actor", actor="AICHR", plan="other-plan").rows == ()
    assert _lines(_run(store, "action-lines-by-actor", actor="AICHR", plan=PLAN)) == ["1.5.1"]


def test_structure_counts(store: Store) -> None:
    sections = _run(store, "lines-per-section")
    assert len(sections.rows) == 8
    assert sum(int(row[3]) for row in sections.rows) == 106
    words = _lines(_run(store, "action-lines-by-text", words="maritime security"))
    assert "1.2.2" in words


def test_every_named_query_answers(store: Store) -> None:
    for query in list_queries():
        if query.name == "candidates":
            continue  # the authority file covers every entity of the seed: see below
        if query.name == "entities-shared-by-partners":
            continue  # needs two partnerships: test_cross_partner_queries.py
        required = {p.name: "AICHR" for p in query.params if p.required}
        if query.name == "action-lines-by-instrument":
            required = {"instrument": "UNCLOS"}
        if query.name == "action-lines-by-text":
            required = {"words": "human rights"}
        if query.name == "line-continuity":
            required = {"plan": PLAN}  # one edition only: every line is new
        if query.name == "entities-named-by-one-partner":
            required = {"partner": "canada"}  # the only partnership: all it names is its own
        table = select_table(store, bind_query(query, required))
        assert table.rows, f"{query.name} returned nothing on the seed"


def test_actor_and_instrument_tables(store: Store) -> None:
    actors = {row[2]: row for row in _run(store, "actors").rows}
    assert actors["AICHR"][0] == "https://w3id.org/aseankg/id/actor/aichr"
    assert actors["AICHR"][3] == "AseanBody" and actors["AICHR"][4] == "known"
    instruments = {row[1]: row for row in _run(store, "instruments").rows}
    unclos = instruments["1982 United Nations Convention on the Law of the Sea"]
    assert unclos[3] == "Convention" and unclos[4] == "true"
    strengths = {row[2] for row in _run(store, "commitment-strength-by-section").rows}
    assert strengths <= {"weak", "moderate", "strong", "unspecified"}


def test_candidates_lists_what_the_authority_does_not_know(
    tmp_path_factory: pytest.TempPathFactory, nz_path: Path
) -> None:
    root = tmp_path_factory.mktemp("nz")
    summary = build_plans([nz_path], store=root)
    table = _run(open_store(root), "candidates")
    assert len(table.rows) == summary.candidates > 0
    assert {row[2] for row in table.rows} <= {"Actor", "Instrument"}
    assert all(row[0].startswith("https://w3id.org/aseankg/id/") for row in table.rows)
