"""write_atomically: a reader sees the old file or the whole new one, never a part."""

from pathlib import Path

import pytest

from aseankg.graph.serialize import write_atomically


def test_the_new_bytes_replace_the_old_and_the_result_is_returned(tmp_path: Path) -> None:
    target = tmp_path / "out.nq"
    target.write_bytes(b"old\n")
    assert write_atomically(target, lambda out: out.write(b"new\n")) == 4
    assert target.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.nq"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.nq"
    target.write_bytes(b"old\n")

    def half(out):  # type: ignore[no-untyped-def]
        out.write(b"half a li")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, half)
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.nq"]
