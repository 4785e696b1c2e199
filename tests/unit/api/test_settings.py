"""Sizes given to ``--query-memory``: units, the floor, and one-line refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from aseankg.api.http.settings import DEFAULT_QUERY_MEMORY, Settings, parse_memory_size


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("1GiB", 1024**3),
        ("512MiB", 512 * 1024**2),
        ("2GB", 2 * 1000**3),
        ("1.5 GiB", 1536 * 1024**2),
        ("0", 0),
        ("500000000", 500_000_000),
    ],
)
def test_sizes_with_units(text: str, size: int) -> None:
    assert parse_memory_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "-1GiB", "1e9", "12parsecs", "1MiB", "100"])
def test_nonsense_or_too_small_is_one_line_error(text: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_memory_size(text)
    assert "\n" not in str(error.value) and repr(text) in str(error.value)


def test_default_is_one_gibibyte(tmp_path: Path) -> None:
    assert Settings(store=tmp_path).query_memory == DEFAULT_QUERY_MEMORY == 1024**3
