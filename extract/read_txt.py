"""Read a .txt plan into its canonical text.

Encodings tried in order: a BOM (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides when
present, then strict UTF-8, then cp1252. The BOM is removed; line breaks (CRLF too) are
kept as they are, so offsets count them.

>>> read_txt("Plan\\r\\n1. Trade".encode("utf-8-sig"))
'Plan\\r\\n1. Trade'
"""

from __future__ import annotations

import codecs
import re

from aseankg.extract.errors import CorruptDocumentError, EmptyDocumentError

__all__ = ["read_txt"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that never occur in a text document (tab, LF, VT, FF, CR do).
_BINARY = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise CorruptDocumentError(f"not valid {encoding} text after its BOM") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise CorruptDocumentError("not a text file: bytes are neither UTF-8 nor cp1252") from exc


def read_txt(data: bytes) -> str:
    """The canonical text of the bytes of a .txt file.

    Raises :class:`EmptyDocumentError` when there is no text but whitespace and
    :class:`CorruptDocumentError` for binary content (control bytes, undecodable bytes).
    """
    text = _decode(data)
    if _BINARY.search(text):
        raise CorruptDocumentError("not a text file: it holds binary control characters")
    if not text.strip():
        raise EmptyDocumentError("the document is empty")
    return text
