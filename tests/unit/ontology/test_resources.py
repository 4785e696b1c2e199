"""Packaged files are found through importlib.resources; broken Turtle is one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from aseankg.ontology.errors import OntologyLoadError
from aseankg.ontology.resources import (
    authority_paths,
    load_ontology_graph,
    load_shapes_graph,
    load_turtle,
    ontology_path,
    shapes_path,
)


def test_packaged_files_exist() -> None:
    assert ontology_path().name == "aseankg.ttl" and ontology_path().is_file()
    assert shapes_path().name == "shapes.ttl" and shapes_path().is_file()
    assert all(p.suffix == ".ttl" for p in authority_paths())
    assert len(load_ontology_graph()) > 1000
    assert len(load_shapes_graph()) > 100


def test_broken_turtle_is_an_ontology_load_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix a: <http://x/> .\na:b a:c ", encoding="utf-8")
    with pytest.raises(OntologyLoadError, match=r"broken\.ttl: not valid Turtle"):
        load_turtle(broken)


def test_missing_file_is_an_ontology_load_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyLoadError, match="not found"):
        load_turtle(tmp_path / "absent.ttl")
