"""Programs, their policies and batches: province admins set up the phase, windows and
settings (R2).

A program's numbers live in its policies (one row per area, `storage/policies.py`), created
with the program. `ProgramSettings` is the flat view the program's own create and update
mutations take; the `update_*_policy` use cases change one policy each. Every write checks
the same rules, and R2 is checked again for every batch when the batch length or the holidays
change, in the transaction that writes.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, fields, replace
from typing import Any, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import (
    PROVINCE_ADMIN,
    Viewer,
    require_viewer,
    requires,
)
from lms_plugin.resolvers.core.audit import record_deleted
from lms_plugin.resolvers.core.calendar import batch_window_errors
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Refused, refuse
from lms_plugin.resolvers.core.programs import (
    batch_subjects,
    minutes_of,
    program_holidays,
    registration_hours,
)
from lms_plugin.resolvers.core.staff_scores import StaffWeights
from lms_plugin.storage.enums import PhaseKind, Stage
from lms_plugin.storage.models import (
    AssessmentPolicy,
    AwardPolicy,
    Batch,
    BatchPolicy,
    BriefingPolicy,
    FeePolicy,
    HourPolicy,
    Program,
    ProgramPhase,
    RegistrationPolicy,
    ReportPolicy,
    StaffAssessmentPolicy,
    StudyTimerPolicy,
    TutorTeamPolicy,
)
from lms_plugin.storage.policies import POLICY_MODELS, create_policies

from .rules import (
    BatchSettings,
    PhaseDates,
    ProgramSettings,
    batch_settings_errors,
    daily_hours_errors,
    non_negative_errors,
    phase_errors,
    positive_errors,
    program_settings_errors,
    staff_policy_errors,
)

P = TypeVar("P", bound=Model)


# Where each setting of ProgramSettings is stored when not on the program itself: the policy
# and its column. The registration hours are times in the API and minutes in the table.
_IN_POLICIES: dict[str, tuple[type[Model], str]] = {
    "batch_length_days": (BatchPolicy, "max_study_days"),
    "tutor_team_cap": (TutorTeamPolicy, "cap"),
    "registration_opens_at": (RegistrationPolicy, "daily_opens_minute"),
    "registration_closes_at": (RegistrationPolicy, "daily_closes_minute"),
    "network_online_hours": (HourPolicy, "network_online_hours"),
    "network_offline_hours": (HourPolicy, "network_offline_hours"),
    "transitional_online_hours": (HourPolicy, "transitional_online_hours"),
    "transitional_offline_hours": (HourPolicy, "transitional_offline_hours"),
    "heartbeat_max_gap_seconds": (StudyTimerPolicy, "heartbeat_max_gap_seconds"),
    "briefing_interval_days": (BriefingPolicy, "interval_days"),
}
_STORED_AS_MINUTES = {"registration_opens_at", "registration_closes_at"}
# Settings that are the program's phases: its REGISTRATION dates, the end of its ASSESSMENT.
_IN_PHASES = frozenset({"registration_starts_on", "registration_ends_on", "assessment_ends_on"})

Policies = Mapping[type[Model], Model]


Phases = Mapping[PhaseKind, PhaseDates]


def settings_of(program: Program, policies: Policies, phases: Phases) -> ProgramSettings:
    values: dict[str, Any] = {}
    registration = phases[PhaseKind.REGISTRATION]
    assessment = phases.get(PhaseKind.ASSESSMENT)
    values["registration_starts_on"] = registration.starts_on
    values["registration_ends_on"] = registration.ends_on
    values["assessment_ends_on"] = None if assessment is None else assessment.ends_on
    for f in fields(ProgramSettings):
        if f.name in _IN_PHASES:
            continue
        if f.name in _IN_POLICIES:
            model, column = _IN_POLICIES[f.name]
            values[f.name] = getattr(policies[model], column)
        else:
            values[f.name] = getattr(program, f.name)
    values["holidays"] = tuple(program_holidays(program))
    hours = policies[RegistrationPolicy]
    assert isinstance(hours, RegistrationPolicy)
    values["registration_opens_at"], values["registration_closes_at"] = registration_hours(hours)
    return ProgramSettings(**values)


def _program_row_values(settings: ProgramSettings) -> dict[str, Any]:
    values = {
        f.name: getattr(settings, f.name)
        for f in fields(ProgramSettings)
        if f.name not in _IN_POLICIES and f.name not in _IN_PHASES
    }
    values["holidays"] = sorted(d.isoformat() for d in settings.holidays)
    return values


def _policy_row_values(settings: ProgramSettings) -> dict[type[Model], dict[str, Any]]:
    values: dict[type[Model], dict[str, Any]] = {}
    for name, (model, column) in _IN_POLICIES.items():
        value = getattr(settings, name)
        values.setdefault(model, {})[column] = (
            minutes_of(value) if name in _STORED_AS_MINUTES else value
        )
    return values


def _phases_with_settings(phases: Phases, settings: ProgramSettings) -> dict[PhaseKind, PhaseDates]:
    """The program's phases under createProgram / updateProgram's date settings: the
    registration dates are its REGISTRATION phase; the assessment end date ends its ASSESSMENT
    phase (one that starts later is moved to start then; a new one is that one day), and null
    removes it (grading does not close)."""
    merged = dict(phases)
    merged[PhaseKind.REGISTRATION] = PhaseDates(
        PhaseKind.REGISTRATION, settings.registration_starts_on, settings.registration_ends_on
    )
    ends_on = settings.assessment_ends_on
    if ends_on is None:
        merged.pop(PhaseKind.ASSESSMENT, None)
    else:
        current = merged.get(PhaseKind.ASSESSMENT)
        starts_on = ends_on if current is None else min(current.starts_on, ends_on)
        merged[PhaseKind.ASSESSMENT] = PhaseDates(PhaseKind.ASSESSMENT, starts_on, ends_on)
    return merged


async def _stored_phases(program_id: int) -> dict[PhaseKind, PhaseDates]:
    rows = await ProgramPhase.filter(program_id=program_id)
    return {row.kind: PhaseDates(row.kind, row.starts_on, row.ends_on) for row in rows}


async def _write_phases(program_id: int, phases: Iterable[PhaseDates]) -> None:
    """Replaces the program's phases (inside the caller's transaction)."""
    stored = ProgramPhase.filter(program_id=program_id)
    # A queryset delete saves no instance: the log is told of each row removed.
    for row in await stored:
        record_deleted(row)
    await stored.delete()
    for phase in phases:
        await ProgramPhase.create(
            program_id=program_id,
            kind=phase.kind,
            starts_on=phase.starts_on,
            ends_on=phase.ends_on,
        )


async def _locked_policy(model: type[P], program_id: int) -> P:
    """The program's policy, locked to the end of the transaction (PostgreSQL; SQLite runs one
    transaction at a time), so that two writes that check it run one after the other."""
    policy = await model.filter(program_id=program_id).select_for_update().first()
    if policy is None:
        raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
    return policy


async def _r2_errors(
    program_id: int, holidays: Iterable[dt.date], max_study_days: int, field: str
) -> list[DomainError]:
    """R2 again for every batch of the program, under a new batch length or new holidays."""
    holidays = tuple(holidays)
    errors: list[DomainError] = []
    for batch in await Batch.filter(program_id=program_id).order_by("number"):
        for error in batch_window_errors(batch.starts_on, batch.ends_on, holidays, max_study_days):
            errors.append(DomainError(error.code, f"第{batch.number}批：{error.message}", (field,)))
    return errors


def programs_visible(viewer: Viewer | None) -> QuerySet[Program]:
    """Every signed-in person sees the programs (they are the province's public calendar)."""
    require_viewer(viewer)
    return Program.all()


@requires(PROVINCE_ADMIN)
async def create_program(viewer: Viewer, settings: ProgramSettings) -> Program:
    """The program and every policy of it, in one transaction."""
    phases = _phases_with_settings({}, settings)
    if errors := program_settings_errors(settings) or phase_errors(list(phases.values()), None):
        raise Refused(errors)
    async with in_transaction():
        program = await Program.create(**_program_row_values(settings))
        await create_policies(program.id, _policy_row_values(settings))
        await _write_phases(program.id, phases.values())
    return program


@requires(PROVINCE_ADMIN)
async def update_program(viewer: Viewer, program_id: int, changes: dict[str, object]) -> Program:
    """Apply `changes` (settings field → value) to the program and its policies; R2 is
    checked again for every batch."""
    async with in_transaction():
        program = await Program.get_or_none(id=program_id)
        if program is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "id")
        policies = {model: await _locked_policy(model, program.id) for model in POLICY_MODELS}
        stored = await _stored_phases(program.id)
        if PhaseKind.REGISTRATION not in stored:
            # Every program made through the API has one; one loaded otherwise gets its phases
            # from setProgramPhases first.
            raise refuse(ErrorCode.INVALID_PHASES, "本项目未设报名阶段：请先设定项目阶段", "id")
        current = settings_of(program, policies, stored)
        settings = replace(current, **changes)  # type: ignore[arg-type]
        phases = _phases_with_settings(stored, settings)
        errors = program_settings_errors(settings)
        if not errors:
            errors = phase_errors(list(phases.values()), None)
        errors += await _r2_errors(
            program.id, settings.holidays, settings.batch_length_days, "batchLengthDays"
        )
        if errors:
            raise Refused(errors)
        await program.update_from_dict(_program_row_values(settings)).save()
        if phases != stored:
            await _write_phases(program.id, phases.values())
        for model, values in _policy_row_values(settings).items():
            policy = policies[model]
            if any(getattr(policy, column) != value for column, value in values.items()):
                await policy.update_from_dict(values).save(update_fields=list(values))
        return program


