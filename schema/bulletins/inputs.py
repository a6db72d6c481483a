"""Learning-status bulletins (学情通报): the inputs."""

import datetime as dt

import strawberry

from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="发布学情通报（publish a bulletin）。")
class PublishBulletinInput:
    program_id: strawberry.ID = id_of("Program", description="项目的全局 ID（program id）。")
    region_id: strawberry.ID = id_of(
        "Region",
        description="通报的地区（region）：省（列各设区市）、设区市（列各县区）或县区（列各学校）。",
    )
    as_of: dt.date = strawberry.field(description="通报日期（as of）。")


@strawberry.input(description="导出学情通报（export a bulletin）。")
class ExportBulletinInput:
    bulletin_id: strawberry.ID = id_of("Bulletin", description="通报的全局 ID（bulletin id）。")
