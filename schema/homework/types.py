"""Homework (作业) and its recommendation ladder: the types."""

import datetime as dt

import strawberry

from lms_plugin.resolvers.homework import rules as homework_rules
from lms_plugin.resolvers.homework import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import GradeLevel, RecommendationLevel, SubmissionStatus
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.people.types import Person, load_person
from lms_plugin.schema.workshops.types import TrainingClass, Workshop, load_class, load_workshop
from lms_plugin.storage import models as db


@strawberry.type(description="An uploaded file (附件), metadata only; the bytes are downloaded.")
class Attachment(Node):
    row: strawberry.Private[db.Attachment]
    filename: str
    content_type: str
    size: int = strawberry.field(description="Bytes.")
    sha256: str
    uploaded_at: dt.datetime

    @strawberry.field(
        description="GET this path below the plugin's base URL, with the same bearer token."
    )
    def download_path(self) -> str:
        return f"/uploads/{self.id}"

    @classmethod
    def of(cls, row: db.Attachment) -> "Attachment":
        return cls(
            id=encode_id("Attachment", row.id),
            row=row,
            filename=row.filename,
            content_type=row.content_type,
            size=row.size,
            sha256=row.sha256,
            uploaded_at=row.uploaded_at,
        )


async def _attachments(info: Info, ids: list[int]) -> list[Attachment]:
    rows = await info.context.loaders.by_id(db.Attachment).load_many(ids)
    return [Attachment.of(row) for row in rows if row is not None]


@strawberry.type(description="An assignment (作业) a workshop sets for its trainees.")
class Assignment(Node):
    row: strawberry.Private[db.Assignment]
    title: str
    instructions: str
    due_at: dt.datetime = strawberry.field(description="Inside the workshop's batch window.")
    created_at: dt.datetime

    @strawberry.field
    async def workshop(self, info: Info) -> Workshop:
        return await load_workshop(info, self.row.workshop_id)

    @strawberry.field
    async def created_by(self, info: Info) -> Person:
        return await load_person(info, self.row.created_by_id)

    @strawberry.field(description="The viewer's own submission, if they have made one.")
    async def my_submission(self, info: Info) -> "Submission | None":
        row = await use_cases.my_submission_for(
            info.context.signed_in(), self.row, info.context.loaders
        )
        return None if row is None else Submission.of(row)

    @classmethod
    def of(cls, row: db.Assignment) -> "Assignment":
        return cls(
            id=encode_id("Assignment", row.id),
            row=row,
            title=row.title,
            instructions=row.instructions,
            due_at=row.due_at,
            created_at=row.created_at,
        )


@strawberry.type(description="An earlier version of a submission, replaced by a resubmission.")
class SubmissionRevision:
    row: strawberry.Private[db.SubmissionRevision]
    version: int
    text: str
    submitted_at: dt.datetime
    return_comment: str = strawberry.field(
        description="The tutor's comment when this version was returned for revision, or empty."
    )

    @strawberry.field
    async def attachments(self, info: Info) -> list[Attachment]:
        return await _attachments(info, self.row.attachment_ids)

    @classmethod
    def of(cls, row: db.SubmissionRevision) -> "SubmissionRevision":
        return cls(
            row=row,
            version=row.version,
            text=row.text,
            submitted_at=row.submitted_at,
            return_comment=row.return_comment,
        )


