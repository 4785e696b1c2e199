"""Named query files: headers, declared parameters, and safe binding."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Store

from aseankg.queries.loader import (
    Param,
    QueryLoadError,
    bind_query,
    list_queries,
    load_query,
    parse_query,
)

REQUIRED = {
    "action-lines-by-actor",
    "action-lines-by-instrument",
    "action-lines-by-text",
    "actors",
    "instruments",
    "lines-per-section",
    "actor-section-matrix",
    "instrument-types-by-section",
    "instruments-by-role",
    "actor-co-occurrence",
    "commitment-strength-by-section",
    "lines-by-sdg",
    "candidates",
}


def test_every_required_query_ships_with_a_header() -> None:
    queries = {q.name: q for q in list_queries()}
    assert set(queries) >= REQUIRED
    for query in queries.values():
        assert query.title and query.description
        assert query.param("plan") is not None, f"{query.name} takes no plan parameter"
        for param in query.params:
            assert param.description, f"{query.name}: {param.name} is undocumented"


def _value(param: Param) -> str:
    if param.choices:
        return param.choices[0]
    return "http://example.org/x" if param.type == "iri" else "1"


def test_every_query_parses_with_no_bindings_and_all_bindings() -> None:
    store = Store()
    for query in list_queries() + list_queries(internal=True):
        store.query(query.text)
        store.query(bind_query(query, {p.name: _value(p) for p in query.params}))


def test_values_are_bound_as_literals_never_pasted() -> None:
    query = load_query("action-lines-by-actor")
    hostile = 'AICHR" } } DELETE WHERE { ?s ?p ?o } #'
    text = bind_query(query, {"actor": hostile})
    assert 'VALUES ?actor { "AICHR\\" } } DELETE WHERE { ?s ?p ?o } #" }' in text
    Store().query(text)  # still one well-formed SELECT


def test_names_bind_one_literal_as_given_or_an_iri() -> None:
    query = load_query("action-lines-by-actor")
    assert 'VALUES ?actor { "aichr" }' in bind_query(query, {"actor": " aichr "})
    iri = "https://w3id.org/aseankg/id/actor/aichr"
    assert f"VALUES ?actor {{ <{iri}> }}" in bind_query(query, {"actor": iri})
    with pytest.raises(QueryLoadError, match="IRI"):
        bind_query(query, {"actor": "https://x.org/a b"})


def test_words_bind_one_literal_each_and_optional_params_stay_unbound() -> None:
    query = load_query("action-lines-by-text")
    text = bind_query(query, {"words": "Maritime  security maritime"})
    assert text.count('VALUES ?words { "maritime" "security" }') == 2
    assert "VALUES ?plan { UNDEF }" in text


def test_parameter_errors() -> None:
    query = load_query("action-lines-by-actor")
    with pytest.raises(QueryLoadError, match="needs --param actor"):
        bind_query(query, {})
    with pytest.raises(QueryLoadError, match="no parameter 'colour'"):
        bind_query(query, {"actor": "AICHR", "colour": "red"})
    with pytest.raises(QueryLoadError, match="control characters"):
        bind_query(query, {"actor": "A\x00B"})
    with pytest.raises(QueryLoadError, match="no named query"):
        load_query("no-such-query")


def test_typed_parameters_are_checked() -> None:
    text = (
        "# title: t\n# description: d\n# params: n (integer, required), i (iri)\n"
        "#   n: a number\n#   i: an IRI\n"
        "SELECT * WHERE { VALUES ?n { UNDEF } VALUES ?i { UNDEF } }\n"
    )
    query = parse_query(text, "typed")
    assert [(p.name, p.type, p.required) for p in query.params] == [
        ("n", "integer", True),
        ("i", "iri", False),
    ]
    bound = bind_query(query, {"n": "42", "i": "http://example.org/x"})
    assert '"42"^^<http://www.w3.org/2001/XMLSchema#integer>' in bound
    assert "<http://example.org/x>" in bound
    with pytest.raises(QueryLoadError, match="integer"):
        bind_query(query, {"n": "42 } ?x"})
    with pytest.raises(QueryLoadError, match="IRI"):
        bind_query(query, {"n": "1", "i": "http://x> } <y"})


def test_headers_are_required_and_params_need_a_values_block() -> None:
    with pytest.raises(QueryLoadError, match="title"):
        parse_query("SELECT * {}", "bare")
    with pytest.raises(QueryLoadError, match="VALUES"):
        parse_query("# title: t\n# description: d\n# params: x\nSELECT * {}", "x")


def test_a_query_file_loads_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("SELECT ?x WHERE { BIND(1 AS ?x) }\n", "utf-8")
    query = load_query(str(path))
    assert query.name == "mine" and query.params == ()
    with pytest.raises(QueryLoadError, match="cannot read"):
        load_query(str(tmp_path / "missing.rq"))


def test_every_named_query_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "queries.md").read_text("utf-8")
    for query in list_queries():
        assert f"### {query.name}\n" in doc, f"{query.name} is missing from docs/queries.md"
        for param in query.params:
            assert f"`{param.name}`" in doc


def test_internal_queries_live_in_subfolders_and_stay_out_of_the_analysts_list() -> None:
    analyst = list_queries()
    internal = list_queries(internal=True)
    assert {q.name for q in internal} >= {"pages/plans", "checks/notation-twice", "rest/line"}
    assert all("/" in q.name and q.internal for q in internal)
    assert all("/" not in q.name and not q.internal for q in analyst)
    with pytest.raises(QueryLoadError) as caught:
        load_query("no-such-query")
    assert "pages/" not in str(caught.value)  # the known names offered are the analysts'
    with pytest.raises(QueryLoadError, match="yes or no"):
        parse_query("# title: t\n# description: d\n# params: none\n# internal: maybe\nASK {}", "x")


def test_an_iri_parameter_binds_an_iri_and_refuses_anything_else() -> None:
    query = load_query("pages/neighbourhood")
    iri = "https://w3id.org/aseankg/id/actor/aichr"
    assert f"VALUES ?entity {{ <{iri}> }}" in bind_query(query, {"entity": iri})
    for hostile in ("x> } ; DROP ALL ; { <y", "not an iri", "aichr"):
        with pytest.raises(QueryLoadError, match="absolute IRI"):
            bind_query(query, {"entity": hostile})


def test_a_closed_list_parameter_names_the_values_it_allows() -> None:
    query = load_query("instruments-by-role")
    role = query.param("role")
    assert role is not None
    assert role.choices == ("implements", "conforms_to", "promotes", "references")
    assert 'VALUES ?role { "promotes" }' in bind_query(query, {"role": "promotes"})
    with pytest.raises(QueryLoadError) as caught:
        bind_query(query, {"role": "bogus"})
    assert str(caught.value) == (
        "parameter role must be one of implements, conforms_to, promotes, references, not 'bogus'"
    )


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://x.org/a> <http://x.org/b> <http://x.org/c> }",
        "# a comment\nPREFIX ex: <http://x.org/>\nBASE <http://x.org/>\ndelete where { ?s ?p ?o }",
        "PREFIX : <http://x.org/#>\nWITH :g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "LOAD <http://x.org/data.ttl>",
        "DROP ALL",
    ],
)
def test_an_update_in_a_query_file_is_refused_as_an_update(tmp_path: Path, text: str) -> None:
    path = tmp_path / "change.rq"
    path.write_text(text, "utf-8")
    with pytest.raises(QueryLoadError, match="updates are not allowed"):
        load_query(str(path))
    with pytest.raises(QueryLoadError, match="updates are not allowed"):
        parse_query("# title: t\n# description: d\n# params: none\n" + text, "change")


def test_a_query_that_only_mentions_update_words_is_a_query(tmp_path: Path) -> None:
    path = tmp_path / "words.rq"
    path.write_text(
        "# INSERT in a comment\nPREFIX insert: <http://x.org/delete#>\n"
        'SELECT ?x WHERE { BIND("DELETE DATA" AS ?x) }\n',
        "utf-8",
    )
    assert Store().query(load_query(str(path)).text)


def test_view_and_tags_headers_are_read_and_closed_to_their_lists() -> None:
    matrix = load_query("actor-section-matrix")
    assert matrix.view == "heatmap" and matrix.tags == ("actors", "sections")
    head = "# title: t\n# description: d\n# params: none\n"
    bare = parse_query(head + "ASK {}", "x")
    assert bare.view == "" and bare.tags == ()
    with pytest.raises(QueryLoadError, match="'# view:' is one of table, bar"):
        parse_query(head + "# view: pie\nASK {}", "x")
    with pytest.raises(QueryLoadError, match="not 'people'"):
        parse_query(head + "# tags: actors, people\nASK {}", "x")
