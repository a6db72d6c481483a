"""A program's policies: one row per area, one-to-one with the program (DESIGN.md, "Settings
per area"). Every program has all of them, created with it; a column's default is the seed's
value (the 2012 Jiangxi notice)."""

from collections.abc import Mapping
from typing import Any

from tortoise.models import Model

from .assessment import AssessmentPolicy
from .awards import AwardPolicy
from .bulletins import ReportPolicy
from .classroom import BriefingPolicy
from .enrollment import HourPolicy
from .fees import FeePolicy
from .programs import BatchPolicy, RegistrationPolicy
from .staff import StaffAssessmentPolicy
from .study import StudyTimerPolicy
from .workshops import TutorTeamPolicy

POLICY_MODELS: tuple[type[Model], ...] = (
    BatchPolicy,
    RegistrationPolicy,
    HourPolicy,
    TutorTeamPolicy,
    StudyTimerPolicy,
    BriefingPolicy,
    AssessmentPolicy,
    FeePolicy,
    ReportPolicy,
    AwardPolicy,
    StaffAssessmentPolicy,
)


async def create_policies(
    program_id: int, values: Mapping[type[Model], Mapping[str, Any]] | None = None
) -> None:
    """Every policy of a new program: the defaults, with `values` (model → column → value)
    over them. Run it in the transaction that creates the program."""
    values = values or {}
    unknown = set(values) - set(POLICY_MODELS)
    if unknown:
        raise ValueError(f"not a policy: {sorted(m.__name__ for m in unknown)}")
    for model in POLICY_MODELS:
        await model.create(program_id=program_id, **values.get(model, {}))
