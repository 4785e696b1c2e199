"""``aseankg query``: a missing or unknown ``--param`` is a usage error (exit 2, usage
line on stderr), like ``--param noequals``; a value the parameter refuses stays exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from aseankg.api.cli import run


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_missing_required_parameter_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _cli(
        capsys, "query", "action-lines-by-actor", "--store", str(tmp_path / "none")
    )
    assert code == 2
    assert out == ""
    assert "Usage:" in err
    assert "needs --param actor=..." in err
    assert "Traceback" not in err


def test_an_unknown_parameter_name_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _cli(
        capsys,
        "query",
        "action-lines-by-actor",
        "--param",
        "actor=AICHR",
        "--param",
        "colour=blue",
        "--store",
        str(tmp_path / "none"),
    )
    assert code == 2
    assert out == ""
    assert "Usage:" in err
    assert "has no parameter 'colour'" in err and "actor" in err


def test_a_parameter_without_equals_is_still_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _cli(
        capsys, "query", "action-lines-by-actor", "--param", "noequals", "--store", str(tmp_path)
    )
    assert code == 2
    assert "is not NAME=VALUE" in err


def test_a_value_the_parameter_refuses_and_an_unknown_query_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _cli(
        capsys,
        "query",
        "action-lines-by-actor",
        "--param",
        "actor=\u0007bell",
        "--store",
        str(tmp_path / "none"),
    )
    assert code == 1
    assert err.startswith("aseankg: error:") and "control characters" in err
    code, _, err = _cli(capsys, "query", "no-such-query", "--store", str(tmp_path / "none"))
    assert code == 1
    assert "no named query 'no-such-query'" in err
