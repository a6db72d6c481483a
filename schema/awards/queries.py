"""Awards under quotas (R15): the queries."""

from typing import Annotated

import strawberry

from lms_plugin.resolvers.awards import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import AwardCategory
from lms_plugin.schema.core.ids import found_pk, names_nothing
from lms_plugin.schema.core.pagination import After, Connection, First, connection

from .types import AwardCandidate, AwardQuota, Nomination

PROGRAM = Annotated[strawberry.ID, strawberry.argument(description="项目的全局 ID（program id）。")]
CITY = Annotated[
    strawberry.ID, strawberry.argument(description="设区市（city，Region 的全局 ID）。")
]


@strawberry.type
class Query:
    @strawberry.field(
        description="评优名额（award quotas，R15）：本市每个类别的基数、比例、名额和已用数；"
        "城市或项目不存在时为 null，范围外 FORBIDDEN。"
    )
    async def award_quotas(
        self, info: Info, program_id: PROGRAM, city_id: CITY
    ) -> list[AwardQuota] | None:
        program_pk, city_pk = found_pk(program_id, "Program"), found_pk(city_id, "Region")
        if program_pk is None or city_pk is None:
            use_cases.AWARD_DESK.check(info.context.viewer)
            return None
        lines = await use_cases.desk_quotas(info.context.viewer, program_pk, city_pk)
        return None if lines is None else [AwardQuota.of(line) for line in lines]

    @strawberry.field(
        description="评优候选（award candidates，R15）：本市某类别的候选及各项条件，排序确定。"
    )
    async def award_candidates(
        self,
        info: Info,
        program_id: PROGRAM,
        city_id: CITY,
        category: Annotated[AwardCategory, strawberry.argument(description="类别（category）。")],
    ) -> list[AwardCandidate] | None:
        program_pk, city_pk = found_pk(program_id, "Program"), found_pk(city_id, "Region")
        if program_pk is None or city_pk is None:
            use_cases.AWARD_DESK.check(info.context.viewer)
            return None
        found = await use_cases.desk_candidates(info.context.viewer, program_pk, city_pk, category)
        if found is None:
            return None
        return [AwardCandidate.of(rank, c) for rank, c in enumerate(found, start=1)]

    @strawberry.field(description="评优推荐（nominations），最新在前：范围内各设区市的推荐。")
    async def nominations(
        self,
        info: Info,
        program_id: PROGRAM,
        city_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="只看这个设区市（city）。")
        ] = None,
        first: First = 20,
        after: After = None,
    ) -> Connection[Nomination]:
        program_pk = found_pk(program_id, "Program")
        if program_pk is None or names_nothing(city_id, "Region"):
            program_pk = 0  # names nothing: an empty list
        found = await use_cases.nominations(
            info.context.viewer, program_pk, found_pk(city_id, "Region")
        )
        return await connection(found, Nomination.of, first=first, after=after, newest_first=True)
