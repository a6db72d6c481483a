"""GraphQL enums: the storage and rule enums, registered once with their descriptions.

Annotate with the classes imported from here (they are the Python enums themselves).
"""

from collections.abc import Mapping
from enum import Enum
from typing import Any

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

from lms_plugin.resolvers.assessment.rules import ComponentKind
from lms_plugin.resolvers.core.calendar import WindowState
from lms_plugin.resolvers.core.errors import ErrorCode
from lms_plugin.resolvers.core.staff_scores import StaffComponentKind, StaffRole
from lms_plugin.storage.enums import (
    AssignmentKind,
    AwardCategory,
    BriefingStatus,
    CertificateGrade,
    CourseCategory,
    Distinction,
    EnrollmentStatus,
    ExamKind,
    ExportKind,
    ExportStatus,
    FeeRule,
    GradeLevel,
    GroupRegistrationStatus,
    ImportStatus,
    LedgerKind,
    NominationStatus,
    OfflineKind,
    Outcome,
    PhaseKind,
    Post,
    QuotaRounding,
    RateLevel,
    RecommendationLevel,
    RegionLevel,
    ReviewStatus,
    Role,
    RosterLayout,
    SessionEndReason,
    Stage,
    Standing,
    StarKind,
    SubmissionStatus,
    TitleRank,
    Track,
    WritingKind,
)
from lms_plugin.storage.tracking import Action

strawberry.enum(
    Action,
    description="审计记录的动作（audit action）：新建（CREATE）、修改（UPDATE）、删除（DELETE）、"
    "查看完整个人信息（REVEAL）。",
)

strawberry.enum(
    ErrorCode,
    description="拒绝代码（error code）：载荷 userErrors 的稳定代码，前端据此分支；"
    "规则编号见各值（R1…R15）。",
)
strawberry.enum(
    Stage,
    description="学段（school stage）。职业中学（VOCATIONAL）随高中（HIGH）工作室研修（R4）。",
)
strawberry.enum(
    Track,
    description="研修方式（study track）：网络学习（NETWORK）或过渡学习（TRANSITIONAL，R8）。",
)
strawberry.enum(TitleRank, description="职称（title rank）：初级 / 中级 / 高级。")
strawberry.enum(
    Post, description="岗位（post）：普通教师、新入职教师、新任班主任、校长、园长、远程培训管理者。"
)
strawberry.enum(
    Role, description="管理角色（administrative role），授予时附带适用范围（地区、学校或机构）。"
)
strawberry.enum(
    PhaseKind,
    description="项目阶段（program phase，2022 年通知 §七）：准备、报名、培训者培训、学习、考核、"
    "成绩登记、检查。",
)
strawberry.enum(RegionLevel, description="地区层级（region level）：省 → 设区市 → 县区。")
strawberry.enum(EnrollmentStatus, description="报名状态（enrollment status）：有效或已退出（R5）。")
strawberry.enum(Outcome, description="考核结果（outcome，R12）：合格、不合格、免考核、缺考。")
strawberry.enum(
    ComponentKind,
    description="过程性考核的组成部分（component kind，R12）：学习时间、作业、研讨、研修成果、"
    "学习笔记、学习心得、乡镇集中研修（过渡学习）。",
)
strawberry.enum(
    ExamKind,
    description="考试类别（exam kind）：模拟考（不计成绩）、正考、补考、过渡学习的省加试。",
)
strawberry.enum(WritingKind, description="研修写作（writing kind）：学习笔记、学习心得。")
strawberry.enum(
    CertificateGrade, description="证书等级（certificate grade）：合格，或评优后为优（R15）。"
)
strawberry.enum(
    CourseCategory,
    description="课程类别（course category）：公共课程、专业课程、地方课程（seed 002 §三）。",
)
strawberry.enum(
    BriefingStatus, description="班级简报状态（briefing status）：草稿或已发布（R11）。"
)
strawberry.enum(
    WindowState,
    description="时间窗口相对于请求时刻的状态（window state）：未开放、开放中、已结束（R1）。",
)
strawberry.enum(
    LedgerKind,
    description="学习计时明细类型（ledger kind）：一段学习时间为何计入或不计入（R1、R8、R9）。",
)
strawberry.enum(SessionEndReason, description="学习会话结束方式（session end reason，R9）。")
strawberry.enum(
    OfflineKind,
    description="线下研修类型（offline study kind）：校本研修、听评课、作业实践、反思、其他。",
)
strawberry.enum(
    ReviewStatus,
    description="线下研修记录的审核状态（review status）：待审核、已确认或已驳回（R8）。",
)
strawberry.enum(
    SubmissionStatus,
    description="作业提交状态（submission status，R10）：待批改、退回修改、已批改。",
)
strawberry.enum(GradeLevel, description="作业等级（grade level）：优秀、良好、合格、不合格。")
strawberry.enum(
    AssignmentKind,
    description="作业类别（assignment kind）：作业或研修成果，提交和批改相同（R10），"
    "考核时分别计（R12）。",
)
strawberry.enum(
    Distinction,
    description="教师称号（distinction，seed 002 §二(二)）：特级教师、省级学科带头人；"
    "担任工作室辅导团队成员的，服务冲抵学时。",
)
strawberry.enum(
    RecommendationLevel,
    description="推荐层级（recommendation level，R10）：班级（CLASS）→ 工作室（WORKSHOP）→ "
    "首页（HOME）。",
)


