"""Courses (课程), writings, exams, results, make-up and external hours: the inputs."""

import datetime as dt

import strawberry

from lms_plugin.schema.core.enums import CourseCategory, Distinction, ExamKind, WritingKind
from lms_plugin.schema.core.mutations import id_of


@strawberry.input(description="开设课程（create course）。")
class CreateCourseInput:
    program_id: strawberry.ID = id_of("Program", description="开设课程的项目。")
    name: str = strawberry.field(description="课程名称（name），项目内唯一。")
    category: CourseCategory = strawberry.field(description="课程类别（category）。")
    hours: int = strawberry.field(description="课程学时（hours），正整数。")
    required: bool = strawberry.field(description="必修（required）；false 为选修。")
    position: int = strawberry.field(default=0, description="次序（position），默认 0。")


@strawberry.input(
    description="提交学习笔记或心得（submit study writing，seed 004）：字数不计空白和标点，"
    "须达到项目考核政策的最低字数；再次提交替换上一次。"
)
class SubmitStudyWritingInput:
    kind: WritingKind = strawberry.field(description="类别（kind）。")
    text: str = strawberry.field(description="正文（text）。")


@strawberry.input(description="登记一位学员的一次考试成绩（record exam result）。")
class RecordExamResultInput:
    enrollment_id: strawberry.ID = id_of("Enrollment", description="学员的报名记录。")
    kind: ExamKind = strawberry.field(description="考试类别（kind）；模拟考登记但不计入。")
    score: int | None = strawberry.field(description="分数（score），0 至 100；缺考为 null。")


@strawberry.input(
    description="登记乡镇集中研修（record township session，seed 002 §四(四)②）：过渡学习的"
    "学员某日参加乡镇集中研修的学时，附证明材料；每人每日一条。"
)
class RecordTownshipSessionInput:
    enrollment_id: strawberry.ID = id_of("Enrollment", description="本县过渡学习学员的报名记录。")
    held_on: dt.date = strawberry.field(description="研修日期（held on），不晚于今天。")
    hours: int = strawberry.field(description="学时（hours），1 至 24。")
    evidence_id: strawberry.ID = id_of(
        "Attachment", description="证明材料（evidence）：登记人本人上传的文件（/uploads）。"
    )


@strawberry.input(
    description="设定教师称号（set teacher distinction，seed 002 §二(二)）：特级教师、"
    "省级学科带头人，或取消（null）。"
)
class SetTeacherDistinctionInput:
    person_id: strawberry.ID = id_of("Person", description="教师。")
    distinction: Distinction | None = strawberry.field(
        description="称号（distinction）；null 为取消。"
    )


@strawberry.input(description="计算项目的考核结果（compute assessment results，R12）。")
class ComputeAssessmentResultsInput:
    program_id: strawberry.ID = id_of("Program", description="项目。")


@strawberry.input(description="登记补修（enroll make-up，seed 000 §五.6）。")
class EnrollMakeUpInput:
    enrollment_id: strawberry.ID = id_of(
        "Enrollment", description="教师在其后项目中的报名记录（补修）。"
    )
    make_up_of_id: strawberry.ID = id_of(
        "Enrollment", description="要补修的、考核不合格或缺考的报名记录。"
    )


@strawberry.input(description="登记统筹培训学时（record external hours，seed 001 §七(五)）。")
class RecordExternalHoursInput:
    teacher_id: strawberry.ID = id_of("Person", description="本县的教师。")
    year: str = strawberry.field(description="学年（year），以四位年份开头，如 2012学年。")
    title: str = strawberry.field(description="培训名称（title）。")
    hours: int = strawberry.field(description="学时（hours），正整数。")
    evidence_id: strawberry.ID = id_of(
        "Attachment", description="证明材料（evidence）：登记人本人上传的文件（/uploads）。"
    )


@strawberry.input(
    description="从 XLSX 表格导入一次考试的成绩（import exam results）：列为 身份证号、姓名、"
    "成绩（0 至 100，或“缺考”）；任一行有误则整表不导入，并逐行说明。"
)
class ImportExamResultsInput:
    program_id: strawberry.ID = id_of("Program", description="项目。")
    kind: ExamKind = strawberry.field(description="考试类别（kind）。")
    filename: str = strawberry.field(description="文件名（filename），用于提示。")
    sheet_base64: str = strawberry.field(description="XLSX 文件内容（base64 编码）。")
