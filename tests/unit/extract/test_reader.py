"""Dispatch by extension, source record, bad paths."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from aseankg.extract.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    ReadError,
    UnsupportedFormatError,
)
from aseankg.extract.reader import read_document


def test_source_records_path_format_and_sha256_of_the_bytes(seed_path: Path) -> None:
    text, source, pages = read_document(seed_path)
    assert source.path == str(seed_path) and source.format == "txt"
    assert source.sha256 == hashlib.sha256(seed_path.read_bytes()).hexdigest()
    assert pages is None and text.startswith(" 2021-2025 Plan of Action")


def test_pdf_gives_page_starts(seed_pdf_path: Path) -> None:
    text, source, pages = read_document(seed_pdf_path)
    assert source.format == "pdf" and pages is not None
    assert pages[0] == 0 and list(pages) == sorted(pages) and pages[-1] < len(text)


def test_extension_is_case_insensitive(tmp_path: Path, seed_path: Path) -> None:
    copy = tmp_path / "PLAN.TXT"
    copy.write_bytes(seed_path.read_bytes())
    assert read_document(copy)[1].format == "txt"


@pytest.mark.parametrize("name", ["plan.doc", "plan.rtf", "plan"])
def test_unknown_extension_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("1. Trade\n")
    with pytest.raises(UnsupportedFormatError, match="unsupported file type"):
        read_document(path)


def test_missing_file_and_directory_are_read_errors(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read_document(tmp_path / "absent.txt")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ReadError, match="directory"):
        read_document(folder)


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_empty_and_random_files_name_the_path(tmp_path: Path, suffix: str) -> None:
    empty = tmp_path / f"empty{suffix}"
    empty.write_bytes(b"")
    with pytest.raises((EmptyDocumentError, CorruptDocumentError), match=str(empty)):
        read_document(empty)
    noise = tmp_path / f"noise{suffix}"
    noise.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(CorruptDocumentError, match=str(noise)):
        read_document(noise)