def _deprecate_values(enum_class: type[Enum], reasons: Mapping[Any, str]) -> None:
    """Marks old values deprecated: kept in the schema so that clients' documents still
    validate, never answered."""
    definition: StrawberryEnumDefinition = enum_class.__strawberry_definition__  # type: ignore[attr-defined]
    for value in definition.values:
        value.deprecation_reason = reasons.get(enum_class[value.name])


def _describe_values(enum_class: type[Enum], values: Mapping[Any, str]) -> None:
    """Describes each value of a registered enum. Its Python enum is storage's (or the rules'),
    so no member can be a `strawberry.enum_value`: the descriptions go into strawberry's
    definition of the enum instead, one for every member (a missing one fails at import)."""
    definition: StrawberryEnumDefinition = enum_class.__strawberry_definition__  # type: ignore[attr-defined]
    for value in definition.values:
        value.description = values[enum_class[value.name]]


_describe_values(
    ErrorCode,
    {
        ErrorCode.INVALID_INPUT: "输入无效（invalid input）：格式、范围或必填项不符。",
        ErrorCode.NOT_FOUND: "找不到（not found）：id 格式错误、类型不符、"
        "对象不存在或不在你的范围内。",
        ErrorCode.WINDOW_NOT_OPEN: "研修批次的学习窗口尚未开放（R1）。",
        ErrorCode.WINDOW_CLOSED: "研修批次的学习窗口已结束（R1；结束日计至 23:59:59）。",
        ErrorCode.INVALID_WINDOW: "日期或时间段无效（invalid window）：结束早于开始。",
        ErrorCode.BATCH_TOO_LONG: "批次过长（batch too long）：学习日（日历日减去节假日）"
        "超过项目的批次天数（R2）。",
        ErrorCode.SUBJECT_ALREADY_SERVED: "该学段学科已由本项目的另一个批次研修。",
        ErrorCode.WORKSHOP_EXISTS: "本项目已有该学段学科的工作室（每个学段学科一个）。",
        ErrorCode.REGISTRATION_CLOSED: "不在报名时间内（registration closed）："
        "报名日期之外或每日时段之外（R3）。",
        ErrorCode.NOT_A_TEACHER: "不是教师（not a teacher）：未登记学段和学科，不能作为学员报名。",
        ErrorCode.WORKSHOP_MISMATCH: "工作室与教师的学段学科不符（workshop mismatch，R4）。",
        ErrorCode.NO_BATCH_FOR_SUBJECT: "本项目没有安排该学段学科（或过渡学习）的研修批次（R4）。",
        ErrorCode.ALREADY_ENROLLED: "已报名（already enrolled）：每位教师每阶段只报名一次（R5）。",
        ErrorCode.TUTOR_TEAM_FULL: "辅导团队已满（tutor team full）：已达项目规定的上限（R6）。",
        ErrorCode.ALREADY_MEMBER: "该教师已是本工作室辅导团队成员。",
        ErrorCode.NOT_A_MEMBER: "该教师不是本工作室辅导团队成员（班级辅导教师须为团队成员）。",
        ErrorCode.TUTOR_HAS_CLASSES: "该辅导教师仍负责本工作室的班级，须先将班级交给其他辅导教师。",
        ErrorCode.TUTOR_EXEMPT: "辅导团队成员免予选学（tutor exempt）：不能作为学员报名；"
        "学员也不能加入辅导团队（R7）。",
        ErrorCode.NOT_ENROLLED: "未报名（not enrolled）：不是该项目或工作室的学员，或已退出研修。",
        ErrorCode.SESSION_CONFLICT: "已有另一个进行中的学习会话（session conflict），"
        "或本会话已被接管（R9）。",
        ErrorCode.SESSION_ENDED: "学习会话已结束或已超时（session ended，R9）。",
        ErrorCode.NOT_YOUR_CLASS: "不是你的班级（not your class）："
        "只有学员所在班级的辅导教师可以操作（R10）。",
        ErrorCode.ALREADY_GRADED: "作业已批改（already graded），不能再修改、退回或重新批改（R10）"
        "。",
        ErrorCode.GRADING_CLOSED: "作业批改已截止（grading closed）：已过项目的考核结束日期。",
        ErrorCode.NOT_GRADED: "作业尚未批改（not graded），不能推荐（R10）。",
        ErrorCode.NOT_PASSING: "作业未达合格（not passing），不能推荐（R10）。",
        ErrorCode.ALREADY_RECOMMENDED: "该作业已推荐到这一层级（already recommended，R10）。",
        ErrorCode.NOT_RECOMMENDED: "该作业未在这一层级推荐（not recommended），"
        "或缺少下一级的推荐（R10）。",
        ErrorCode.ALREADY_REVIEWED: "线下研修记录已审核（already reviewed），只能审核一次（R8）。",
        ErrorCode.ALREADY_PUBLISHED: "简报已发布（already published），不能再修改或发布（R11）。",
        ErrorCode.QUOTA_EXCEEDED: "超出名额（quota exceeded）：评优推荐超出比例（R15）。",
        ErrorCode.SHEET_UNREADABLE: "表格无法读取（sheet unreadable）：不是 XLSX 或 CSV"
        "（GBK / UTF-8），或文件已损坏。",
        ErrorCode.MISSING_COLUMN: "表格缺少必需的列（missing column）：表头须与模板一致。",
        ErrorCode.ROWS_HAVE_ERRORS: "表格有错误行（rows have errors）：未导入任何行；"
        "改正后重新导入，或选择只导入正确的行。",
        ErrorCode.REQUIRED_VALUE: "必填项为空（required value）。",
        ErrorCode.INVALID_ID_NUMBER: "身份证号无效（invalid ID number）：须为18位，"
        "校验码、出生日期和年龄须合理。",
        ErrorCode.INVALID_MOBILE: "手机号码无效（invalid mobile）：须为以1开头的11位数字。",
        ErrorCode.UNKNOWN_TERM: "无法识别的填写（unknown term）：学段、职称、岗位或研修方式"
        "不在可选范围内。",
        ErrorCode.UNKNOWN_SCHOOL: "学校代码不存在，或不在你的管理范围内（unknown school）。",
        ErrorCode.DUPLICATE_IN_FILE: "表格内重复（duplicate in file）：同一身份证号或用户名"
        "出现多次。",
        ErrorCode.TEACHER_OF_OTHER_SCHOOL: "该身份证号已属于你管理范围之外学校的教师"
        "（teacher of another school）：不会被悄悄调走，请联系其所在地区的管理员。",
        ErrorCode.USERNAME_TAKEN: "用户名已被另一位用户使用（username taken）：登记人员、"
        "导入报名表时均不能重复。",
        ErrorCode.ID_NUMBER_TAKEN: "身份证号已登记给另一位用户（ID number taken）：不能再以它"
        "登记人员、导入或首次登录建档。",
        ErrorCode.NOT_PENDING: "集体报名不在待审核状态（not pending）：已审核或已退回。",
        ErrorCode.NOTHING_TO_SUBMIT: "没有可提交的教师（nothing to submit）。",
        ErrorCode.DUPLICATE_CODE: "代码已被使用（duplicate code）：地区或学校代码须唯一。",
        ErrorCode.DUPLICATE_USERNAME: "已停用（deprecated），不再返回：用户名重复一律为"
        " USERNAME_TAKEN。",
        ErrorCode.DUPLICATE_ID_NUMBER: "已停用（deprecated），不再返回：身份证号重复一律为"
        " ID_NUMBER_TAKEN。",
        ErrorCode.DUPLICATE_NAME: "名称已被使用（duplicate name），如承训机构名称。",
        ErrorCode.OUT_OF_SCOPE: "超出管辖范围（out of scope）：对象不在你管理的地区或学校内。",
        ErrorCode.ROLE_NOT_GRANTABLE: "不能授予该角色（role not grantable）：只能授予低于自己"
        "层级、且在管辖范围内的角色，或角色与范围不相配。",
        ErrorCode.ALREADY_GRANTED: "该人员已在这一范围内拥有这一角色（already granted）。",
        ErrorCode.INVALID_PHASES: "项目阶段无效（invalid phases）：阶段重复、结束早于开始、"
        "先后顺序不符或重叠，或缺少报名阶段。",
        ErrorCode.CITY_ALREADY_SERVED: "该设区市在本项目已由另一承训机构服务（附件1：每市一家）。",
        ErrorCode.COURSE_LOCKED: "课程未开放（course locked）：须先修完全部必修课程，"
        "才能学习选修课程。",
        ErrorCode.ASSESSMENT_NOT_OPEN: "考核尚未开始（assessment not open）：未到项目考核阶段"
        "（ASSESSMENT）的开始日期，或项目尚未设定考核阶段（R12）。",
        ErrorCode.MAKE_UP_NOT_ALLOWED: "不能补修（make-up not allowed）：原项目不允许补修、"
        "原结果不是不合格或缺考，或补修的项目不在其后（R12）。",
        ErrorCode.TOO_SHORT: "字数不足（too short）：学习笔记、心得未达项目规定的字数"
        "（不计空白和标点，R12）。",
        ErrorCode.NOT_TRANSITIONAL: "不是过渡学习的学员（not transitional）：乡镇集中研修只为"
        "过渡学习的学员登记（seed 002 §四(四)②）。",
        ErrorCode.NOT_ELIGIBLE: "不符合评选条件（not eligible）：候选的某项条件未达到（R15）。",
        ErrorCode.ALREADY_NOMINATED: "已被推荐（already nominated）：同一类别只推荐一次（R15）。",
        ErrorCode.NOMINATION_REVIEWED: "推荐已审核（nomination reviewed），只能审核一次（R15）。",
        ErrorCode.ALREADY_NAMED: "已评选（already named）：该学员之星或班级之星已经评出。",
    },
)
_deprecate_values(
    ErrorCode,
    {
        ErrorCode.DUPLICATE_USERNAME: "改用 USERNAME_TAKEN（use USERNAME_TAKEN）。",
        ErrorCode.DUPLICATE_ID_NUMBER: "改用 ID_NUMBER_TAKEN（use ID_NUMBER_TAKEN）。",
    },
)
_describe_values(
    Stage,
    {
        Stage.HIGH: "高中（high school）。",
        Stage.JUNIOR: "初中（junior high school）。",
        Stage.PRIMARY: "小学（primary school）。",
        Stage.KINDERGARTEN: "幼儿园（kindergarten）。",
        Stage.VOCATIONAL: "职业中学（vocational school）：随高中工作室研修（R4）。",
    },
)
_describe_values(
    Track,
    {
        Track.NETWORK: "网络学习（network track）：默认 6 学时网上 + 16 学时线下（R8）。",
        Track.TRANSITIONAL: "过渡学习（transitional track，农村教师）：默认 4 学时网上 + 18 "
        "学时线下（R8）。",
    },
)
_describe_values(
    TitleRank,
    {
        TitleRank.JUNIOR: "初级职称（junior title）。",
        TitleRank.INTERMEDIATE: "中级职称（intermediate title）。",
        TitleRank.SENIOR: "高级职称（senior title）。",
    },
)
_describe_values(
    Post,
    {
        Post.TEACHER: "普通教师（teacher）。",
        Post.NEW_TEACHER: "新入职教师（new teacher）。",
        Post.NEW_HEAD_TEACHER: "新任班主任（new head teacher）。",
        Post.PRINCIPAL: "校长（principal）。",
        Post.KINDERGARTEN_DIRECTOR: "园长（kindergarten director）。",
        Post.TRAINING_MANAGER: "远程培训管理者（training manager）。",
    },
)
_describe_values(
    Outcome,
    {
        Outcome.PASSED: "合格（passed）。",
        Outcome.FAILED: "不合格（failed）：说明指出改变结果的那一项。",
        Outcome.EXEMPT: "免考核（exempt）：工作室辅导团队成员免予选学（R7）。",
        Outcome.ABSENT: "缺考（absent）：没有任何学习记录，或须考试而未参加。",
    },
)
_describe_values(
    ComponentKind,
    {
        ComponentKind.STUDY: "学习时间（study time）：计入的分钟数对照本学年应完成学时。",
        ComponentKind.HOMEWORK: "作业（homework）：辅导教师批改的等级，合格篇数。",
        ComponentKind.DISCUSSION: "研讨（discussion）：发帖数。",
        ComponentKind.OUTCOME: "研修成果（research outcome）：批改合格的篇数。",
        ComponentKind.NOTES: "学习笔记（notes）：字数，不计空白和标点。",
        ComponentKind.REFLECTION: "学习心得（reflection）：字数，不计空白和标点。",
        ComponentKind.TOWNSHIP: "乡镇集中研修（township sessions）：过渡学习的学员由县级管理员"
        "登记的集中研修学时（seed 002 §四(四)②）。",
    },
)
_describe_values(
    ExamKind,
    {
        ExamKind.MOCK: "模拟考（mock exam）：只供练习，从不计入。",
        ExamKind.FORMAL: "正考（formal exam）。",
        ExamKind.MAKE_UP: "补考（make-up exam）：正考未过或缺考时计入，只一次。",
        ExamKind.ADDITIONAL: "省加试（additional test）：过渡学习的终结性考试，由省级管理员登记，"
        "与过程性考核按权重综合。",
    },
)
_describe_values(
    WritingKind,
    {
        WritingKind.NOTES: "学习笔记（notes）。",
        WritingKind.REFLECTION: "学习心得（reflection）。",
    },
)
_describe_values(
    CertificateGrade,
    {
        CertificateGrade.PASS: "合格（pass）。",
        CertificateGrade.EXCELLENT: "优（excellent）：评为优秀后登记（R15）。",
    },
)
_describe_values(
    CourseCategory,
    {
        CourseCategory.PUBLIC: "公共课程（public course）。",
        CourseCategory.PROFESSIONAL: "专业课程（professional course）。",
        CourseCategory.LOCAL: "地方课程（local course）。",
    },
)
_describe_values(
    Role,
    {
        Role.PROVINCE_ADMIN: "省级管理员（province admin，省远程培训中心）：全省范围。",
        Role.CITY_ADMIN: "市级管理员（city admin，市级管理中心）：本市范围。",
        Role.COUNTY_ADMIN: "县级管理员（county admin，县教师进修学校）：本县范围。",
        Role.SCHOOL_ADMIN: "学校管理员（school admin）：本校范围。",
        Role.VENDOR_STAFF: "承训机构人员（vendor staff，承训网络培训机构）：该机构服务的设区市。",
    },
)
_describe_values(
    PhaseKind,
    {
        PhaseKind.PREPARATION: "准备（preparation）。",
        PhaseKind.REGISTRATION: "报名（registration）：自主报名的日期（R3）。",
        PhaseKind.TRAINER_TRAINING: "培训者培训（training of trainers）：可与学习阶段重叠。",
        PhaseKind.STUDY: "学习（study）：各研修批次的学习窗口在其中。",
        PhaseKind.ASSESSMENT: "考核（assessment）：作业批改至考核结束日（含）。",
        PhaseKind.GRADE_REGISTRATION: "成绩登记（grade registration）。",
        PhaseKind.INSPECTION: "检查（inspection）。",
    },
)
_describe_values(
    RegionLevel,
    {
        RegionLevel.PROVINCE: "省（province）。",
        RegionLevel.CITY: "设区市（city；含省直管县、赣江新区）。",
        RegionLevel.COUNTY: "县区（county）。",
    },
)
_describe_values(
    EnrollmentStatus,
    {
        EnrollmentStatus.ACTIVE: "有效（active）：正在研修。",
        EnrollmentStatus.WITHDRAWN: "已退出（withdrawn）：仍计入每阶段一次报名（R5）。",
    },
)
_describe_values(
    BriefingStatus,
    {
        BriefingStatus.DRAFT: "草稿（draft）：只有辅导教师和工作室主持人可见，可修改。",
        BriefingStatus.PUBLISHED: "已发布（published）：学员可见，记录是否按时（R11）。",
    },
)
_describe_values(
    WindowState,
    {
        WindowState.NOT_OPEN: "尚未开放（not open）：请求时刻早于开始日 0:00。",
        WindowState.OPEN: "开放中（open）。",
        WindowState.CLOSED: "已结束（closed）：请求时刻晚于结束日 23:59:59。",
    },
)
_describe_values(
    LedgerKind,
    {
        LedgerKind.COUNTED: "已计入（counted）：加到网上学时。",
        LedgerKind.OUTSIDE_WINDOW: "窗口之外（outside window）：批次学习窗口之前或之后，"
        "不计入（R1）。",
        LedgerKind.IDLE_GAP: "空闲间隔（idle gap）：两次心跳间隔超过项目上限，不计入（R9）。",
        LedgerKind.OVER_QUOTA: "超出定额（over quota）：该研修方式的网上学时已满，不计入（R8）。",
        LedgerKind.DUPLICATE: "重复心跳（duplicate）：重试的心跳只计一次，记 0 秒（R9）。",
    },
)
_describe_values(
    SessionEndReason,
    {
        SessionEndReason.ENDED: "学员结束（ended）。",
        SessionEndReason.SUPERSEDED: "被接管（superseded）：学员开始了另一个会话并接管（takeOver）"
        "。",
        SessionEndReason.TIMED_OUT: "超时（timed out）：心跳中断超过上限，结束于最后一次心跳。",
    },
)
_describe_values(
    OfflineKind,
    {
        OfflineKind.SCHOOL_BASED: "校本研修（school-based study）。",
        OfflineKind.LESSON_OBSERVATION: "听评课（lesson observation）。",
        OfflineKind.HOMEWORK_PRACTICE: "作业实践（homework practice）。",
        OfflineKind.REFLECTION: "反思（reflection）。",
        OfflineKind.OTHER: "其他（other）。",
    },
)
_describe_values(
    ReviewStatus,
    {
        ReviewStatus.PENDING: "待审核（pending）：尚不计入线下学时。",
        ReviewStatus.CONFIRMED: "已确认（confirmed）：计入线下学时（R8）。",
        ReviewStatus.REJECTED: "已驳回（rejected）：不计入，附驳回理由。",
    },
)
_describe_values(
    SubmissionStatus,
    {
        SubmissionStatus.SUBMITTED: "待批改（submitted）：可重新提交以替换（R10）。",
        SubmissionStatus.RETURNED: "退回修改（returned）：附辅导教师的意见，待重新提交。",
        SubmissionStatus.GRADED: "已批改（graded）：有分数和等级，不能再替换（R10）。",
    },
)
_describe_values(
    GradeLevel,
    {
        GradeLevel.EXCELLENT: "优秀（excellent）。",
        GradeLevel.GOOD: "良好（good）。",
        GradeLevel.PASS: "合格（pass）。",
        GradeLevel.FAIL: "不合格（fail）：不能推荐（R10）。",
    },
)
_describe_values(
    AssignmentKind,
    {
        AssignmentKind.HOMEWORK: "作业（homework）。",
        AssignmentKind.OUTCOME: "研修成果（research outcome，seed 001 §七(四)、002 §四(四)）。",
    },
)
_describe_values(
    Distinction,
    {
        Distinction.SPECIAL_GRADE: "特级教师（special-grade teacher）。",
        Distinction.PROVINCIAL_SUBJECT_LEADER: "省级学科带头人（provincial subject leader）。",
    },
)
_describe_values(
    RecommendationLevel,
    {
        RecommendationLevel.CLASS: "班级推荐（class showcase）：由班级辅导教师推荐（R10）。",
        RecommendationLevel.WORKSHOP: "工作室推荐（workshop showcase）：由工作室主持人推荐（R10）"
        "。",
        RecommendationLevel.HOME: "首页推荐（home-page gallery）：由工作室主持人或项目组推荐（R10）"
        "。",
    },
)
strawberry.enum(RosterLayout, description="表格格式（roster layout）。")
_describe_values(RosterLayout, {RosterLayout.ROSTER: "培训报名汇总表（seed 004 附件二）。"})
strawberry.enum(ImportStatus, description="导入任务状态（import status）。")
_describe_values(
    ImportStatus,
    {
        ImportStatus.RUNNING: "进行中（running）。",
        ImportStatus.SUCCEEDED: "已完成（succeeded）；试导入时为检查完成。",
        ImportStatus.REFUSED: "有错误行，未导入任何行（refused）。",
        ImportStatus.FAILED: "失败（failed）：服务器内部错误，请重试。",
        ImportStatus.INTERRUPTED: "被中断（interrupted）：服务重启，请重新导入"
        "（已写入的部分会被更新）。",
    },
)
strawberry.enum(GroupRegistrationStatus, description="集体报名状态（group registration status）。")
_describe_values(
    GroupRegistrationStatus,
    {
        GroupRegistrationStatus.PENDING: "已提交，待县级审核（pending）。",
        GroupRegistrationStatus.RETURNED: "县级已退回学校改正（returned）。",
        GroupRegistrationStatus.APPROVED: "县级已审核通过，教师已报入（approved）。",
    },
)
strawberry.enum(AwardCategory, description="评优类别（award category，R15，seed 003 §一）。")
_describe_values(
    AwardCategory,
    {
        AwardCategory.ADVANCED_COLLECTIVE: "先进集体（advanced collective）：市、县培训管理单位，"
        "名额为管理单位总数的 20%。",
        AwardCategory.ADVANCED_WORKER: "先进工作者（advanced worker）：县级以上管理员，"
        "名额为管理员总数的 20%。",
        AwardCategory.EXCELLENT_TUTOR: "优秀辅导教师（excellent tutor）：名额为辅导教师总数的"
        " 20%。",
        AwardCategory.EXCELLENT_TRAINEE: "优秀学员（excellent trainee）：名额为合格学员总数的 3‰。",
    },
)
strawberry.enum(QuotaRounding, description="名额取整方式（quota rounding，R15）。")
_describe_values(
    QuotaRounding,
    {
        QuotaRounding.FLOOR: "向下取整（floor）：不超过比例。",
        QuotaRounding.HALF_UP: "四舍五入（half up），默认。",
        QuotaRounding.CEILING: "向上取整（ceiling）。",
    },
)
strawberry.enum(NominationStatus, description="推荐状态（nomination status，R15）。")
_describe_values(
    NominationStatus,
    {
        NominationStatus.NOMINATED: "已推荐，待省级审核（nominated）。",
        NominationStatus.APPROVED: "审核通过（approved），个人记为“优”。",
        NominationStatus.REJECTED: "未通过（rejected），名额释放。",
    },
)
strawberry.enum(StarKind, description="班级评选（star kind，seed 002 §四(三)）。")
_describe_values(
    StarKind,
    {
        StarKind.TRAINEE_STAR: "学员之星（trainee star）：班级中的一位学员。",
        StarKind.CLASS_STAR: "班级之星（class star）：班级本身。",
    },
)
strawberry.enum(ExportKind, description="导出的表格（export kind）。")
_describe_values(
    ExportKind,
    {
        ExportKind.COLLECTIVE_TABLE: "附件1 先进集体推荐表（seed 003）。",
        ExportKind.WORKER_TABLE: "附件2 先进工作者推荐表，含身份证号、手机号。",
        ExportKind.TUTOR_TABLE: "附件3 优秀辅导教师推荐表，含身份证号、手机号。",
        ExportKind.TRAINEE_TABLE: "附件4 优秀学员推荐表，含身份证号、手机号。",
        ExportKind.RATES: "参训率、合格率统计表。",
        ExportKind.BULLETIN: "学情通报。",
        ExportKind.SETTLEMENT: "承训机构收费结算及收费花名册。",
    },
)
strawberry.enum(ExportStatus, description="导出任务状态（export status）。")
_describe_values(
    ExportStatus,
    {
        ExportStatus.QUEUED: "已排队（queued）。",
        ExportStatus.RUNNING: "生成中（running）。",
        ExportStatus.DONE: "已完成（done），可下载。",
        ExportStatus.FAILED: "失败（failed）。",
    },
)
strawberry.enum(FeeRule, description="收费办法（fee rule，R16）。")
_describe_values(
    FeeRule,
    {
        FeeRule.HOURLY: "按学时（hourly）：每学时课时费 × 学时 × 实际参训人数，另加电子证书费"
        "（赣 2011：1.00 元/学时、2 元/证；2022：1.50 元/学时）。",
        FeeRule.YEARLY_BY_TITLE: "按职称每年收费（yearly by title）：中、高级职称 180 元，"
        "初级 120 元，按报名人数（闽 2009）。",
    },
)
strawberry.enum(
    RateLevel,
    description="统计单位的层级（rate level，R14）：省、设区市、县区、学校、班级，或承训机构。",
)
_describe_values(
    RateLevel,
    {
        RateLevel.PROVINCE: "全省（province）。",
        RateLevel.CITY: "设区市（city，含省直管县）。",
        RateLevel.COUNTY: "县区（county）。",
        RateLevel.SCHOOL: "学校（school）。",
        RateLevel.CLASS: "班级（training class）：只计已分班的学员。",
        RateLevel.VENDOR: "承训机构（vendor）：其在本项目对接的各设区市（VendorCity）。",
    },
)
strawberry.enum(
    Standing,
    description="教师在本项目统计中的状态（standing，R14）：每个统计数字对应一组教师。",
)
_describe_values(
    Standing,
    {
        Standing.EXPECTED: "应参训（expected）：单位内的教师，辅导团队成员除外（R7）。",
        Standing.EXEMPT: "免予选学（exempt）：本项目工作室辅导团队成员（R7），不计入应参训。",
        Standing.ENROLLED: "已报名（enrolled）：有效报名的应参训教师，不论是否已有学时。",
        Standing.NOT_STARTED: "未参训（not started）：应参训但尚无任何学时（含未报名、已退出）。",
        Standing.PARTICIPATING: "已参训（participating）：有效报名且已有线上或线下学时。",
        Standing.COMPLETE: "学时达标（complete）：线上、线下两部分学时都已达到（R8）。",
        Standing.NOT_COMPLETE: "已参训但学时未达标（not complete）。",
        Standing.PASSED: "合格（passed）：考核结果接入前为预测，即学时达标（R12）。",
        Standing.NOT_PASSED: "已参训但（尚）不合格（not passed）。",
    },
)

