"""Enrollment (报名): the types."""

import datetime as dt

import strawberry

from lms_plugin.resolvers.core import hours
from lms_plugin.resolvers.core.programs import policy_of, program_hour_split
from lms_plugin.resolvers.enrollment import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import EnrollmentStatus, Track
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.people.types import Person, load_person
from lms_plugin.schema.programs.types import Batch, HourSplit, Program
from lms_plugin.schema.workshops.types import (
    Topic,
    TrainingClass,
    Workshop,
    load_class,
    load_topic,
    load_workshop,
)
from lms_plugin.storage import models as db


@strawberry.type(description="Hours against the track's split (R8); each part counts to its quota.")
class HourProgress:
    progress: strawberry.Private[hours.HourProgress]
    required: HourSplit

    @strawberry.field(description="Online hours counted by the study timer, up to the quota.")
    def online_hours(self) -> float:
        return round(self.progress.online_counted_seconds / 3600, 2)

    @strawberry.field(description="Confirmed offline hours, up to the quota.")
    def offline_hours(self) -> float:
        return round(self.progress.offline_counted_minutes / 60, 2)

    @strawberry.field
    def online_seconds(self) -> int:
        return self.progress.online_counted_seconds

    @strawberry.field
    def offline_minutes(self) -> int:
        return self.progress.offline_counted_minutes

    @strawberry.field
    def online_complete(self) -> bool:
        return self.progress.online_complete

    @strawberry.field
    def offline_complete(self) -> bool:
        return self.progress.offline_complete

    @strawberry.field(description="Both parts met: the hours of the phase are complete.")
    def complete(self) -> bool:
        return self.progress.complete

    @classmethod
    def of(cls, row: db.Enrollment, policy: db.HourPolicy) -> "HourProgress":
        split = program_hour_split(policy, row.track)
        return cls(
            progress=hours.HourProgress(
                split=split, online_seconds=row.online_seconds, offline_minutes=row.offline_minutes
            ),
            required=HourSplit.of(split),
        )


@strawberry.type(description="A teacher's registration (报名) for a program's workshop phase.")
class Enrollment(Node):
    row: strawberry.Private[db.Enrollment]
    track: Track
    status: EnrollmentStatus
    registered_at: dt.datetime
    last_activity_at: dt.datetime | None

    async def _program(self, info: Info) -> db.Program:
        row = await info.context.loaders.by_id(db.Program).load(self.row.program_id)
        assert row is not None
        return row

    @strawberry.field
    async def teacher(self, info: Info) -> Person:
        return await load_person(info, self.row.teacher_id)

    @strawberry.field(description="Who registered it: the teacher, or an admin of their scope.")
    async def registered_by(self, info: Info) -> Person:
        return await load_person(info, self.row.registered_by_id)

    @strawberry.field
    async def program(self, info: Info) -> Program:
        return Program.of(await self._program(info), info.context.now())

    @strawberry.field(description="The batch, whose window bounds every trainee action (R1).")
    async def batch(self, info: Info) -> Batch:
        row = await info.context.loaders.by_id(db.Batch).load(self.row.batch_id)
        assert row is not None
        return Batch.of(row, await self._program(info), info.context.now())

    @strawberry.field
    async def workshop(self, info: Info) -> Workshop:
        return await load_workshop(info, self.row.workshop_id)

    @strawberry.field
    async def topic(self, info: Info) -> Topic | None:
        return await load_topic(info, self.row.topic_id)

    @strawberry.field(description="The class (班级), once the trainee is placed in one.")
    async def training_class(self, info: Info) -> TrainingClass | None:
        if self.row.training_class_id is None:
            return None
        return await load_class(info, self.row.training_class_id)

    @strawberry.field(description="The class tutor (辅导教师), once placed in a class.")
    async def tutor(self, info: Info) -> Person | None:
        if self.row.training_class_id is None:
            return None
        training_class = await info.context.loaders.by_id(db.TrainingClass).load(
            self.row.training_class_id
        )
        return None if training_class is None else await load_person(info, training_class.tutor_id)

    @strawberry.field
    async def hour_progress(self, info: Info) -> HourProgress:
        policy = await policy_of(info.context.loaders, db.HourPolicy, self.row.program_id)
        return HourProgress.of(self.row, policy)

    @classmethod
    def of(cls, row: db.Enrollment) -> "Enrollment":
        return cls(
            id=encode_id("Enrollment", row.id),
            row=row,
            track=row.track,
            status=row.status,
            registered_at=row.registered_at,
            last_activity_at=row.last_activity_at,
        )


async def load_enrollment(info: Info, enrollment_id: int) -> Enrollment:
    """An enrollment another object belongs to (a study record): always exists (CASCADE)."""
    row = await info.context.loaders.by_id(db.Enrollment).load(enrollment_id)
    assert row is not None
    return Enrollment.of(row)


@node_loader("Enrollment")
async def load_enrollment_node(info: Info, pk: int) -> Enrollment | None:
    row = await info.context.loaders.by_id(db.Enrollment).load(pk)
    if row is None:
        return None
    visible = await use_cases.can_see_enrollment(
        info.context.signed_in(), row, info.context.loaders
    )
    return Enrollment.of(row) if visible else None
