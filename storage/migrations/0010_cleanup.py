"""One grant of a role per person and scope (grantRole under concurrency).

Two concurrent `grantRole` calls for the same person, role and scope could both pass the
use case's check and both insert. A unique index now stops the second. The scope columns are
nullable and NULLs never collide in a unique index (on SQLite or PostgreSQL), so the index is
on `COALESCE(…, 0)` (ids start at 1). Duplicates that slipped in before are removed first, the
oldest grant of each kept. The same SQL runs on SQLite and PostgreSQL.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

SCOPE = (
    '"person_id", "role", COALESCE("region_id", 0), COALESCE("school_id", 0), '
    'COALESCE("vendor_id", 0)'
)


class Migration(migrations.Migration):
    dependencies = [("models", "0009_reports")]

    initial = False

    operations = [
        ops.RunSQL(
            [
                'DELETE FROM "role_assignment" WHERE "id" NOT IN '
                f'(SELECT MIN("id") FROM "role_assignment" GROUP BY {SCOPE})',
                f'CREATE UNIQUE INDEX "role_assignment_once" ON "role_assignment" ({SCOPE})',
            ],
            reverse_sql='DROP INDEX "role_assignment_once"',
        ),
    ]
