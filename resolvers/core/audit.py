"""The audit log: every successful mutation's changes, written in its own transaction.

`audited(actor, operation, now)` is what the mutation helper (schema/core/mutations.py) wraps
each use case in: one transaction, a tracking scope (storage/tracking.py) that collects what
the use case changes, and at the end, if the use case succeeded, one INSERT of the audit rows
before the commit. A refusal (`Refused`) or an error rolls everything back, rows included.
A use case declared `audits_itself` (the heartbeat) runs in the scope alone and keeps the same
rule itself, write by write: each of its transactions is an `audited_transaction`, and a write
of one statement takes its audit row out of the scope (`take_entry`) to write it in that very
statement, so that it needs no transaction (one round trip).

Use cases that write without saving instances (queryset `.update()`, bulk, raw SQL) say what
they changed with `record_change`; reading personal data in clear is logged with
`record_reveal` (revealPersonalData, and the admin desk's exports later). A task a mutation
starts (an export, the roster import of a large file) is started by `start_after_commit` and
logs its writes with `logged`.
Values in the log are JSON; ID numbers and mobiles only masked (`audit_value`).
"""

import asyncio
import datetime as dt
import decimal
import enum
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from lms_plugin.storage import tracking
from lms_plugin.storage.audit import insert_entries
from lms_plugin.storage.models import AuditEntry, Person
from lms_plugin.storage.tracking import Action, Change

from .privacy import mask_id_number, mask_mobile

# Personal data never shows in the log in clear, in whichever model it is a field.
PERSONAL_FIELDS = {"id_number": mask_id_number, "mobile": mask_mobile}

record_change = tracking.record_change
record_update = tracking.record_update
record_created = tracking.record_created
record_deleted = tracking.record_deleted
# The old value of a field a use case wrote without reading it first.
UNKNOWN = tracking.UNKNOWN


