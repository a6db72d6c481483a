"""Refusals made from the ORM's own field validation (texts longer than their columns)."""

from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, invalid_column_value


def test_a_too_long_text_names_its_field_in_camel_case_and_the_limit() -> None:
    message = "research_plan: Length of 'x;y\nz' 210 > 128"

    assert invalid_column_value(message) == DomainError(
        ErrorCode.INVALID_INPUT, "内容过长：不超过128个字", ("researchPlan",)
    )


def test_another_column_refusal_names_its_field() -> None:
    assert invalid_column_value("score: Value should be less or equal to 100") == DomainError(
        ErrorCode.INVALID_INPUT, "内容不符合要求", ("score",)
    )


def test_a_refusal_without_a_field_has_none() -> None:
    assert invalid_column_value("Value must not be None") == DomainError(
        ErrorCode.INVALID_INPUT, "内容不符合要求", None
    )
