"""Homework (作业) and its recommendation ladder: the types."""

import datetime as dt

import strawberry

from lms_plugin.resolvers.homework import rules as homework_rules
from lms_plugin.resolvers.homework import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import (
    AssignmentKind,
    GradeLevel,
    RecommendationLevel,
    SubmissionStatus,
)
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.people.types import Person, load_person
from lms_plugin.schema.workshops.types import TrainingClass, Workshop, load_class, load_workshop
from lms_plugin.storage import models as db
from lms_plugin.storage.organisation import PersonRow


@strawberry.type(description="上传的附件（attachment）：这里只有元数据，文件内容另行下载。")
class Attachment(Node):
    row: strawberry.Private[db.Attachment]
    filename: str = strawberry.field(description="文件名（filename）。")
    content_type: str = strawberry.field(
        description="媒体类型（content type），如 application/pdf。"
    )
    size: int = strawberry.field(description="文件大小（size），字节。")
    sha256: str = strawberry.field(description="文件内容的 SHA-256 摘要，十六进制。")
    uploaded_at: dt.datetime = strawberry.field(description="上传时刻（uploaded at）。")

    @strawberry.field(
        description="下载路径（download path）：在插件的基础 URL 下 GET 此路径，带同一个 "
        "bearer 令牌。"
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


@strawberry.type(
    description="作业（assignment）：工作室给学员布置的作业或研修成果（research outcome）。"
)
class Assignment(Node):
    row: strawberry.Private[db.Assignment]
    kind: AssignmentKind = strawberry.field(description="类别（kind）：作业或研修成果。")
    title: str = strawberry.field(description="作业标题（title）。")
    instructions: str = strawberry.field(description="作业要求（instructions）。")
    due_at: dt.datetime = strawberry.field(
        description="截止时刻（due at），在工作室的批次学习窗口内。"
    )
    created_at: dt.datetime = strawberry.field(description="布置时刻（created at）。")

    @strawberry.field(description="布置作业的工作室（workshop）。")
    async def workshop(self, info: Info) -> Workshop:
        return await load_workshop(info, self.row.workshop_id)

    @strawberry.field(description="布置作业的人（created by）。")
    async def created_by(self, info: Info) -> Person:
        return await load_person(info, self.row.created_by_id)

    @strawberry.field(description="登录者本人对这份作业的提交（my submission）；未提交时为 null。")
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
            kind=row.kind,
            title=row.title,
            instructions=row.instructions,
            due_at=row.due_at,
            created_at=row.created_at,
        )


