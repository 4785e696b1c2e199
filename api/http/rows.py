"""SPARQL JSON results as typed JSON rows: the shape of every REST answer.

A row has every variable the query projects, in the query's order, with ``null`` where the
solution leaves it unbound; numbers and booleans are JSON numbers and booleans (from their
XSD datatype), everything else its lexical form (an IRI as its string). rdflib's
``Literal.toPython`` would give ``Decimal``, ``date`` and ``Duration`` objects that JSON
cannot carry, so the few XSD types JSON has a kind for are mapped here, by a table.

>>> import json
>>> from aseankg.graph.query import QueryResult
>>> body = json.dumps({"head": {"vars": ["line", "lines", "binding", "note"]},
...     "results": {"bindings": [{"line": {"type": "literal", "value": "1.5.1"},
...     "lines": {"type": "literal", "value": "2",
...               "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
...     "binding": {"type": "literal", "value": "false",
...                 "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}}]}})
>>> typed_rows(QueryResult("solutions", "json", body.encode()))
[{'line': '1.5.1', 'lines': 2, 'binding': False, 'note': None}]
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

from aseankg.api.http.errors import BadRequest
from aseankg.graph.query import QueryResult

__all__ = ["JsonValue", "Row", "typed_rows", "typed_value"]

JsonValue = str | int | float | bool | None
Row = dict[str, JsonValue]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = frozenset(
    _XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
_REALS = frozenset(_XSD + name for name in ("decimal", "double", "float"))


def typed_value(term: Mapping[str, str]) -> JsonValue:
    """One SPARQL JSON term as a JSON value: typed numbers and booleans, strings otherwise
    (a malformed number stays its lexical form rather than failing the answer)."""
    value = term.get("value", "")
    datatype = term.get("datatype", "")
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype in _REALS:
            number = float(value)
            return number if math.isfinite(number) else value
    except ValueError:
        return value
    if datatype == _XSD + "boolean" and value in ("true", "false", "1", "0"):
        return value in ("true", "1")
    return value


def typed_rows(result: QueryResult) -> list[Row]:
    """The rows of a SELECT's result, every projected variable a key (``None`` when unbound).

    Raises ``BadRequest`` when the result is not a SELECT's.
    """
    if result.kind != "solutions":
        raise BadRequest("expected a SELECT query", kind="query-error")
    data = json.loads(result.body)
    names = [str(name) for name in data["head"]["vars"]]
    return [
        {name: typed_value(row[name]) if name in row else None for name in names}
        for row in data["results"]["bindings"]
    ]
