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


# Third-party libraries each layer may use, by top-level name; a (name, allowed submodules)
# pair limits a library to some of its modules. Libraries not named here are free.
OWNED = {
    "tortoise": {"storage", "resolvers", "lms_plugin"},
    "aiosqlite": {"storage", "resolvers", "lms_plugin"},
    "asyncpg": {"storage", "resolvers", "lms_plugin"},
    "starlette": {"lms_plugin"},
    "uvicorn": {"lms_plugin"},
    "jwt": {"lms_plugin"},
    "strawberry": {"schema", "lms_plugin", "resolvers"},
    "graphql": {"schema", "lms_plugin"},
    "openpyxl": {"resolvers"},
}
# In resolvers/ strawberry only lends its DataLoader.
NARROWED = {("resolvers", "strawberry"): {"strawberry.dataloader"}}


def _third_party_violations() -> list[str]:
    problems: list[str] = []
    for folder in LAYERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            where = path.relative_to(ROOT)
            for line, module, level in _imports(path):
                top = module.split(".")[0]
                if level or top not in OWNED:
                    continue
                narrowed = NARROWED.get((folder, top))
                if folder not in OWNED[top] or (narrowed is not None and module not in narrowed):
                    problems.append(f"{where}:{line} {folder} must not use {module}")
    return problems


def test_each_layer_uses_only_its_libraries() -> None:
    assert _third_party_violations() == []


def test_the_library_check_catches_a_violation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in LAYERS:
        (tmp_path / folder).mkdir()
    (tmp_path / "schema" / "orm.py").write_text("from tortoise.models import Model\n")
    (tmp_path / "resolvers" / "web.py").write_text("import starlette.requests\n")
    (tmp_path / "resolvers" / "gql.py").write_text(
        "from strawberry.dataloader import DataLoader\nimport strawberry\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert _third_party_violations() == [
        "resolvers/gql.py:2 resolvers must not use strawberry",
        "resolvers/web.py:1 resolvers must not use starlette.requests",
        "schema/orm.py:1 schema must not use tortoise.models",
    ]


def _area_of(folder: str, path: Path) -> str | None:
    """The area package a module belongs to (None for the layer's own top-level modules)."""
    parts = path.relative_to(ROOT / folder).parts
    return parts[0] if len(parts) > 1 else None


def _imported_area(folder: str, path: Path, module: str, level: int) -> tuple[str, str] | None:
    """(area, module inside it) that an import reaches in the same layer, if any."""
    prefix = LAYERS[folder][0]
    if level == 0:
        if not module.startswith(prefix + "."):
            return None
        rest = module[len(prefix) + 1 :].split(".")
    elif level == 1 and _area_of(folder, path) is not None:
        rest = [_area_of(folder, path) or "", *module.split(".")]
    else:
        return None
    return (rest[0], rest[1] if len(rest) > 1 else "")


def _area_violations() -> list[str]:
    """resolvers/: an area imports no other area, only `core`. schema/: an area may use
    another area's `types` (the shared vocabulary), never its queries or mutations, and those
    imports form no cycle."""
    problems: list[str] = []
    uses: dict[str, set[str]] = {}
    for folder in ("resolvers", "schema"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            area = _area_of(folder, path)
            if area is None or area == "core":
                continue
            where = path.relative_to(ROOT)
            for line, module, level in _imports(path):
                reached = _imported_area(folder, path, module, level)
                if reached is None or reached[0] in (area, "core"):
                    continue
                other, inner = reached
                if folder == "schema" and inner == "types":
                    # Only types importing types can close a loop of imports.
                    if path.stem == "types":
                        uses.setdefault(area, set()).add(other)
                    continue
                problems.append(f"{where}:{line} area {area} must not import area {other}")
    problems += [f"schema areas import each other's types in a cycle: {c}" for c in _cycles(uses)]
    return problems


def _cycles(uses: dict[str, set[str]]) -> list[str]:
    found: list[str] = []

    def walk(area: str, trail: list[str]) -> None:
        for other in sorted(uses.get(area, ())):
            if other in trail:
                cycle = [*trail[trail.index(other) :], other]
                if min(cycle[:-1]) == cycle[0]:  # report each cycle once
                    found.append(" → ".join(cycle))
            else:
                walk(other, [*trail, other])

    for area in sorted(uses):
        walk(area, [area])
    return sorted(set(found))


def test_areas_import_each_other_only_through_core() -> None:
    assert _area_violations() == []


def test_the_area_check_catches_a_sideways_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for package in (
        "resolvers/core",
        "resolvers/study",
        "resolvers/homework",
        "schema/study",
        "schema/homework",
        "schema/people",
    ):
        (tmp_path / package).mkdir(parents=True)
    (tmp_path / "resolvers/study/use_cases.py").write_text(
        "from lms_plugin.resolvers.core.errors import refuse\n"
        "from lms_plugin.resolvers.homework.rules import grade\n"
    )
    (tmp_path / "schema/study/queries.py").write_text(
        "from lms_plugin.schema.people.types import Person\n"
        "from lms_plugin.schema.homework.mutations import Mutation\n"
    )
    (tmp_path / "schema/study/types.py").write_text(
        "from lms_plugin.schema.homework.types import Assignment\n"
    )
    (tmp_path / "schema/homework/types.py").write_text(
        "from lms_plugin.schema.study.types import Session\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert _area_violations() == [
        "resolvers/study/use_cases.py:2 area study must not import area homework",
        "schema/study/queries.py:2 area study must not import area homework",
        "schema areas import each other's types in a cycle: homework → study → homework",
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
