"""Courses beside the workshops (公共 / 专业 / 地方课程), each trainee's counted time in them, and
the program's assessment policy (R12, R13 and the seeds' yearly targets)."""

from tortoise import fields
from tortoise.models import Model

from .enrollment import Enrollment
from .enums import CourseCategory
from .programs import Program


class Course(Model):
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


class CourseProgress(Model):
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


class AssessmentPolicy(Model):
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
    # Weights of the components out of 100 (a weight of 0: not assessed).
    study_weight = fields.IntField(default=40)
    homework_weight = fields.IntField(default=30)
    discussion_weight = fields.IntField(default=20)
    outcome_weight = fields.IntField(default=10)
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
    # The assessment window opens on this date and ends on Program.assessment_ends_on.
    assessment_starts_on = fields.DateField(null=True)

    class Meta:
        table = "assessment_policy"
