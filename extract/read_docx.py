"""Read a .docx plan into its canonical text.

One line per paragraph, in document order (content controls opened); a table is read
row by row, one line per row with its cells separated by a tab (merged cells once).
Paragraphs numbered by Word's automatic list numbering get their computed number
("1.1.1." and its tab) written in front of their text, see
:mod:`aseankg.extract.docx_numbering`. Text boxes, deleted text and field codes are
left out; a line break inside a paragraph stays a line break.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Any

from aseankg.extract.docx_numbering import NumberingTracker, W
from aseankg.extract.errors import CorruptDocumentError, EmptyDocumentError

__all__ = ["read_docx"]

_TEXT_TAGS = {W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "sym"}
_SKIPPED = {W + "txbxContent", W + "del", W + "pPr", W + "rPr", W + "instrText", W + "delText"}


def _open(data: bytes) -> Any:
    # python-docx is imported here: the .txt path never pays for it.
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptDocumentError("not a valid .docx file (Word document)") from exc
    except (zlib.error, EOFError, NotImplementedError) as exc:  # a damaged or odd ZIP member
        raise CorruptDocumentError("not a valid .docx file: its ZIP data is damaged") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and other parse failures
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise CorruptDocumentError(f"not a valid .docx file: {exc}") from exc
        raise


def _paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    stack = list(reversed(list(paragraph)))
    while stack:
        element = stack.pop()
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag in _TEXT_TAGS:
            if tag == W + "t":
                parts.append(element.text or "")
            elif tag == W + "tab":
                parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                kind = element.get(W + "type")
                parts.append("\n" if kind in (None, "textWrapping") else "")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            continue
        stack.extend(reversed(list(element)))
    return "".join(parts)


class _DocxText:
    """Walks the body in document order; list numbers are counted across the walk."""

    def __init__(self, document: Any) -> None:
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            numbering = None
        self.tracker = NumberingTracker(numbering, document.styles.element)

    def read_block(self, container: Any) -> list[str]:
        lines: list[str] = []
        for child in container:
            if child.tag == W + "p":
                lines.append(self.tracker.label(child) + _paragraph_text(child))
            elif child.tag == W + "tbl":
                lines.extend(self.read_table(child))
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    lines.extend(self.read_block(content))
        return lines

    def read_table(self, table: Any) -> list[str]:
        rows: list[str] = []
        for row in table.findall(W + "tr"):
            cells = [
                " ".join(line.strip() for line in self.read_block(cell) if line.strip())
                for cell in row.findall(W + "tc")
                if not _is_merged_continuation(cell)
            ]
            rows.append("\t".join(cells))
        return rows


def _is_merged_continuation(cell: Any) -> bool:
    merge = cell.find(f"{W}tcPr/{W}vMerge")
    return merge is not None and merge.get(W + "val") in (None, "continue")


def read_docx(data: bytes) -> str:
    """The canonical text of the bytes of a .docx file.

    Raises :class:`CorruptDocumentError` when the bytes are not a Word document and
    :class:`EmptyDocumentError` when it holds no text.
    """
    document = _open(data)
    text = "\n".join(_DocxText(document).read_block(document.element.body))
    if not text.strip():
        raise EmptyDocumentError("the document holds no text")
    return text
