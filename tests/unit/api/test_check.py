"""``aseankg check``: ontology + authority reasoning and SHACL; exit 3 on failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from aseankg.api.cli import run
from aseankg.ontology import reasoning, resources

PREFIXES = """
@prefix akg: <https://w3id.org/aseankg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix actor: <https://w3id.org/aseankg/id/actor/> .
"""


def _use_authority(monkeypatch: pytest.MonkeyPatch, turtle: str) -> None:
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    # check imports its loader when it runs, so the resources module is the seam
    monkeypatch.setattr(resources, "load_authority_graph", lambda: graph)
    monkeypatch.setattr(reasoning, "load_authority_graph", lambda: graph)


@pytest.mark.java
def test_check_without_store_passes_on_the_packaged_files(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["check"]) == 0
    out = capsys.readouterr().out
    assert "authority SHACL: conforms" in out
    assert "consistent" in out


@pytest.mark.java
def test_inconsistent_authority_exits_3_naming_the_entity(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use_authority(
        monkeypatch,
        """actor:chimera a akg:AseanBody , akg:NonBindingInstrument ;
            skos:prefLabel "Chimera"@en ; akg:instrumentType akg:Declaration .""",
    )
    assert run(["check"]) == 3
    err = capsys.readouterr().err
    assert "https://w3id.org/aseankg/id/actor/chimera" in err
    assert "DisjointClasses" in err
    assert "Traceback" not in err


def test_authority_failing_shacl_exits_3_with_the_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use_authority(monkeypatch, "actor:nameless a akg:AseanBody .")
    assert run(["check", "--no-reason"]) == 3
    err = capsys.readouterr().err
    assert "fails SHACL" in err
    assert "actor/nameless" in err


def test_check_of_a_missing_store_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["check", "--store", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("aseankg: error:")
