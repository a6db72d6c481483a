"""Staff assessment (issue 8): the staff assessment policy of each program, one-to-one with
it (the weights, counts and pass marks of the tutors' and admins' year's assessment).

Written in the shape `tortoise makemigrations` gives; the RunSQL step gives every existing
program the policy with its defaults (plain INSERT … SELECT, the same SQL on SQLite and
PostgreSQL).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

_COLUMNS = {
    "tutor_briefing_weight": 20,
    "tutor_grading_weight": 20,
    "tutor_announcement_weight": 15,
    "tutor_discussion_weight": 15,
    "tutor_participation_weight": 15,
    "tutor_passing_weight": 15,
    "briefings_per_class": 1,
    "announcements_per_class": 1,
    "discussions_per_class": 1,
    "tutor_pass_mark": 60,
    "admin_participation_weight": 40,
    "admin_passing_weight": 40,
    "admin_bulletin_weight": 20,
    "bulletins_expected": 1,
    "admin_pass_mark": 60,
}


class Migration(migrations.Migration):
    dependencies = [("models", "0012_results")]

    initial = False

    operations = [
        ops.CreateModel(
            name="StaffAssessmentPolicy",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "program",
                    fields.OneToOneField(
                        "models.Program",
                        source_field="program_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="staff_assessment_policy",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                *[(name, fields.IntField(default=value)) for name, value in _COLUMNS.items()],
            ],
            options={
                "table": "staff_assessment_policy",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Staff assessment policy of a program. A tutor is judged on seed 003 §一(三)3: briefings",
            },
            bases=["Model"],
        ),
        ops.RunSQL(
            [
                'INSERT INTO "staff_assessment_policy" ("program_id", '
                + ", ".join(f'"{name}"' for name in _COLUMNS)
                + ') SELECT "id", '
                + ", ".join(str(value) for value in _COLUMNS.values())
                + ' FROM "program"',
            ]
        ),
    ]
