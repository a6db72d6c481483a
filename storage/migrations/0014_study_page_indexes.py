"""Indexes the study page's query plans showed missing (tests/test_study_page_sql.py): a
workshop's topics in order. `enrollment(teacher_id)` needs none of its own: 0005's
(teacher_id, program_id) leads with it."""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0013_staff")]

    initial = False

    operations = [
        ops.AddIndex(model_name="Topic", index=Index(fields=["workshop_id", "position"])),
    ]
