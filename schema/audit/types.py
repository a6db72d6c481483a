"""The audit log's rows and a reveal's answer: the types."""

import datetime as dt
import json
from typing import Any

import strawberry

from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import Action
from lms_plugin.schema.core.ids import encode_id
from lms_plugin.schema.core.node import Node
from lms_plugin.schema.people.types import Person
from lms_plugin.storage import models as db


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@strawberry.type(
    description="一个字段的变化（field change）：旧值与新值，以 JSON 文本表示；个人信息已脱敏。"
)
class FieldChange:
    field: str = strawberry.field(description="字段名（field），存储中的名称，如 status、title。")
    old: str = strawberry.field(
        description='旧值（old），JSON 文本：新建时为 null；"<unknown>" 表示写入前未读取。'
    )
    new: str = strawberry.field(
        description='新值（new），JSON 文本：删除或查看个人信息时为 null；"+1" 之类表示增量。'
    )


@strawberry.type(
    description="审计记录（audit entry）：一次成功的变更改动的一个对象，或一次查看完整个人信息。"
)
class AuditEntry(Node):
    row: strawberry.Private[db.AuditEntry]
    at: dt.datetime = strawberry.field(description="时间（at）：插件时钟的时刻。")
    operation: str = strawberry.field(
        description="操作（operation）：变更的名称，如 heartbeat、revealPersonalData。"
    )
    action: Action = strawberry.field(description="动作（action）。")
    object_type: str = strawberry.field(
        description="对象类型（object type）：全局 id 的类型名，如 Enrollment、Person。"
    )
    object: strawberry.ID = strawberry.field(
        description="对象的全局 id（object）：类型名与行号编码而成；无对应查询的类型同样编码。"
    )
    reason: str | None = strawberry.field(description="理由（reason）：查看个人信息时填写。")
    changes: list[FieldChange] = strawberry.field(
        description="改动的字段（changes），按字段名排序；查看个人信息时列出所看的字段。"
    )

    @strawberry.field(description="操作人（actor）；无法确定时为 null。")
    async def actor(self, info: Info) -> Person | None:
        return await _person(info, self.row.actor_id)

    @strawberry.field(
        description="记录涉及的人员（person），如教师本人的报名、身份信息；无则 null。"
    )
    async def person(self, info: Info) -> Person | None:
        return await _person(info, self.row.person_id)

    @classmethod
    def of(cls, row: db.AuditEntry) -> "AuditEntry":
        return cls(
            id=encode_id("AuditEntry", row.id),
            row=row,
            at=row.at,
            operation=row.operation,
            action=row.action,
            object_type=row.object_type,
            object=encode_id(row.object_type, row.object_id),
            reason=row.reason,
            changes=[
                FieldChange(field=name, old=_json(old), new=_json(new))
                # Sorted here: PostgreSQL's jsonb keeps keys in an order of its own.
                for name, (old, new) in sorted(row.changes.items())
            ],
        )


async def _person(info: Info, person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    row = await info.context.loaders.by_id(db.Person).load(person_id)
    return None if row is None else Person.of(row)


@strawberry.type(
    description="完整个人信息（personal data），仅在 revealPersonalData 的结果中出现。"
)
class PersonalData:
    person: Person = strawberry.field(description="人员（person）。")
    id_number: str | None = strawberry.field(description="完整的身份证号（ID number）。")
    mobile: str | None = strawberry.field(description="完整的手机号（mobile）。")
