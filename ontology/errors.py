"""Errors raised by the ontology layer.

Tree::

    OntologyError               base: every error of this layer
    ├── OntologyLoadError       a packaged .ttl file is missing or does not parse
    └── InconsistencyError      the reasoner found the ontology (+ data) inconsistent
"""

from __future__ import annotations

__all__ = ["InconsistencyError", "OntologyError", "OntologyLoadError"]


class OntologyError(Exception):
    """Base of every error of the ontology layer; its message is one line for the user."""


class OntologyLoadError(OntologyError):
    """A packaged ontology, authority or shapes file is missing or does not parse."""


class InconsistencyError(OntologyError):
    """The reasoner found a contradiction; ``report`` names the individuals and axioms."""

    def __init__(self, message: str, report: str = "") -> None:
        super().__init__(message)
        self.report = report
