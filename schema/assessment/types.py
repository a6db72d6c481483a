"""Courses (课程), a trainee's progress in them, and the assessment forecast (R12): the types."""

import datetime as dt
import io

import segno
import strawberry

from lms_plugin.resolvers.assessment import results
from lms_plugin.resolvers.assessment.rules import Assessment, Component, Ledger
from lms_plugin.resolvers.core.courses import CourseStanding
from lms_plugin.resolvers.core.privacy import mask_name
from lms_plugin.resolvers.enrollment import use_cases as enrollments
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import (
    CertificateGrade,
    ComponentKind,
    CourseCategory,
    ExamKind,
    Outcome,
    WritingKind,
)
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.storage import models as db


@strawberry.type(
    description="课程（course）：项目在工作室之外开设的公共、专业或地方课程；学时计入一次，"
    "至多为课程学时；选修课程在全部必修课程修完后开放（seed 004）。"
)
class Course(Node):
    row: strawberry.Private[db.Course]
    name: str = strawberry.field(description="课程名称（name），项目内唯一。")
    category: CourseCategory = strawberry.field(description="课程类别（category）。")
    hours: int = strawberry.field(description="课程学时（hours）：至多计入这么多学时。")
    required: bool = strawberry.field(description="必修（required）；false 为选修（elective）。")
    position: int = strawberry.field(description="在项目各课程中的次序（position）。")

    @classmethod
    def of(cls, row: db.Course) -> "Course":
        return cls(
            id=encode_id("Course", row.id),
            row=row,
            name=row.name,
            category=row.category,
            hours=row.hours,
            required=row.required,
            position=row.position,
        )


@node_loader("Course")
async def load_course(info: Info, pk: int) -> Course | None:
    info.context.signed_in()
    row = await info.context.loaders.by_id(db.Course).load(pk)
    return None if row is None else Course.of(row)


@strawberry.type(description="一门课程的学习进度（course progress）：计入的秒数，至多为课程学时。")
class CourseProgress:
    course: Course = strawberry.field(description="课程（course）。")
    standing: strawberry.Private[CourseStanding]
    open: bool = strawberry.field(
        description="可以学习（open）：必修课程，或全部必修课程已修完时的选修课程。"
    )

    @strawberry.field(description="计入的秒数（counted seconds），至多为课程学时。")
    def seconds(self) -> int:
        return self.standing.seconds

    @strawberry.field(description="计入的学时（hours），保留两位小数。")
    def hours(self) -> float:
        return round(self.standing.seconds / 3600, 2)

    @strawberry.field(description="已修完（complete）：计入的学时达到课程学时。")
    def complete(self) -> bool:
        return self.standing.complete


@strawberry.type(
    description="考核的一个组成部分（assessment component，R12）：要求、已有、得分和所缺。"
)
class AssessmentComponent:
    kind: ComponentKind = strawberry.field(description="组成部分（kind）。")
    weight: int = strawberry.field(description="权重（weight），各部分之和为 100。")
    required: int = strawberry.field(
        description="要求（required）：学习分钟数、合格篇数、帖数或字数。"
    )
    has: int = strawberry.field(description="已有（has），与 required 同一单位。")
    score: int = strawberry.field(description="该部分得分（score），满分 100。")
    missing: str | None = strawberry.field(
        description="所缺（missing）：未达最低要求时说明差什么；已达为 null。"
    )

    @classmethod
    def of(cls, part: Component) -> "AssessmentComponent":
        return cls(
            kind=part.kind,
            weight=part.weight,
            required=part.required,
            has=part.has,
            score=part.score,
            missing=part.missing,
        )


@strawberry.type(
    description="考核预测（assessment forecast，R12）：按目前的学习记录，过程性考核会得出的"
    "结果、总分和逐项说明；考核开始之前供学员和辅导教师查看。"
)
class AssessmentForecast:
    outcome: Outcome = strawberry.field(description="预测结果（outcome）。")
    score: int = strawberry.field(description="总分（score），满分 100，按权重计、向下取整。")
    explanation: str = strawberry.field(
        description="说明（explanation）：合格时为得分；否则为改变结果的那一项。"
    )
    components: list[AssessmentComponent] = strawberry.field(
        description="逐项（components）：项目考核的各部分（权重为 0 的不列）。"
    )

    @classmethod
    def of(cls, assessment: Assessment) -> "AssessmentForecast":
        return cls(
            outcome=assessment.outcome,
            score=assessment.score,
            explanation=assessment.explanation,
            components=[AssessmentComponent.of(c) for c in assessment.components],
        )


