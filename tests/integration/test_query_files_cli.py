"""``aseankg query`` as a subprocess on the files of ``queries/``: a value outside a
parameter's list and an update in a file are one-line errors (exit 1); an internal query
runs by its path; the analysts' list offered for an unknown name holds no internal one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ASEANKG = str(Path(sys.executable).with_name("aseankg"))


def _query(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ASEANKG, "query", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_a_value_outside_the_list_names_the_allowed_values(seed_store: Path) -> None:
    done = _query("instruments-by-role", "--param", "role=bogus", "--store", str(seed_store))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "aseankg: error: parameter role must be one of implements, conforms_to, promotes,"
        " references, not 'bogus'"
    ]
    ok = _query("instruments-by-role", "--param", "role=promotes", "--store", str(seed_store))
    assert ok.returncode == 0 and "promotes" in ok.stdout


def test_an_update_in_a_query_file_is_refused_as_an_update(
    seed_store: Path, tmp_path: Path
) -> None:
    path = tmp_path / "insert.rq"
    path.write_text("PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }\n", "utf-8")
    done = _query(str(path), "--store", str(seed_store))
    assert done.returncode == 1 and done.stdout == ""
    assert "updates are not allowed" in done.stderr
    assert "expected" not in done.stderr  # not the engine's "expected CONSTRUCT ..."
    assert len(done.stderr.strip().splitlines()) == 1


def test_an_internal_query_runs_by_its_path_but_is_not_offered(seed_store: Path) -> None:
    done = _query("checks/notation-twice", "--store", str(seed_store), "--format", "csv")
    assert done.returncode == 0
    assert done.stdout.splitlines() == ["item,detail"]  # the seed passes the check
    unknown = _query("no-such-query", "--store", str(seed_store))
    assert unknown.returncode == 1
    assert "action-lines-by-actor" in unknown.stderr and "checks/" not in unknown.stderr
