"""The audit log: the query."""

import datetime as dt
from typing import Annotated

import strawberry

from lms_plugin.resolvers.audit import use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.ids import InvalidId, decode_id, found_pk, names_nothing
from lms_plugin.schema.core.pagination import After, Connection, First, connection, list_connection

from .types import AuditEntry


@strawberry.type
class Query:
    @strawberry.field(
        description="审计日志（audit log）：每次成功变更改动的对象与字段（旧值、新值，个人信息已"
        "脱敏）及每次查看完整个人信息；新的在前。仅省级管理员（province admin）可查。"
    )
    async def audit_log(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        person: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="只列涉及此人员（Person）的记录。"),
        ] = None,
        object: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="只列此对象（任一类型的全局 id）的记录。"),
        ] = None,
        actor: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="只列此操作人（Person）的记录。"),
        ] = None,
        from_: Annotated[
            dt.datetime | None,
            strawberry.argument(name="from", description="自此时刻起（含）。"),
        ] = None,
        to: Annotated[
            dt.datetime | None,
            strawberry.argument(description="到此时刻为止（不含）。"),
        ] = None,
    ) -> Connection[AuditEntry]:
        object_type, object_id = None, None
        if object is not None:
            try:
                object_type, object_id = decode_id(object)
            except InvalidId:
                object_type, object_id = "", 0
        entries = use_cases.audit_entries(
            info.context.viewer,
            person_id=found_pk(person, "Person"),
            object_type=object_type,
            object_id=object_id,
            actor_id=found_pk(actor, "Person"),
            since=from_,
            until=to,
        )
        if names_nothing(person, "Person") or names_nothing(actor, "Person") or object_type == "":
            return list_connection([], AuditEntry.of, first=first, after=after)
        return await connection(entries, AuditEntry.of, first=first, after=after, newest_first=True)
