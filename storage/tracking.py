"""What a mutation changes, captured at the model layer for the audit log.

A mutation opens a scope (`tracking_scope`, from resolvers/core/audit.py); while it is open,
every `Tracked` row loaded from the database remembers its values, and every save, create and
delete of a `Tracked` instance adds a `Change` (old and new values of the fields that changed)
to the scope. Writes that bypass instances (queryset `.update()`, `bulk_create`, raw SQL) add
theirs with `record_change`. The scope's changes become audit rows in one INSERT at the end of
the mutation, inside its transaction. Outside a scope (seeding, the CLI, reads) nothing is kept.
"""

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from .personal_data import DigestField


class Action(enum.StrEnum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    REVEAL = "REVEAL"


# An old value the scope did not see (the row was loaded before the mutation began).
UNKNOWN = "<unknown>"


@dataclass
class Change:
    action: Action
    object_type: str
    object_id: int
    person_id: int | None
    fields: dict[str, tuple[Any, Any]]
    reason: str | None = None


@dataclass
class Scope:
    actor_id: int | None
    operation: str
    changes: list[Change] = field(default_factory=list)
    # What to start once the mutation has committed (an export's task, which must see its job
    # and must not share the mutation's connection).
    after_commit: list[Callable[[], None]] = field(default_factory=list)

    def add(self, change: Change) -> None:
        """Adds a change; a later change of the same object merges into the earlier one (the
        first old value, the last new value; a field back where it was drops out)."""
        if change.action is not Action.REVEAL:
            for earlier in self.changes:
                if (earlier.object_type, earlier.object_id) == (
                    change.object_type,
                    change.object_id,
                ) and earlier.action is not Action.REVEAL:
                    _merge(earlier, change)
                    return
        self.changes.append(change)


def _merge(earlier: Change, later: Change) -> None:
    if later.action is Action.DELETE:
        earlier.action = Action.DELETE
    for name, (old, new) in later.fields.items():
        first_old = earlier.fields[name][0] if name in earlier.fields else old
        if first_old == new and earlier.action is Action.UPDATE:
            earlier.fields.pop(name, None)
        else:
            earlier.fields[name] = (first_old, new)
    if later.person_id is not None:
        earlier.person_id = later.person_id


_scope: ContextVar[Scope | None] = ContextVar("lms_tracking_scope", default=None)


@contextmanager
def tracking_scope(actor_id: int | None, operation: str) -> Iterator[Scope]:
    scope = Scope(actor_id=actor_id, operation=operation)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def current_scope() -> Scope | None:
    return _scope.get()


def record_change(
    model: type[Model],
    object_id: int,
    fields: Mapping[str, tuple[Any, Any]],
    *,
    action: Action = Action.UPDATE,
    person_id: int | None = None,
) -> None:
    """A change written without an instance's save (queryset `.update()`, bulk or raw SQL):
    the use case says which row, and each field's old and new value."""
    scope = _scope.get()
    if scope is None:
        return
    changed = {name: pair for name, pair in fields.items() if pair[0] != pair[1]}
    if changed or action is not Action.UPDATE:
        scope.add(Change(action, model.__name__, object_id, person_id, changed))


def record_reveal(
    model: type[Model], object_id: int, fields: Iterable[str], reason: str, person_id: int | None
) -> None:
    """A reading of personal data in clear: which fields of whom, and why (no values)."""
    scope = _scope.get()
    if scope is None:
        raise RuntimeError("a reveal is recorded inside an audit scope")
    revealed = dict.fromkeys(fields, (None, None))
    scope.add(Change(Action.REVEAL, model.__name__, object_id, person_id, revealed, reason))


def _add(action: Action, instance: "Tracked", fields: dict[str, tuple[Any, Any]]) -> None:
    scope = _scope.get()
    if scope is not None:
        kind = type(instance).__name__
        scope.add(Change(action, kind, instance.pk, instance._audit_person_id(), fields))


def _all_values(instance: "Tracked", *, as_old: bool) -> dict[str, tuple[Any, Any]]:
    """Every non-null field but the key, as created (None, value) or deleted (value, None)."""
    values = instance._audit_values(instance._audit_fields())
    pk = instance._meta.pk_attr
    return {
        k: ((v, None) if as_old else (None, v))
        for k, v in values.items()
        if v is not None and k != pk
    }


def record_update(instance: "Tracked", names: Iterable[str]) -> None:
    """A queryset `.update()` that wrote these fields of a loaded instance from its current
    attribute values: the change from what was loaded."""
    before = instance._audit_loaded or {}
    now = instance._audit_values(names)
    fields = {k: (before.get(k, UNKNOWN), v) for k, v in now.items() if before.get(k, UNKNOWN) != v}
    instance._audit_loaded = {**before, **now}
    if fields:
        _add(Action.UPDATE, instance, fields)


def record_deleted(instance: "Tracked") -> None:
    """A row removed by a queryset `.delete()`, as it was read just before."""
    _add(Action.DELETE, instance, _all_values(instance, as_old=True))


def record_created(instances: Iterable["Tracked"]) -> None:
    """Rows inserted by `bulk_create`, read back with their keys."""
    for instance in instances:
        _add(Action.CREATE, instance, _all_values(instance, as_old=False))


class Tracked(Model):
    """A model whose writes the audit log records (every model but the log itself).

    `audit_person` names the field holding the person a row concerns (the audit log is
    searched by it), when there is one.
    """

    audit_person: ClassVar[str | None] = None
    _audit_loaded: dict[str, Any] | None = None

    class Meta:
        abstract = True

    @classmethod
    def _audit_fields(cls) -> list[str]:
        found: list[str] | None = cls.__dict__.get("_audit_field_names")
        if found is None:
            meta = cls._meta
            found = [
                name
                for name in meta.fields_db_projection
                if not isinstance(meta.fields_map[name], DigestField)
            ]
            cls._audit_field_names = found  # type: ignore[attr-defined]
        return found

    def _audit_values(self, names: Iterable[str]) -> dict[str, Any]:
        return {name: getattr(self, name) for name in names}

    @classmethod
    def _init_from_db(cls, **kwargs: Any) -> Any:
        instance = super()._init_from_db(**kwargs)
        if _scope.get() is not None and not instance._partial:
            instance._audit_loaded = instance._audit_values(cls._audit_fields())
        return instance

    def _audit_person_id(self) -> int | None:
        name = type(self).audit_person
        value = None if name is None else getattr(self, name, None)
        return value if isinstance(value, int) else None

    async def save(
        self,
        using_db: BaseDBAsyncClient | None = None,
        update_fields: Iterable[str] | None = None,
        force_create: bool = False,
        force_update: bool = False,
    ) -> None:
        creating = not self._saved_in_db or force_create
        names = list(update_fields) if update_fields is not None else None
        await super().save(using_db, names, force_create, force_update)
        if _scope.get() is None:
            return
        if creating:
            _add(Action.CREATE, self, _all_values(self, as_old=False))
            self._audit_loaded = self._audit_values(self._audit_fields())
            return
        saved = [n for n in self._audit_fields() if names is None or n in names]
        record_update(self, [n for n in saved if n != self._meta.pk_attr])

    async def delete(self, using_db: BaseDBAsyncClient | None = None) -> None:
        await super().delete(using_db)
        record_deleted(self)
