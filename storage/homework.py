"""Assignments, submissions with their earlier revisions, attachments and recommendations (R10)."""

from tortoise import fields

from .enrollment import Enrollment
from .enums import AssignmentKind, GradeLevel, RecommendationLevel, SubmissionStatus
from .organisation import Person
from .tracking import Tracked
from .workshops import Workshop


class Attachment(Tracked):
    """An uploaded file, the bytes live under the configured upload directory."""

    id = fields.IntField(primary_key=True)
    owner: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="attachments", on_delete=fields.RESTRICT
    )
    owner_id: int
    filename = fields.CharField(max_length=255)
    content_type = fields.CharField(max_length=128)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    storage_key = fields.CharField(max_length=128, unique=True)
    uploaded_at = fields.DatetimeField()

    class Meta:
        table = "attachment"


class Assignment(Tracked):
    id = fields.IntField(primary_key=True)
    workshop: fields.ForeignKeyRelation[Workshop] = fields.ForeignKeyField(
        "models.Workshop", related_name="assignments", on_delete=fields.CASCADE
    )
    workshop_id: int
    # Homework or a research outcome (研修成果): one path for both, two components of R12.
    kind = fields.CharEnumField(
        AssignmentKind,
        max_length=16,
        default=AssignmentKind.HOMEWORK,
        db_default=AssignmentKind.HOMEWORK,  # earlier assignments are homework
    )
    title = fields.CharField(max_length=128)
    instructions = fields.TextField()
    due_at = fields.DatetimeField()
    created_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="assignments_set", on_delete=fields.RESTRICT
    )
    created_by_id: int
    created_at = fields.DatetimeField()

    class Meta:
        table = "assignment"


class Submission(Tracked):
    """The current submission of a trainee for an assignment, earlier ones are revisions."""

    id = fields.IntField(primary_key=True)
    assignment: fields.ForeignKeyRelation[Assignment] = fields.ForeignKeyField(
        "models.Assignment", related_name="submissions", on_delete=fields.CASCADE
    )
    assignment_id: int
    enrollment: fields.ForeignKeyRelation[Enrollment] = fields.ForeignKeyField(
        "models.Enrollment", related_name="submissions", on_delete=fields.CASCADE
    )
    enrollment_id: int
    # Denormalised from the enrollment so the tutor's queue is one indexed scan.
    training_class_id = fields.IntField(null=True)
    text = fields.TextField()
    attachment_ids = fields.JSONField[list[int]](default=list)
    version = fields.IntField(default=1)
    status = fields.CharEnumField(SubmissionStatus, max_length=16)
    submitted_at = fields.DatetimeField()
    score = fields.IntField(null=True)
    level = fields.CharEnumField(GradeLevel, max_length=16, null=True)
    comment = fields.TextField(default="")
    graded_by: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="graded_submissions", null=True, on_delete=fields.RESTRICT
    )
    graded_by_id: int | None
    graded_at = fields.DatetimeField(null=True)

    class Meta:
        table = "submission"
        unique_together = (("assignment", "enrollment"),)
        indexes = (("training_class_id", "status", "submitted_at"), ("enrollment_id", "status"))


class SubmissionRevision(Tracked):
    """A replaced version of a submission: nothing a trainee submitted is lost."""

    id = fields.IntField(primary_key=True)
    submission: fields.ForeignKeyRelation[Submission] = fields.ForeignKeyField(
        "models.Submission", related_name="revisions", on_delete=fields.CASCADE
    )
    submission_id: int
    version = fields.IntField()
    text = fields.TextField()
    attachment_ids = fields.JSONField[list[int]](default=list)
    submitted_at = fields.DatetimeField()
    # The tutor's comment when the version was returned for revision, if it was.
    return_comment = fields.TextField(default="")

    class Meta:
        table = "submission_revision"
        unique_together = (("submission", "version"),)


class Recommendation(Tracked):
    """One step of the ladder, withdrawn steps are kept with who and when."""

    id = fields.IntField(primary_key=True)
    submission: fields.ForeignKeyRelation[Submission] = fields.ForeignKeyField(
        "models.Submission", related_name="recommendations", on_delete=fields.CASCADE
    )
    submission_id: int
    level = fields.CharEnumField(RecommendationLevel, max_length=16)
    # Denormalised scope keys so each showcase is one indexed scan.
    training_class_id = fields.IntField(null=True)
    workshop_id = fields.IntField()
    recommended_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="recommendations_made", on_delete=fields.RESTRICT
    )
    recommended_by_id: int
    recommended_at = fields.DatetimeField()
    withdrawn_by: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person",
        related_name="recommendations_withdrawn",
        null=True,
        on_delete=fields.RESTRICT,
    )
    withdrawn_by_id: int | None
    withdrawn_at = fields.DatetimeField(null=True)

    class Meta:
        table = "recommendation"
        indexes = (("level", "withdrawn_at", "id"), ("submission_id", "level"))
