"""The documentation is tested: every command and every named query is documented."""

from __future__ import annotations

import re
from pathlib import Path

from aseankg.api.cli_docs import command_names, render_cli_markdown
from aseankg.queries.loader import list_queries

ROOT = Path(__file__).resolve().parents[3]


def test_cli_page_matches_the_commands_help() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == render_cli_markdown(), "docs/cli.md drifted: run `make docs`"


def test_every_contract_command_exists_and_is_documented() -> None:
    expected = {"parse", "extract", "build", "check", "export", "query", "serve"}
    assert expected <= set(command_names())
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in command_names():
        assert f"## aseankg {name}\n" in page


def test_every_named_query_is_documented() -> None:
    page = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    names = [query.name for query in list_queries()]
    assert "action-lines-by-actor" in names
    assert "action-lines-by-instrument" in names
    undocumented = [
        name for name in names if not re.search(rf"^### {re.escape(name)}$", page, re.MULTILINE)
    ]
    assert not undocumented, f"named queries missing from docs/queries.md: {undocumented}"


def test_readme_gives_the_two_commands_and_the_folder_map() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make serve" in readme
    assert "make test" in readme
    for folder in ("ontology/", "extract/", "graph/", "api/", "queries/", "data/", "tests/"):
        assert f"`{folder}`" in readme, folder
