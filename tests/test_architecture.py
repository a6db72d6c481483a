"""The layers: lms_plugin → schema → resolvers → storage, imported only as `lms_plugin.<layer>`."""

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Folder → (import name, rank): a module may import layers of lower or equal rank only.
LAYERS = {
    "storage": ("lms_plugin.storage", 0),
    "resolvers": ("lms_plugin.resolvers", 1),
    "schema": ("lms_plugin.schema", 2),
    "lms_plugin": ("lms_plugin", 3),
}
BARE = {"schema", "storage", "resolvers", "frontend_stub"}


def _layer_of_import(module: str) -> int | None:
    for name, rank in sorted(LAYERS.values(), key=lambda item: -len(item[0])):
        if module == name or module.startswith(name + "."):
            return rank
    return None


def _imports(path: Path) -> list[tuple[int, str, int]]:
    """(line, module, relative level) of every import in a file."""
    found: list[tuple[int, str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, node.module or "", node.level))
    return found


def _violations() -> list[str]:
    problems: list[str] = []
    for folder, (_, rank) in LAYERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            where = path.relative_to(ROOT)
            for line, module, level in _imports(path):
                top = module.split(".")[0]
                if level == 0 and top in BARE:
                    problems.append(f"{where}:{line} bare import of {module}")
                if level > 1 + len(path.relative_to(ROOT / folder).parts) - 1:
                    problems.append(f"{where}:{line} relative import leaves its layer")
                target = _layer_of_import(module) if level == 0 else rank
                if target is not None and target > rank:
                    problems.append(f"{where}:{line} {folder} must not import {module}")
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for line, module, level in _imports(path):
            if level == 0 and module.split(".")[0] in BARE:
                problems.append(f"{path.relative_to(ROOT)}:{line} bare import of {module}")
    return problems


def test_imports_point_one_way_and_use_the_one_import_name() -> None:
    assert _violations() == []


def test_the_check_catches_a_wrong_way_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in [*LAYERS, "tests"]:
        (tmp_path / folder).mkdir()
    (tmp_path / "storage" / "bad.py").write_text("from lms_plugin.resolvers import rules\n")
    (tmp_path / "resolvers" / "bare.py").write_text("import storage\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert _violations() == [
        "storage/bad.py:1 storage must not import lms_plugin.resolvers",
        "resolvers/bare.py:1 bare import of storage",
    ]


def _pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def test_every_package_folder_is_in_the_wheel() -> None:
    setuptools = _pyproject()["tool"]["setuptools"]  # type: ignore[index]
    package_dir: dict[str, str] = setuptools["package-dir"]
    listed = set(setuptools["packages"])
    folder_to_package = {folder: package for package, folder in package_dir.items()}
    on_disk = set()
    for folder in folder_to_package:
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder).parts
            on_disk.add(".".join([folder_to_package[folder], *relative]))
    assert on_disk == listed


def test_every_data_file_is_package_data() -> None:
    data: dict[str, list[str]] = _pyproject()["tool"]["setuptools"]["package-data"]  # type: ignore[index]
    for folder, package in (
        ("frontend_stub", "lms_plugin.frontend_stub"),
        ("schema", "lms_plugin.schema"),
        ("lms_plugin/graphiql", "lms_plugin.graphiql"),
    ):
        directory = ROOT / folder
        covered = {p for glob in data.get(package, []) for p in directory.glob(glob)}
        files = {p for p in directory.rglob("*") if p.is_file() and p.suffix not in {".py", ".pyc"}}
        uncovered = sorted(str(p.relative_to(directory)) for p in files - covered)
        assert uncovered == [], f"{folder}: {uncovered} would be missing from the wheel"
