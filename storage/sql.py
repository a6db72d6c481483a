"""Hand-written statements (the hot paths) on tortoise's connection, written once with `?`
placeholders: asyncpg numbers its own."""

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache, lru_cache
from typing import Any, TypeVar

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from .personal_data import left_sealed, opened_lazily, unopened

M = TypeVar("M", bound=Model)


def connection() -> BaseDBAsyncClient:
    return connections.get("default")


def is_postgres(client: BaseDBAsyncClient) -> bool:
    return client.capabilities.dialect == "postgres"


# Bounded: a statement with an IN list has one text per list length.
@lru_cache(maxsize=512)
def numbered(sql: str) -> str:
    """`?` placeholders as asyncpg's `$1, $2…` (the statements here have no `?` in text)."""
    numbers = iter(range(1, 10_000))
    return re.sub(r"\?", lambda _: f"${next(numbers)}", sql)


def for_backend(sql: str, client: BaseDBAsyncClient) -> str:
    return numbered(sql) if is_postgres(client) else sql


@cache
def fields_of(model: type[Model]) -> tuple[str, ...]:
    # Read on first use: the models know their columns once tortoise is initialised.
    return tuple(sorted(model._meta.db_fields))


def select_list(tables: Sequence[tuple[str, type[Model]]]) -> str:
    """Every column of each (alias, model), labelled `<alias>_<column>` for `row_of`."""
    return ", ".join(
        f'{alias}."{column}" AS "{alias}_{column}"'
        for alias, model in tables
        for column in fields_of(model)
    )


def row_of(model: type[M], record: Mapping[str, object], alias: str) -> M:
    """The model instance a joined row holds under `alias`, converted as tortoise converts its
    own rows; personal data stays sealed until a field reads it (`left_sealed`)."""
    values = {c: record[f"{alias}_{c}"] for c in fields_of(model)}
    return model._init_from_db(**left_sealed(model, values))


def plain_values_of(model: type[Model], record: Mapping[str, object], alias: str) -> dict[str, Any]:
    """The columns of `model` a joined row holds under `alias`, converted as `row_of` converts
    them, for a plain row of it (lighter than the model's instance): personal data `Unopened`
    (a plain row's class is set up by `open_lazily` to open it when read)."""
    values: dict[str, Any] = {}
    for column, convert in _converters(model, model._meta.db.capabilities.dialect):
        value = record[f"{alias}_{column}"]
        values[column] = value if convert is None else convert(value)
    return values


@cache
def _converters(
    model: type[Model], dialect: str
) -> tuple[tuple[str, Callable[[Any], object] | None], ...]:
    """Each column with its conversion as `Model._init_from_db` makes it on this backend (by
    dialect: the drivers' native types differ): none, the field's type, or the field's own;
    a sealed value left `unopened` where `left_sealed` leaves it so."""
    meta = model._meta
    conversions: dict[str, Callable[[Any], object] | None] = {}
    for column, _, _ in meta.db_native_fields:
        conversions[column] = None
    for column, _, field in meta.db_default_fields:
        conversions[column] = _typed(field.field_type)
    for column, _, field in meta.db_complex_fields:
        conversions[column] = field.to_python_value
    for name in opened_lazily(model):
        conversions[meta.fields_map[name].source_field or name] = unopened
    return tuple((column, conversions[column]) for column in fields_of(model))


def _typed(kind: type) -> Callable[[Any], object]:
    return lambda value: None if value is None else kind(value)


def outer_row_of(model: type[M], record: Mapping[str, object], alias: str) -> M | None:
    """`row_of` for an outer join: None when it found no row."""
    return None if record[f"{alias}_id"] is None else row_of(model, record, alias)
