"""Start-up: only ``extract``, ``candidates``, ``evaluate`` and ``build`` load spaCy.

spaCy's import is most of a second or more; the commands that read the graph, and every
``--help``, must not pay it. Each case runs the real CLI in a fresh interpreter and
reports which heavy libraries it imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("spacy", "thinc", "fastapi", "uvicorn", "pyshacl", "owlready2", "rdflib")

_SCRIPT = """
import json, sys
from aseankg.api.cli import run
code = run(sys.argv[1:])
loaded = [name for name in {heavy!r} if name in sys.modules]
print(json.dumps({{"code": code, "loaded": loaded}}), file=sys.stderr)
"""


def _loaded(argv: list[str]) -> list[str]:
    """The heavy libraries imported by ``aseankg ARGV`` (which must exit 0)."""
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT.format(heavy=HEAVY), *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["code"] == 0, result.stderr
    loaded: list[str] = report["loaded"]
    return loaded


def test_query_help_does_not_import_spacy() -> None:
    assert "spacy" not in _loaded(["query", "--help"])


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["query", "--help"],
        ["export", "--help"],
        ["serve", "--help"],
        ["check", "--help"],
    ],
)
def test_help_loads_no_heavy_library(argv: list[str]) -> None:
    assert _loaded(argv) == []


def test_query_and_export_of_a_store_do_not_import_spacy(seed_store: Path) -> None:
    assert "spacy" not in _loaded(["query", "actors", "--store", str(seed_store)])
    assert "spacy" not in _loaded(["export", "--store", str(seed_store), "--format", "nt"])


def test_the_server_app_does_not_import_spacy() -> None:
    script = "import sys; import aseankg.api.app; print('spacy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "False"


def test_extract_still_loads_its_pipeline(seed_path: Path) -> None:
    """The other side of the bargain: the extractor's commands do import spaCy."""
    assert "spacy" in _loaded(["candidates", str(seed_path)])
