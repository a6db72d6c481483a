"""A program's settings as every area reads them, and the batch an enrollment studies in.

The rules themselves are pure (`calendar`, `hours`, `stages`); this module applies them to the
stored program and batch rows, once, for every area.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from lms_plugin.storage.enums import Stage, Track
from lms_plugin.storage.models import Batch, Enrollment, Program

from .calendar import Window, day_window, parse_holidays, window_error
from .errors import Refused
from .hours import HourSplit, hour_split


def program_holidays(program: Program) -> list[dt.date]:
    return parse_holidays(program.holidays)


def minute_of_day(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def registration_hours(program: Program) -> tuple[dt.time, dt.time]:
    """R3 daily hours, local wall-clock times."""
    return (
        minute_of_day(program.registration_opens_minute),
        minute_of_day(program.registration_closes_minute),
    )


def program_hour_split(program: Program, track: Track) -> HourSplit:
    """R8: the split of a track, from the program's settings."""
    return hour_split(
        track,
        network=(program.network_online_hours, program.network_offline_hours),
        transitional=(program.transitional_online_hours, program.transitional_offline_hours),
    )


def online_quota_seconds(program: Program, track: Track) -> int:
    """R8: online time counts up to the track's online hours, never beyond."""
    return program_hour_split(program, track).online_hours * 3600


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
