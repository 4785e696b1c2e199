"""The language of a page, and one label per thing in it.

Entities and ontology terms carry labels in English and French; a page shows each thing
once, in the reader's language: ``?lang=fr`` when given, else the first supported
language of ``Accept-Language`` (by its q-values), else English. Query rows carry a
label and its language tag in two columns (``label`` and ``labelLang`` ...);
:func:`one_per_key` keeps, for each key, the row whose label is in the best language.

>>> best_language("fr-CA,fr;q=0.9,en;q=0.8", "")
'fr'
>>> best_language("de", "")
'en'
>>> rows = [{"e": "x", "l": "Canada", "lLang": "en"}, {"e": "x", "l": "le Canada", "lLang": "fr"}]
>>> [r["l"] for r in one_per_key(rows, ("e",), "l", "fr")]
['le Canada']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from starlette.requests import Request

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "best_language",
    "label_rank",
    "one_per_key",
    "page_language",
]

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"


def best_language(accept_language: str | None, asked: str) -> str:
    """The page language: ``asked`` (``?lang=``) when supported, else the best supported
    range of the ``Accept-Language`` header, else :data:`DEFAULT_LANGUAGE`. Raises nothing."""
    asked = asked.strip().lower()
    if asked in LANGUAGES:
        return asked
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower().split("-", 1)[0]
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag in LANGUAGES and quality > 0:
            ranked.append((-quality, index, tag))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def page_language(request: Request) -> str:
    """The language of the page ``request`` asks for (:func:`best_language`)."""
    return best_language(
        request.headers.get("accept-language"), request.query_params.get("lang", "")
    )


def label_rank(tag: str, language: str) -> int:
    """How well a label tagged ``tag`` suits a page in ``language`` (lower is better):
    the language itself, then untagged, then English, then anything else."""
    tag = tag.lower()
    if tag == language:
        return 0
    if not tag:
        return 1
    return 2 if tag == DEFAULT_LANGUAGE else 3


def one_per_key(
    rows: Iterable[Mapping[str, str]], key: Sequence[str], label: str, language: str
) -> list[Mapping[str, str]]:
    """One row per value of the ``key`` columns, in first-seen order: the one whose
    ``label`` column (language tag in ``<label>Lang``) suits ``language`` best; a row
    with a label beats one without."""
    best: dict[tuple[str, ...], tuple[tuple[int, int], Mapping[str, str]]] = {}
    for row in rows:
        k = tuple(row.get(c, "") for c in key)
        has = bool(row.get(label))
        rank = (0 if has else 1, label_rank(row.get(label + "Lang", ""), language))
        if k not in best or rank < best[k][0]:
            best[k] = (rank, row)
    return [row for _, row in best.values()]
