"""Workshops (名师网络研修工作室), their topics and resources, tutor teams and classes."""

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint

from .enums import Stage
from .organisation import Person
from .programs import Program
from .tracking import Tracked


class Workshop(Tracked):
    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="workshops", on_delete=fields.CASCADE
    )
    program_id: int
    name = fields.CharField(max_length=128)
    stage = fields.CharEnumField(Stage, max_length=16)
    subject = fields.CharField(max_length=32)
    leader: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="led_workshops", on_delete=fields.RESTRICT
    )
    leader_id: int
    description = fields.TextField(default="")
    research_plan = fields.TextField(default="")
    # R6: places are claimed with a conditional UPDATE on tutor_count; the CHECK stands behind it.
    tutor_cap = fields.IntField()
    tutor_count = fields.IntField(default=0)

    class Meta:
        table = "workshop"
        unique_together = (("program", "stage", "subject"),)
        indexes = (("leader_id",),)
        constraints = (
            CheckConstraint(
                check="tutor_count >= 0 AND tutor_count <= tutor_cap",
                name="workshop_tutor_count_within_cap",
            ),
        )


class TutorTeamPolicy(Tracked):
    """Tutor team policy of a program (R6): the most members of a workshop tutor team."""

    id = fields.IntField(primary_key=True)
    program: fields.OneToOneRelation[Program] = fields.OneToOneField(
        "models.Program", related_name="tutor_team_policy", on_delete=fields.CASCADE
    )
    program_id: int
    # Copied into Workshop.tutor_cap, which the conditional UPDATE of R6 compares with.
    cap = fields.IntField(default=8)

    class Meta:
        table = "tutor_team_policy"


class Topic(Tracked):
    """A research topic (专题) of a workshop."""

    id = fields.IntField(primary_key=True)
    workshop: fields.ForeignKeyRelation[Workshop] = fields.ForeignKeyField(
        "models.Workshop", related_name="topics", on_delete=fields.CASCADE
    )
    workshop_id: int
    title = fields.CharField(max_length=128)
    summary = fields.TextField(default="")
    position = fields.IntField(default=0)

    class Meta:
        table = "topic"
        indexes = (("workshop_id", "position"),)


class Resource(Tracked):
    """A study resource of a topic (video, reading, case)."""

    id = fields.IntField(primary_key=True)
    topic: fields.ForeignKeyRelation[Topic] = fields.ForeignKeyField(
        "models.Topic", related_name="resources", on_delete=fields.CASCADE
    )
    topic_id: int
    title = fields.CharField(max_length=128)
    url = fields.CharField(max_length=512, default="")
    minutes = fields.IntField(default=0)

    class Meta:
        table = "resource"


class TutorTeamMember(Tracked):
    """A member of the tutor team of a workshop (辅导团队), exempt from studying that phase (R7)."""

    audit_person = "person_id"

    id = fields.IntField(primary_key=True)
    workshop: fields.ForeignKeyRelation[Workshop] = fields.ForeignKeyField(
        "models.Workshop", related_name="tutor_team", on_delete=fields.CASCADE
    )
    workshop_id: int
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="tutor_memberships", on_delete=fields.RESTRICT
    )
    person_id: int
    # Copied from the workshop so that R7 (exempt for the phase) is one indexed lookup.
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="tutor_members", on_delete=fields.CASCADE
    )
    program_id: int
    added_at = fields.DatetimeField()

    class Meta:
        table = "tutor_team_member"
        unique_together = (("workshop", "person"),)
        indexes = (("program_id", "person_id"), ("person_id",))


class TrainingClass(Tracked):
    """A class (班级) of trainees in a workshop, run by one tutor of its team."""

    id = fields.IntField(primary_key=True)
    workshop: fields.ForeignKeyRelation[Workshop] = fields.ForeignKeyField(
        "models.Workshop", related_name="classes", on_delete=fields.CASCADE
    )
    workshop_id: int
    name = fields.CharField(max_length=64)
    tutor: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="tutored_classes", on_delete=fields.RESTRICT
    )
    tutor_id: int

    class Meta:
        table = "training_class"
        unique_together = (("workshop", "name"),)
        indexes = (("tutor_id",),)
