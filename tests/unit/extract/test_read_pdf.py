"""The .pdf reader: running headers dropped, lines rejoined, hyphens, pages, scans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fpdf import FPDF

from aseankg.extract.errors import CorruptDocumentError, EmptyDocumentError
from aseankg.extract.read_pdf import PdfLine, drop_running_lines, join_lines, read_pdf


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seed_pdf_text(seed_pdf_path: Path) -> tuple[str, tuple[int, ...]]:
    return read_pdf(seed_pdf_path.read_bytes())


def test_each_paragraph_of_the_seed_is_one_line_again(
    seed_pdf_text: tuple[str, tuple[int, ...]], seed_path: Path
) -> None:
    text, _ = seed_pdf_text
    lines = {squash(line) for line in text.split("\n")}
    for paragraph in seed_path.read_text("utf-8").split("\n"):
        paragraph = re.sub(r"\[bookmark: [^\]]*\]", "", paragraph)
        if paragraph.strip():
            assert squash(paragraph) in lines


def test_running_header_and_page_numbers_are_dropped(
    seed_pdf_text: tuple[str, tuple[int, ...]],
) -> None:
    text, pages = seed_pdf_text
    assert "ASEAN-Canada Plan of Action 2021-2025" not in text
    assert not re.search(r"Page \d+ of \d+", text)
    assert len(pages) > 5 and pages[0] == 0


def line(text: str, top: float, x1: float = 500.0, page: int = 1, x0: float = 50.0) -> PdfLine:
    first = len(text.split()[0]) * 5.0
    return PdfLine(page, text, x0, x1, top, top + 10, first, 2.8)


def test_wrapped_lines_are_rejoined_and_short_lines_end_paragraphs() -> None:
    text, pages = join_lines(
        [
            line("1.1.1. Support the work of the regional", 100),
            line("mechanisms for trade;", 112, x1=200),
            line("1.1.2. Explore cooperation;", 124, x1=180),
            line("A note after a gap.", 150, x1=150),
        ]
    )
    assert text == (
        "1.1.1. Support the work of the regional mechanisms for trade;\n"
        "1.1.2. Explore cooperation;\n\nA note after a gap."
    )
    assert pages == (0,)


def test_a_numbered_line_always_opens_a_paragraph() -> None:
    text, _ = join_lines([line("Cooperation in the region", 100), line("1.2. Security", 112)])
    assert text == "Cooperation in the region\n1.2. Security"


@pytest.mark.parametrize(
    ("end", "start", "context", "joined"),
    [
        ("strengthening nuclear non-", "proliferation, and", "", "nuclear non-proliferation, and"),
        ("Southeast Asia Nuclear Weapons-", "Free Zone", "", "Nuclear Weapons-Free Zone"),
        ("a truly people-", "oriented community", "", "truly people-oriented community"),
        ("economic develop-", "ment of the region", "development", "economic development of"),
        ("economic devel\u00ad", "opment of the region", "", "economic development of"),
    ],
)
def test_hyphen_at_a_wrap(end: str, start: str, context: str, joined: str) -> None:
    lines = [line(end, 100), line(start, 112, x1=200)]
    if context:
        lines.append(line(f"And more {context} here.", 140, x1=150))
    text, _ = join_lines(lines)
    assert joined in text.split("\n")[0]


def test_a_paragraph_running_over_a_page_break_is_one_line() -> None:
    text, pages = join_lines(
        [
            line("1.1.1. Support the work of the regional", 780, page=1),
            line("mechanisms for trade;", 60, x1=200, page=2),
            line("1.1.2. Explore;", 72, x1=120, page=2),
        ]
    )
    assert text.split("\n")[0].endswith("regional mechanisms for trade;")
    assert pages == (0, text.index("mechanisms"))


def test_running_lines_recur_with_page_numbers_masked() -> None:
    pages = [
        [
            line(f"ASEAN Plan {n}", 20, page=n),
            line(f"Body text {n}", 100 + 7 * n, page=n),
            line(f"Body end {n}", 112 + 7 * n, page=n),
            line(f"- {n} -", 800, page=n),
        ]
        for n in range(1, 5)
    ]
    pages[0].insert(1, line("Unique opening line", 40, page=1))
    kept = drop_running_lines(pages)
    assert [x.text for x in kept[0]] == ["Unique opening line", "Body text 1", "Body end 1"]
    assert [x.text for x in kept[3]] == ["Body text 4", "Body end 4"]


def test_a_pdf_without_text_layer_is_a_scan(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 160, style="F")
    with pytest.raises(EmptyDocumentError, match="no text layer"):
        read_pdf(bytes(pdf.output()))


@pytest.mark.parametrize("data", [b"", b"%PDF-1.4\n garbage", bytes(range(256)) * 4])
def test_bytes_that_are_no_pdf_are_refused(data: bytes) -> None:
    with pytest.raises(CorruptDocumentError, match=r"(?i)pdf"):
        read_pdf(data)
