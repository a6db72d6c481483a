"""Awards under quotas (R15): the types."""

import datetime as dt

import strawberry

from lms_plugin.resolvers.awards import rules, use_cases
from lms_plugin.resolvers.core.rates import percent_shown
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import AwardCategory, NominationStatus, QuotaRounding, StarKind
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node, node_loader
from lms_plugin.schema.people.types import Person, Region
from lms_plugin.storage import models as db


@strawberry.type(description="一项评选条件（award criterion）及候选是否达到、依据的数字。")
class AwardCriterion:
    label: str = strawberry.field(description="条件（label），如“按时撰写并发表班级简报”。")
    met: bool = strawberry.field(description="是否达到（met）。")
    detail: str = strawberry.field(description="依据（detail），如“参训率 97.50%，合格率 96.00%”。")


@strawberry.type(
    description="评优候选（award candidate）：按条件排序——符合者在前，再按成绩、参训率、"
    "合格率从高到低，相同时按代码与 id，每次结果相同。"
)
class AwardCandidate:
    rank: int = strawberry.field(description="排序位置（rank），从 1 起。")
    category: AwardCategory = strawberry.field(description="类别（category）。")
    candidate_id: strawberry.ID = strawberry.field(
        description="候选的全局 ID（candidate id）：先进集体为地区（Region），"
        "其他为人员（Person）；推荐时作 nominateAward 的 candidateId。"
    )
    name: str = strawberry.field(description="名称或姓名（name）。")
    eligible: bool = strawberry.field(description="是否符合全部条件（eligible）。")
    criteria: list[AwardCriterion] = strawberry.field(description="各项条件（criteria）。")
    participation_rate: str | None = strawberry.field(
        description="参训率（participation rate），百分数两位小数；无比率时为 null。"
    )
    pass_rate: str | None = strawberry.field(description="合格率（pass rate）；无比率时为 null。")
    score: int | None = strawberry.field(
        description="考核成绩（score）；考核结果接入前为 null（无人以成绩符合）。"
    )

    @classmethod
    def of(cls, rank: int, c: rules.Candidate) -> "AwardCandidate":
        return cls(
            rank=rank,
            category=c.category,
            candidate_id=encode_id(c.subject_type, c.subject_id),
            name=c.name,
            eligible=c.eligible,
            criteria=[
                AwardCriterion(label=k.label, met=k.met, detail=k.detail) for k in c.criteria
            ],
            participation_rate=percent_shown(c.participation),
            pass_rate=percent_shown(c.passing),
            score=c.score,
        )


@strawberry.type(description="一个类别在本市的名额（award quota）。")
class AwardQuota:
    category: AwardCategory = strawberry.field(description="类别（category）。")
    base: int = strawberry.field(
        description="基数（base）：管理单位数、管理员数、辅导教师数或合格学员数。"
    )
    share_basis_points: int = strawberry.field(
        description="比例（share），万分之一：2000 即 20%，30 即 3‰。"
    )
    rounding: QuotaRounding = strawberry.field(description="取整方式（rounding）。")
    places: int = strawberry.field(description="名额（places）= 基数 × 比例，按取整方式。")
    nominated: int = strawberry.field(description="已用名额（nominated）：已推荐和已通过的。")
    approved: int = strawberry.field(description="已通过（approved）。")

    @classmethod
    def of(cls, line: use_cases.QuotaLine) -> "AwardQuota":
        return cls(
            category=line.category,
            base=line.base,
            share_basis_points=line.basis_points,
            rounding=line.rounding,
            places=line.places,
            nominated=line.nominated,
            approved=line.approved,
        )


@strawberry.type(description="评优推荐（nomination）：谁、何时推荐，谁、何时审核。")
class Nomination(Node):
    row: strawberry.Private[db.Nomination]
    category: AwardCategory = strawberry.field(description="类别（category）。")
    status: NominationStatus = strawberry.field(description="状态（status）。")
    nominated_at: dt.datetime = strawberry.field(description="推荐时刻（nominated at）。")
    reviewed_at: dt.datetime | None = strawberry.field(description="审核时刻（reviewed at）。")
    review_note: str = strawberry.field(description="审核意见（review note）。")

    async def _person(self, info: Info, pk: int | None) -> Person | None:
        if pk is None:
            return None
        row = await info.context.loaders.by_id(db.Person).load(pk)
        return None if row is None else Person.of(row)

    async def _region(self, info: Info, pk: int | None) -> Region | None:
        if pk is None:
            return None
        row = await info.context.loaders.by_id(db.Region).load(pk)
        return None if row is None else Region.of(row)

    @strawberry.field(description="推荐的设区市（city）。")
    async def city(self, info: Info) -> Region | None:
        return await self._region(info, self.row.city_id)

    @strawberry.field(description="被推荐的单位（unit，先进集体）；个人类别为 null。")
    async def unit(self, info: Info) -> Region | None:
        return await self._region(info, self.row.region_id)

    @strawberry.field(description="被推荐的人员（person）；先进集体为 null。")
    async def person(self, info: Info) -> Person | None:
        return await self._person(info, self.row.person_id)

    @strawberry.field(description="推荐人（nominated by）。")
    async def nominated_by(self, info: Info) -> Person | None:
        return await self._person(info, self.row.nominated_by_id)

    @strawberry.field(description="审核人（reviewed by）；未审核为 null。")
    async def reviewed_by(self, info: Info) -> Person | None:
        return await self._person(info, self.row.reviewed_by_id)

    @classmethod
    def of(cls, row: db.Nomination) -> "Nomination":
        return cls(
            id=encode_id("Nomination", row.id),
            row=row,
            category=row.category,
            status=row.status,
            nominated_at=row.nominated_at,
            reviewed_at=row.reviewed_at,
            review_note=row.review_note,
        )


@node_loader("Nomination")
async def load_nomination(info: Info, pk: int) -> Nomination | None:
    row = await use_cases.visible_nomination(info.context.viewer, pk)
    return None if row is None else Nomination.of(row)


@strawberry.type(description="学员之星或班级之星（class star），由班级辅导教师评出。")
class ClassStar:
    row: strawberry.Private[db.ClassStar]
    kind: StarKind = strawberry.field(description="类别（kind）。")
    named_at: dt.datetime = strawberry.field(description="评出时刻（named at）。")

    @strawberry.field(description="学员之星的学员（trainee）；班级之星为 null。")
    async def trainee(self, info: Info) -> Person | None:
        if self.row.enrollment_id is None:
            return None
        enrollment = await info.context.loaders.by_id(db.Enrollment).load(self.row.enrollment_id)
        if enrollment is None:
            return None
        row = await info.context.loaders.by_id(db.Person).load(enrollment.teacher_id)
        return None if row is None else Person.of(row)

    @strawberry.field(description="评出人（named by）。")
    async def named_by(self, info: Info) -> Person | None:
        row = await info.context.loaders.by_id(db.Person).load(self.row.named_by_id)
        return None if row is None else Person.of(row)

    @classmethod
    def of(cls, row: db.ClassStar) -> "ClassStar":
        return cls(row=row, kind=row.kind, named_at=row.named_at)
