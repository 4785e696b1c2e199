"""The generated AKG namespace matches the ontology and is closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from aseankg.ontology import namespace
from aseankg.ontology.generate_namespace import collect_terms, main, render_namespace_module
from aseankg.ontology.namespace import AKG


def test_namespace_module_is_generated_from_the_current_ontology() -> None:
    path = Path(namespace.__file__).resolve()
    assert path.read_text(encoding="utf-8") == render_namespace_module(), (
        "ontology/namespace.py is stale: run python -m aseankg.ontology.generate_namespace"
    )


def test_every_ontology_term_is_in_the_namespace_and_nothing_else() -> None:
    ttl_terms = {local for names in collect_terms().values() for local, _ in names}
    module_terms = set(AKG.__annotations__)
    assert ttl_terms == module_terms


def test_a_misspelt_term_fails() -> None:
    assert str(AKG.ActionLine) == "https://w3id.org/aseankg/ontology#ActionLine"
    with pytest.raises(AttributeError):
        _ = AKG.ActionLines


def test_generator_check_mode_reports_a_stale_file(tmp_path: Path) -> None:
    target = tmp_path / "namespace.py"
    target.write_text("stale\n", encoding="utf-8")
    assert main(["--output", str(target), "--check"]) == 1
    assert main(["--output", str(target)]) == 0
    assert main(["--output", str(target), "--check"]) == 0
    assert target.read_text(encoding="utf-8") == render_namespace_module()
