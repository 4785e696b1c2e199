"""The ontology's documentation: generated HTML and docs/ontology.md cover every term."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from aseankg.ontology.docs import main, render_ontology_html, term_sections
from aseankg.ontology.generate_namespace import collect_terms

DOC = Path(__file__).resolve().parents[3] / "docs" / "ontology.md"


def _terms() -> set[str]:
    return {local for names in collect_terms().values() for local, _ in names}


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def test_html_documents_every_term_with_an_anchor_and_both_languages() -> None:
    page = render_ontology_html()
    parser = _Anchors()
    parser.feed(page)
    assert _terms() <= parser.ids
    assert "ligne d&#39;action" in page and "action line" in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert "http://data.europa.eu/eli/ontology#" not in page or "eli:Work" in page


def test_html_shows_domains_ranges_and_superclasses() -> None:
    classes, objects = term_sections()[0][2], term_sections()[1][2]
    line = next(t for t in classes if t.curie == "akg:ActionLine")
    assert ("subclass of", ("eli:WorkSubdivision",)) in line.facts
    linked = next(t for t in objects if t.curie == "akg:linkedActor")
    assert ("domain", ("akg:ActorLink",)) in linked.facts
    assert ("range", ("akg:Actor",)) in linked.facts


def test_markdown_page_names_every_term_and_has_a_diagram() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "```mermaid" in text and "classDiagram" in text
    missing = sorted(t for t in _terms() if f"akg:{t}" not in text and f"`{t}`" not in text)
    assert not missing, f"docs/ontology.md does not mention {missing}"


def test_docs_command_writes_the_page(tmp_path: Path) -> None:
    target = tmp_path / "ontology.html"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_ontology_html()
