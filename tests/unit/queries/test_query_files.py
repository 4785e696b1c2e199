"""Every SPARQL text of the project is a file of ``queries/``: prefixes pinned to the
vocabulary, and no query text left in a Python string of ``api/``, ``graph/`` or
``extract/``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from aseankg.graph.vocabulary import PREFIXES
from aseankg.queries.loader import list_queries

ROOT = Path(__file__).resolve().parents[3]
_DECLARED = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I | re.M)
_USED = re.compile(r"(?<![\w:<#/?$\"'-])([A-Za-z][\w-]*):(?=[A-Za-z_])")
# what makes a string SPARQL rather than prose that names a keyword ("expected a SELECT
# query"): a query form followed by its projection or pattern, a WHERE clause, a prefix
# declaration
_SPARQL = re.compile(
    r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?[?$*(]"
    r"|\bCONSTRUCT\s*(?:\{|WHERE\b)"
    r"|\bDESCRIBE\s+[?$<*]"
    r"|\bASK\s*\{"
    r"|\bWHERE\s*\{"
    r"|\bPREFIX\s+[A-Za-z_]*\w*\s*:",
    re.I,
)


def _every_query() -> list[tuple[str, str]]:
    return [(q.name, q.text) for q in list_queries() + list_queries(internal=True)]


def test_every_prefix_a_query_declares_is_the_vocabulary_s() -> None:
    for name, text in _every_query():
        for prefix, iri in _DECLARED.findall(text):
            assert prefix in PREFIXES, f"{name}: prefix {prefix}: is not in graph/vocabulary.py"
            assert iri == PREFIXES[prefix], (
                f"{name}: {prefix}: is <{iri}>, not <{PREFIXES[prefix]}>"
            )


def test_every_prefix_a_query_uses_it_declares() -> None:
    for name, text in _every_query():
        body = re.sub(r"#[^\n]*|<[^>\s]*>|\"[^\"\n]*\"", " ", text)
        declared = {prefix for prefix, _iri in _DECLARED.findall(text)}
        used = set(_USED.findall(body)) - {"PREFIX", "prefix"}
        assert used <= declared, f"{name} uses undeclared prefixes {sorted(used - declared)}"


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string constant of a module but its docstrings; an f-string as its literal
    parts with ``x`` for each placeholder."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found: list[tuple[int, str]] = []
    parts: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                str(v.value) if isinstance(v, ast.Constant) else "x" for v in node.values
            )
            parts.update(id(v) for v in node.values)
            found.append((node.lineno, str(text)))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings | parts
        ):
            found.append((node.lineno, node.value))
    return found


def sparql_strings(path: Path) -> list[str]:
    """Where the module at ``path`` holds SPARQL in a string literal, as ``path:line``."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    return [
        f"{path.relative_to(ROOT)}:{line}" for line, text in _strings(tree) if _SPARQL.search(text)
    ]


def test_no_sparql_text_is_left_in_a_python_string() -> None:
    found = [
        where
        for folder in ("api", "graph", "extract")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for where in sparql_strings(path)
    ]
    assert found == [], "SPARQL belongs in queries/*.rq: " + ", ".join(found)


def test_the_search_finds_a_query_in_a_string_but_not_in_prose(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""SELECT ?x WHERE { ?x ?p ?o } in a docstring is documentation."""\n'
        "# SELECT ?x WHERE { } in a comment too\n"
        'ERROR = "expected a SELECT query, not a CONSTRUCT/DESCRIBE one"\n'
        'KEYWORDS = ("SELECT", "ASK", "PREFIX")\n'
        'Q = "select distinct ?s { ?s ?p ?o }"\n'
        'P = f"PREFIX {name}: <{iri}>"\n'
        'W = "CONSTRUCT WHERE { ?s ?p ?o }"\n',
        "utf-8",
    )
    hits = [where.rsplit(":", 1)[1] for where in _hits(module)]
    assert hits == ["5", "6", "7"]


def _hits(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    return sorted(f"{path}:{line}" for line, text in _strings(tree) if _SPARQL.search(text))


def test_a_new_tab_of_the_query_page_declares_every_project_prefix() -> None:
    (first,) = [text for name, text in _every_query() if name == "pages/first-lines"]
    assert dict(_DECLARED.findall(first)) == PREFIXES
