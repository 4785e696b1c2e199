"""Errors raised by the extract layer.

Tree::

    ExtractError                  base: every error of this layer
    ├── ReadError                 a file cannot be read into canonical text
    │   ├── UnsupportedFormatError   unknown extension
    │   ├── EmptyDocumentError       no text at all (empty file, scanned PDF)
    │   └── CorruptDocumentError     bytes that are not a document of its format
    └── StructureError            text with no numbered structure of the genre
        └── CoverageError            text the parser could not assign (no silent loss)
"""

from __future__ import annotations

__all__ = [
    "CorruptDocumentError",
    "CoverageError",
    "EmptyDocumentError",
    "ExtractError",
    "ReadError",
    "StructureError",
    "UnsupportedFormatError",
]


class ExtractError(Exception):
    """Base of every error of the extract layer; its message is one line for the user."""


class ReadError(ExtractError):
    """The file cannot be read into canonical text."""


class UnsupportedFormatError(ReadError):
    """The file's extension is not one of .txt, .docx, .pdf."""


class EmptyDocumentError(ReadError):
    """The document holds no text (an empty file, a scanned PDF without a text layer)."""


class CorruptDocumentError(ReadError):
    """The bytes are not a valid document of the declared format."""


class StructureError(ExtractError):
    """The text has no numbered structure of a plan of action."""


class CoverageError(StructureError):
    """Numbered or bulleted text was left unassigned, or the coverage is below the threshold.

    The message names the file, the coverage and the first unassigned stretch.
    """