__all__ = [
    "AssignmentKind",
    "AwardCategory",
    "BriefingStatus",
    "Distinction",
    "EnrollmentStatus",
    "ErrorCode",
    "ExportKind",
    "ExportStatus",
    "FeeRule",
    "GradeLevel",
    "GroupRegistrationStatus",
    "ImportStatus",
    "LedgerKind",
    "NominationStatus",
    "OfflineKind",
    "Post",
    "QuotaRounding",
    "RateLevel",
    "RecommendationLevel",
    "RegionLevel",
    "ReviewStatus",
    "Role",
    "RosterLayout",
    "SessionEndReason",
    "StaffComponentKind",
    "StaffRole",
    "Stage",
    "Standing",
    "StarKind",
    "SubmissionStatus",
    "TitleRank",
    "Track",
    "WindowState",
]
_describe_values(
    Action,
    {
        Action.CREATE: "新建（create）：旧值为 null。",
        Action.UPDATE: "修改（update）：列出改动的字段。",
        Action.DELETE: "删除（delete）：新值为 null。",
        Action.REVEAL: "查看完整个人信息（reveal）：列出所看的字段及理由，不含其值。",
    },
)

# The year's assessment of tutors and admins (seed 002 §五(一), seed 003 §一(二)(三)).
strawberry.enum(StaffRole, description="工作考核的身份（staff role）：辅导教师或管理员。")
_describe_values(
    StaffRole,
    {
        StaffRole.TUTOR: "辅导教师（tutor）：辅导教师成绩，附件3。",
        StaffRole.ADMIN: "管理员（admin）：市、县级管理员的管理员成绩，附件2。",
    },
)
strawberry.enum(
    StaffComponentKind, description="工作考核的组成部分（staff component kind），各有权重。"
)
_describe_values(
    StaffComponentKind,
    {
        StaffComponentKind.BRIEFINGS: "按时发表班级简报（briefings on time，R11）。",
        StaffComponentKind.GRADING: "作业评阅完成（grading done）：已批改占所交作业的比例。",
        StaffComponentKind.ANNOUNCEMENTS: "发布班级学习公告（announcements）。",
        StaffComponentKind.DISCUSSIONS: "发起、引领并回复班级研讨（discussions led or replied）。",
        StaffComponentKind.PARTICIPATION: "参训率（participation rate）：班级或管辖范围的。",
        StaffComponentKind.PASSING: "合格率（pass rate）：班级或管辖范围的。",
        StaffComponentKind.BULLETINS: "学情通报（learning-status bulletins）：本地区的通报期数。",
    },
)
