"""No two public things of one name: a name in the ``__all__`` of two modules (in any
letter case: ``AKG``, ``Akg``, ``akg``) names one object, re-exported, or a name every
module of a kind has by protocol (a router's ``router``, a command module's
``register``, an entry point's ``main``, a command's function named by its command)."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

from aseankg.api.cli import app

LAYERS = ["ontology", "extract", "graph", "api", "queries"]
PROTOCOL = {"router", "register", "main"}
COMMANDS = {command.callback.__name__ for command in app.registered_commands if command.callback}
# pairs whose owners rename them in work under way this session (issue 12)


def _public() -> dict[str, dict[int, str]]:
    """Public names (lower-cased) -> the distinct objects they name -> where."""
    found: dict[str, dict[int, str]] = defaultdict(dict)
    for layer in LAYERS:
        package = importlib.import_module(f"aseankg.{layer}")
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            for name in getattr(module, "__all__", ()):
                if name in PROTOCOL:
                    continue
                if name in COMMANDS and info.name.startswith("aseankg.api.commands."):
                    continue
                found[name.lower()].setdefault(id(getattr(module, name)), f"{info.name}.{name}")
    return found


def test_each_public_name_means_one_thing() -> None:
    twice = {name: sorted(where.values()) for name, where in _public().items() if len(where) > 1}
    assert twice == {}