@strawberry.type(description="作业提交的早先版本（submission revision），已被重新提交替换（R10）。")
class SubmissionRevision:
    row: strawberry.Private[db.SubmissionRevision]
    version: int = strawberry.field(description="版本号（version）。")
    text: str = strawberry.field(description="这一版的正文（text）。")
    submitted_at: dt.datetime = strawberry.field(description="这一版的提交时刻（submitted at）。")
    return_comment: str = strawberry.field(
        description="这一版被退回修改时辅导教师的意见（return comment），或为空。"
    )

    @strawberry.field(description="这一版的附件（attachments）。")
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
    description="作业提交（submission）：学员对一份作业的当前提交，每份作业一个（R10）。"
)
class Submission(Node):
    row: strawberry.Private[db.Submission]
    version: int = strawberry.field(
        description="版本号（version）：首次提交为 1，每次重新提交加 1。"
    )
    status: SubmissionStatus = strawberry.field(description="提交状态（status）。")
    text: str = strawberry.field(description="作业正文（text）。")
    submitted_at: dt.datetime = strawberry.field(description="当前版本的提交时刻（submitted at）。")
    score: int | None = strawberry.field(description="分数（score）：0 至 100；批改之前为 null。")
    level: GradeLevel | None = strawberry.field(
        description="等级（level）：优秀 / 良好 / 合格 / 不合格；批改之前为 null。"
    )
    comment: str = strawberry.field(
        description="辅导教师的意见（comment）：退回修改（RETURNED）的原因，或批改评语。"
    )
    graded_at: dt.datetime | None = strawberry.field(
        description="批改时刻（graded at）；批改之前为 null。"
    )
    # The trainee a read model (the grading queue) brought, without the sealed columns: a
    # partial row, so it stays out of the loaders that answer whole people.
    trainee_row: strawberry.Private[db.Person | PersonRow | None] = None

    @strawberry.field(description="所交的作业（assignment）。")
    async def assignment(self, info: Info) -> Assignment:
        row = await info.context.loaders.by_id(db.Assignment).load(self.row.assignment_id)
        assert row is not None
        return Assignment.of(row)

    @strawberry.field(description="提交作业的学员（trainee）。")
    async def trainee(self, info: Info) -> Person:
        if self.trainee_row is not None:
            return Person.of(self.trainee_row)
        enrollment = await info.context.loaders.by_id(db.Enrollment).load(self.row.enrollment_id)
        assert enrollment is not None
        return await load_person(info, enrollment.teacher_id)

    @strawberry.field(description="提交时学员所在的班级（training class）；未分班时为 null。")
    async def training_class(self, info: Info) -> TrainingClass | None:
        if self.row.training_class_id is None:
            return None
        return await load_class(info, self.row.training_class_id)

    @strawberry.field(description="当前版本的附件（attachments）。")
    async def attachments(self, info: Info) -> list[Attachment]:
        return await _attachments(info, self.row.attachment_ids)

    @strawberry.field(description="批改它的班级辅导教师（graded by）；批改之前为 null。")
    async def graded_by(self, info: Info) -> Person | None:
        if self.row.graded_by_id is None:
            return None
        return await load_person(info, self.row.graded_by_id)

    @strawberry.field(description="被替换的早先版本（revisions），旧的在前。")
    async def revisions(self, info: Info) -> list[SubmissionRevision]:
        rows = await info.context.loaders.grouped(
            db.SubmissionRevision, "submission_id", ("version",)
        ).load(self.row.id)
        return [SubmissionRevision.of(row) for row in rows]

    @strawberry.field(description="推荐层级上的每一步（recommendations），包括已撤销的，旧的在前。")
    async def recommendations(self, info: Info) -> list["Recommendation"]:
        return [Recommendation.of(row) for row in await self._recommendations(info)]

    @strawberry.field(
        description="当前有效的最高推荐层级（recommended to，R10）；未推荐时为 null。"
    )
    async def recommended_to(self, info: Info) -> RecommendationLevel | None:
        rows = await self._recommendations(info)
        return homework_rules.highest_level({r.level for r in rows if r.withdrawn_at is None})

    async def _recommendations(self, info: Info) -> list[db.Recommendation]:
        return await info.context.loaders.grouped(db.Recommendation, "submission_id").load(
            self.row.id
        )

    @classmethod
    def of(cls, row: db.Submission, trainee: db.Person | PersonRow | None = None) -> "Submission":
        return cls(
            id=encode_id("Submission", row.id),
            row=row,
            trainee_row=trainee,
            version=row.version,
            status=row.status,
            text=row.text,
            submitted_at=row.submitted_at,
            score=row.score,
            level=row.level,
            comment=row.comment,
            graded_at=row.graded_at,
        )


@strawberry.type(description="推荐（recommendation）：推荐层级上的一步（R10），记录谁在何时推荐。")
class Recommendation(Node):
    row: strawberry.Private[db.Recommendation]
    level: RecommendationLevel = strawberry.field(description="推荐层级（level）。")
    recommended_at: dt.datetime = strawberry.field(description="推荐时刻（recommended at）。")
    withdrawn_at: dt.datetime | None = strawberry.field(
        description="撤销时刻（withdrawn at）；未撤销时为 null。"
    )

    @strawberry.field(description="仍在展示中（active）：未撤销。")
    def active(self) -> bool:
        return self.row.withdrawn_at is None

    @strawberry.field(description="推荐人（recommended by）。")
    async def recommended_by(self, info: Info) -> Person:
        return await load_person(info, self.row.recommended_by_id)

    @strawberry.field(description="撤销人（withdrawn by）；未撤销时为 null。")
    async def withdrawn_by(self, info: Info) -> Person | None:
        if self.row.withdrawn_by_id is None:
            return None
        return await load_person(info, self.row.withdrawn_by_id)

    @strawberry.field(description="被推荐的作业提交（submission）。")
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
