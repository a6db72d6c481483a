"""Awards under quotas (R15, seed 003): the policy, nominations and their review, the grade
优 an approval records, and the stars tutors name for their classes (seed 002 §四(三))."""

from tortoise import fields

from .enrollment import Enrollment
from .enums import AwardCategory, NominationStatus, QuotaRounding, StarKind
from .organisation import Person, Region
from .programs import Program
from .tracking import Tracked
from .workshops import TrainingClass


class AwardPolicy(Tracked):
    """Award policy of a program (R15): each category's share of its base, in hundredths of a
    percent (seed 003: 20% of management units, of admins, of tutors; 3‰ of passed trainees),
    how a share is rounded to places, and the score an excellent trainee needs (100)."""

    id = fields.IntField(primary_key=True)
    program: fields.OneToOneRelation[Program] = fields.OneToOneField(
        "models.Program", related_name="award_policy", on_delete=fields.CASCADE
    )
    program_id: int
    collective_basis_points = fields.IntField(default=2000)
    worker_basis_points = fields.IntField(default=2000)
    tutor_basis_points = fields.IntField(default=2000)
    trainee_basis_points = fields.IntField(default=30)
    rounding = fields.CharEnumField(QuotaRounding, max_length=16, default=QuotaRounding.HALF_UP)
    trainee_score = fields.IntField(default=100)

    class Meta:
        table = "award_policy"


class Nomination(Tracked):
    """A city's nomination of a unit (先进集体) or a person for an award, and its review."""

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="nominations", on_delete=fields.CASCADE
    )
    program_id: int
    city: fields.ForeignKeyRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name="nominations", on_delete=fields.RESTRICT
    )
    city_id: int
    category = fields.CharEnumField(AwardCategory, max_length=32)
    # The nominee: a region for a collective, a person otherwise (one of the two).
    region: fields.ForeignKeyNullableRelation[Region] = fields.ForeignKeyField(
        "models.Region", related_name="unit_nominations", null=True, on_delete=fields.RESTRICT
    )
    region_id: int | None
    person: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="nominations", null=True, on_delete=fields.RESTRICT
    )
    person_id: int | None
    status = fields.CharEnumField(
        NominationStatus, max_length=16, default=NominationStatus.NOMINATED
    )
    nominated_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="nominations_made", on_delete=fields.RESTRICT
    )
    nominated_by_id: int
    nominated_at = fields.DatetimeField()
    reviewed_by: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="nominations_reviewed", null=True, on_delete=fields.RESTRICT
    )
    reviewed_by_id: int | None
    reviewed_at = fields.DatetimeField(null=True)
    review_note = fields.TextField(default="")

    class Meta:
        table = "nomination"
        unique_together = (("program", "category", "region"), ("program", "category", "person"))
        indexes = (("program_id", "city_id", "category"),)


class TrainingGrade(Tracked):
    """The grade of a person's year of training (全员培训考核档次), e.g. 优 for an awardee (seed
    003 §二.3), with the step that recorded it."""

    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="training_grades", on_delete=fields.CASCADE
    )
    program_id: int
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="training_grades", on_delete=fields.RESTRICT
    )
    person_id: int
    grade = fields.CharField(max_length=8)
    nomination: fields.ForeignKeyNullableRelation[Nomination] = fields.ForeignKeyField(
        "models.Nomination", related_name="grades", null=True, on_delete=fields.SET_NULL
    )
    nomination_id: int | None
    recorded_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="grades_recorded", on_delete=fields.RESTRICT
    )
    recorded_by_id: int
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "training_grade"
        unique_together = (("program", "person"),)


class ClassStar(Tracked):
    """学员之星 (a trainee of the class) or 班级之星 (the class), named by its tutor."""

    id = fields.IntField(primary_key=True)
    training_class: fields.ForeignKeyRelation[TrainingClass] = fields.ForeignKeyField(
        "models.TrainingClass", related_name="stars", on_delete=fields.CASCADE
    )
    training_class_id: int
    kind = fields.CharEnumField(StarKind, max_length=16)
    enrollment: fields.ForeignKeyNullableRelation[Enrollment] = fields.ForeignKeyField(
        "models.Enrollment", related_name="stars", null=True, on_delete=fields.CASCADE
    )
    enrollment_id: int | None
    named_by: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="stars_named", on_delete=fields.RESTRICT
    )
    named_by_id: int
    named_at = fields.DatetimeField()

    class Meta:
        table = "class_star"
        unique_together = (("training_class", "kind", "enrollment"),)