@requires(PROVINCE_ADMIN)
async def set_program_phases(
    viewer: Viewer, program_id: int, phases: Sequence[PhaseDates]
) -> Program:
    """Replaces the program's phases (seed 001 §七) with these, checked as a whole."""
    async with in_transaction():
        program = await Program.filter(id=program_id).select_for_update().first()
        if program is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
        if errors := phase_errors(phases):
            raise Refused(errors)
        await _write_phases(program.id, phases)
        return program


# --- one policy at a time --------------------------------------------------------------------


async def _save_policy(policy: P, changes: Mapping[str, object], errors: list[DomainError]) -> P:
    if errors:
        raise Refused(errors)
    if changes:
        await policy.update_from_dict(dict(changes)).save(update_fields=list(changes))
    return policy


@requires(PROVINCE_ADMIN)
async def update_batch_policy(
    viewer: Viewer, program_id: int, changes: Mapping[str, int]
) -> BatchPolicy:
    """R2: `max_study_days`; every batch of the program is checked again under the new length."""
    async with in_transaction():
        policy = await _locked_policy(BatchPolicy, program_id)
        max_days = changes.get("max_study_days", policy.max_study_days)
        errors = positive_errors({"maxStudyDays": max_days})
        if not errors:
            program = await Program.get(id=program_id)
            errors = await _r2_errors(
                program_id, program_holidays(program), max_days, "maxStudyDays"
            )
        return await _save_policy(policy, changes, errors)


