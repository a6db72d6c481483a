"""Programs (全员远程培训项目) and batches (研修批次): the inputs."""

import datetime as dt

import strawberry

from lms_plugin.schema.core.enums import Stage, Track
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="Stage and subject served by a batch.")
class StageSubjectInput:
    stage: Stage
    subject: str


@strawberry.input(description="A new program; every rule number defaults to the 2012 notice.")
class CreateProgramInput:
    name: str
    year: str
    registration_starts_on: dt.date
    registration_ends_on: dt.date
    time_zone: str = "Asia/Shanghai"
    holidays: list[dt.date] = strawberry.field(default_factory=list)
    batch_length_days: int = 10
    tutor_team_cap: int = 8
    registration_opens_at: dt.time = dt.time(9, 0)
    registration_closes_at: dt.time = dt.time(22, 0)
    network_online_hours: int = 6
    network_offline_hours: int = 16
    transitional_online_hours: int = 4
    transitional_offline_hours: int = 18
    heartbeat_max_gap_seconds: int = 120
    briefing_interval_days: int | None = None
    assessment_ends_on: dt.date | None = None


@strawberry.input(description="Changes to a program; omitted fields stay as they are.")
class UpdateProgramInput:
    id: strawberry.ID = id_of("Program")
    name: str | None = strawberry.UNSET
    year: str | None = strawberry.UNSET
    registration_starts_on: dt.date | None = strawberry.UNSET
    registration_ends_on: dt.date | None = strawberry.UNSET
    time_zone: str | None = strawberry.UNSET
    holidays: list[dt.date] | None = strawberry.UNSET
    batch_length_days: int | None = strawberry.UNSET
    tutor_team_cap: int | None = strawberry.UNSET
    registration_opens_at: dt.time | None = strawberry.UNSET
    registration_closes_at: dt.time | None = strawberry.UNSET
    network_online_hours: int | None = strawberry.UNSET
    network_offline_hours: int | None = strawberry.UNSET
    transitional_online_hours: int | None = strawberry.UNSET
    transitional_offline_hours: int | None = strawberry.UNSET
    heartbeat_max_gap_seconds: int | None = strawberry.UNSET
    briefing_interval_days: int | None = strawberry.UNSET
    assessment_ends_on: dt.date | None = strawberry.UNSET


@strawberry.input
class CreateBatchInput:
    program_id: strawberry.ID = id_of("Program")
    number: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    track: Track = Track.NETWORK
    subjects: list[StageSubjectInput] = strawberry.field(default_factory=list)


@strawberry.input(description="Changes to a batch; omitted fields stay as they are.")
class UpdateBatchInput:
    id: strawberry.ID = id_of("Batch")
    number: int | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    starts_on: dt.date | None = strawberry.UNSET
    ends_on: dt.date | None = strawberry.UNSET
    track: Track | None = strawberry.UNSET
    subjects: list[StageSubjectInput] | None = strawberry.UNSET
