"""Courses beside the workshops (公共 / 专业 / 地方课程) and each trainee's counted time in them;
the program's assessment policy; notes, reflections and exam results; results with their
history; e-certificates and hours from other county-level training (R12, R13)."""

from tortoise import fields

from .enrollment import Enrollment
from .enums import CertificateGrade, CourseCategory, ExamKind, Outcome, WritingKind
from .homework import Attachment
from .organisation import Person
from .programs import Program
from .tracking import Tracked


class Course(Tracked):
    """A course of a program, whose hours count once, up to `hours`. Electives open once every
    required course of the program is complete (seed 004: 必修 first, then 选修)."""

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="courses", on_delete=fields.CASCADE
    )
    program_id: int
    name = fields.CharField(max_length=128)
    category = fields.CharEnumField(CourseCategory, max_length=16)
    hours = fields.IntField()
    required = fields.BooleanField(default=False)
    position = fields.IntField(default=0)

    class Meta:
        table = "course"
        unique_together = (("program", "name"),)


class CourseProgress(Tracked):
    """A trainee's counted online seconds in one course, capped at its hours in SQL by the
    heartbeat that adds them (the same ledger as workshop topics, R9)."""

    id = fields.IntField(primary_key=True)
    enrollment: fields.ForeignKeyRelation[Enrollment] = fields.ForeignKeyField(
        "models.Enrollment", related_name="course_progress", on_delete=fields.CASCADE
    )
    enrollment_id: int
    course: fields.ForeignKeyRelation[Course] = fields.ForeignKeyField(
        "models.Course", related_name="progress", on_delete=fields.CASCADE
    )
    course_id: int
    seconds = fields.IntField(default=0)

    class Meta:
        table = "course_progress"
        unique_together = (("enrollment", "course"),)


class AssessmentPolicy(Tracked):
    """Assessment policy of a program (R12, R13): the yearly hour targets, the weights and
    minimums of the process components, the pass mark, the exam method, make-up and credits.
    Defaults: the 2011 plan / 2012 Jiangxi notices (seed 002 §三 §四(四), 001 §三)."""

    id = fields.IntField(primary_key=True)
    program: fields.OneToOneRelation[Program] = fields.OneToOneField(
        "models.Program", related_name="assessment_policy", on_delete=fields.CASCADE
    )
    program_id: int
    # The yearly target (seed 002 §三): 72 hours, 122 for new teachers; a junior title may have
    # its own (Fujian 2009: 48, 36 for junior titles); null: the general target.
    target_hours = fields.IntField(default=72)
    new_teacher_target_hours = fields.IntField(default=122)
    junior_title_target_hours = fields.IntField(null=True)
    # Weights of the components out of 100 (a weight of 0: not assessed). Research outcomes
    # (assignments of kind OUTCOME) weigh nothing by default: a program that sets them gives
    # them a weight.
    study_weight = fields.IntField(default=50)
    homework_weight = fields.IntField(default=30)
    discussion_weight = fields.IntField(default=20)
    outcome_weight = fields.IntField(default=0)
    notes_weight = fields.IntField(default=0)
    reflection_weight = fields.IntField(default=0)
    # Minimums: passing homework pieces, forum posts, graded research outcomes, and lengths of
    # the notes and the reflection in counted characters (seed 004: 2 posts, 5,000 and 1,000).
    homework_min_count = fields.IntField(default=2)
    discussion_min_posts = fields.IntField(default=2)
    outcome_min_count = fields.IntField(default=1)
    notes_min_characters = fields.IntField(default=5000)
    reflection_min_characters = fields.IntField(default=1000)
    pass_mark = fields.IntField(default=60)
    # Seed 002 §四(四): complete online study exempts from the summative exam; Fujian examines all.
    exam_exempt_when_complete = fields.BooleanField(default=True)
    exam_pass_mark = fields.IntField(default=60)
    # Seed 000 §五.6: failures and absentees make up (补修) in a later program; not in 2022.
    make_up_allowed = fields.BooleanField(default=True)
    hours_per_credit = fields.IntField(default=20)
    # Seed 002 §二(二): a special-grade teacher's or provincial subject leader's service on a
    # tutor team offsets the year's training hours; other members are exempt without credit
    # unless `tutor_service_credit_for_all`. (`db_default` on the settings below: they came
    # after the table, and its rows take the defaults.)
    tutor_service_hours = fields.IntField(default=72)
    tutor_service_credit_for_all = fields.BooleanField(default=False, db_default=False)
    # Seed 002 §四(四)②, the transitional track: township sessions (乡镇集中) are a process
    # component of their own (hours against a minimum; seed 000 §三: 4 online hours, half a
    # day at the township school), and the result combines the process score and the
    # province's additional test (加试) by weight against a pass mark of its own.
    township_weight = fields.IntField(default=20, db_default=20)
    township_min_hours = fields.IntField(default=4, db_default=4)
    transitional_process_weight = fields.IntField(default=50, db_default=50)
    transitional_pass_mark = fields.IntField(default=60, db_default=60)
    # The five-year cycle (seed 002 §二): 360 hours, 410 for new teachers.
    cycle_years = fields.IntField(default=5)
    cycle_hours = fields.IntField(default=360)
    new_teacher_cycle_hours = fields.IntField(default=410)
    certificate_issuer = fields.CharField(max_length=128, default="江西省中小学教师远程培训中心")

    class Meta:
        table = "assessment_policy"