def verification_address(info: Info, code: str) -> str:
    """The public page that verifies a certificate (frontend_stub/verify.html); the code goes
    in the fragment, which no server's access log records."""
    request = info.context.request
    base = str(request.base_url).rstrip("/") if request is not None else ""
    return f"{base}/ui/verify.html#code={code}"


def qr_svg(text: str) -> str:
    """A QR code of `text` as inline SVG (segno: no image service, no CDN)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=4, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


@strawberry.type(
    description="继续教育证书（e-certificate，R13）：一个学年的学时、学分、考核结果、等级和"
    "发证机构，附验证码；只有本人可见，可打印。补修未通过的不登记。"
)
class Certificate(Node):
    row: strawberry.Private[db.Certificate]
    year: str = strawberry.field(description="学年（year），如 2011学年。")
    hours: int = strawberry.field(description="登记的学时（hours）。")
    credits: str = strawberry.field(
        description="学分（credits）= 学时 ÷ 每学分学时数（默认 20），两位小数，如 3.60。"
    )
    outcome: Outcome = strawberry.field(description="考核结果（outcome）。")
    grade: CertificateGrade | None = strawberry.field(
        description="等级（grade）：合格；评为优秀后为优；不合格或缺考为 null。"
    )
    make_up: bool = strawberry.field(description="补修（make-up）取得。")
    issuer: str = strawberry.field(description="发证机构（issuer）。")
    code: str = strawberry.field(description="验证码（verification code）：128 位随机数。")
    issued_at: dt.datetime = strawberry.field(description="登记时刻（issued at）。")

    @strawberry.field(description="持证人姓名（holder name），本人可见的全名。")
    async def holder_name(self, info: Info) -> str:
        person = await info.context.loaders.by_id(db.Person).load(self.row.teacher_id)
        assert person is not None
        return person.real_name

    @strawberry.field(description="公开验证地址（verification address）：无需登录即可查验。")
    def verification_address(self, info: Info) -> str:
        return verification_address(info, self.row.code)

    @strawberry.field(description="验证地址的二维码（QR code），SVG 文本，可直接嵌入打印页。")
    def qr_svg(self, info: Info) -> str:
        return qr_svg(verification_address(info, self.row.code))

    @classmethod
    def of(cls, row: db.Certificate) -> "Certificate":
        return cls(
            id=encode_id("Certificate", row.id),
            row=row,
            year=row.year,
            hours=row.hours,
            credits=f"{row.credits:.2f}",
            outcome=row.outcome,
            grade=row.grade,
            make_up=row.make_up,
            issuer=row.issuer,
            code=row.code,
            issued_at=row.issued_at,
        )


@node_loader("Certificate")
async def load_certificate(info: Info, pk: int) -> Certificate | None:
    viewer = info.context.signed_in()
    row = await info.context.loaders.by_id(db.Certificate).load(pk)
    return None if row is None or row.teacher_id != viewer.id else Certificate.of(row)


@strawberry.type(
    description="证书查验结果（certificate verification）：陌生人可见的内容，姓名只显示姓氏，"
    "不含身份证号、手机号和学校。"
)
class CertificateVerification:
    holder_name: str = strawberry.field(description="持证人姓名（masked name），如 张**。")
    year: str = strawberry.field(description="学年（year）。")
    hours: int = strawberry.field(description="学时（hours）。")
    credits: str = strawberry.field(description="学分（credits），两位小数。")
    outcome: Outcome = strawberry.field(description="考核结果（outcome）。")
    grade: CertificateGrade | None = strawberry.field(description="等级（grade）。")
    issuer: str = strawberry.field(description="发证机构（issuer）。")


async def verification_of(row: db.Certificate) -> CertificateVerification:
    holder = await db.Person.get(id=row.teacher_id)
    return CertificateVerification(
        holder_name=mask_name(holder.real_name),
        year=row.year,
        hours=row.hours,
        credits=f"{row.credits:.2f}",
        outcome=row.outcome,
        grade=row.grade,
        issuer=row.issuer,
    )


@strawberry.type(description="学分账的一行（ledger line）：一个学年的证书学时，或一次统筹培训。")
class LedgerLine:
    year: str = strawberry.field(description="学年（year）。")
    hours: int = strawberry.field(description="学时（hours）。")
    source: str = strawberry.field(
        description="来源（source）：certificate 为项目证书（含辅导团队服务冲抵），"
        "external 为县级统筹培训。"
    )
    title: str = strawberry.field(description="统筹培训名称（title）；证书行为空。")


@strawberry.type(
    description="学分账（credit ledger，R13，seed 002 §二）：本周期（默认五年）的学时，对照周期"
    "要求，及尚缺的学时。"
)
class CreditLedger:
    ledger: strawberry.Private[Ledger]
    first_year: int = strawberry.field(description="本周期首个学年（first year）。")
    last_year: int = strawberry.field(description="本周期最后一个有记录的学年（last year）。")
    cycle_hours: int = strawberry.field(
        description="周期要求学时（cycle hours）：360，新入职教师 410。"
    )
    lines: list[LedgerLine] = strawberry.field(description="本周期的各行（lines）。")

    @strawberry.field(description="本周期已有学时（hours）。")
    def hours(self) -> int:
        return self.ledger.hours

    @strawberry.field(description="尚缺学时（missing hours）；已满为 0。")
    def missing_hours(self) -> int:
        return self.ledger.missing_hours

    @strawberry.field(description="周期学时已满（complete）。")
    def complete(self) -> bool:
        return self.ledger.complete

    @classmethod
    def of(cls, ledger: Ledger) -> "CreditLedger":
        return cls(
            ledger=ledger,
            first_year=ledger.first_year,
            last_year=ledger.last_year,
            cycle_hours=ledger.cycle_hours,
            lines=[
                LedgerLine(
                    year=line.year, hours=line.hours, source=line.source.value, title=line.title
                )
                for line in ledger.lines
            ],
        )


@strawberry.type(description="考核结果（assessment result，R12）：结果、总分和逐项说明。")
class AssessmentResult:
    row: strawberry.Private[db.AssessmentResult]
    outcome: Outcome = strawberry.field(description="结果（outcome）。")
    score: int = strawberry.field(
        description="总分（score），满分 100：过程性考核总分；过渡学习为过程性考核与省加试的"
        "综合成绩。"
    )
    explanation: str = strawberry.field(description="说明（explanation）：改变结果的那一项。")
    make_up: bool = strawberry.field(description="补修（make-up）的结果。")
    computed_at: dt.datetime = strawberry.field(description="计算时刻（computed at）。")

    @strawberry.field(description="逐项（components）。")
    def components(self) -> list[AssessmentComponent]:
        return [
            AssessmentComponent(
                kind=ComponentKind(str(c["kind"])),
                weight=int(str(c["weight"])),
                required=int(str(c["required"])),
                has=int(str(c["has"])),
                score=int(str(c["score"])),
                missing=None if c["missing"] is None else str(c["missing"]),
            )
            for c in self.row.components
        ]

    @strawberry.field(description="结果的每次变更（history），先后为序：谁、何时、由何到何。")
    async def history(self) -> list["ResultChange"]:
        rows = await db.ResultChange.filter(
            program_id=self.row.program_id, teacher_id=self.row.teacher_id
        ).order_by("id")
        return [ResultChange.of(row) for row in rows]

    @classmethod
    def of(cls, row: db.AssessmentResult) -> "AssessmentResult":
        return cls(
            row=row,
            outcome=row.outcome,
            score=row.score,
            explanation=row.explanation,
            make_up=row.make_up,
            computed_at=row.computed_at,
        )


@strawberry.type(description="考核结果的一次变更（result change）。")
class ResultChange:
    outcome_before: Outcome | None = strawberry.field(description="变更前的结果；首次计算为 null。")
    score_before: int | None = strawberry.field(description="变更前的总分；首次为 null。")
    outcome: Outcome = strawberry.field(description="变更后的结果。")
    score: int = strawberry.field(description="变更后的总分。")
    changed_by_id: strawberry.ID | None = strawberry.field(
        description="操作者（changed by）的全局 id；null 为系统（system）在考核开始时自动计算。"
    )
    changed_at: dt.datetime = strawberry.field(description="变更时刻（changed at）。")

    @classmethod
    def of(cls, row: db.ResultChange) -> "ResultChange":
        return cls(
            outcome_before=row.outcome_before,
            score_before=row.score_before,
            outcome=row.outcome,
            score=row.score,
            changed_by_id=None
            if row.changed_by_id is None
            else encode_id("Person", row.changed_by_id),
            changed_at=row.changed_at,
        )


@strawberry.type(description="一次考试成绩（exam result）：分数，或缺考（null）。")
class ExamResult:
    kind: ExamKind = strawberry.field(description="考试类别（kind）。")
    score: int | None = strawberry.field(description="分数（score）；缺考为 null。")
    recorded_at: dt.datetime = strawberry.field(description="登记时刻（recorded at）。")

    @classmethod
    def of(cls, row: db.ExamResult) -> "ExamResult":
        return cls(kind=row.kind, score=row.score, recorded_at=row.recorded_at)


@strawberry.type(description="学习笔记或心得（study writing）：计入的字数（不计空白和标点）。")
class StudyWriting:
    kind: WritingKind = strawberry.field(description="类别（kind）。")
    characters: int = strawberry.field(description="字数（characters）。")
    submitted_at: dt.datetime = strawberry.field(description="提交时刻（submitted at）。")

    @classmethod
    def of(cls, row: db.StudyWriting) -> "StudyWriting":
        return cls(kind=row.kind, characters=row.characters, submitted_at=row.submitted_at)


@strawberry.type(description="统筹培训学时（external hours）：县级管理员登记，附证明材料。")
class ExternalHours:
    id: strawberry.ID = strawberry.field(description="全局 id（global id）。")
    year: str = strawberry.field(description="学年（year）。")
    title: str = strawberry.field(description="培训名称（title）。")
    hours: int = strawberry.field(description="学时（hours）。")
    recorded_at: dt.datetime = strawberry.field(description="登记时刻（recorded at）。")

    @classmethod
    def of(cls, row: db.ExternalHours) -> "ExternalHours":
        return cls(
            id=encode_id("ExternalHours", row.id),
            year=row.year,
            title=row.title,
            hours=row.hours,
            recorded_at=row.recorded_at,
        )


@strawberry.type(
    description="乡镇集中研修（township session）：县级管理员为过渡学习的学员登记，附证明材料。"
)
class TownshipSession(Node):
    held_on: dt.date = strawberry.field(description="研修日期（held on）。")
    hours: int = strawberry.field(description="学时（hours）。")
    recorded_at: dt.datetime = strawberry.field(description="登记时刻（recorded at）。")

    @classmethod
    def of(cls, row: db.TownshipSession) -> "TownshipSession":
        return cls(
            id=encode_id("TownshipSession", row.id),
            held_on=row.held_on,
            hours=row.hours,
            recorded_at=row.recorded_at,
        )


@node_loader("TownshipSession")
async def load_township_session(info: Info, pk: int) -> TownshipSession | None:
    """Whoever sees the trainee's enrollment sees its township sessions."""
    loaders = info.context.loaders
    row = await loaders.by_id(db.TownshipSession).load(pk)
    enrollment = None if row is None else await loaders.by_id(db.Enrollment).load(row.enrollment_id)
    if row is None or enrollment is None:
        return None
    visible = await enrollments.can_see_enrollment(info.context.signed_in(), enrollment, loaders)
    return TownshipSession.of(row) if visible else None


@strawberry.type(description="一个结果类别的人数（outcome count）。")
class OutcomeCount:
    outcome: Outcome = strawberry.field(description="结果（outcome）。")
    count: int = strawberry.field(description="人数（count）。")


@strawberry.type(description="计算考核结果的汇总（results summary）。")
class ResultsSummary:
    counts: list[OutcomeCount] = strawberry.field(description="各结果的人数，按结果的次序。")
    changed: int = strawberry.field(description="本次有变化（含首次）的结果数（changed）。")

    @classmethod
    def of(cls, summary: results.ResultsSummary) -> "ResultsSummary":
        return cls(
            counts=[
                OutcomeCount(outcome=o, count=summary.counts[o])
                for o in Outcome
                if summary.counts[o]
            ],
            changed=summary.changed,
        )
