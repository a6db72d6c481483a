"""Programs and batches: province admins set up the phase, windows and settings (R2)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.resolvers.core.access import (
    PROVINCE_ADMIN,
    Viewer,
    require_viewer,
    requires,
)
from lms_plugin.resolvers.core.calendar import batch_window_errors
from lms_plugin.resolvers.core.errors import DomainError, ErrorCode, Refused, refuse
from lms_plugin.resolvers.core.programs import batch_subjects, program_holidays, registration_hours
from lms_plugin.storage.enums import Stage, Track
from lms_plugin.storage.models import Batch, Program


@dataclass(frozen=True)
class ProgramSettings:
    """Everything a province admin sets on a program (the API's input holds the defaults, the
    2012 seed values)."""

    name: str
    year: str
    registration_starts_on: dt.date
    registration_ends_on: dt.date
    time_zone: str
    holidays: tuple[dt.date, ...]
    batch_length_days: int
    tutor_team_cap: int
    registration_opens_at: dt.time
    registration_closes_at: dt.time
    network_online_hours: int
    network_offline_hours: int
    transitional_online_hours: int
    transitional_offline_hours: int
    heartbeat_max_gap_seconds: int
    briefing_interval_days: int | None
    assessment_ends_on: dt.date | None


@dataclass(frozen=True)
class BatchSettings:
    number: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    track: Track = Track.NETWORK
    subjects: tuple[tuple[Stage, str], ...] = ()


_STORED_AS_MINUTES = {
    "registration_opens_at": "registration_opens_minute",
    "registration_closes_at": "registration_closes_minute",
}


def settings_of(program: Program) -> ProgramSettings:
    values = {
        f.name: getattr(program, f.name)
        for f in fields(ProgramSettings)
        if f.name not in _STORED_AS_MINUTES
    }
    values["holidays"] = tuple(program_holidays(program))
    values["registration_opens_at"], values["registration_closes_at"] = registration_hours(program)
    return ProgramSettings(**values)


def program_settings_errors(settings: ProgramSettings) -> list[DomainError]:
    errors: list[DomainError] = []
    if not settings.name.strip():
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "项目名称不能为空", ("name",)))
    try:
        ZoneInfo(settings.time_zone)
    # "Asia" names a folder of the zone database and a very long name exceeds a file name:
    # zoneinfo answers those with OSError, not ZoneInfoNotFoundError.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "无效的时区", ("timeZone",)))
    if settings.registration_ends_on < settings.registration_starts_on:
        errors.append(
            DomainError(
                ErrorCode.INVALID_WINDOW, "注册结束日期早于开始日期", ("registrationEndsOn",)
            )
        )
    daily_hours = {
        "registrationOpensAt": settings.registration_opens_at,
        "registrationClosesAt": settings.registration_closes_at,
    }
    # Daily hours are whole minutes of wall-clock time in the program's zone (no offset).
    unclear = [
        name
        for name, at in daily_hours.items()
        if at.tzinfo is not None or at.second or at.microsecond
    ]
    errors += [
        DomainError(ErrorCode.INVALID_INPUT, "请填写当地时间（时:分），不带时区和秒", (name,))
        for name in unclear
    ]
    if not unclear and settings.registration_closes_at <= settings.registration_opens_at:
        errors.append(
            DomainError(
                ErrorCode.INVALID_WINDOW,
                "每日注册结束时间须晚于开始时间",
                ("registrationClosesAt",),
            )
        )
    positive = {
        "batchLengthDays": settings.batch_length_days,
        "tutorTeamCap": settings.tutor_team_cap,
        "heartbeatMaxGapSeconds": settings.heartbeat_max_gap_seconds,
        "briefingIntervalDays": settings.briefing_interval_days or 1,
    }
    non_negative = {
        "networkOnlineHours": settings.network_online_hours,
        "networkOfflineHours": settings.network_offline_hours,
        "transitionalOnlineHours": settings.transitional_online_hours,
        "transitionalOfflineHours": settings.transitional_offline_hours,
    }
    errors += [
        DomainError(ErrorCode.INVALID_INPUT, "须为正整数", (name,))
        for name, value in positive.items()
        if value < 1
    ]
    errors += [
        DomainError(ErrorCode.INVALID_INPUT, "不能为负数", (name,))
        for name, value in non_negative.items()
        if value < 0
    ]
    return errors


def _program_row_values(settings: ProgramSettings) -> dict[str, Any]:
    values = {f.name: getattr(settings, f.name) for f in fields(ProgramSettings)}
    values["holidays"] = sorted(d.isoformat() for d in settings.holidays)
    for name, column in _STORED_AS_MINUTES.items():
        at: dt.time = values.pop(name)
        values[column] = at.hour * 60 + at.minute
    return values


def programs_visible(viewer: Viewer | None) -> QuerySet[Program]:
    """Every signed-in person sees the programs (they are the province's public calendar)."""
    require_viewer(viewer)
    return Program.all()


@requires(PROVINCE_ADMIN)
async def create_program(viewer: Viewer, settings: ProgramSettings) -> Program:
    if errors := program_settings_errors(settings):
        raise Refused(errors)
    return await Program.create(**_program_row_values(settings))


@requires(PROVINCE_ADMIN)
async def update_program(viewer: Viewer, program_id: int, changes: dict[str, object]) -> Program:
    """Apply `changes` (settings field → value); R2 is checked again for every batch."""
    async with in_transaction():
        program = await Program.get_or_none(id=program_id)
        if program is None:
            raise refuse(ErrorCode.NOT_FOUND, "找不到该项目", "id")
        settings = replace(settings_of(program), **changes)  # type: ignore[arg-type]
        errors = program_settings_errors(settings)
        for batch in await Batch.filter(program_id=program.id).order_by("number"):
            for error in batch_window_errors(
                batch.starts_on, batch.ends_on, settings.holidays, settings.batch_length_days
            ):
                message = f"第{batch.number}批：{error.message}"
                errors.append(DomainError(error.code, message, ("batchLengthDays",)))
        if errors:
            raise Refused(errors)
        await program.update_from_dict(_program_row_values(settings)).save()
        return program


def _served_pairs(subjects: Iterable[tuple[Stage, str]]) -> list[dict[str, str]]:
    return [{"stage": stage.value, "subject": subject} for stage, subject in subjects]


async def _batch_errors(
    program: Program, settings: BatchSettings, batch_id: int | None
) -> list[DomainError]:
    errors: list[DomainError] = []
    if not settings.name.strip():
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "批次名称不能为空", ("name",)))
    if settings.track is Track.TRANSITIONAL and settings.subjects:
        errors.append(
            DomainError(
                ErrorCode.INVALID_INPUT, "过渡学习批次面向所有学段学科，不设学科", ("subjects",)
            )
        )
    pairs = [(stage, subject.strip()) for stage, subject in settings.subjects]
    if len(set(pairs)) != len(pairs) or any(not subject for _, subject in pairs):
        errors.append(DomainError(ErrorCode.INVALID_INPUT, "学科重复或为空", ("subjects",)))
    errors += batch_window_errors(
        settings.starts_on,
        settings.ends_on,
        program_holidays(program),
        program.batch_length_days,
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
