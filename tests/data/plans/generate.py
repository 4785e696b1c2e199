"""Generate the layout test plans (.txt, .docx, .pdf) from their sources in ``src/``.

Run from the repository root: ``.venv/bin/python tests/data/plans/generate.py``. The
generated files are committed; rerunning this script reproduces them (fixed creation
dates, no randomness). A source is a plain-text plan with a few markers, one per line:

- ``@layout NAME``, ``@header TEXT``, ``@footer TEXT`` (``{page}``, ``{pages}``): the
  layout the plan tests and the PDF's running header and footer (only in the PDF);
- ``H1: Title`` / ``H2: Title``: a heading without a number (Word "Heading 1"/"Heading 2"
  style; bold, larger type in the PDF; a plain line in the .txt);
- ``B: text``: a bullet (Word's "List Bullet" list; in the .txt and the PDF a bullet
  character, a different one in each group of bullets: ``•``, ``▪``, ``-``, ``–``, ``*``);
- ``T: cell | cell | ...``: a table row (consecutive rows form one table: a Word table,
  an fpdf2 table in the PDF, tab-separated cells in the .txt);
- ``[bookmark: ...]``: conversion debris, kept in the .txt only;
- any other line is a paragraph, typed as written (numbers included); blank lines
  separate paragraphs in the .txt and give a small gap in the PDF.
"""

from __future__ import annotations

import datetime
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"
BULLETS = ("•", "▪", "-", "–", "*")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
CREATED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
_NUMBERED = re.compile(r"^(?:\d+\.|[IVX]+\.|Part [IVX]+|\([a-z]\)|[a-z][.)])\s")


@dataclass
class Block:
    kind: str  # "p", "h1", "h2", "bullet", "table", "blank", "debris"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    bullet: str = "•"


@dataclass
class Source:
    layout: str
    header: str
    footer: str
    blocks: list[Block]


def read_source(path: Path) -> Source:
    layout = header = footer = ""
    blocks: list[Block] = []
    group = -1
    in_bullets = False
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("@layout "):
            layout = line[8:].strip()
        elif line.startswith("@header "):
            header = line[8:].strip()
        elif line.startswith("@footer "):
            footer = line[8:].strip()
        elif line.startswith("B: "):
            if not in_bullets:
                group += 1
                in_bullets = True
            blocks.append(Block("bullet", line[3:], bullet=BULLETS[group % len(BULLETS)]))
            continue
        elif line.startswith("T: "):
            cells = [cell.strip() for cell in line[3:].split("|")]
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
        elif line.startswith(("H1: ", "H2: ")):
            blocks.append(Block(line[:2].lower(), line[4:]))
        elif line.startswith("[bookmark:"):
            blocks.append(Block("debris", line))
        elif not line.strip():
            blocks.append(Block("blank"))
        else:
            blocks.append(Block("p", line))
        in_bullets = False
    return Source(layout, header, footer, blocks)


def write_txt(source: Source, path: Path) -> None:
    out: list[str] = []
    for block in source.blocks:
        if block.kind == "table":
            out.extend("\t".join(row) for row in block.rows)
        elif block.kind == "bullet":
            out.append(f"{block.bullet} {block.text}")
        else:
            out.append(block.text)
    path.write_text("\n".join(out) + "\n", "utf-8")


def _restarting_numbering(document: object) -> str:
    """A two-level Word list: level 0 "%1." (headings), level 1 "%2." (lines)."""
    from docx.oxml import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (
        f'<w:numbering xmlns:w="{w}"><w:abstractNum w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%2."/></w:lvl>'
        '</w:abstractNum><w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num></w:numbering>'
    )
    numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    for child in list(parse_xml(xml)):
        numbering.append(child)
    return w


