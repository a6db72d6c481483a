"""Per-request DataLoaders, created on first use: by primary key, by a unique column, or
grouped by a foreign key."""

from collections.abc import Sequence
from functools import partial
from typing import Any, TypeVar, cast

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from lms_plugin.storage.batch import rows_by_ids, rows_by_key, rows_grouped

M = TypeVar("M", bound=Model)


class Loaders:
    """One per request, so that nothing cached outlives the request that loaded it."""

    def __init__(self) -> None:
        self._loaders: dict[tuple[Any, ...], DataLoader[Any, Any]] = {}

    def by_id(self, model: type[M]) -> DataLoader[int, M | None]:
        key = ("id", model)
        if key not in self._loaders:
            self._loaders[key] = DataLoader(load_fn=partial(rows_by_ids, model))
        return cast(DataLoader[int, M | None], self._loaders[key])

    def by_key(self, model: type[M], key_field: str) -> DataLoader[int, M | None]:
        """By a unique column, e.g. a policy by its `program_id`."""
        key = ("key", model, key_field)
        if key not in self._loaders:
            self._loaders[key] = DataLoader(load_fn=partial(rows_by_key, model, key_field))
        return cast(DataLoader[int, M | None], self._loaders[key])

    def grouped(
        self, model: type[M], key_field: str, order_by: Sequence[str] = ("id",)
    ) -> DataLoader[int, list[M]]:
        key = ("group", model, key_field, tuple(order_by))
        if key not in self._loaders:
            self._loaders[key] = DataLoader(
                load_fn=partial(rows_grouped, model, key_field, order_by=order_by)
            )
        return cast(DataLoader[int, list[M]], self._loaders[key])

    def prime(self, *rows: Model) -> None:
        """Rows this request already holds, so loaders do not fetch them again."""
        for row in rows:
            self.by_id(type(row)).prime(row.pk, row)