def audit_value(field: str, value: Any) -> Any:
    """A field's value as the log keeps it: JSON, with personal data masked."""
    mask = PERSONAL_FIELDS.get(field)
    if mask is not None:
        return mask(None if value is None else str(value))
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [audit_value(field, item) for item in value]
    if isinstance(value, dict):
        return {str(k): audit_value(field, v) for k, v in value.items()}
    return str(value)


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose value differs between two readings of a row, as (old, new); a field
    missing from `old` was null."""
    return {name: (old.get(name), value) for name, value in new.items() if old.get(name) != value}


def entry_of(
    change: Change, actor_id: int | None, operation: str, now: dt.datetime
) -> dict[str, Any]:
    """The audit row of one change, by column."""
    return {
        "at": now,
        "actor_id": actor_id,
        "operation": operation,
        "action": change.action,
        "object_type": change.object_type,
        "object_id": change.object_id,
        "person_id": change.person_id,
        "changes": {
            name: [audit_value(name, old), audit_value(name, new)]
            for name, (old, new) in sorted(change.fields.items())
        },
        "reason": change.reason,
    }


@asynccontextmanager
async def audited(
    actor_id: int | None, operation: str, now: dt.datetime, *, transaction: bool = True
) -> AsyncIterator[None]:
    """Runs the block in one transaction and logs what it changed, unless it raises; then
    runs what the block left for after the commit (`after_commit`). With `transaction=False`
    (a use case that `audits_itself`) the block writes its changes and their rows itself."""
    with tracking.tracking_scope(actor_id, operation) as scope:
        if transaction:
            async with audited_transaction(now):
                yield
        else:
            yield
            if scope.changes:
                raise RuntimeError(f"{operation} left changes out of the audit log")
    for action in scope.after_commit:
        action()


@asynccontextmanager
async def audited_transaction(now: dt.datetime) -> AsyncIterator[None]:
    """One transaction that also writes, before its commit, the audit rows of what the current
    mutation changed so far (`now`: the mutation's instant)."""
    async with in_transaction():
        yield
        scope = tracking.current_scope()
        if scope is not None and scope.changes:
            await insert_entries(
                [entry_of(c, scope.actor_id, scope.operation, now) for c in scope.changes]
            )
            scope.changes.clear()


_AUDITS_ITSELF = "lms_plugin.audits_itself"
UseCase = TypeVar("UseCase")


def audits_itself(use_case: UseCase) -> UseCase:
    """Declares that a use case makes each write atomic with its audit rows itself (see the
    module's docstring): the mutation helper then opens no transaction around it."""
    setattr(use_case, _AUDITS_ITSELF, True)
    return use_case


def is_self_audited(use_case: object) -> bool:
    return bool(getattr(use_case, _AUDITS_ITSELF, False))


def take_entry(now: dt.datetime) -> dict[str, Any] | None:
    """The audit row of the one change the current mutation has recorded, taken out of its
    scope, for the statement that makes the change to write it too; None outside a mutation."""
    scope = tracking.current_scope()
    if scope is None:
        return None
    [change] = scope.changes
    scope.changes.clear()
    return entry_of(change, scope.actor_id, scope.operation, now)


def after_commit(action: Callable[[], None]) -> None:
    """Runs `action` once the current mutation has committed (at once outside a mutation)."""
    scope = tracking.current_scope()
    if scope is None:
        action()
    else:
        scope.after_commit.append(action)


def current_operation() -> str | None:
    """The name of the mutation running, if any."""
    scope = tracking.current_scope()
    return None if scope is None else scope.operation


def keep_running(work: Awaitable[None], running: set["asyncio.Task[None]"]) -> None:
    """Runs `work` as a task, kept in `running` until it ends (asyncio holds tasks weakly)."""
    task = asyncio.ensure_future(work)
    running.add(task)
    task.add_done_callback(running.discard)


def start_after_commit(
    work: Callable[[], Awaitable[None]], running: set["asyncio.Task[None]"]
) -> None:
    """Starts `work()` (a task a mutation starts) once the mutation has committed: the task
    then sees what the mutation wrote, runs on the plain connections (transactions of its own)
    and outside the mutation's log (it logs its writes with `logged`). Outside a mutation it
    starts at once."""
    after_commit(lambda: keep_running(work(), running))


@asynccontextmanager
async def logged(actor_id: int | None, operation: str, now: dt.datetime) -> AsyncIterator[None]:
    """Logs what the block changes as done by `operation` of `actor_id`: inside a mutation as
    part of its log, outside one (a background task, see `start_after_commit`) in its own
    transaction."""
    if tracking.current_scope() is not None:
        yield
        return
    async with audited(actor_id, operation, now):
        yield


def record_reveal(person: Person, fields: Iterable[str], reason: str) -> None:
    """Logs that `fields` of `person` were shown in clear, and why (inside a mutation)."""
    tracking.record_reveal(Person, person.id, fields, reason, person.id)


async def log_reveals(
    actor_id: int,
    operation: str,
    now: dt.datetime,
    people: Iterable[Person],
    fields: Iterable[str],
    reason: str,
) -> None:
    """Logs a reveal of `fields` of each of `people` (an export of personal data), one row
    each in one INSERT; outside a mutation too (in one, it joins its transaction)."""
    shown = tuple(fields)
    async with audited(actor_id, operation, now):
        for person in people:
            record_reveal(person, shown, reason)


def audit_log(
    *,
    person_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    actor_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[AuditEntry]:
    """The log's rows matching every filter given (`until` excluded). Instants compare in UTC,
    as they are stored (SQLite compares them as text)."""
    rows = AuditEntry.all()
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if object_type is not None:
        rows = rows.filter(object_type=object_type, object_id=object_id)
    if actor_id is not None:
        rows = rows.filter(actor_id=actor_id)
    if since is not None:
        rows = rows.filter(at__gte=since.astimezone(dt.UTC))
    if until is not None:
        rows = rows.filter(at__lt=until.astimezone(dt.UTC))
    return rows


__all__ = [
    "UNKNOWN",
    "Action",
    "after_commit",
    "audit_log",
    "audit_value",
    "audited",
    "audited_transaction",
    "audits_itself",
    "current_operation",
    "is_self_audited",
    "keep_running",
    "log_reveals",
    "logged",
    "record_change",
    "record_created",
    "record_deleted",
    "record_reveal",
    "record_update",
    "start_after_commit",
    "take_entry",
]
