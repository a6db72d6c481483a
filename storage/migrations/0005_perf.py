"""Indexes the hot paths' query plans showed missing (tests/test_query_plans.py): a viewer's
grants and enrollments, the desk's classes and waiting submissions, led and team workshops."""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0004_roster")]

    initial = False

    operations = [
        ops.AddIndex(model_name="RoleAssignment", index=Index(fields=["person_id"])),
        ops.AddIndex(model_name="Enrollment", index=Index(fields=["teacher_id", "program_id"])),
        ops.AddIndex(model_name="Submission", index=Index(fields=["enrollment_id", "status"])),
        ops.AddIndex(model_name="TrainingClass", index=Index(fields=["tutor_id"])),
        ops.AddIndex(model_name="Workshop", index=Index(fields=["leader_id"])),
        ops.AddIndex(model_name="TutorTeamMember", index=Index(fields=["person_id"])),
    ]
