"""Personal data sealed at rest, and the append-only audit log (issue 9).

- `person.id_number` and `person.mobile` hold sealed values (storage/personal_data.py), longer
  than the clear ones: PostgreSQL widens the columns and drops the ID number's unique
  constraint (uniqueness moves to its keyed hash); SQLite ignores VARCHAR lengths and cannot
  drop an inline UNIQUE without rebuilding the table (whose DROP would cascade, see 0002), so
  there the constraint stays, harmless: two sealings never coincide.
- `id_number_hash` (unique) and `mobile_hash` (indexed) are added, and every existing value is
  sealed in place with the process's key ring (the app, `lms-plugin serve` and the CLI set it
  from LMS_DATA_KEYS before they migrate; a database with personal data and no ring stops here
  with that message).
- `audit_log` is created; on PostgreSQL a trigger refuses UPDATE and DELETE on it.

The whole migration runs in one transaction.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor.base import BaseSchemaEditor

from lms_plugin.storage.personal_data import (
    DigestField,
    SealedField,
    key_ring,
    normalised_id_number,
    normalised_mobile,
)
from lms_plugin.storage.tracking import Action


def _postgres(state_editor: BaseSchemaEditor) -> bool:
    return state_editor.client.capabilities.dialect == "postgres"


class WidenSealedColumn(ops.AlterField):
    """The column of a sealed value, wider (PostgreSQL) and without the unique constraint."""

    async def database_forward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        if not state_editor or not _postgres(state_editor):
            return
        await state_editor._run_sql(
            f'ALTER TABLE "person" ALTER COLUMN "{self.name}" TYPE VARCHAR(160);'
            f'ALTER TABLE "person" DROP CONSTRAINT IF EXISTS "person_{self.name}_key";'
        )


async def seal_existing_values(apps: Any, state_editor: BaseSchemaEditor) -> None:
    client = state_editor.client
    rows = await client.execute_query_dict(
        'SELECT "id", "id_number", "mobile" FROM "person"'
        ' WHERE "id_number" IS NOT NULL OR "mobile" IS NOT NULL ORDER BY "id"'
    )
    if not rows:
        return
    ring = key_ring()
    marks = [f"${n}" for n in range(1, 6)] if _postgres(state_editor) else ["?"] * 5
    update = (
        f'UPDATE "person" SET "id_number" = {marks[0]}, "id_number_hash" = {marks[1]},'
        f' "mobile" = {marks[2]}, "mobile_hash" = {marks[3]} WHERE "id" = {marks[4]}'
    )
    for row in rows:
        id_number, mobile = row["id_number"], row["mobile"]
        await client.execute_query(
            update,
            [
                None if id_number is None else ring.seal(id_number, "person.id_number"),
                None
                if id_number is None
                else ring.digest("id_number", normalised_id_number(id_number)),
                None if mobile is None else ring.seal(mobile, "person.mobile"),
                None if mobile is None else ring.digest("mobile", normalised_mobile(mobile)),
                row["id"],
            ],
        )


APPEND_ONLY_TRIGGER = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log"
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log"
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
"""


async def refuse_changes_on_postgres(apps: Any, state_editor: BaseSchemaEditor) -> None:
    if _postgres(state_editor):
        await state_editor._run_sql(APPEND_ONLY_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("models", "0006_org")]

    initial = False

    operations = [
        WidenSealedColumn(
            model_name="Person",
            name="id_number",
            field=SealedField("person.id_number", 18, null=True),
        ),
        WidenSealedColumn(
            model_name="Person",
            name="mobile",
            field=SealedField("person.mobile", 16, null=True),
        ),
        ops.AddField(
            model_name="Person",
            name="id_number_hash",
            field=DigestField("id_number", "id_number", null=True, unique=True),
        ),
        ops.AddField(
            model_name="Person",
            name="mobile_hash",
            field=DigestField("mobile", "mobile", null=True, db_index=True),
        ),
        ops.RunPython(seal_existing_values),
        ops.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("actor_id", fields.IntField(null=True, db_index=True)),
                ("operation", fields.CharField(max_length=64)),
                ("action", fields.CharEnumField(enum_type=Action, max_length=16)),
                ("object_type", fields.CharField(max_length=64)),
                ("object_id", fields.BigIntField()),
                ("person_id", fields.IntField(null=True, db_index=True)),
                ("changes", fields.JSONField()),
                ("reason", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "audit_log",
                "app": "models",
                "indexes": [Index(fields=["object_type", "object_id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.RunPython(refuse_changes_on_postgres),
    ]
