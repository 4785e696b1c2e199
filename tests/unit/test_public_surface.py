"""Every module of the package declares its public surface, and that surface exists."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest

LAYERS = ["ontology", "extract", "graph", "api", "queries"]


def _modules() -> list[str]:
    names: list[str] = []
    for layer in LAYERS:
        package = importlib.import_module(f"aseankg.{layer}")
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            names.append(info.name)
    return sorted(names)


MODULES = _modules()


def test_every_layer_has_modules() -> None:
    for layer in LAYERS:
        assert any(name.startswith(f"aseankg.{layer}.") for name in MODULES), layer


@pytest.mark.parametrize("name", [m for m in MODULES if not m.endswith("__main__")])
def test_module_declares_all_and_names_resolve(name: str) -> None:
    module: ModuleType = importlib.import_module(name)
    if module.__file__ is not None and module.__file__.endswith("__init__.py"):
        # Package markers may stay empty; when they declare a surface it must resolve.
        exported = getattr(module, "__all__", [])
    else:
        assert hasattr(module, "__all__"), f"{name} has no __all__"
        exported = module.__all__
    missing = [attr for attr in exported if not hasattr(module, attr)]
    assert not missing, f"{name}.__all__ names missing attributes: {missing}"
