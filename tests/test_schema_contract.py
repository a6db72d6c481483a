"""The committed SDL is the contract: it matches the live schema, and changes do not break it."""

from pathlib import Path

from graphql import build_schema as parse_sdl
from graphql import find_breaking_changes

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
