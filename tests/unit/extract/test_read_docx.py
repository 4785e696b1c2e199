"""The .docx reader: paragraphs, tables, tracked changes, automatic list numbering."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml

from aseankg.extract.docx_numbering import NumberingTracker, format_counter
from aseankg.extract.errors import CorruptDocumentError, EmptyDocumentError
from aseankg.extract.read_docx import read_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'


def docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_literal_numbers_give_the_lines_of_the_source(
    seed_docx_path: Path, seed_path: Path
) -> None:
    lines = [
        re.sub(r"\[bookmark: [^\]]*\]", "", line).rstrip()
        for line in seed_path.read_text("utf-8").split("\n")
    ]
    assert read_docx(seed_docx_path.read_bytes()).split("\n") == lines


def test_automatic_numbers_are_written_into_the_text(seed_docx_auto_path: Path) -> None:
    text = read_docx(seed_docx_auto_path.read_bytes())
    assert "\n1.\tPolitical and Security Cooperation\n" in text  # numbered by its style
    assert "\n1.1.\tCooperation on Political" in text
    assert "\n1.1.1.\tStrengthen the existing mechanisms" in text
    assert "\n2.1.1.\tPursue the effective implementation" in text  # levels restarted
    assert "\n5.1.1.\tStrengthen dialogue" in text
    assert "\n8.\tImplementation Mechanism\n" in text


def test_tables_are_read_row_by_row_with_cells_split_by_tabs() -> None:
    document = docx.Document()
    document.add_paragraph("Before")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "1.1.1", "Support trade;"
    table.cell(1, 0).text, table.cell(1, 1).text = "1.1.2", "Support investment;"
    document.add_paragraph("After")
    assert read_docx(docx_bytes(document)) == (
        "Before\n1.1.1\tSupport trade;\n1.1.2\tSupport investment;\nAfter"
    )


def test_deleted_text_is_left_out_inserted_text_and_breaks_kept() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Support ")
    paragraph._p.append(
        parse_xml(
            f'<w:del {NS} w:id="1" w:author="x"><w:r><w:delText>old </w:delText></w:r></w:del>'
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:ins {NS} w:id="2" w:author="x">'
            "<w:r><w:t>new</w:t><w:br/><w:t>text</w:t></w:r></w:ins>"
        )
    )
    assert read_docx(docx_bytes(document)) == "Support new\ntext"


def test_bytes_that_are_no_word_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CorruptDocumentError, match="docx"):
        read_docx(b"PK\x03\x04 not really a zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(CorruptDocumentError, match="docx"):
        read_docx(buffer.getvalue())


def test_a_word_file_without_text_is_empty() -> None:
    document = docx.Document()
    document.add_paragraph("   ")
    with pytest.raises(EmptyDocumentError, match="no text"):
        read_docx(docx_bytes(document))


# Numbering semantics, on hand-written numbering.xml ---------------------------------


def level(ilvl: int, text: str, fmt: str = "decimal", extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


OUTLINE = level(0, "%1.") + level(1, "%1.%2.") + level(2, "%1.%2.%3.")


def labels(
    abstracts: str, nums: str, paragraphs: list[tuple[str, int]], styles: str = ""
) -> list[str]:
    numbering = parse_xml(f"<w:numbering {NS}>{abstracts}{nums}</w:numbering>")
    style_root = parse_xml(f"<w:styles {NS}>{styles}</w:styles>") if styles else None
    tracker = NumberingTracker(numbering, style_root)
    out = []
    for num_id, ilvl in paragraphs:
        numpr = f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        out.append(tracker.label(parse_xml(f"<w:p {NS}><w:pPr>{numpr}</w:pPr></w:p>")))
    return out


def test_levels_count_and_restart_deeper_levels() -> None:
    got = labels(
        f'<w:abstractNum w:abstractNumId="1">{OUTLINE}</w:abstractNum>',
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>',
        [("1", 0), ("1", 1), ("1", 2), ("1", 2), ("1", 1), ("1", 2), ("1", 0), ("1", 1)],
    )
    assert got == ["1.\t", "1.1.\t", "1.1.1.\t", "1.1.2.\t", "1.2.\t", "1.2.1.\t", "2.\t", "2.1.\t"]


def test_two_nums_of_one_list_continue_and_start_override_restarts() -> None:
    abstract = f'<w:abstractNum w:abstractNumId="1">{OUTLINE}</w:abstractNum>'
    nums = (
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>'
    )
    got = labels(abstract, nums, [("1", 0), ("2", 0), ("3", 0), ("3", 0), ("0", 0)])
    assert got == ["1.\t", "2.\t", "7.\t", "8.\t", ""]


def test_skipped_level_shows_zero_as_word_does() -> None:
    got = labels(
        f'<w:abstractNum w:abstractNumId="1">{OUTLINE}</w:abstractNum>',
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>',
        [("1", 0), ("1", 2)],
    )
    assert got == ["1.\t", "1.0.1.\t"]


def test_formats_suffixes_bullets_legal_and_no_restart() -> None:
    abstract = (
        '<w:abstractNum w:abstractNumId="1">'
        + level(0, "%1", "upperRoman", '<w:suff w:val="space"/>')
        + level(1, "(%2)", "lowerLetter", '<w:suff w:val="nothing"/><w:lvlRestart w:val="0"/>')
        + level(2, "%1.%3", "lowerRoman", "<w:isLgl/>")
        + level(3, "•", "bullet")
        + "</w:abstractNum>"
    )
    got = labels(
        abstract,
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>',
        [("1", 0), ("1", 1), ("1", 1), ("1", 0), ("1", 1), ("1", 2), ("1", 3)],
    )
    assert got == ["I ", "(a)", "(b)", "II ", "(c)", "2.1\t", "•\t"]  # a bullet reads as "•"


def test_number_from_the_paragraph_style_and_its_base() -> None:
    styles = (
        '<w:style w:type="paragraph" w:styleId="H"><w:pPr><w:numPr><w:numId w:val="1"/>'
        "</w:numPr></w:pPr></w:style>"
        '<w:style w:type="paragraph" w:styleId="H2"><w:basedOn w:val="H"/><w:pPr><w:numPr>'
        '<w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>'
    )
    numbering = parse_xml(
        f'<w:numbering {NS}><w:abstractNum w:abstractNumId="1">{OUTLINE}</w:abstractNum>'
        f'<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
    )
    tracker = NumberingTracker(numbering, parse_xml(f"<w:styles {NS}>{styles}</w:styles>"))
    paragraph = '<w:p {ns}><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>'
    got = [
        tracker.label(parse_xml(paragraph.format(ns=NS, style=style)))
        for style in ("H", "H2", "H2", "Normal")
    ]
    assert got == ["1.\t", "1.1.\t", "1.2.\t", ""]


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (3, "decimal", "3"),
        (27, "lowerLetter", "aa"),
        (14, "upperRoman", "XIV"),
        (5, "decimalZero", "05"),
    ],
)
def test_counter_formats(value: int, fmt: str, shown: str) -> None:
    assert format_counter(value, fmt) == shown
