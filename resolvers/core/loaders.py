"""Per-request DataLoaders, created on first use: by primary key, by a unique column, grouped
by a foreign key, or over a batch function of the caller's.

A DataLoader batches the loads made in one tick of the event loop. Sibling fields of a list
start in the same tick, so their loads share one batch as long as they await only loaders
first (a batch's results reach all its callers in one tick). A field that awaits a query of its
own first, e.g. one page per parent, resumes when that query returns: its loads then batch
with whichever siblings' queries returned in the same tick. For such a field, `batched` runs
the whole field for all siblings in one step.
"""

from collections.abc import Awaitable, Callable, Hashable, Sequence
from functools import partial
from typing import Any, TypeVar, cast

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from lms_plugin.storage.batch import rows_by_ids, rows_by_key, rows_grouped

M = TypeVar("M", bound=Model)
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Loaders:
    """One per request, so that nothing cached outlives the request that loaded it."""

    def __init__(self) -> None:
        self._loaders: dict[tuple[Any, ...], DataLoader[Any, Any]] = {}

    def by_id(self, model: type[M]) -> DataLoader[int, M | None]:
        key = ("id", model)
        if key not in self._loaders:
            self._loaders[key] = DataLoader(load_fn=partial(rows_by_ids, model))
        return cast("DataLoader[int, M | None]", self._loaders[key])

    def by_key(self, model: type[M], key_field: str) -> DataLoader[int, M | None]:
        """By a unique column, e.g. a policy by its `program_id`."""
        key = ("key", model, key_field)
        if key not in self._loaders:
            self._loaders[key] = DataLoader(load_fn=partial(rows_by_key, model, key_field))
        return cast("DataLoader[int, M | None]", self._loaders[key])

    def grouped(
        self,
        model: type[M],
        key_field: str,
        order_by: Sequence[str] = ("id",),
        related: Sequence[str] = (),
    ) -> DataLoader[int, list[M]]:
        """`related`: foreign keys read in the same statement, and primed for their loaders."""
        key = ("group", model, key_field, tuple(order_by), tuple(related))
        if key not in self._loaders:

            async def load(keys: list[int]) -> list[list[M]]:
                groups = await rows_grouped(
                    model, key_field, keys, order_by=order_by, related=related
                )
                self.prime(
                    *(getattr(row, name) for rows in groups for row in rows for name in related)
                )
                return groups

            self._loaders[key] = DataLoader(load_fn=load)
        return cast("DataLoader[int, list[M]]", self._loaders[key])

    def batched(
        self, load_fn: Callable[["Loaders", list[K]], Awaitable[Sequence[V | BaseException]]]
    ) -> DataLoader[K, V]:
        """A loader over `load_fn` (one per function), which gets these loaders and the keys of
        one batch and answers a value, or an exception to raise, for each key in order."""
        key = ("batched", load_fn)
        if key not in self._loaders:

            async def load(keys: list[K]) -> Sequence[V | BaseException]:
                return await load_fn(self, keys)

            self._loaders[key] = DataLoader(load_fn=load)
        return cast("DataLoader[K, V]", self._loaders[key])

    def prime(self, *rows: Model) -> None:
        """Rows this request already holds, so loaders do not fetch them again."""
        for row in rows:
            self.by_id(type(row)).prime(row.pk, row)