@requires(PROVINCE_ADMIN)
async def update_registration_policy(
    viewer: Viewer,
    program_id: int,
    daily_opens_at: dt.time | None,
    daily_closes_at: dt.time | None,
) -> RegistrationPolicy:
    """R3 daily hours (None: unchanged), local wall-clock times in whole minutes."""
    async with in_transaction():
        policy = await _locked_policy(RegistrationPolicy, program_id)
        opens_at, closes_at = registration_hours(policy)
        opens_at = opens_at if daily_opens_at is None else daily_opens_at
        closes_at = closes_at if daily_closes_at is None else daily_closes_at
        errors = daily_hours_errors(opens_at, closes_at, "dailyOpensAt", "dailyClosesAt")
        changes = {
            column: minutes_of(at)
            for column, at, given in (
                ("daily_opens_minute", opens_at, daily_opens_at),
                ("daily_closes_minute", closes_at, daily_closes_at),
            )
            if given is not None
        }
        return await _save_policy(policy, changes, errors)


_HOUR_FIELDS = {
    "network_online_hours": "networkOnlineHours",
    "network_offline_hours": "networkOfflineHours",
    "transitional_online_hours": "transitionalOnlineHours",
    "transitional_offline_hours": "transitionalOfflineHours",
}


@requires(PROVINCE_ADMIN)
async def update_hour_policy(
    viewer: Viewer, program_id: int, changes: Mapping[str, int]
) -> HourPolicy:
    """R8: the online and offline hours of each track (whole hours, not negative). Progress is
    judged against the new split from the next read on; stored time is never rewritten."""
    async with in_transaction():
        policy = await _locked_policy(HourPolicy, program_id)
        errors = non_negative_errors({_HOUR_FIELDS[k]: v for k, v in changes.items()})
        return await _save_policy(policy, changes, errors)


