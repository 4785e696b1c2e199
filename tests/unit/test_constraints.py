"""``constraints.txt`` pins what the project's dependencies need, and nothing else.

The dependency tree is walked from the installed ``aseankg[dev]`` metadata (requirements
with their extras and markers), as pip resolves it.
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

CONSTRAINTS = Path(__file__).resolve().parents[2] / "constraints.txt"
# Installed by the Makefile's own `pip install --upgrade` before the constraints apply.
BOOTSTRAP = frozenset({"setuptools", "pip", "wheel"})


def _needed(name: str, extras: frozenset[str], seen: dict[str, set[str]]) -> None:
    try:
        dist = distribution(name)
    except PackageNotFoundError:
        return  # a requirement whose marker does not hold here was never installed
    key = canonicalize_name(dist.metadata["Name"])
    if key in seen and extras <= seen[key]:
        return
    seen.setdefault(key, set()).update(extras)
    for text in dist.requires or []:
        requirement = Requirement(text)
        environments = [{"extra": extra} for extra in extras or {""}]
        marker = requirement.marker
        if marker is None or any(marker.evaluate(env) for env in environments):
            _needed(requirement.name, frozenset(requirement.extras), seen)


def _pinned() -> set[str]:
    lines = CONSTRAINTS.read_text("utf-8").splitlines()
    return {
        canonicalize_name(re.split(r"[=<>!~ ;\[]", line.strip(), maxsplit=1)[0])
        for line in lines
        if line.strip() and not line.lstrip().startswith("#")
    }


def test_constraints_pin_the_dependency_tree_exactly() -> None:
    seen: dict[str, set[str]] = {}
    _needed("aseankg", frozenset({"dev"}), seen)
    needed = set(seen) - {"aseankg"} - BOOTSTRAP
    pinned = _pinned()
    assert not pinned - needed, f"pinned but no dependency needs them: {sorted(pinned - needed)}"
    assert not needed - pinned, f"needed but not pinned: {sorted(needed - pinned)}"
