"""A program's settings as every area reads them, and the batch an enrollment studies in.

The numbers of the rules live in the program's policies (one row per area, one-to-one with the
program, `storage/policies.py`); its dates and time zone stay on the program. The rules
themselves are pure (`calendar`, `hours`, `stages`); this module applies them to the stored
program, policy and batch rows, once, for every area. A request reads a policy through its
`Loaders` (`policy_of`), so a list reads each policy table once, whatever its length.
"""

import datetime as dt
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import TypeVar

from tortoise.models import Model

from lms_plugin.storage.enums import PhaseKind, Stage, Track
from lms_plugin.storage.models import (
    Batch,
    Enrollment,
    HourPolicy,
    Program,
    ProgramPhase,
    RegistrationPolicy,
)
from lms_plugin.storage.policies import POLICY_MODELS

from .calendar import Window, day_window, parse_holidays, window_error
from .errors import Refused
from .hours import HourSplit, hour_split
from .loaders import Loaders

P = TypeVar("P", bound=Model)

# A teacher's enrollments, the newest first: the latest study window (a finished earlier year
# loaded after a later one stays behind it), then the program the plugin was given last.
NEWEST_ENROLLMENT_FIRST = ("-batch__starts_on", "-program_id")
# A teacher's certificates, the newest program first (a make-up year comes after its year).
NEWEST_CERTIFICATE_FIRST = ("-program_id",)


class MissingPolicy(LookupError):
    """A program without one of its policies: every program gets all of them when created (and
    migration 0002 gave them to the programs before it), so this is a bug, not a refusal."""


async def policy_of(loaders: Loaders, model: type[P], program_id: int) -> P:
    """The program's policy of that model, through the request's loaders."""
    row = await loaders.by_key(model, "program_id").load(program_id)
    if row is None:
        raise MissingPolicy(f"{model.__name__} of program {program_id}")
    return row


def forget_policies(loaders: Loaders, program: Program) -> Program:
    """After a write to the program's policies: the request's loaders read them again."""
    for model in POLICY_MODELS:
        # strawberry's cache raises KeyError for a key it does not hold.
        with suppress(KeyError):
            loaders.by_key(model, "program_id").clear(program.id)
    return program


async def read_policy(model: type[P], program_id: int) -> P:
    """The program's policy of that model, read now (use cases outside a request's loaders)."""
    row = await model.get_or_none(program_id=program_id)
    if row is None:
        raise MissingPolicy(f"{model.__name__} of program {program_id}")
    return row


@dataclass(frozen=True)
class PhaseWindow:
    """A phase's dates (both inclusive) and the instants they span in the program's zone."""

    kind: PhaseKind
    starts_on: dt.date
    ends_on: dt.date
    window: Window


def phase_window_of(phase: ProgramPhase, time_zone: str) -> PhaseWindow:
    return PhaseWindow(
        phase.kind,
        phase.starts_on,
        phase.ends_on,
        day_window(phase.starts_on, phase.ends_on, time_zone),
    )


async def phase_window(program_id: int, kind: PhaseKind) -> PhaseWindow | None:
    """The program's phase of that kind (seed 001 §七), None when the program has none: every
    rule that depends on a period (registration R3, grading until the assessment ends) reads
    its dates here."""
    phases = ProgramPhase.filter(program_id=program_id, kind=kind).select_related("program")
    phase = await phases.first()
    return None if phase is None else phase_window_of(phase, phase.program.time_zone)


async def phases_of(loaders: Loaders, program_id: int) -> dict[PhaseKind, ProgramPhase]:
    """The program's phases by kind, through the request's loaders (one query for a list)."""
    rows = await loaders.grouped(ProgramPhase, "program_id").load(program_id)
    return {row.kind: row for row in rows}


def forget_phases(loaders: Loaders, program: Program) -> Program:
    """After a write to the program's phases: the request's loaders read them again."""
    with suppress(KeyError):
        loaders.grouped(ProgramPhase, "program_id").clear(program.id)
    return program


def program_holidays(program: Program) -> list[dt.date]:
    return parse_holidays(program.holidays)


def minute_of_day(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def minutes_of(at: dt.time) -> int:
    return at.hour * 60 + at.minute


def registration_hours(policy: RegistrationPolicy) -> tuple[dt.time, dt.time]:
    """R3 daily hours, local wall-clock times."""
    return minute_of_day(policy.daily_opens_minute), minute_of_day(policy.daily_closes_minute)


def program_hour_split(policy: HourPolicy, track: Track) -> HourSplit:
    """R8: the split of a track, from the program's hour policy."""
    return hour_split(
        track,
        network=(policy.network_online_hours, policy.network_offline_hours),
        transitional=(policy.transitional_online_hours, policy.transitional_offline_hours),
    )


def online_quota_seconds(split: HourSplit) -> int:
    """R8: online time counts up to the track's online hours, never beyond."""
    return split.online_hours * 3600


def batch_subjects(batch: Batch) -> list[tuple[Stage, str]]:
    return [(Stage(pair["stage"]), pair["subject"]) for pair in batch.subjects]


def batch_window(batch: Batch, program: Program) -> Window:
    """R1: the batch's days in the program's time zone, the end date to 23:59:59."""
    return day_window(batch.starts_on, batch.ends_on, program.time_zone)


def batch_for(batches: Sequence[Batch], stage: Stage, subject: str, track: Track) -> Batch | None:
    """R4: the network batch serving the workshop's stage and subject; the transitional track
    studies in the program's transitional batch, whatever the subject."""
    if track is Track.TRANSITIONAL:
        return next((b for b in batches if b.track is Track.TRANSITIONAL), None)
    return next(
        (b for b in batches if b.track is Track.NETWORK and (stage, subject) in batch_subjects(b)),
        None,
    )


@dataclass(frozen=True)
class EnrollmentWindow:
    """The window a trainee's actions are judged by (R1), with the rows it came from."""

    window: Window
    batch: Batch
    program: Program

    def check_open(self, now: dt.datetime) -> None:
        """R1: refuses a trainee action outside the window."""
        if error := window_error(self.window, now):
            raise Refused([error])


async def enrollment_window(enrollment: Enrollment) -> EnrollmentWindow:
    batch = await Batch.get(id=enrollment.batch_id)
    program = await Program.get(id=enrollment.program_id)
    return EnrollmentWindow(batch_window(batch, program), batch, program)


async def assessment_window(program_id: int) -> PhaseWindow | None:
    """The one place the assessment window (R12) is read: the program's ASSESSMENT phase, whose
    first day results are computed from; None while the program has no such phase."""
    return await phase_window(program_id, PhaseKind.ASSESSMENT)