@requires(PROVINCE_ADMIN)
async def update_tutor_team_policy(
    viewer: Viewer, program_id: int, changes: Mapping[str, int]
) -> TutorTeamPolicy:
    """R6: the cap of a tutor team. A workshop takes the cap when it is set up (it is copied
    into its row for the conditional UPDATE); existing workshops keep theirs, as they always
    did when the program's cap changed."""
    async with in_transaction():
        policy = await _locked_policy(TutorTeamPolicy, program_id)
        errors = positive_errors({"cap": changes.get("cap")})
        return await _save_policy(policy, changes, errors)


# An offline step is a whole number of 3 minutes, so that its hours are exact to 0.05.
_STEP_GRAIN_MINUTES = 3


@requires(PROVINCE_ADMIN)
async def update_study_timer_policy(
    viewer: Viewer, program_id: int, changes: Mapping[str, int]
) -> StudyTimerPolicy:
    """R9: the heartbeat gap that still counts; R8: offline logs in steps of
    `offline_step_minutes` (a multiple of 3), at most `offline_day_max_minutes` (a whole number
    of steps, up to 24 hours) on one date."""
    async with in_transaction():
        policy = await _locked_policy(StudyTimerPolicy, program_id)
        gap = changes.get("heartbeat_max_gap_seconds", policy.heartbeat_max_gap_seconds)
        step = changes.get("offline_step_minutes", policy.offline_step_minutes)
        day_max = changes.get("offline_day_max_minutes", policy.offline_day_max_minutes)
        errors = positive_errors(
            {
                "heartbeatMaxGapSeconds": gap,
                "offlineStepMinutes": step,
                "offlineDayMaxMinutes": day_max,
            }
        )
        if not errors and step % _STEP_GRAIN_MINUTES:
            errors.append(
                DomainError(
                    ErrorCode.INVALID_INPUT, "步长须为3分钟的整数倍", ("offlineStepMinutes",)
                )
            )
        if not errors and (day_max % step or day_max > 24 * 60):
            errors.append(
                DomainError(
                    ErrorCode.INVALID_INPUT,
                    "每日上限须为步长的整数倍，且不超过24小时",
                    ("offlineDayMaxMinutes",),
                )
            )
        return await _save_policy(policy, changes, errors)


@requires(PROVINCE_ADMIN)
async def update_briefing_policy(
    viewer: Viewer, program_id: int, changes: Mapping[str, int | None]
) -> BriefingPolicy:
    """R11: days per briefing period; null: one briefing per batch."""
    async with in_transaction():
        policy = await _locked_policy(BriefingPolicy, program_id)
        errors = positive_errors({"intervalDays": changes.get("interval_days")})
        return await _save_policy(policy, changes, errors)


_WEIGHTS = {
    "study_weight": "studyWeight",
    "homework_weight": "homeworkWeight",
    "discussion_weight": "discussionWeight",
    "outcome_weight": "outcomeWeight",
    "notes_weight": "notesWeight",
    "reflection_weight": "reflectionWeight",
}
_MINIMUMS = {
    "tutor_service_hours": "tutorServiceHours",
    "township_weight": "townshipWeight",
    "township_min_hours": "townshipMinHours",
    "homework_min_count": "homeworkMinCount",
    "discussion_min_posts": "discussionMinPosts",
    "outcome_min_count": "outcomeMinCount",
    "notes_min_characters": "notesMinCharacters",
    "reflection_min_characters": "reflectionMinCharacters",
}
_POSITIVE = {
    "target_hours": "targetHours",
    "new_teacher_target_hours": "newTeacherTargetHours",
    "junior_title_target_hours": "juniorTitleTargetHours",
    "hours_per_credit": "hoursPerCredit",
    "cycle_years": "cycleYears",
    "cycle_hours": "cycleHours",
    "new_teacher_cycle_hours": "newTeacherCycleHours",
}
_MARKS = {
    "pass_mark": "passMark",
    "exam_pass_mark": "examPassMark",
    "transitional_process_weight": "transitionalProcessWeight",
    "transitional_pass_mark": "transitionalPassMark",
}


