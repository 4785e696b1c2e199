"""The .txt reader: encodings, BOMs, line breaks kept, bad bytes refused."""

from __future__ import annotations

import codecs

import pytest

from aseankg.extract.errors import CorruptDocumentError, EmptyDocumentError
from aseankg.extract.read_txt import read_txt

TEXT = "Plan of Action 2021–2025\r\n1.1.1. Support ASEAN’s “centrality”;\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1252"],
)
def test_every_encoding_gives_the_same_text_without_bom(data: bytes) -> None:
    assert read_txt(data) == TEXT


def test_crlf_is_kept_so_offsets_count_it() -> None:
    text = read_txt(b"A\r\nB\r\n")
    assert text == "A\r\nB\r\n" and text.index("B") == 3


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n", codecs.BOM_UTF8])
def test_empty_text_is_an_error(data: bytes) -> None:
    with pytest.raises(EmptyDocumentError, match="empty"):
        read_txt(data)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        codecs.BOM_UTF8 + b"\xff\xfe\xfd",
        b"1.1.1. text \x81\x8d",
    ],
    ids=["all-bytes", "png", "bad-utf8-after-bom", "undefined-cp1252"],
)
def test_binary_bytes_are_refused(data: bytes) -> None:
    with pytest.raises(CorruptDocumentError, match="not"):
        read_txt(data)