def write_docx(source: Source, path: Path) -> None:
    """Word: heading styles, Word bullets, real tables; restarting lists numbered by Word."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.core_properties.created = CREATED.replace(tzinfo=None)
    document.core_properties.modified = CREATED.replace(tzinfo=None)
    document.core_properties.last_modified_by = ""
    document.core_properties.author = ""
    automatic = source.layout == "restarting"
    w = _restarting_numbering(document) if automatic else ""
    number = re.compile(r"^(\d+)\.\s+")
    first = True
    for index, block in enumerate(source.blocks):
        if block.kind in ("blank", "debris"):
            continue
        if block.kind == "table":
            table = document.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for row in block.rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = value
            continue
        if block.kind == "h1":
            document.add_paragraph(block.text, style="Heading 1")
        elif block.kind == "h2":
            document.add_paragraph(block.text, style="Heading 2")
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        elif first:
            document.add_paragraph(block.text, style="Title")
            first = False
            continue
        elif automatic and (match := number.match(block.text)):
            # A heading opens a level-0 item; its lines are level-1 items of the same list.
            following = next(
                (b for b in source.blocks[index + 1 :] if b.kind not in ("blank", "debris")),
                None,
            )
            level = 0 if following is not None and following.text.startswith("1. ") else 1
            paragraph = document.add_paragraph(block.text[match.end() :])
            paragraph._p.get_or_add_pPr().append(
                parse_xml(
                    f'<w:numPr xmlns:w="{w}"><w:ilvl w:val="{level}"/>'
                    '<w:numId w:val="90"/></w:numPr>'
                )
            )
        else:
            document.add_paragraph(block.text)
        first = False
    document.save(str(path))
    _fix_zip_dates(path)


def _fix_zip_dates(path: Path) -> None:
    """Rewrite the .docx (a zip) with fixed entry dates, so a rerun gives the same bytes."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)


def write_pdf(source: Source, path: Path) -> None:
    """PDF: running header and footer, justified wrapped text, bold larger headings."""
    from fpdf import FPDF

    class _Plan(FPDF):
        def header(self) -> None:
            self.set_font("dejavu", "", 8)
            self.cell(0, 8, source.header, align="C")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("dejavu", "", 8)
            text = source.footer.replace("{page}", str(self.page_no())).replace("{pages}", "{nb}")
            self.cell(0, 8, text, align="C")

    pdf = _Plan(format="A4")
    pdf.set_creation_date(CREATED)
    pdf.add_font("dejavu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("dejavu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    for block in source.blocks:
        if block.kind == "debris":
            continue
        if block.kind == "blank":
            pdf.ln(3)
            continue
        if block.kind == "table":
            pdf.set_font("dejavu", "", 9)
            widths = (12, 98, 45, 25) if len(block.rows[0]) == 4 else None
            with pdf.table(
                col_widths=widths, text_align="LEFT", v_align="TOP", line_height=5
            ) as table:
                for row in block.rows:
                    cells = table.row()
                    for value in row:
                        cells.cell(value)
            pdf.ln(3)
            continue
        if block.kind in ("h1", "h2"):
            pdf.ln(3)
            pdf.set_font("dejavu", "B", 13 if block.kind == "h1" else 11.5)
            pdf.multi_cell(0, 7, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
            continue
        text = f"{block.bullet}  {block.text}" if block.kind == "bullet" else block.text
        heading = bool(re.match(r"^(?:[IVX]+\.|Part [IVX]+|\d+(?:\.\d+)*\.?)\s+[A-Z]", text)) and (
            not text.rstrip().endswith((";", "."))
        )
        pdf.set_font("dejavu", "B" if heading else "", 10)
        indent = 6 if block.kind == "bullet" or (_NUMBERED.match(text) and not heading) else 0
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(0, 5, text, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem for p in SOURCES.glob("*.plan"))
    for name in names:
        source = read_source(SOURCES / f"{name}.plan")
        write_txt(source, HERE / f"{name}.txt")
        write_docx(source, HERE / f"{name}.docx")
        write_pdf(source, HERE / f"{name}.pdf")
        print(f"{name}: {source.layout}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
