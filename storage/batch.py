"""Batch queries for DataLoaders: one statement for many keys, results in key order."""

from collections.abc import Sequence
from typing import Any, TypeVar, cast

from tortoise.functions import Count
from tortoise.models import Model
from tortoise.queryset import QuerySet

M = TypeVar("M", bound=Model)


async def rows_by_ids(model: type[M], ids: Sequence[int]) -> list[M | None]:
    rows = await model.filter(id__in=set(ids))
    by_id = {row.pk: row for row in rows}
    return [by_id.get(i) for i in ids]


async def rows_by_key(model: type[M], key_field: str, keys: Sequence[int]) -> list[M | None]:
    """Rows by a unique column (a one-to-one key such as a policy's `program_id`)."""
    rows = await model.filter(**{f"{key_field}__in": set(keys)})
    by_key = {getattr(row, key_field): row for row in rows}
    return [by_key.get(key) for key in keys]


async def rows_grouped(
    model: type[M],
    key_field: str,
    keys: Sequence[int],
    order_by: Sequence[str] = ("id",),
    related: Sequence[str] = (),
) -> list[list[M]]:
    found = model.filter(**{f"{key_field}__in": set(keys)}).order_by(*order_by)
    rows = await (found.select_related(*related) if related else found)
    groups: dict[int, list[M]] = {key: [] for key in keys}
    for row in rows:
        groups[getattr(row, key_field)].append(row)
    return [groups[key] for key in keys]


async def id_set(queryset: QuerySet[M], field: str = "id") -> set[int]:
    """The distinct integer values of one column (ids, foreign keys)."""
    values = await queryset.values_list(field, flat=True)
    return {int(value) for value in cast(list[int], values)}


async def counts_by(queryset: QuerySet[M], field: str) -> dict[Any, int]:
    """Rows per value of one column, in one grouped query (values without rows are absent)."""
    rows = await queryset.group_by(field).annotate(n=Count("id")).values_list(field, "n")
    return {key: int(n) for key, n in cast(list[tuple[Any, int]], rows)}


async def lock_rows(model: type[M], ids: Sequence[int]) -> None:
    """Row locks held to the end of the transaction, taken in key order so that two
    transactions locking several rows cannot deadlock. SQLite has no row locks: there the
    process runs one transaction at a time."""
    await model.filter(id__in=set(ids)).order_by("id").select_for_update()
