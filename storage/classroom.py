"""Class communication: announcements, briefings (班级简报) and discussions (R11)."""

from tortoise import fields

from .enums import BriefingStatus
from .organisation import Person
from .programs import Program
from .tracking import Tracked
from .workshops import TrainingClass, Workshop


class Announcement(Tracked):
    id = fields.IntField(primary_key=True)
    training_class: fields.ForeignKeyRelation[TrainingClass] = fields.ForeignKeyField(
        "models.TrainingClass", related_name="announcements", on_delete=fields.CASCADE
    )
    training_class_id: int
    author: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="announcements", on_delete=fields.RESTRICT
    )
    author_id: int
    title = fields.CharField(max_length=128)
    body = fields.TextField()
    pinned = fields.BooleanField(default=False)
    published_at = fields.DatetimeField()

    class Meta:
        table = "announcement"
        indexes = (("training_class_id", "pinned", "id"),)


class AnnouncementRead(Tracked):
    id = fields.IntField(primary_key=True)
    announcement: fields.ForeignKeyRelation[Announcement] = fields.ForeignKeyField(
        "models.Announcement", related_name="reads", on_delete=fields.CASCADE
    )
    announcement_id: int
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="announcement_reads", on_delete=fields.CASCADE
    )
    person_id: int
    read_at = fields.DatetimeField()

    class Meta:
        table = "announcement_read"
        unique_together = (("announcement", "person"),)


class Briefing(Tracked):
    """班级简报: numbered per class, a published one records whether it was on time (R11)."""

    id = fields.IntField(primary_key=True)
    training_class: fields.ForeignKeyRelation[TrainingClass] = fields.ForeignKeyField(
        "models.TrainingClass", related_name="briefings", on_delete=fields.CASCADE
    )
    training_class_id: int
    number = fields.IntField()
    title = fields.CharField(max_length=128)
    body = fields.TextField()
    status = fields.CharEnumField(BriefingStatus, max_length=16, default=BriefingStatus.DRAFT)
    author: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="briefings", on_delete=fields.RESTRICT
    )
    author_id: int
    created_at = fields.DatetimeField()
    due_at = fields.DatetimeField()
    published_at = fields.DatetimeField(null=True)
    on_time = fields.BooleanField(null=True)

    class Meta:
        table = "briefing"
        unique_together = (("training_class", "number"),)


class DiscussionTopic(Tracked):
    """A discussion thread opened by a tutor (for a class) or a leader (for the workshop)."""

    id = fields.IntField(primary_key=True)
    workshop: fields.ForeignKeyRelation[Workshop] = fields.ForeignKeyField(
        "models.Workshop", related_name="discussions", on_delete=fields.CASCADE
    )
    workshop_id: int
    training_class: fields.ForeignKeyNullableRelation[TrainingClass] = fields.ForeignKeyField(
        "models.TrainingClass", related_name="discussions", null=True, on_delete=fields.CASCADE
    )
    training_class_id: int | None
    author: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="discussion_topics", on_delete=fields.RESTRICT
    )
    author_id: int
    title = fields.CharField(max_length=128)
    body = fields.TextField()
    created_at = fields.DatetimeField()
    post_count = fields.IntField(default=0)
    last_post_at = fields.DatetimeField(null=True)

    class Meta:
        table = "discussion_topic"


class DiscussionPost(Tracked):
    id = fields.IntField(primary_key=True)
    topic: fields.ForeignKeyRelation[DiscussionTopic] = fields.ForeignKeyField(
        "models.DiscussionTopic", related_name="posts", on_delete=fields.CASCADE
    )
    topic_id: int
    author: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="discussion_posts", on_delete=fields.RESTRICT
    )
    author_id: int
    # Set when a trainee posts, so posts count per enrollment for the assessment.
    enrollment_id = fields.IntField(null=True)
    parent: fields.ForeignKeyNullableRelation["DiscussionPost"] = fields.ForeignKeyField(
        "models.DiscussionPost", related_name="replies", null=True, on_delete=fields.CASCADE
    )
    parent_id: int | None
    body = fields.TextField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "discussion_post"
        indexes = (("topic_id", "id"), ("enrollment_id",))


class BriefingPolicy(Tracked):
    """Briefing policy of a program (R11): the period each class briefing is due for."""

    id = fields.IntField(primary_key=True)
    program: fields.OneToOneRelation[Program] = fields.OneToOneField(
        "models.Program", related_name="briefing_policy", on_delete=fields.CASCADE
    )
    program_id: int
    # Days per briefing period; null means one briefing per batch.
    interval_days = fields.IntField(null=True)

    class Meta:
        table = "briefing_policy"
