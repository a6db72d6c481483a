"""Program phases (issue 9, seed 001 §七): a program's periods become `program_phase` rows.

Written by hand in the shape `tortoise makemigrations` gives:

- the RunSQL step copies every program's dates into its phases before the columns are dropped
  (plain INSERT … SELECT, the same SQL on SQLite and PostgreSQL): its registration dates become
  its REGISTRATION phase; its assessment end date, where set, an ASSESSMENT phase ending then
  (the program had no start of assessment; the phase starts on the day it ends, so that grading,
  which reads only the end, is judged as before);
- the columns are dropped with 0002's `DropColumn` (a plain ALTER TABLE … DROP COLUMN; see 0002
  for why not RemoveField on SQLite).

The whole migration runs in one transaction; tests/test_migrations.py checks it on both
databases with data.
"""

import importlib

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from lms_plugin.storage.enums import PhaseKind

DropColumn = importlib.import_module("lms_plugin.storage.migrations.0002_policies").DropColumn


class Migration(migrations.Migration):
    dependencies = [("models", "0005_perf")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ProgramPhase",
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
                        related_name="phases",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="PREPARATION: preparation\nREGISTRATION: registration\nTRAINER_TRAINING: trainer_training\nSTUDY: study\nASSESSMENT: assessment\nGRADE_REGISTRATION: grade_registration\nINSPECTION: inspection",
                        enum_type=PhaseKind,
                        max_length=32,
                    ),
                ),
                ("starts_on", fields.DateField()),
                ("ends_on", fields.DateField()),
            ],
            options={
                "table": "program_phase",
                "app": "models",
                "unique_together": (("program", "kind"),),
                "pk_attr": "id",
                "table_description": "One phase of a program (seed 001 §七) with its dates, both inclusive, local dates in the",
            },
            bases=["Model"],
        ),
        ops.RunSQL(
            [
                'INSERT INTO "program_phase" ("program_id", "kind", "starts_on", "ends_on") '
                'SELECT "id", \'registration\', "registration_starts_on", "registration_ends_on" '
                'FROM "program"',
                'INSERT INTO "program_phase" ("program_id", "kind", "starts_on", "ends_on") '
                'SELECT "id", \'assessment\', "assessment_ends_on", "assessment_ends_on" '
                'FROM "program" WHERE "assessment_ends_on" IS NOT NULL',
            ],
        ),
        ops.AlterModelOptions(
            name="Program",
            options={
                "table": "program",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A training phase: its name and holidays; its periods are its phases (`ProgramPhase`).",
            },
        ),
        DropColumn(model_name="Program", name="assessment_ends_on"),
        DropColumn(model_name="Program", name="registration_ends_on"),
        DropColumn(model_name="Program", name="registration_starts_on"),
    ]
