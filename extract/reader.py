"""Read any plan document (.txt, .docx, .pdf) into its canonical text.

>>> text, source, pages = read_document("data/sources/asean-canada-poa-2021-2025.txt")
>>> source.format, pages
('txt', None)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from aseankg.extract.errors import CorruptDocumentError, ReadError, UnsupportedFormatError
from aseankg.extract.read_docx import read_docx
from aseankg.extract.read_pdf import read_pdf
from aseankg.extract.read_txt import read_txt
from aseankg.extract.records import Source, SourceFormat

__all__ = ["SOURCE_FORMATS", "read_document"]

SOURCE_FORMATS: dict[str, SourceFormat] = {".txt": "txt", ".docx": "docx", ".pdf": "pdf"}


def read_document(path: str | Path) -> tuple[str, Source, tuple[int, ...] | None]:
    """``(canonical_text, source, pages)`` of the document at ``path``.

    ``pages`` is the offset where each page starts in the text (pdf), None otherwise.
    The format comes from the extension. Raises :class:`UnsupportedFormatError` for
    other extensions, :class:`ReadError` when the file cannot be opened, and the
    readers' :class:`EmptyDocumentError` / :class:`CorruptDocumentError`.
    """
    file = Path(path)
    if file.is_dir():
        raise ReadError(f"{path}: is a directory")
    kind = SOURCE_FORMATS.get(file.suffix.lower())
    if kind is None:
        known = ", ".join(SOURCE_FORMATS)
        raise UnsupportedFormatError(
            f"{path}: unsupported file type {file.suffix or '(none)'!r} (expected {known})"
        )
    try:
        data = file.read_bytes()
    except FileNotFoundError as exc:
        raise ReadError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise ReadError(f"{path}: is a directory") from exc
    except OSError as exc:
        raise ReadError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    source = Source(str(path), kind, hashlib.sha256(data).hexdigest())
    pages: tuple[int, ...] | None = None
    try:
        if kind == "txt":
            text = read_txt(data)
        elif kind == "docx":
            text = read_docx(data)
        else:
            text, pages = read_pdf(data)
    except CorruptDocumentError as exc:
        hint = _looks_like(data, kind)
        raise CorruptDocumentError(f"{path}: {exc}{hint}") from exc
    except ReadError as exc:
        raise type(exc)(f"{path}: {exc}") from exc
    return text, source, pages


def _looks_like(data: bytes, declared: SourceFormat) -> str:
    """A hint naming what the bytes look like when it is not ``declared``, else ``""``.

    Judged from the first bytes only (magic numbers), and for text by a strict decode,
    so a file misnamed ``.docx`` is told it is plain text rather than "not a valid .docx".
    """
    head = data[:1024]
    found: str | None = None
    rename: SourceFormat | None = None
    if b"%PDF-" in head:
        found, rename = "a PDF document", "pdf"
    elif head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536]:
            found, rename = "a Word document", "docx"
        else:
            found = "a ZIP archive that is not a Word document"
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        found = "an old binary Office file (.doc): save it as .docx"
    elif head.lstrip().startswith(b"{\\rtf"):
        found = "an RTF document: save it as .docx or .txt"
    else:
        try:
            read_txt(data)
        except ReadError:
            return ""
        found, rename = "plain text", "txt"
    if rename == declared:
        return ""
    return f"; it looks like {found}" + (f" (name it .{rename})" if rename else "")
