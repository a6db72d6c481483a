from tortoise import migrations
from tortoise.migrations import operations as ops
from lms_plugin.storage.enums import (
    BriefingStatus,
    EnrollmentStatus,
    GradeLevel,
    LedgerKind,
    OfflineKind,
    Post,
    RecommendationLevel,
    RegionLevel,
    ReviewStatus,
    Role,
    SessionEndReason,
    Stage,
    SubmissionStatus,
    TitleRank,
    Track,
)
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import CheckConstraint


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Program",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(max_length=128)),
                ("year", fields.CharField(max_length=32)),
                ("time_zone", fields.CharField(default="Asia/Shanghai", max_length=64)),
                ("holidays", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("batch_length_days", fields.IntField(default=10)),
                ("tutor_team_cap", fields.IntField(default=8)),
                ("registration_starts_on", fields.DateField()),
                ("registration_ends_on", fields.DateField()),
                ("registration_opens_minute", fields.IntField(default=540)),
                ("registration_closes_minute", fields.IntField(default=1320)),
                ("network_online_hours", fields.IntField(default=6)),
                ("network_offline_hours", fields.IntField(default=16)),
                ("transitional_online_hours", fields.IntField(default=4)),
                ("transitional_offline_hours", fields.IntField(default=18)),
                ("heartbeat_max_gap_seconds", fields.IntField(default=120)),
                ("briefing_interval_days", fields.IntField(null=True)),
                ("assessment_ends_on", fields.DateField(null=True)),
            ],
            options={
                "table": "program",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A training phase. Every number of the rules is a setting here, with the seed defaults.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Batch",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "program",
                    fields.ForeignKeyField(
                        "models.Program",
                        source_field="program_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="batches",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("number", fields.IntField()),
                ("name", fields.CharField(max_length=64)),
                (
                    "track",
                    fields.CharEnumField(
                        default=Track.NETWORK,
                        description="NETWORK: network\nTRANSITIONAL: transitional",
                        enum_type=Track,
                        max_length=16,
                    ),
                ),
                ("starts_on", fields.DateField()),
                ("ends_on", fields.DateField()),
                ("subjects", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
            ],
            options={
                "table": "batch",
                "app": "models",
                "unique_together": (("program", "number"),),
                "pk_attr": "id",
                "table_description": "A study window of the workshop phase, serving a set of stage/subject pairs.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Region",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(max_length=64)),
                ("code", fields.CharField(unique=True, max_length=16)),
                (
                    "level",
                    fields.CharEnumField(
                        description="PROVINCE: province\nCITY: city\nCOUNTY: county",
                        enum_type=RegionLevel,
                        max_length=16,
                    ),
                ),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "models.Region",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="children",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={
                "table": "region",
                "app": "models",
                "pk_attr": "id",
                "table_description": "province → city (设区市, 省直管县, 赣江新区) → county (县区).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="School",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(max_length=128)),
                (
                    "county",
                    fields.ForeignKeyField(
                        "models.Region",
                        source_field="county_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="schools",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "city",
                    fields.ForeignKeyField(
                        "models.Region",
                        source_field="city_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="city_schools",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={"table": "school", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Person",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("username", fields.CharField(unique=True, max_length=64)),
                ("real_name", fields.CharField(max_length=64)),
                ("id_number", fields.CharField(null=True, unique=True, max_length=18)),
                ("mobile", fields.CharField(null=True, max_length=16)),
                (
                    "school",
                    fields.ForeignKeyField(
                        "models.School",
                        source_field="school_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="teachers",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "stage",
                    fields.CharEnumField(
                        null=True,
                        description="HIGH: high\nJUNIOR: junior\nPRIMARY: primary\nKINDERGARTEN: kindergarten\nVOCATIONAL: vocational",
                        enum_type=Stage,
                        max_length=16,
                    ),
                ),
                ("subject", fields.CharField(null=True, max_length=32)),
                (
                    "title_rank",
                    fields.CharEnumField(
                        null=True,
                        description="JUNIOR: junior\nINTERMEDIATE: intermediate\nSENIOR: senior",
                        enum_type=TitleRank,
                        max_length=16,
                    ),
                ),
                (
                    "post",
                    fields.CharEnumField(
                        null=True,
                        description="TEACHER: teacher\nNEW_TEACHER: new_teacher\nNEW_HEAD_TEACHER: new_head_teacher\nPRINCIPAL: principal\nKINDERGARTEN_DIRECTOR: kindergarten_director\nTRAINING_MANAGER: training_manager",
                        enum_type=Post,
                        max_length=32,
                    ),
                ),
                (
                    "track",
                    fields.CharEnumField(
                        null=True,
                        description="NETWORK: network\nTRANSITIONAL: transitional",
                        enum_type=Track,
                        max_length=16,
                    ),
                ),
            ],
            options={
                "table": "person",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Anyone who signs in. Teachers carry their school and teaching profile.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Attachment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="owner_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attachments",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("filename", fields.CharField(max_length=255)),
                ("content_type", fields.CharField(max_length=128)),
                ("size", fields.IntField()),
                ("sha256", fields.CharField(max_length=64)),
                ("storage_key", fields.CharField(unique=True, max_length=128)),
                ("uploaded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "attachment",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An uploaded file, the bytes live under the configured upload directory.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Vendor",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(unique=True, max_length=128)),
            ],
            options={
                "table": "vendor",
                "app": "models",
                "pk_attr": "id",
                "table_description": "承训网络培训机构.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RoleAssignment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "person",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="person_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="role_assignments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "role",
                    fields.CharEnumField(
                        description="PROVINCE_ADMIN: province_admin\nCITY_ADMIN: city_admin\nCOUNTY_ADMIN: county_admin\nSCHOOL_ADMIN: school_admin\nVENDOR_STAFF: vendor_staff",
                        enum_type=Role,
                        max_length=32,
                    ),
                ),
                (
                    "region",
                    fields.ForeignKeyField(
                        "models.Region",
                        source_field="region_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="role_assignments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "school",
                    fields.ForeignKeyField(
                        "models.School",
                        source_field="school_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="role_assignments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "vendor",
                    fields.ForeignKeyField(
                        "models.Vendor",
                        source_field="vendor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="role_assignments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "role_assignment",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An administrative role and the scope it is granted in (R scope rules).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="VendorCity",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "vendor",
                    fields.ForeignKeyField(
                        "models.Vendor",
                        source_field="vendor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="cities",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "program",
                    fields.ForeignKeyField(
                        "models.Program",
                        source_field="program_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="vendor_cities",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "city",
                    fields.ForeignKeyField(
                        "models.Region",
                        source_field="city_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="vendor_programs",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={
                "table": "vendor_city",
                "app": "models",
                "unique_together": (("program", "city"),),
                "pk_attr": "id",
                "table_description": "A vendor serves a city for a program year (seed 001, attachment 1).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Workshop",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "program",
                    fields.ForeignKeyField(
                        "models.Program",
                        source_field="program_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="workshops",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=128)),
                (
                    "stage",
                    fields.CharEnumField(
                        description="HIGH: high\nJUNIOR: junior\nPRIMARY: primary\nKINDERGARTEN: kindergarten\nVOCATIONAL: vocational",
                        enum_type=Stage,
                        max_length=16,
                    ),
                ),
                ("subject", fields.CharField(max_length=32)),
                (
                    "leader",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="leader_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="led_workshops",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("description", fields.TextField(default="", unique=False)),
                ("research_plan", fields.TextField(default="", unique=False)),
                ("tutor_cap", fields.IntField()),
                ("tutor_count", fields.IntField(default=0)),
            ],
            options={
                "table": "workshop",
                "app": "models",
                "unique_together": (("program", "stage", "subject"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Assignment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "workshop",
                    fields.ForeignKeyField(
                        "models.Workshop",
                        source_field="workshop_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="assignments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("title", fields.CharField(max_length=128)),
                ("instructions", fields.TextField(unique=False)),
                ("due_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="created_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="assignments_set",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={"table": "assignment", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Topic",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "workshop",
                    fields.ForeignKeyField(
                        "models.Workshop",
                        source_field="workshop_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="topics",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("title", fields.CharField(max_length=128)),
                ("summary", fields.TextField(default="", unique=False)),
                ("position", fields.IntField(default=0)),
            ],
            options={
                "table": "topic",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A research topic (专题) of a workshop.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Resource",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "topic",
                    fields.ForeignKeyField(
                        "models.Topic",
                        source_field="topic_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="resources",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("title", fields.CharField(max_length=128)),
                ("url", fields.CharField(default="", max_length=512)),
                ("minutes", fields.IntField(default=0)),
            ],
            options={
                "table": "resource",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A study resource of a topic (video, reading, case).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TrainingClass",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "workshop",
                    fields.ForeignKeyField(
                        "models.Workshop",
                        source_field="workshop_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="classes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=64)),
                (
                    "tutor",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="tutor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="tutored_classes",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={
                "table": "training_class",
                "app": "models",
                "unique_together": (("workshop", "name"),),
                "pk_attr": "id",
                "table_description": "A class (班级) of trainees in a workshop, run by one tutor of its team.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Announcement",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "training_class",
                    fields.ForeignKeyField(
                        "models.TrainingClass",
                        source_field="training_class_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="announcements",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="announcements",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("title", fields.CharField(max_length=128)),
                ("body", fields.TextField(unique=False)),
                ("pinned", fields.BooleanField(default=False)),
                ("published_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "announcement",
                "app": "models",
                "indexes": [Index(fields=["training_class_id", "pinned", "id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AnnouncementRead",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "announcement",
                    fields.ForeignKeyField(
                        "models.Announcement",
                        source_field="announcement_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reads",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "person",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="person_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="announcement_reads",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("read_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "announcement_read",
                "app": "models",
                "unique_together": (("announcement", "person"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Briefing",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "training_class",
                    fields.ForeignKeyField(
                        "models.TrainingClass",
                        source_field="training_class_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="briefings",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("number", fields.IntField()),
                ("title", fields.CharField(max_length=128)),
                ("body", fields.TextField(unique=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=BriefingStatus.DRAFT,
                        description="DRAFT: draft\nPUBLISHED: published",
                        enum_type=BriefingStatus,
                        max_length=16,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="briefings",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("due_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "published_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("on_time", fields.BooleanField(null=True)),
            ],
            options={
                "table": "briefing",
                "app": "models",
                "unique_together": (("training_class", "number"),),
                "pk_attr": "id",
                "table_description": "班级简报: numbered per class, a published one records whether it was on time (R11).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DiscussionTopic",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "workshop",
                    fields.ForeignKeyField(
                        "models.Workshop",
                        source_field="workshop_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="discussions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "training_class",
                    fields.ForeignKeyField(
                        "models.TrainingClass",
                        source_field="training_class_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="discussions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="discussion_topics",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("title", fields.CharField(max_length=128)),
                ("body", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("post_count", fields.IntField(default=0)),
                (
                    "last_post_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "discussion_topic",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A discussion thread opened by a tutor (for a class) or a leader (for the workshop).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DiscussionPost",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "topic",
                    fields.ForeignKeyField(
                        "models.DiscussionTopic",
                        source_field="topic_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="posts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="discussion_posts",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("enrollment_id", fields.IntField(null=True)),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "models.DiscussionPost",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="replies",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("body", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "discussion_post",
                "app": "models",
                "indexes": [Index(fields=["topic_id", "id"]), Index(fields=["enrollment_id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Enrollment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "program",
                    fields.ForeignKeyField(
                        "models.Program",
                        source_field="program_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="enrollments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "teacher",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="teacher_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="enrollments",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "batch",
                    fields.ForeignKeyField(
                        "models.Batch",
                        source_field="batch_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="enrollments",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "workshop",
                    fields.ForeignKeyField(
                        "models.Workshop",
                        source_field="workshop_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="enrollments",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "topic",
                    fields.ForeignKeyField(
                        "models.Topic",
                        source_field="topic_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="enrollments",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "training_class",
                    fields.ForeignKeyField(
                        "models.TrainingClass",
                        source_field="training_class_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="enrollments",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "track",
                    fields.CharEnumField(
                        description="NETWORK: network\nTRANSITIONAL: transitional",
                        enum_type=Track,
                        max_length=16,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=EnrollmentStatus.ACTIVE,
                        description="ACTIVE: active\nWITHDRAWN: withdrawn",
                        enum_type=EnrollmentStatus,
                        max_length=16,
                    ),
                ),
                (
                    "registered_by",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="registered_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="registrations_made",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("registered_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("online_seconds", fields.IntField(default=0)),
                ("offline_minutes", fields.IntField(default=0)),
                (
                    "last_activity_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("active_session_id", fields.IntField(null=True)),
            ],
            options={
                "table": "enrollment",
                "app": "models",
                "unique_together": (("program", "teacher"),),
                "indexes": [
                    Index(fields=["training_class_id"]),
                    Index(fields=["workshop_id"]),
                    Index(fields=["batch_id"]),
                ],
                "pk_attr": "id",
                "table_description": "One per teacher per program (R5). Holds the running totals that reads need often.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OfflineStudyLog",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "enrollment",
                    fields.ForeignKeyField(
                        "models.Enrollment",
                        source_field="enrollment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="offline_logs",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="SCHOOL_BASED: school_based\nLESSON_OBSERVATION: lesson_observation\nHOMEWORK_PRACTICE: homework_practice\nREFLECTION: reflection\nOTHER: other",
                        enum_type=OfflineKind,
                        max_length=32,
                    ),
                ),
                ("studied_on", fields.DateField()),
                ("minutes", fields.IntField()),
                ("description", fields.TextField(unique=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ReviewStatus.PENDING,
                        description="PENDING: pending\nCONFIRMED: confirmed\nREJECTED: rejected",
                        enum_type=ReviewStatus,
                        max_length=16,
                    ),
                ),
                ("logged_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "reviewed_by",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="reviewed_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="offline_reviews",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "reviewed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("review_note", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "offline_study_log",
                "app": "models",
                "indexes": [Index(fields=["enrollment_id", "status"])],
                "pk_attr": "id",
                "table_description": "线下研修: logged by the trainee, confirmed or rejected by the class tutor (R8).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StudySession",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "enrollment",
                    fields.ForeignKeyField(
                        "models.Enrollment",
                        source_field="enrollment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="study_sessions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "topic",
                    fields.ForeignKeyField(
                        "models.Topic",
                        source_field="topic_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="study_sessions",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "resource",
                    fields.ForeignKeyField(
                        "models.Resource",
                        source_field="resource_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="study_sessions",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("started_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("last_beat_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("last_sequence", fields.IntField(default=0)),
                ("counted_seconds", fields.IntField(default=0)),
                ("ended_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "end_reason",
                    fields.CharEnumField(
                        null=True,
                        description="ENDED: ended\nSUPERSEDED: superseded\nTIMED_OUT: timed_out",
                        enum_type=SessionEndReason,
                        max_length=16,
                    ),
                ),
                ("open_entry_id", fields.IntField(null=True)),
                (
                    "open_entry_kind",
                    fields.CharEnumField(
                        null=True,
                        description="COUNTED: counted\nOUTSIDE_WINDOW: outside_window\nIDLE_GAP: idle_gap\nOVER_QUOTA: over_quota\nDUPLICATE: duplicate",
                        enum_type=LedgerKind,
                        max_length=16,
                    ),
                ),
            ],
            options={
                "table": "study_session",
                "app": "models",
                "indexes": [Index(fields=["enrollment_id", "started_at"])],
                "pk_attr": "id",
                "table_description": "One stretch of online study. Heartbeats update this row, they are not stored one by one.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StudyLedgerEntry",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "session",
                    fields.ForeignKeyField(
                        "models.StudySession",
                        source_field="session_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="ledger",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "enrollment",
                    fields.ForeignKeyField(
                        "models.Enrollment",
                        source_field="enrollment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="ledger",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="COUNTED: counted\nOUTSIDE_WINDOW: outside_window\nIDLE_GAP: idle_gap\nOVER_QUOTA: over_quota\nDUPLICATE: duplicate",
                        enum_type=LedgerKind,
                        max_length=16,
                    ),
                ),
                ("seconds", fields.IntField(default=0)),
                ("heartbeats", fields.IntField(default=0)),
                ("first_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("last_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "study_ledger_entry",
                "app": "models",
                "indexes": [Index(fields=["enrollment_id", "id"])],
                "pk_attr": "id",
                "table_description": "A run of consecutive heartbeats of one kind: counted, or not and why (R9).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Submission",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "assignment",
                    fields.ForeignKeyField(
                        "models.Assignment",
                        source_field="assignment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="submissions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "enrollment",
                    fields.ForeignKeyField(
                        "models.Enrollment",
                        source_field="enrollment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="submissions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("training_class_id", fields.IntField(null=True)),
                ("text", fields.TextField(unique=False)),
                (
                    "attachment_ids",
                    fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
                ),
                ("version", fields.IntField(default=1)),
                (
                    "status",
                    fields.CharEnumField(
                        description="SUBMITTED: submitted\nRETURNED: returned\nGRADED: graded",
                        enum_type=SubmissionStatus,
                        max_length=16,
                    ),
                ),
                ("submitted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("score", fields.IntField(null=True)),
                (
                    "level",
                    fields.CharEnumField(
                        null=True,
                        description="EXCELLENT: excellent\nGOOD: good\nPASS: pass\nFAIL: fail",
                        enum_type=GradeLevel,
                        max_length=16,
                    ),
                ),
                ("comment", fields.TextField(default="", unique=False)),
                (
                    "graded_by",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="graded_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="graded_submissions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("graded_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "submission",
                "app": "models",
                "unique_together": (("assignment", "enrollment"),),
                "indexes": [Index(fields=["training_class_id", "status", "submitted_at"])],
                "pk_attr": "id",
                "table_description": "The current submission of a trainee for an assignment, earlier ones are revisions.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Recommendation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "submission",
                    fields.ForeignKeyField(
                        "models.Submission",
                        source_field="submission_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="recommendations",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "level",
                    fields.CharEnumField(
                        description="CLASS: class\nWORKSHOP: workshop\nHOME: home",
                        enum_type=RecommendationLevel,
                        max_length=16,
                    ),
                ),
                ("training_class_id", fields.IntField(null=True)),
                ("workshop_id", fields.IntField()),
                (
                    "recommended_by",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="recommended_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="recommendations_made",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("recommended_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "withdrawn_by",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="withdrawn_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="recommendations_withdrawn",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "withdrawn_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "recommendation",
                "app": "models",
                "indexes": [
                    Index(fields=["level", "withdrawn_at", "id"]),
                    Index(fields=["submission_id", "level"]),
                ],
                "pk_attr": "id",
                "table_description": "One step of the ladder, withdrawn steps are kept with who and when.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SubmissionRevision",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "submission",
                    fields.ForeignKeyField(
                        "models.Submission",
                        source_field="submission_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="revisions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("version", fields.IntField()),
                ("text", fields.TextField(unique=False)),
                (
                    "attachment_ids",
                    fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
                ),
                ("submitted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("return_comment", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "submission_revision",
                "app": "models",
                "unique_together": (("submission", "version"),),
                "pk_attr": "id",
                "table_description": "A replaced version of a submission: nothing a trainee submitted is lost.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TutorTeamMember",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "workshop",
                    fields.ForeignKeyField(
                        "models.Workshop",
                        source_field="workshop_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="tutor_team",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "person",
                    fields.ForeignKeyField(
                        "models.Person",
                        source_field="person_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="tutor_memberships",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "program",
                    fields.ForeignKeyField(
                        "models.Program",
                        source_field="program_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="tutor_members",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("added_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "tutor_team_member",
                "app": "models",
                "unique_together": (("workshop", "person"),),
                "indexes": [Index(fields=["program_id", "person_id"])],
                "pk_attr": "id",
                "table_description": "A member of the tutor team of a workshop (辅导团队), exempt from studying that phase (R7).",
            },
            bases=["Model"],
        ),
        # Edited by hand: tortoise 1.1 CreateModel does not create Meta.constraints, AddConstraint
        # does (SQLite rebuilds the table with it).
        ops.AddConstraint(
            model_name="Workshop",
            constraint=CheckConstraint(
                check="tutor_count >= 0 AND tutor_count <= tutor_cap",
                name="workshop_tutor_count_within_cap",
            ),
        ),
    ]
