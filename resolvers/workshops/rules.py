"""Workshops' own rules, pure: one workshop per stage and subject, the tutor team's cap (R6)."""

from lms_plugin.resolvers.core.errors import DomainError, ErrorCode
from lms_plugin.resolvers.core.stages import STAGE_NAMES
from lms_plugin.storage.enums import Stage


def workshop_exists(stage: Stage, subject: str) -> DomainError:
    """A program has one workshop per stage and subject."""
    return DomainError(
        ErrorCode.WORKSHOP_EXISTS,
        f"本项目已有{STAGE_NAMES[stage]}{subject}工作室（每个学段学科一个）",
        ("subject",),
    )


def tutor_team_full(cap: int) -> DomainError:
    """R6: a tutor team has at most the program's cap of members. The use case claims a place
    with a conditional update (at most `cap` claims succeed); this is the refusal of the rest."""
    return DomainError(
        ErrorCode.TUTOR_TEAM_FULL, f"辅导团队已满：每个工作室不超过{cap}人", ("workshopId",)
    )