def assessment_policy_errors(values: Mapping[str, Any]) -> list[DomainError]:
    """R12, R13: weights and minimums not negative, the six weights adding up to 100, marks out
    of 100, targets and hours per credit positive (a junior title's target may be null)."""
    errors = non_negative_errors({field: values[k] for k, field in (_WEIGHTS | _MINIMUMS).items()})
    errors += positive_errors({field: values[k] for k, field in _POSITIVE.items()})
    errors += [
        DomainError(ErrorCode.INVALID_INPUT, "须在0至100之间", (field,))
        for k, field in _MARKS.items()
        if not 0 <= values[k] <= 100
    ]
    if not str(values["certificate_issuer"]).strip():
        errors.append(
            DomainError(ErrorCode.INVALID_INPUT, "请填写发证机构", ("certificateIssuer",))
        )
    if not errors and sum(values[k] for k in _WEIGHTS) != 100:
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "六项权重之和须为100", ("studyWeight",)))
    return errors


@requires(PROVINCE_ADMIN)
async def update_assessment_policy(
    viewer: Viewer, program_id: int, changes: Mapping[str, Any]
) -> AssessmentPolicy:
    """R12, R13: the assessment policy, checked whole with the changes over it. Results already
    computed keep their values until recomputed."""
    async with in_transaction():
        policy = await _locked_policy(AssessmentPolicy, program_id)
        checked = (*_WEIGHTS, *_MINIMUMS, *_POSITIVE, *_MARKS, "certificate_issuer")
        current = {k: getattr(policy, k) for k in checked}
        errors = assessment_policy_errors(current | dict(changes))
        return await _save_policy(policy, changes, errors)


_FEE_FIELDS = {
    "hourly_fee_fen": "hourlyFeeFen",
    "certificate_fee_fen": "certificateFeeFen",
    "middle_senior_yearly_fee_fen": "middleSeniorYearlyFeeFen",
    "junior_yearly_fee_fen": "juniorYearlyFeeFen",
}


@requires(PROVINCE_ADMIN)
async def update_fee_policy(
    viewer: Viewer, program_id: int, changes: Mapping[str, object]
) -> FeePolicy:
    """R16: the fee rule and its amounts in fen; `billed_hours` null: the track's hours."""
    async with in_transaction():
        policy = await _locked_policy(FeePolicy, program_id)
        amounts = {
            _FEE_FIELDS[name]: value for name, value in changes.items() if name in _FEE_FIELDS
        }
        errors = non_negative_errors(amounts)  # type: ignore[arg-type]
        billed = changes.get("billed_hours")
        errors += positive_errors({"billedHours": billed})  # type: ignore[dict-item]
        return await _save_policy(policy, changes, errors)


@requires(PROVINCE_ADMIN)
async def update_report_policy(
    viewer: Viewer, program_id: int, changes: Mapping[str, int]
) -> ReportPolicy:
    """R14, R15: the threshold in hundredths of a percent, 0 to 10000."""
    async with in_transaction():
        policy = await _locked_policy(ReportPolicy, program_id)
        threshold = changes.get("threshold_basis_points", policy.threshold_basis_points)
        errors = []
        if not 0 <= threshold <= 10000:
            errors.append(
                DomainError(
                    ErrorCode.INVALID_INPUT, "须在 0 到 10000 之间", ("thresholdBasisPoints",)
                )
            )
        return await _save_policy(policy, changes, errors)


_AWARD_LIMITS = {
    "collective_basis_points": ("collectiveBasisPoints", 10000),
    "worker_basis_points": ("workerBasisPoints", 10000),
    "tutor_basis_points": ("tutorBasisPoints", 10000),
    "trainee_basis_points": ("traineeBasisPoints", 10000),
    "trainee_score": ("traineeScore", 100),
}


