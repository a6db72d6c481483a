"""The committed SDL is the contract: it matches the live schema, and changes do not break it."""

from pathlib import Path

from graphql import GraphQLEnumType, find_breaking_changes
from graphql import build_schema as parse_sdl

from lms_plugin.cli import SCHEMA_PATH, sdl


def test_committed_sdl_matches_the_live_schema() -> None:
    committed = SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == sdl(), "run `lms-plugin export-schema` and commit schema/schema.graphql"


def test_live_schema_makes_no_breaking_change_to_the_committed_one() -> None:
    changes = find_breaking_changes(
        parse_sdl(SCHEMA_PATH.read_text(encoding="utf-8")), parse_sdl(sdl())
    )
    assert [f"{c.type.name}: {c.description}" for c in changes] == []


def test_breaking_changes_are_detected(tmp_path: Path) -> None:
    without_programs = sdl().replace("  programs(", "  removedPrograms(")
    changes = find_breaking_changes(parse_sdl(sdl()), parse_sdl(without_programs))
    assert [c.description for c in changes] == ["Field Query.programs was removed."]


def test_the_old_names_of_the_taken_codes_are_deprecated_and_never_answered() -> None:
    """One code per meaning: DUPLICATE_USERNAME and DUPLICATE_ID_NUMBER stay in the schema
    (removing an enum value breaks clients) but nothing answers them."""
    error_code = parse_sdl(sdl()).type_map["ErrorCode"]
    assert isinstance(error_code, GraphQLEnumType)
    deprecated = {
        name: value.deprecation_reason
        for name, value in error_code.values.items()
        if value.deprecation_reason is not None
    }
    assert deprecated == {
        "DUPLICATE_USERNAME": "改用 USERNAME_TAKEN（use USERNAME_TAKEN）。",
        "DUPLICATE_ID_NUMBER": "改用 ID_NUMBER_TAKEN（use ID_NUMBER_TAKEN）。",
    }
    root = Path(__file__).resolve().parent.parent
    users = [
        str(path.relative_to(root))
        for layer in ("resolvers", "schema", "storage", "lms_plugin")
        for path in (root / layer).rglob("*.py")
        for name in deprecated
        if f"ErrorCode.{name}" in path.read_text(encoding="utf-8")
    ]
    assert users == ["schema/core/enums.py", "schema/core/enums.py"]
