"""Courses, writings, exams, results, make-up and external hours: the mutations."""

import base64
import binascii

import strawberry

from lms_plugin.resolvers.assessment import use_cases
from lms_plugin.resolvers.core.errors import refuse
from lms_plugin.schema.core.context import Info
from lms_plugin.schema.core.enums import ErrorCode
from lms_plugin.schema.core.errors import USER_ERRORS, UserError
from lms_plugin.schema.core.mutations import Call, mutation
from lms_plugin.schema.enrollment.types import Enrollment
from lms_plugin.schema.people.types import Person

from .inputs import (
    ComputeAssessmentResultsInput,
    CreateCourseInput,
    EnrollMakeUpInput,
    ImportExamResultsInput,
    RecordExamResultInput,
    RecordExternalHoursInput,
    RecordTownshipSessionInput,
    SetTeacherDistinctionInput,
    SubmitStudyWritingInput,
)
from .types import (
    Course,
    ExamResult,
    ExternalHours,
    ResultsSummary,
    StudyWriting,
    TownshipSession,
)


@strawberry.type(description="createCourse 的结果（payload）。")
class CoursePayload:
    course: Course | None = strawberry.field(description="开设的课程；被拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="submitStudyWriting 的结果（payload）。")
class StudyWritingPayload:
    writing: StudyWriting | None = strawberry.field(description="提交的笔记或心得；拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="recordExamResult 的结果（payload）。")
class ExamResultPayload:
    exam_result: ExamResult | None = strawberry.field(description="登记的成绩；拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="computeAssessmentResults 的结果（payload）。")
class ResultsPayload:
    summary: ResultsSummary | None = strawberry.field(description="汇总；拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="enrollMakeUp 的结果（payload）。")
class MakeUpPayload:
    enrollment: Enrollment | None = strawberry.field(description="补修的报名记录；拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="recordExternalHours 的结果（payload）。")
class ExternalHoursPayload:
    external_hours: ExternalHours | None = strawberry.field(
        description="登记的统筹培训学时；拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="recordTownshipSession 的结果（payload）。")
class TownshipSessionPayload:
    township_session: TownshipSession | None = strawberry.field(
        description="登记的乡镇集中研修；拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="setTeacherDistinction 的结果（payload）。")
class TeacherDistinctionPayload:
    person: Person | None = strawberry.field(description="设定后的教师；拒绝时为 null。")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="导入表格中被拒绝的一行（sheet row error）。")
class SheetRowError:
    row: int = strawberry.field(description="行号（row），与表格所示一致，标题行为第 1 行。")
    column: str | None = strawberry.field(description="列标题（column）；与具体列无关时为 null。")
    code: ErrorCode = strawberry.field(description="拒绝代码（code）。")
    message: str = strawberry.field(description="说明（message）。")


@strawberry.type(description="importExamResults 的结果（payload）。")
class ExamImportPayload:
    imported: int | None = strawberry.field(
        description="写入的成绩数（imported）；有行被拒绝时为 0（整表不导入）；拒绝时为 null。"
    )
    row_errors: list[SheetRowError] | None = strawberry.field(
        description="逐行的拒绝（row errors）；整个请求被拒绝时为 null。"
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


def _sheet(call: Call[ImportExamResultsInput]) -> tuple[object, ...]:
    try:
        data = base64.b64decode(call.input.sheet_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise refuse(ErrorCode.INVALID_INPUT, "表格内容须为 base64 编码", "sheetBase64") from error
    return (call.now, call.ids["program_id"], call.input.kind, data, call.input.filename)


def _imported(result: use_cases.ExamImport, info: Info) -> ExamImportPayload:
    return ExamImportPayload(
        imported=result.imported,
        row_errors=[
            SheetRowError(row=e.row, column=e.column, code=ErrorCode(e.code), message=e.message)
            for e in result.row_errors
        ],
        user_errors=[],
    )


@strawberry.type
class Mutation:
    create_course = mutation(
        use_cases.create_course,
        input=CreateCourseInput,
        payload=CoursePayload,
        arguments=lambda call: (
            call.ids["program_id"],
            use_cases.CourseSettings(
                name=call.input.name,
                category=call.input.category,
                hours=call.input.hours,
                required=call.input.required,
                position=call.input.position,
            ),
        ),
        present=lambda row, info: Course.of(row),
        description="为项目开设课程（create course）：公共、专业或地方课程，必修或选修，及其学时。",
    )
    submit_study_writing = mutation(
        use_cases.submit_study_writing,
        input=SubmitStudyWritingInput,
        payload=StudyWritingPayload,
        arguments=lambda call: (call.now, call.input.kind, call.input.text),
        present=lambda row, info: StudyWriting.of(row),
        description="提交学习笔记或心得（submit study writing）；字数不足以 TOO_SHORT 拒绝。",
    )
    record_exam_result = mutation(
        use_cases.record_exam_result,
        input=RecordExamResultInput,
        payload=ExamResultPayload,
        arguments=lambda call: (
            call.now,
            use_cases.ExamEntry(call.ids["enrollment_id"], call.input.kind, call.input.score),
        ),
        present=lambda row, info: ExamResult.of(row),
        description="登记学员的考试成绩（record exam result）：正考、补考、省加试或模拟考；"
        "同一考试再次登记即更正。省加试只由省级管理员登记。",
    )
    compute_assessment_results = mutation(
        use_cases.compute_results,
        input=ComputeAssessmentResultsInput,
        payload=ResultsPayload,
        arguments=lambda call: (call.now, call.ids["program_id"]),
        present=lambda summary, info: ResultsSummary.of(summary),
        description="计算（或重新计算）项目全部考核结果和证书（compute assessment results，"
        "R12、R13）：考核开始之后；每次变更都记下操作者和时刻。",
    )
    enroll_make_up = mutation(
        use_cases.enroll_make_up,
        input=EnrollMakeUpInput,
        payload=MakeUpPayload,
        arguments=lambda call: (call.ids["enrollment_id"], call.ids["make_up_of_id"]),
        present=lambda row, info: Enrollment.of(row),
        description="登记补修（enroll make-up）：教师在其后项目的报名补修此前不合格或缺考的项目；"
        "原项目须允许补修。补修未通过的，不在证书上登记。",
    )
    record_external_hours = mutation(
        use_cases.record_external_hours,
        input=RecordExternalHoursInput,
        payload=ExternalHoursPayload,
        arguments=lambda call: (
            call.now,
            use_cases.ExternalEntry(
                call.ids["teacher_id"],
                call.input.year,
                call.input.title,
                call.input.hours,
                call.ids["evidence_id"],
            ),
        ),
        present=lambda row, info: ExternalHours.of(row),
        description="登记本县教师的统筹培训学时（record external hours），附证明材料；计入学分账。",
    )
    import_exam_results = mutation(
        use_cases.import_exam_results,
        input=ImportExamResultsInput,
        payload=ExamImportPayload,
        arguments=_sheet,
        present=_imported,
        description="从 XLSX 表格导入一次考试的成绩（import exam results）：管辖范围内的学员，"
        "按身份证号；任一行有误则整表不导入，rowErrors 逐行说明。省加试只由省级管理员导入。",
    )
    record_township_session = mutation(
        use_cases.record_township_session,
        input=RecordTownshipSessionInput,
        payload=TownshipSessionPayload,
        arguments=lambda call: (
            call.now,
            use_cases.TownshipEntry(
                call.ids["enrollment_id"],
                call.input.held_on,
                call.input.hours,
                call.ids["evidence_id"],
            ),
        ),
        present=lambda row, info: TownshipSession.of(row),
        description="为本县过渡学习的学员登记乡镇集中研修（record township session，seed 002 "
        "§四(四)②）：日期、学时和证明材料；学时计入过渡学习的乡镇集中研修一项。",
    )
    set_teacher_distinction = mutation(
        use_cases.set_teacher_distinction,
        input=SetTeacherDistinctionInput,
        payload=TeacherDistinctionPayload,
        arguments=lambda call: (call.ids["person_id"], call.input.distinction),
        present=lambda row, info: Person.of(row),
        description="设定教师称号（set teacher distinction，seed 002 §二(二)）：特级教师、省级"
        "学科带头人担任工作室辅导团队成员的，其服务冲抵学时；其他成员免考核而不冲抵。",
    )
