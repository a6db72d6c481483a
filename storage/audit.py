"""The audit log: who changed what, when, with the fields' old and new values. Append-only.

The plugin only ever inserts: instances refuse a second save and a delete, querysets refuse
`update`, `delete` and `bulk_update`, and on PostgreSQL a trigger refuses UPDATE and DELETE
whoever sends them (migration 0004). Rows name people and objects by plain ids, without foreign
keys, so that no cascade ever reaches the log.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.manager import Manager
from tortoise.models import Model
from tortoise.queryset import QuerySet

from .sql import connection, for_backend
from .tracking import Action


class AppendOnly(PermissionError):
    """An attempt to change or remove an audit row."""


_REFUSAL = "the audit log is append-only"


class AuditQuerySet(QuerySet[Any]):
    def update(self, **kwargs: Any) -> Any:
        raise AppendOnly(_REFUSAL)

    def delete(self) -> Any:
        raise AppendOnly(_REFUSAL)

    def bulk_update(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly(_REFUSAL)


class AuditManager(Manager):
    def get_queryset(self) -> QuerySet[Any]:
        return AuditQuerySet(self._model)


class AuditEntry(Model):
    """One changed object of one successful mutation, or one reveal of personal data."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    actor_id = fields.IntField(null=True, db_index=True)
    operation = fields.CharField(max_length=64)
    action = fields.CharEnumField(Action, max_length=16)
    object_type = fields.CharField(max_length=64)
    object_id = fields.BigIntField()
    # The person the row concerns (a teacher's record, enrollment, membership), when any.
    person_id = fields.IntField(null=True, db_index=True)
    # {field: [old, new]} with personal data masked; for a reveal, the fields shown (null, null).
    changes = fields.JSONField[dict[str, list[Any]]]()
    reason = fields.TextField(null=True)

    class Meta:
        table = "audit_log"
        manager = AuditManager()
        indexes = (("object_type", "object_id"),)

    async def save(
        self,
        using_db: BaseDBAsyncClient | None = None,
        update_fields: Any = None,
        force_create: bool = False,
        force_update: bool = False,
    ) -> None:
        if self._saved_in_db:
            raise AppendOnly(_REFUSAL)
        await super().save(using_db, update_fields, force_create, force_update)

    async def delete(self, using_db: BaseDBAsyncClient | None = None) -> None:
        raise AppendOnly(_REFUSAL)


# The columns an audit row is written with (the key is the database's).
_COLUMNS = (
    "at",
    "actor_id",
    "operation",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "changes",
    "reason",
)
_COLUMN_LIST = ", ".join(f'"{column}"' for column in _COLUMNS)
_INSERT = f'INSERT INTO "audit_log" ({_COLUMN_LIST}) VALUES ({", ".join("?" * len(_COLUMNS))})'


def entry_values(row: Mapping[str, Any]) -> list[Any]:
    """A row's values (by column name) as the database takes them, converted by the model's own
    fields: the row `AuditEntry.bulk_create` would write."""
    fields = AuditEntry._meta.fields_map
    return [fields[c].to_db_value(row[c], AuditEntry) for c in _COLUMNS]


def insert_per_row_of(source: str, first: int) -> str:
    """PostgreSQL: an INSERT of one audit row for each row of `source` (a data-modifying CTE's
    name), with the values of `entry_values` as `$first, $first+1…`: a statement that makes a
    change logs it in the same round trip."""
    values = ", ".join(f"${number}" for number in range(first, first + len(_COLUMNS)))
    return f'INSERT INTO "audit_log" ({_COLUMN_LIST}) SELECT {values} FROM {source}'


def insert_of(row: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """SQLite: the INSERT of one row (by column) and its values, for a transaction that sends
    a change and its row together (storage/beats.py)."""
    return _INSERT, entry_values(row)


async def insert_entries(rows: Sequence[Mapping[str, Any]]) -> None:
    """Appends rows (by column name), written by hand: every mutation logs, and building the
    ORM's bulk INSERT cost more than the database took to run it."""
    values = [entry_values(row) for row in rows]
    client = connection()
    sql = for_backend(_INSERT, client)
    if len(values) == 1:
        await client.execute_query(sql, values[0])
    else:
        await client.execute_many(sql, values)
