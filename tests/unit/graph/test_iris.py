"""IRIs follow DESIGN.md's paths, are minted from content, and move with the base."""

from __future__ import annotations

import pytest

from aseankg.graph.errors import GraphError
from aseankg.graph.iris import DEFAULT_BASE, Minter, rebase


def test_iris_follow_the_documented_paths() -> None:
    iris = Minter()
    plan = "asean-canada-2021-2025"
    assert iris.plan(plan) == f"{DEFAULT_BASE}plan/{plan}"
    assert iris.section(plan, "1") == f"{DEFAULT_BASE}plan/{plan}/section/1"
    assert iris.area(plan, "1.1") == f"{DEFAULT_BASE}plan/{plan}/area/1.1"
    assert iris.line(plan, "1.1.1") == f"{DEFAULT_BASE}plan/{plan}/line/1.1.1"
    assert iris.text_edition(plan) == f"{DEFAULT_BASE}plan/{plan}/text"
    assert iris.actor("aichr") == f"{DEFAULT_BASE}actor/aichr"
    assert iris.instrument("unclos") == f"{DEFAULT_BASE}instrument/unclos"
    assert iris.mention(plan, "1.5.1", 10, 20) == f"{DEFAULT_BASE}mention/{plan}/1.5.1/10-20"
    assert iris.plan_graph(plan) == f"{DEFAULT_BASE}graph/{plan}"
    assert iris.build("abc") == f"{DEFAULT_BASE}build/abc"


def test_same_content_gives_the_same_iri() -> None:
    assert Minter().line("p", "1.2.3") == Minter().line("p", "1.2.3")
    assert Minter().item("p", "1.2.3", "a") != Minter().item("p", "1.2.3", "b")


def test_a_configured_base_prefixes_every_iri() -> None:
    iris = Minter("https://example.org/kg/")
    assert iris.line("p", "1.1.1") == "https://example.org/kg/plan/p/line/1.1.1"
    assert rebase(f"{DEFAULT_BASE}actor/aichr", iris.base) == "https://example.org/kg/actor/aichr"
    assert rebase("http://other.org/x", iris.base) == "http://other.org/x"


@pytest.mark.parametrize("base", ["ftp://x/", "https://example.org/kg", "not a base/"])
def test_a_bad_base_is_refused(base: str) -> None:
    with pytest.raises(GraphError, match="base"):
        Minter(base)


def test_unsafe_characters_are_percent_encoded() -> None:
    iri = Minter().actor("a b/c")
    assert iri.endswith("actor/a%20b%2Fc")
    with pytest.raises(GraphError):
        Minter().actor("")


def test_plan_graphs_are_told_from_shared_graphs() -> None:
    iris = Minter()
    assert iris.plan_of_graph(iris.plan_graph("asean-canada-2021-2025")) == "asean-canada-2021-2025"
    for shared in (iris.ontology_graph(), iris.authority_graph(), iris.build_graph()):
        assert iris.plan_of_graph(shared) is None
    assert Minter.sdg("16.3") == "http://metadata.un.org/sdg/16.3"