@requires(PROVINCE_ADMIN)
async def update_award_policy(
    viewer: Viewer, program_id: int, changes: Mapping[str, object]
) -> AwardPolicy:
    """R15: the shares (hundredths of a percent, 0 to 10000), the rounding, the score (0–100)."""
    async with in_transaction():
        policy = await _locked_policy(AwardPolicy, program_id)
        errors = [
            DomainError(ErrorCode.INVALID_INPUT, f"须在 0 到 {limit} 之间", (field,))
            for name, (field, limit) in _AWARD_LIMITS.items()
            if name in changes and not 0 <= int(changes[name]) <= limit  # type: ignore[call-overload]
        ]
        return await _save_policy(policy, changes, errors)


@requires(PROVINCE_ADMIN)
async def update_staff_assessment_policy(
    viewer: Viewer, program_id: int, changes: Mapping[str, int]
) -> StaffAssessmentPolicy:
    """The tutors' and admins' assessment (seed 002 §五(一), seed 003 §一(二)(三)): weights,
    counts and pass marks, checked whole with the changes over it."""
    async with in_transaction():
        policy = await _locked_policy(StaffAssessmentPolicy, program_id)
        current = asdict(StaffWeights.of(policy))
        errors = staff_policy_errors(current | dict(changes))
        return await _save_policy(policy, changes, errors)


def _served_pairs(subjects: Iterable[tuple[Stage, str]]) -> list[dict[str, str]]:
    return [{"stage": stage.value, "subject": subject} for stage, subject in subjects]


async def _batch_errors(
    program: Program, settings: BatchSettings, batch_id: int | None
) -> list[DomainError]:
    errors = batch_settings_errors(settings)
    pairs = [(stage, subject.strip()) for stage, subject in settings.subjects]
    # Locked: a concurrent update_batch_policy that shortens the length waits for this write
    # (and checks this batch), or this check sees the new length.
    policy = await _locked_policy(BatchPolicy, program.id)
    errors += batch_window_errors(
        settings.starts_on, settings.ends_on, program_holidays(program), policy.max_study_days
    )
    others = Batch.filter(program_id=program.id)
    if batch_id is not None:
        others = others.exclude(id=batch_id)
    other_batches = await others
    if any(b.number == settings.number for b in other_batches):
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "批次序号已存在", ("number",)))
    served = {pair: b for b in other_batches for pair in batch_subjects(b)}
    for stage, subject in pairs:
        if (stage, subject) in served:
            errors.append(
                DomainError(
                    ErrorCode.SUBJECT_ALREADY_SERVED,
                    f"{subject}已由第{served[(stage, subject)].number}批研修",
                    ("subjects",),
                )
            )
    return errors


@requires(PROVINCE_ADMIN)
async def create_batch(viewer: Viewer, program_id: int, settings: BatchSettings) -> Batch:
    async with in_transaction():
        program = await Program.get_or_none(id=program_id)
        if program is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "programId")
        if errors := await _batch_errors(program, settings, None):
            raise Refused(errors)
        return await Batch.create(
            program_id=program.id,
            number=settings.number,
            name=settings.name.strip(),
            track=settings.track,
            starts_on=settings.starts_on,
            ends_on=settings.ends_on,
            subjects=_served_pairs(settings.subjects),
        )


@requires(PROVINCE_ADMIN)
async def update_batch(viewer: Viewer, batch_id: int, changes: dict[str, object]) -> Batch:
    async with in_transaction():
        batch = await Batch.get_or_none(id=batch_id)
        if batch is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该批次", "id")
        program = await Program.get(id=batch.program_id)
        current = BatchSettings(
            number=batch.number,
            name=batch.name,
            starts_on=batch.starts_on,
            ends_on=batch.ends_on,
            track=batch.track,
            subjects=tuple(batch_subjects(batch)),
        )
        settings = replace(current, **changes)  # type: ignore[arg-type]
        if errors := await _batch_errors(program, settings, batch.id):
            raise Refused(errors)
        batch.number = settings.number
        batch.name = settings.name.strip()
        batch.track = settings.track
        batch.starts_on = settings.starts_on
        batch.ends_on = settings.ends_on
        batch.subjects = _served_pairs(settings.subjects)
        await batch.save()
        return batch
