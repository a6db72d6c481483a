"""Schools gain their code (学校代码): rosters and imports name a school by it.

Nullable, so that existing schools migrate as they are; an admin gives them codes.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0002_policies")]

    initial = False

    operations = [
        ops.AddField(
            model_name="School",
            name="code",
            field=fields.CharField(max_length=16, unique=True, null=True),
        ),
    ]
