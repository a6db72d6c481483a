"""Domain errors: stable codes that front ends switch on, with Chinese messages by default."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum


class ErrorCode(StrEnum):
    """Codes of refusals (payload `userErrors`), with the rule each enforces where there is one."""

    INVALID_INPUT = "INVALID_INPUT"
    NOT_FOUND = "NOT_FOUND"
    WINDOW_NOT_OPEN = "WINDOW_NOT_OPEN"  # R1
    WINDOW_CLOSED = "WINDOW_CLOSED"  # R1
    INVALID_WINDOW = "INVALID_WINDOW"
    BATCH_TOO_LONG = "BATCH_TOO_LONG"  # R2
    SUBJECT_ALREADY_SERVED = "SUBJECT_ALREADY_SERVED"
    WORKSHOP_EXISTS = "WORKSHOP_EXISTS"
    REGISTRATION_CLOSED = "REGISTRATION_CLOSED"  # R3
    NOT_A_TEACHER = "NOT_A_TEACHER"
    WORKSHOP_MISMATCH = "WORKSHOP_MISMATCH"  # R4
    NO_BATCH_FOR_SUBJECT = "NO_BATCH_FOR_SUBJECT"  # R4
    ALREADY_ENROLLED = "ALREADY_ENROLLED"  # R5
    TUTOR_TEAM_FULL = "TUTOR_TEAM_FULL"  # R6
    ALREADY_MEMBER = "ALREADY_MEMBER"
    NOT_A_MEMBER = "NOT_A_MEMBER"
    TUTOR_HAS_CLASSES = "TUTOR_HAS_CLASSES"
    TUTOR_EXEMPT = "TUTOR_EXEMPT"  # R7
    NOT_ENROLLED = "NOT_ENROLLED"
    SESSION_CONFLICT = "SESSION_CONFLICT"  # R9
    SESSION_ENDED = "SESSION_ENDED"  # R9
    NOT_YOUR_CLASS = "NOT_YOUR_CLASS"  # R10
    ALREADY_GRADED = "ALREADY_GRADED"  # R10
    GRADING_CLOSED = "GRADING_CLOSED"  # R10
    NOT_GRADED = "NOT_GRADED"  # R10
    NOT_PASSING = "NOT_PASSING"  # R10
    ALREADY_RECOMMENDED = "ALREADY_RECOMMENDED"  # R10
    NOT_RECOMMENDED = "NOT_RECOMMENDED"  # R10
    ALREADY_REVIEWED = "ALREADY_REVIEWED"  # R8
    ALREADY_PUBLISHED = "ALREADY_PUBLISHED"  # R11
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"  # R15
    # Spreadsheets and the roster import (issue 9): a whole file, then one row's cell.
    SHEET_UNREADABLE = "SHEET_UNREADABLE"
    MISSING_COLUMN = "MISSING_COLUMN"
    ROWS_HAVE_ERRORS = "ROWS_HAVE_ERRORS"
    REQUIRED_VALUE = "REQUIRED_VALUE"
    INVALID_ID_NUMBER = "INVALID_ID_NUMBER"
    INVALID_MOBILE = "INVALID_MOBILE"
    UNKNOWN_TERM = "UNKNOWN_TERM"
    UNKNOWN_SCHOOL = "UNKNOWN_SCHOOL"
    DUPLICATE_IN_FILE = "DUPLICATE_IN_FILE"
    TEACHER_OF_OTHER_SCHOOL = "TEACHER_OF_OTHER_SCHOOL"
    USERNAME_TAKEN = "USERNAME_TAKEN"
    ID_NUMBER_TAKEN = "ID_NUMBER_TAKEN"
    # Group registration (集体报名, seed 001 §七(二)).
    NOT_PENDING = "NOT_PENDING"
    NOTHING_TO_SUBMIT = "NOTHING_TO_SUBMIT"
    DUPLICATE_CODE = "DUPLICATE_CODE"
    # Old names of USERNAME_TAKEN and ID_NUMBER_TAKEN: kept in the schema, deprecated, so that
    # clients that switch on them still validate; never answered.
    DUPLICATE_USERNAME = "DUPLICATE_USERNAME"
    DUPLICATE_ID_NUMBER = "DUPLICATE_ID_NUMBER"
    DUPLICATE_NAME = "DUPLICATE_NAME"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"
    ROLE_NOT_GRANTABLE = "ROLE_NOT_GRANTABLE"
    ALREADY_GRANTED = "ALREADY_GRANTED"
    INVALID_PHASES = "INVALID_PHASES"
    CITY_ALREADY_SERVED = "CITY_ALREADY_SERVED"
    COURSE_LOCKED = "COURSE_LOCKED"  # electives after the required courses (seed 004)
    TOO_SHORT = "TOO_SHORT"  # R12: notes and reflection lengths
    ASSESSMENT_NOT_OPEN = "ASSESSMENT_NOT_OPEN"  # R12
    MAKE_UP_NOT_ALLOWED = "MAKE_UP_NOT_ALLOWED"  # R12, seed 000 §五.6
    NOT_TRANSITIONAL = "NOT_TRANSITIONAL"  # township sessions, seed 002 §四(四)②
    NOT_ELIGIBLE = "NOT_ELIGIBLE"  # R15
    ALREADY_NOMINATED = "ALREADY_NOMINATED"  # R15
    NOMINATION_REVIEWED = "NOMINATION_REVIEWED"  # R15
    ALREADY_NAMED = "ALREADY_NAMED"


@dataclass(frozen=True)
class DomainError:
    code: ErrorCode
    message: str
    field: tuple[str, ...] | None = None

    def at(self, field: tuple[str, ...] | None) -> "DomainError":
        """The same refusal, naming the input field at fault."""
        return replace(self, field=field)


class Refused(Exception):
    """A rule refused a use case; raised inside its transaction so that nothing is written."""

    def __init__(self, errors: Sequence[DomainError]) -> None:
        super().__init__(", ".join(e.code for e in errors))
        self.errors = list(errors)


def refuse(code: ErrorCode, message: str, *field: str) -> Refused:
    return Refused([DomainError(code, message, field or None)])


class NotAuthenticated(Exception):
    """No valid token: the request reaches the API as nobody (top-level `UNAUTHENTICATED`)."""


class Forbidden(Exception):
    """The signed-in person may not do this (top-level `FORBIDDEN`)."""


_TOO_LONG = re.compile(r"^(\w+): Length of .* (\d+) > (\d+)$", re.DOTALL)
_FIELD = re.compile(r"^(\w+): ")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def invalid_column_value(message: str) -> DomainError:
    """A value the database column refuses (tortoise's field validation), as INVALID_INPUT.

    Use cases check their inputs; this catches what no check foresaw (a text longer than its
    column) so that it is refused with its field instead of failing as a bug.
    """
    if match := _TOO_LONG.match(message):
        name, _, limit = match.groups()
        return DomainError(ErrorCode.INVALID_INPUT, f"内容过长：不超过{limit}个字", (_camel(name),))
    field = _FIELD.match(message)
    return DomainError(
        ErrorCode.INVALID_INPUT, "内容不符合要求", (_camel(field.group(1)),) if field else None
    )
