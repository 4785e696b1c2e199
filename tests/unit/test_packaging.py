"""The packages configuration in pyproject.toml covers every folder and file of the layers.

setuptools ships only the packages it is told of, and a data folder it is not told of
draws a warning at every install; a new subfolder (a ``queries/`` subfolder, a router
folder) must be added to ``[tool.setuptools] packages``, and a new kind of file to the
package data, or the installed package silently lacks it. This test says which.
"""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]


def _folders() -> dict[str, Path]:
    """Each folder under the mapped layer folders that holds a file (or a folder that
    does), by package name."""
    found: dict[str, Path] = {}
    for package, folder in CONFIG["package-dir"].items():
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                parts = path.parent.relative_to(ROOT / folder).parts
                for depth in range(len(parts) + 1):
                    found[".".join([package, *parts[:depth]])] = (
                        ROOT / folder / Path(*parts[:depth])
                    )
    return found


def test_every_folder_with_files_is_a_configured_package() -> None:
    folders = _folders()
    missing = sorted(set(folders) - set(CONFIG["packages"]))
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
    stale = sorted(set(CONFIG["packages"]) - set(folders))
    assert not stale, f"packages with no folder of files: {stale}"


def test_every_file_is_python_or_package_data() -> None:
    patterns = [*CONFIG["package-data"].get("*", [])]
    unshipped = [
        str(path.relative_to(ROOT))
        for folder in _folders().values()
        for path in sorted(folder.iterdir())
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and not any(fnmatch(path.name, pattern) for pattern in patterns)
    ]
    assert not unshipped, f"add their pattern to [tool.setuptools.package-data]: {unshipped}"
