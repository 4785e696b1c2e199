"""Every module of the package declares its public surface, both ways (as httpx does).

``__all__`` names only what exists, and every public name a module defines (a function,
a class, a constant, a type alias: any top-level name without a leading underscore) is
in its ``__all__``; a package's ``__init__`` also lists what it imports. Left out: type
variables, and route handlers registered on a router by decorator (``@router.get``),
which are the router's, reached through it, not imported.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

LAYERS = ["ontology", "extract", "graph", "api", "queries"]
_TYPE_VARIABLES = frozenset({"TypeVar", "ParamSpec", "TypeVarTuple"})


def _modules() -> list[str]:
    names: list[str] = []
    for layer in LAYERS:
        package = importlib.import_module(f"aseankg.{layer}")
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            names.append(info.name)
    return sorted(names)


MODULES = [m for m in _modules() if not m.endswith("__main__")]


def _registered(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A handler registered by decorator on a router (``@router.get(...)``)."""
    return any(
        isinstance(d, ast.Call)
        and isinstance(d.func, ast.Attribute)
        and isinstance(d.func.value, ast.Name)
        and d.func.value.id.endswith("router")
        for d in node.decorator_list
    )


def _type_variable(value: ast.expr | None) -> bool:
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in _TYPE_VARIABLES
    )


def _defined(body: list[ast.stmt], *, imports: bool) -> set[str]:
    """The top-level names ``body`` binds (inside top-level ``if``/``try`` too)."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if not _registered(node):
                names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign) and not _type_variable(node.value):
            for target in node.targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if not _type_variable(node.value):
                names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom) and imports and node.module != "__future__":
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.If | ast.Try):
            names |= _defined(node.body + node.orelse, imports=imports)
            for handler in getattr(node, "handlers", []):
                names |= _defined(handler.body, imports=imports)
    return names


def _public(module: ModuleType) -> set[str]:
    is_package = bool(module.__file__ and module.__file__.endswith("__init__.py"))
    tree = ast.parse(inspect.getsource(module))
    return {n for n in _defined(tree.body, imports=is_package) if not n.startswith("_")}


def test_every_layer_has_modules() -> None:
    for layer in LAYERS:
        assert any(name.startswith(f"aseankg.{layer}.") for name in MODULES), layer


@pytest.mark.parametrize("name", MODULES)
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
    assert len(set(exported)) == len(exported), f"{name}.__all__ repeats a name"


@pytest.mark.parametrize("name", MODULES)
def test_every_public_name_is_in_all(name: str) -> None:
    module = importlib.import_module(name)
    undeclared = sorted(_public(module) - set(getattr(module, "__all__", [])))
    assert not undeclared, (
        f"{name} defines public names missing from __all__: {undeclared} "
        "(add them to __all__, or give them a leading underscore)"
    )
