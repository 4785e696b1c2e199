"""Shared fixtures: the seed plan and its .docx / .pdf renderings, built once per session.

The renderings are generated here (python-docx, fpdf2) from the seed's text so the tests
need no binary files: a Word file with the numbers typed in, a Word file whose numbers
come from automatic multilevel list numbering (numbering.xml written by hand), and a
PDF with a running header, page numbers and justified, wrapped paragraphs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from _pytest.doctest import DoctestItem

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "sources" / "asean-canada-poa-2021-2025.txt"
SEED_EXPECTED = ROOT / "tests" / "data" / "seed" / "asean-canada-2021-2025.expected.json"
_DEBRIS = re.compile(r"\[bookmark: [^\]]*\]")
_NUMBER = re.compile(r"(\d+(?:\.\d+){0,2})\.?[ \t]+")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Modules whose `>>>` examples start the JVM (HermiT).
_JAVA_DOCTESTS = frozenset({"aseankg.ontology.reasoning"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the doctests that start Java, as test modules mark theirs by hand."""
    for item in items:
        if isinstance(item, DoctestItem) and item.name in _JAVA_DOCTESTS:
            item.add_marker(pytest.mark.java)


@pytest.fixture(autouse=True)
def _no_unmarked_java(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a run without Java (`-m "not java"`, the fast lane), a test that reaches for the
    JVM without its ``java`` mark fails and says so, so the lane stays honest."""
    markexpr = str(request.config.getoption("markexpr", "") or "")
    if "not java" not in markexpr or request.node.get_closest_marker("java"):
        return
    from aseankg.ontology import reasoning

    def refuse() -> str:
        raise AssertionError("this test starts Java: mark it @pytest.mark.java")

    monkeypatch.setattr(reasoning, "find_java", refuse)


def plan_paragraphs(path: Path) -> list[str]:
    """The physical lines of a .txt plan without conversion debris (what Word shows)."""
    return [_DEBRIS.sub("", line).rstrip() for line in path.read_text("utf-8").split("\n")]


def write_docx(lines: list[str], path: Path) -> Path:
    """A Word file with one paragraph per line, numbers typed in."""
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _numbering_xml(no_area_sections: list[str]) -> str:
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{".".join(f"%{k + 1}" for k in range(i + 1))}."/></w:lvl>'
        for i in range(3)
    )
    # Lines directly under a section without areas: a one-level list "5.1.%1." per section.
    flat = "".join(
        f'<w:abstractNum w:abstractNumId="{20 + int(s)}"><w:lvl w:ilvl="0">'
        f'<w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="{s}.1.%1."/>'
        f"</w:lvl></w:abstractNum>"
        for s in no_area_sections
    )
    nums = '<w:num w:numId="10"><w:abstractNumId w:val="10"/></w:num>' + "".join(
        f'<w:num w:numId="{20 + int(s)}"><w:abstractNumId w:val="{20 + int(s)}"/></w:num>'
        for s in no_area_sections
    )
    return f'<w:abstractNum w:abstractNumId="10">{levels}</w:abstractNum>{flat}{nums}'


def write_docx_auto(lines: list[str], path: Path) -> Path:
    """A Word file numbered by automatic multilevel list numbering.

    Section headings are numbered through their paragraph style (Heading 1), areas and
    action lines through their own ``w:numPr``; no number is in any paragraph's text.
    """
    import docx
    from docx.oxml import parse_xml

    matches = [_NUMBER.match(line) for line in lines]
    numbers = [m.group(1) if m else None for m in matches]
    with_areas = {n.split(".")[0] for n in numbers if n and n.count(".") == 1}
    no_area = sorted({n for n in numbers if n and "." not in n} - with_areas, key=int)
    document = docx.Document()
    numbering = document.part.numbering_part.element
    wrapper = parse_xml(f'<w:numbering xmlns:w="{_W}">{_numbering_xml(no_area)}</w:numbering>')
    for child in list(wrapper):
        numbering.append(child)
    heading = document.styles["Heading 1"].element
    heading.get_or_add_pPr().append(
        parse_xml(f'<w:numPr xmlns:w="{_W}"><w:numId w:val="10"/></w:numPr>')
    )
    for line, number, match in zip(lines, numbers, matches, strict=True):
        if number is None or match is None:
            document.add_paragraph(line)
            continue
        body = line[match.end() :]
        if "." not in number:
            document.add_paragraph(body, style="Heading 1")
            continue
        paragraph = document.add_paragraph(body)
        section = number.split(".")[0]
        num_id = "10" if section in with_areas else f"{20 + int(section)}"
        ilvl = number.count(".") if num_id == "10" else 0
        paragraph._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr xmlns:w="{_W}"><w:ilvl w:val="{ilvl}"/>'
                f'<w:numId w:val="{num_id}"/></w:numPr>'
            )
        )
    document.save(str(path))
    return path


def write_pdf(lines: list[str], path: Path, *, running_header: str) -> Path:
    """A PDF: running header, "Page n of m" footers, justified wrapped paragraphs."""
    from fpdf import FPDF

    class _Plan(FPDF):
        def header(self) -> None:
            self.set_font("helvetica", "I", 8)
            self.cell(0, 8, running_header, align="C")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("helvetica", "", 8)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = _Plan(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    for line in lines:
        if not line.strip():
            pdf.ln(3)
            continue
        bold = bool(re.match(r"\d+(\.\d+)?\.\s", line))
        pdf.set_font("helvetica", "B" if bold else "", 10)
        pdf.multi_cell(0, 5, line.replace("\t", " "), align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_expected() -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(SEED_EXPECTED.read_text("utf-8"))
    return expected


@pytest.fixture(scope="session")
def seed_docx_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed as a Word file with its numbers typed into the paragraphs."""
    return write_docx(plan_paragraphs(SEED), tmp_path_factory.mktemp("docx") / "seed.docx")


@pytest.fixture(scope="session")
def seed_docx_auto_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed as a Word file whose numbers come from automatic list numbering."""
    path = tmp_path_factory.mktemp("docx") / "seed-auto.docx"
    return write_docx_auto(plan_paragraphs(SEED), path)


@pytest.fixture(scope="session")
def seed_pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed as a PDF with a running header, page numbers and justified wrapping."""
    path = tmp_path_factory.mktemp("pdf") / "seed.pdf"
    return write_pdf(
        plan_paragraphs(SEED), path, running_header="ASEAN-Canada Plan of Action 2021-2025"
    )


NZ = ROOT / "tests" / "data" / "plans" / "asean-newzealand-poa-2026-2030.txt"


@pytest.fixture(scope="session")
def nz_path() -> Path:
    """A second plan of the genre, written by hand, with its expected structure beside it."""
    return NZ


@pytest.fixture(scope="session")
def nz_expected() -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(
        NZ.with_name(NZ.stem + ".expected.json").read_text("utf-8")
    )
    return expected


@pytest.fixture(scope="session")
def nz_docx_auto_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_docx_auto(plan_paragraphs(NZ), tmp_path_factory.mktemp("docx") / "nz.docx")


@pytest.fixture(scope="session")
def nz_pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "nz.pdf"
    return write_pdf(plan_paragraphs(NZ), path, running_header="ASEAN-New Zealand 2026-2030")
