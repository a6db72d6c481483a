"""Enumerations stored in the database; the schema exposes them as GraphQL enums."""

from enum import StrEnum


class RegionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


class PhaseKind(StrEnum):
    """A program's phases (seed 001 §七), in the order the notice gives them."""

    PREPARATION = "preparation"
    REGISTRATION = "registration"
    TRAINER_TRAINING = "trainer_training"
    STUDY = "study"
    ASSESSMENT = "assessment"
    GRADE_REGISTRATION = "grade_registration"
    INSPECTION = "inspection"


class Stage(StrEnum):
    """学段. Vocational teachers (职业中学) study with the high-school workshops."""

    HIGH = "high"
    JUNIOR = "junior"
    PRIMARY = "primary"
    KINDERGARTEN = "kindergarten"
    VOCATIONAL = "vocational"


class TitleRank(StrEnum):
    """职称."""

    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    SENIOR = "senior"


class Post(StrEnum):
    """岗位."""

    TEACHER = "teacher"
    NEW_TEACHER = "new_teacher"
    NEW_HEAD_TEACHER = "new_head_teacher"
    PRINCIPAL = "principal"
    KINDERGARTEN_DIRECTOR = "kindergarten_director"
    TRAINING_MANAGER = "training_manager"


class Track(StrEnum):
    """Study track: 网络学习 (network) or 过渡学习 (transitional, rural teachers)."""

    NETWORK = "network"
    TRANSITIONAL = "transitional"


class Role(StrEnum):
    """Roles granted by assignment; leaders, tutors and trainees follow from their records."""

    PROVINCE_ADMIN = "province_admin"
    CITY_ADMIN = "city_admin"
    COUNTY_ADMIN = "county_admin"
    SCHOOL_ADMIN = "school_admin"
    VENDOR_STAFF = "vendor_staff"


class EnrollmentStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class SessionEndReason(StrEnum):
    ENDED = "ended"
    SUPERSEDED = "superseded"
    TIMED_OUT = "timed_out"


class LedgerKind(StrEnum):
    """Why a stretch of study time was or was not counted (R9)."""

    COUNTED = "counted"
    OUTSIDE_WINDOW = "outside_window"
    IDLE_GAP = "idle_gap"
    OVER_QUOTA = "over_quota"
    DUPLICATE = "duplicate"


class OfflineKind(StrEnum):
    """线下研修 kinds."""

    SCHOOL_BASED = "school_based"
    LESSON_OBSERVATION = "lesson_observation"
    HOMEWORK_PRACTICE = "homework_practice"
    REFLECTION = "reflection"
    OTHER = "other"


class ReviewStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class SubmissionStatus(StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    GRADED = "graded"


class AssignmentKind(StrEnum):
    """What an assignment asks for: homework (作业) or a research outcome (研修成果), submitted
    and graded alike (R10) and assessed as separate components (R12)."""

    HOMEWORK = "homework"
    OUTCOME = "outcome"


class GradeLevel(StrEnum):
    """优秀 / 良好 / 合格 / 不合格."""

    EXCELLENT = "excellent"
    GOOD = "good"
    PASS = "pass"
    FAIL = "fail"


class RecommendationLevel(StrEnum):
    """The ladder of R10: class showcase → workshop showcase → home-page gallery."""

    CLASS = "class"
    WORKSHOP = "workshop"
    HOME = "home"


class CourseCategory(StrEnum):
    """公共课程 / 专业课程 / 地方课程."""

    PUBLIC = "public"
    PROFESSIONAL = "professional"
    LOCAL = "local"


class Outcome(StrEnum):
    """An assessment result (R12)."""

    PASSED = "passed"
    FAILED = "failed"
    EXEMPT = "exempt"
    ABSENT = "absent"


class ExamKind(StrEnum):
    """模拟考 (never counts), 正考, 补考, and the province's 加试 for the transitional track."""

    MOCK = "mock"
    FORMAL = "formal"
    MAKE_UP = "make_up"
    ADDITIONAL = "additional"


class WritingKind(StrEnum):
    """学习笔记 and 学习心得, each with a minimum length (seed 004)."""

    NOTES = "notes"
    REFLECTION = "reflection"


class CertificateGrade(StrEnum):
    """合格, or 优 when an award is recorded later (R15)."""

    PASS = "pass"
    EXCELLENT = "excellent"


class BriefingStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class RosterLayout(StrEnum):
    """Which form a roster sheet is: the 培训报名汇总表 (seed 004 附件二)."""

    ROSTER = "roster"


class ImportStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    # Some rows have errors and the admin did not ask for the good ones: nothing written.
    REFUSED = "refused"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class GroupRegistrationStatus(StrEnum):
    """集体报名: submitted by the school, returned or approved by the county."""

    PENDING = "pending"
    RETURNED = "returned"
    APPROVED = "approved"


class RateLevel(StrEnum):
    """The units rates are counted by (R14): the region tree, schools, classes, and vendors."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    SCHOOL = "school"
    CLASS = "class"
    VENDOR = "vendor"


class Standing(StrEnum):
    """Where a teacher stands in a program's rates (R14): each figure is a set of teachers."""

    EXPECTED = "expected"
    EXEMPT = "exempt"
    ENROLLED = "enrolled"
    NOT_STARTED = "not_started"
    PARTICIPATING = "participating"
    COMPLETE = "complete"
    NOT_COMPLETE = "not_complete"
    PASSED = "passed"
    NOT_PASSED = "not_passed"


class FeeRule(StrEnum):
    """How a vendor's fees are reckoned (R16)."""

    HOURLY = "hourly"  # fee per hour × hours × actual participants (seeds 001, 002)
    YEARLY_BY_TITLE = "yearly_by_title"  # a yearly fee per teacher by title rank (seed 004)


class AwardCategory(StrEnum):
    """The four awards of seed 003 §一."""

    ADVANCED_COLLECTIVE = "advanced_collective"  # 先进集体: city and county management units
    ADVANCED_WORKER = "advanced_worker"  # 先进工作者: admins at county level and above
    EXCELLENT_TUTOR = "excellent_tutor"  # 优秀辅导教师
    EXCELLENT_TRAINEE = "excellent_trainee"  # 优秀学员


class QuotaRounding(StrEnum):
    """How a share of a count becomes a whole number of places (R15)."""

    FLOOR = "floor"
    HALF_UP = "half_up"
    CEILING = "ceiling"


class NominationStatus(StrEnum):
    NOMINATED = "nominated"
    APPROVED = "approved"
    REJECTED = "rejected"


class StarKind(StrEnum):
    """What a tutor names for their class (seed 002 §四(三))."""

    TRAINEE_STAR = "trainee_star"  # 学员之星
    CLASS_STAR = "class_star"  # 班级之星


class ExportKind(StrEnum):
    """The spreadsheets the province asks for."""

    COLLECTIVE_TABLE = "collective_table"  # 附件1 先进集体推荐表
    WORKER_TABLE = "worker_table"  # 附件2 先进工作者推荐表
    TUTOR_TABLE = "tutor_table"  # 附件3 优秀辅导教师推荐表
    TRAINEE_TABLE = "trainee_table"  # 附件4 优秀学员推荐表
    RATES = "rates"  # a rates table of a scope
    BULLETIN = "bulletin"  # 学情通报
    SETTLEMENT = "settlement"  # a vendor's settlement with its roll (收费花名册)


class ExportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Distinction(StrEnum):
    """特级教师 / 省级学科带头人: their service on a workshop's tutor team offsets their own
    training hours (seed 002 §二(二))."""

    SPECIAL_GRADE = "special_grade"
    PROVINCIAL_SUBJECT_LEADER = "provincial_subject_leader"