class StudyWriting(Tracked):
    """A trainee's notes or reflection (学习笔记 / 学习心得): the current text replaces the last,
    with its length counted as the seeds count it."""

    id = fields.IntField(primary_key=True)
    enrollment: fields.ForeignKeyRelation[Enrollment] = fields.ForeignKeyField(
        "models.Enrollment", related_name="writings", on_delete=fields.CASCADE
    )
    enrollment_id: int
    kind = fields.CharEnumField(WritingKind, max_length=16)
    text = fields.TextField()
    characters = fields.IntField()
    submitted_at = fields.DatetimeField()

    class Meta:
        table = "study_writing"
        unique_together = (("enrollment", "kind"),)


class TownshipSession(Tracked):
    """A transitional-track trainee's attendance at a township session (乡镇集中, seed 002
    §四(四)②), recorded by an admin of the trainee's county with an evidence file."""

    id = fields.IntField(primary_key=True)
    enrollment: fields.ForeignKeyRelation[Enrollment] = fields.ForeignKeyField(
        "models.Enrollment", related_name="township_sessions", on_delete=fields.CASCADE
    )
    enrollment_id: int
    held_on = fields.DateField()
    hours = fields.IntField()
    evidence: fields.ForeignKeyRelation[Attachment] = fields.ForeignKeyField(
        "models.Attachment", related_name="township_sessions", on_delete=fields.RESTRICT
    )
    evidence_id: int
    recorded_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="township_sessions_recorded", on_delete=fields.RESTRICT
    )
    recorded_by_id: int
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "township_session"
        unique_together = (("enrollment", "held_on"),)


class ExamResult(Tracked):
    """One exam of a trainee, recorded by an admin of their scope: a score, or absent."""

    id = fields.IntField(primary_key=True)
    enrollment: fields.ForeignKeyRelation[Enrollment] = fields.ForeignKeyField(
        "models.Enrollment", related_name="exam_results", on_delete=fields.CASCADE
    )
    enrollment_id: int
    kind = fields.CharEnumField(ExamKind, max_length=16)
    score = fields.IntField(null=True)
    recorded_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="exam_results_recorded", on_delete=fields.RESTRICT
    )
    recorded_by_id: int
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "exam_result"
        unique_together = (("enrollment", "kind"),)


class AssessmentResult(Tracked):
    """A teacher's result in a program (R12): of their enrollment, or EXEMPT without one for a
    tutor-team member (R7). Written in batches by raw SQL (`resolvers/assessment`)."""

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="results", on_delete=fields.CASCADE
    )
    program_id: int
    teacher: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="results", on_delete=fields.RESTRICT
    )
    teacher_id: int
    enrollment_id = fields.IntField(null=True)
    outcome = fields.CharEnumField(Outcome, max_length=16)
    score = fields.IntField()
    explanation = fields.TextField()
    # [{"kind", "weight", "required", "has", "score", "missing"}] in the policy's order.
    components = fields.JSONField[list[dict[str, object]]](default=list)
    make_up = fields.BooleanField(default=False)
    computed_at = fields.DatetimeField()
    # Null: computed by the system when the assessment window opened (`ResultRun`).
    computed_by_id = fields.IntField(null=True)

    class Meta:
        table = "assessment_result"
        unique_together = (("program", "teacher"),)


class ResultChange(Tracked):
    """Every change of a result, with who and when (the first result too: no outcome before)."""

    id = fields.IntField(primary_key=True)
    program_id = fields.IntField()
    teacher_id = fields.IntField()
    outcome_before = fields.CharEnumField(Outcome, max_length=16, null=True)
    score_before = fields.IntField(null=True)
    outcome = fields.CharEnumField(Outcome, max_length=16)
    score = fields.IntField()
    # Null: the system's computation when the assessment window opened.
    changed_by_id = fields.IntField(null=True)
    changed_at = fields.DatetimeField()

    class Meta:
        table = "result_change"
        indexes = (("program_id", "teacher_id"),)


class Certificate(Tracked):
    """The year's entry on a teacher's 继续教育证书 (R13). `code` is 128 random bits, shown to
    its owner for printing; a stranger's lookup goes by its SHA-256 digest."""

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="certificates", on_delete=fields.CASCADE
    )
    program_id: int
    teacher: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="certificates", on_delete=fields.RESTRICT
    )
    teacher_id: int
    year = fields.CharField(max_length=32)
    hours = fields.IntField()
    credits = fields.DecimalField(max_digits=6, decimal_places=2)
    outcome = fields.CharEnumField(Outcome, max_length=16)
    grade = fields.CharEnumField(CertificateGrade, max_length=16, null=True)
    make_up = fields.BooleanField(default=False)
    issuer = fields.CharField(max_length=128)
    code = fields.CharField(max_length=32, unique=True)
    code_digest = fields.CharField(max_length=64, unique=True)
    issued_at = fields.DatetimeField()

    class Meta:
        table = "certificate"
        unique_together = (("program", "teacher"),)


class ExternalHours(Tracked):
    """Hours from other county-level training (统筹培训, seed 001 §七(五)), recorded by a county
    admin with an evidence file uploaded like a homework attachment."""

    id = fields.IntField(primary_key=True)
    teacher: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="external_hours", on_delete=fields.RESTRICT
    )
    teacher_id: int
    year = fields.CharField(max_length=32)
    title = fields.CharField(max_length=128)
    hours = fields.IntField()
    evidence: fields.ForeignKeyRelation[Attachment] = fields.ForeignKeyField(
        "models.Attachment", related_name="external_hours", on_delete=fields.RESTRICT
    )
    evidence_id: int
    recorded_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="external_hours_recorded", on_delete=fields.RESTRICT
    )
    recorded_by_id: int
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "external_hours"