@strawberry.type(
    description="A trainee's current submission (作业提交) for an assignment; one per assignment."
)
class Submission(Node):
    row: strawberry.Private[db.Submission]
    version: int = strawberry.field(description="1 for the first submission, +1 for each resubmit.")
    status: SubmissionStatus
    text: str
    submitted_at: dt.datetime
    score: int | None = strawberry.field(description="0..100, once graded.")
    level: GradeLevel | None = strawberry.field(description="优秀 / 良好 / 合格 / 不合格.")
    comment: str = strawberry.field(
        description="The tutor's comment: why it was returned (RETURNED) or the grading comment."
    )
    graded_at: dt.datetime | None

    @strawberry.field
    async def assignment(self, info: Info) -> Assignment:
        row = await info.context.loaders.by_id(db.Assignment).load(self.row.assignment_id)
        assert row is not None
        return Assignment.of(row)

    @strawberry.field(description="The trainee (学员) who submitted it.")
    async def trainee(self, info: Info) -> Person:
        enrollment = await info.context.loaders.by_id(db.Enrollment).load(self.row.enrollment_id)
        assert enrollment is not None
        return await load_person(info, enrollment.teacher_id)

    @strawberry.field(description="The trainee's class (班级) when it was submitted.")
    async def training_class(self, info: Info) -> TrainingClass | None:
        if self.row.training_class_id is None:
            return None
        return await load_class(info, self.row.training_class_id)

    @strawberry.field
    async def attachments(self, info: Info) -> list[Attachment]:
        return await _attachments(info, self.row.attachment_ids)

    @strawberry.field(description="The class tutor who graded it.")
    async def graded_by(self, info: Info) -> Person | None:
        if self.row.graded_by_id is None:
            return None
        return await load_person(info, self.row.graded_by_id)

    @strawberry.field(description="Replaced versions, oldest first.")
    async def revisions(self, info: Info) -> list[SubmissionRevision]:
        rows = await info.context.loaders.grouped(
            db.SubmissionRevision, "submission_id", ("version",)
        ).load(self.row.id)
        return [SubmissionRevision.of(row) for row in rows]

    @strawberry.field(description="Every step of the ladder, withdrawn ones too, oldest first.")
    async def recommendations(self, info: Info) -> list["Recommendation"]:
        return [Recommendation.of(row) for row in await self._recommendations(info)]

    @strawberry.field(description="The highest active step of the ladder, if any (R10).")
    async def recommended_to(self, info: Info) -> RecommendationLevel | None:
        rows = await self._recommendations(info)
        return homework_rules.highest_level({r.level for r in rows if r.withdrawn_at is None})

    async def _recommendations(self, info: Info) -> list[db.Recommendation]:
        return await info.context.loaders.grouped(db.Recommendation, "submission_id").load(
            self.row.id
        )

    @classmethod
    def of(cls, row: db.Submission) -> "Submission":
        return cls(
            id=encode_id("Submission", row.id),
            row=row,
            version=row.version,
            status=row.status,
            text=row.text,
            submitted_at=row.submitted_at,
            score=row.score,
            level=row.level,
            comment=row.comment,
            graded_at=row.graded_at,
        )


@strawberry.type(description="One step of the recommendation ladder (R10), with who and when.")
class Recommendation(Node):
    row: strawberry.Private[db.Recommendation]
    level: RecommendationLevel
    recommended_at: dt.datetime
    withdrawn_at: dt.datetime | None

    @strawberry.field(description="Still on its showcase (not withdrawn).")
    def active(self) -> bool:
        return self.row.withdrawn_at is None

    @strawberry.field
    async def recommended_by(self, info: Info) -> Person:
        return await load_person(info, self.row.recommended_by_id)

    @strawberry.field
    async def withdrawn_by(self, info: Info) -> Person | None:
        if self.row.withdrawn_by_id is None:
            return None
        return await load_person(info, self.row.withdrawn_by_id)

    @strawberry.field(description="The recommended work.")
    async def submission(self, info: Info) -> Submission:
        row = await info.context.loaders.by_id(db.Submission).load(self.row.submission_id)
        assert row is not None
        return Submission.of(row)

    @classmethod
    def of(cls, row: db.Recommendation) -> "Recommendation":
        return cls(
            id=encode_id("Recommendation", row.id),
            row=row,
            level=row.level,
            recommended_at=row.recommended_at,
            withdrawn_at=row.withdrawn_at,
        )


@node_loader("Assignment")
async def load_assignment_node(info: Info, pk: int) -> Assignment | None:
    row = await use_cases.visible_assignment(info.context.viewer, pk, info.context.loaders)
    return None if row is None else Assignment.of(row)


@node_loader("Submission")
async def load_submission_node(info: Info, pk: int) -> Submission | None:
    row = await use_cases.visible_submission(info.context.viewer, pk, info.context.loaders)
    return None if row is None else Submission.of(row)


@node_loader("Recommendation")
async def load_recommendation_node(info: Info, pk: int) -> Recommendation | None:
    row = await use_cases.visible_recommendation(info.context.viewer, pk, info.context.loaders)
    return None if row is None else Recommendation.of(row)


@node_loader("Attachment")
async def load_attachment_node(info: Info, pk: int) -> Attachment | None:
    row = await use_cases.visible_attachment(info.context.viewer, pk)
    return None if row is None else Attachment.of(row)
