"""Programs (全员远程培训项目) and batches (研修批次): the mutations."""

import strawberry

from lms_plugin.resolvers.core import programs as program_settings
from lms_plugin.resolvers.programs import rules, use_cases
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import Stage
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import Call, changes_of, mutation
from lms_plugin.storage import models as db

from .inputs import (
    CreateBatchInput,
    CreateProgramInput,
    SetProgramPhasesInput,
    StageSubjectInput,
    UpdateBatchInput,
    UpdateProgramInput,
)
from .types import Batch, Program

# Settings that may be cleared with an explicit null; others ignore null as "unchanged".
_NULLABLE = frozenset({"briefing_interval_days", "assessment_ends_on"})


@strawberry.type(description="项目变更的结果（payload）：成功时为项目，被拒绝时为 userErrors。")
class ProgramPayload:
    program: Program | None = strawberry.field(description="创建或修改后的项目；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="批次变更的结果（payload）：成功时为批次，被拒绝时为 userErrors。")
class BatchPayload:
    batch: Batch | None = strawberry.field(description="创建或修改后的批次；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _pairs(subjects: list[StageSubjectInput]) -> tuple[tuple[Stage, str], ...]:
    return tuple((s.stage, s.subject) for s in subjects)


def _program_settings(input: CreateProgramInput) -> rules.ProgramSettings:
    values = dict(vars(input))
    values["holidays"] = tuple(input.holidays)
    return rules.ProgramSettings(**values)


def _batch_settings(input: CreateBatchInput) -> rules.BatchSettings:
    return rules.BatchSettings(
        number=input.number,
        name=input.name,
        starts_on=input.starts_on,
        ends_on=input.ends_on,
        track=input.track,
        subjects=_pairs(input.subjects),
    )


def _batch_changes(call: Call[UpdateBatchInput]) -> dict[str, object]:
    input = call.input
    changes = changes_of(call, skip=frozenset({"id", "subjects"}))
    if input.subjects is not strawberry.UNSET and input.subjects is not None:
        changes["subjects"] = _pairs(input.subjects)
    return changes


def _phases(input: SetProgramPhasesInput) -> list[rules.PhaseDates]:
    return [rules.PhaseDates(p.kind, p.starts_on, p.ends_on) for p in input.phases]


def _program(row: db.Program, info: Info) -> Program:
    return Program.of(row, info.context.now())


def _changed_program(row: db.Program, info: Info) -> Program:
    """Its policies and phases changed: the rest of the request reads them again."""
    loaders = info.context.loaders
    program_settings.forget_phases(loaders, program_settings.forget_policies(loaders, row))
    return Program.of(row, info.context.now())


async def _batch(row: db.Batch, info: Info) -> Batch:
    program = await info.context.loaders.by_id(db.Program).load(row.program_id)
    assert program is not None
    return Batch.of(row, program, info.context.now())


@strawberry.type
class Mutation:
    create_program = mutation(
        use_cases.create_program,
        input=CreateProgramInput,
        payload=ProgramPayload,
        arguments=lambda call: (_program_settings(call.input),),
        present=_program,
        description="创建项目（create program）；各项规则参数默认取 2012 年通知的数值。",
    )
    update_program = mutation(
        use_cases.update_program,
        input=UpdateProgramInput,
        payload=ProgramPayload,
        arguments=lambda call: (call.ids["id"], changes_of(call, nullable=_NULLABLE)),
        present=_changed_program,
        description="修改项目设置（update program）；其各批次重新检查 R2。",
    )
    set_program_phases = mutation(
        use_cases.set_program_phases,
        input=SetProgramPhasesInput,
        payload=ProgramPayload,
        arguments=lambda call: (call.ids["program_id"], _phases(call.input)),
        present=_changed_program,
        description="设置项目的阶段（set program phases，2022 年通知 §七）：整体替换；报名（R3）"
        "和批改截止读这些阶段。",
    )
    create_batch = mutation(
        use_cases.create_batch,
        input=CreateBatchInput,
        payload=BatchPayload,
        arguments=lambda call: (call.ids["program_id"], _batch_settings(call.input)),
        present=_batch,
        description="为项目新增研修批次（create batch，R2）。",
    )
    update_batch = mutation(
        use_cases.update_batch,
        input=UpdateBatchInput,
        payload=BatchPayload,
        arguments=lambda call: (call.ids["id"], _batch_changes(call)),
        present=_batch,
        description="修改研修批次（update batch，R2）。",
    )
