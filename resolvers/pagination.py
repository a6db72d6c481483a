"""Keyset pagination over a queryset ordered by primary key (stable under inserts)."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

M = TypeVar("M", bound=Model)

MAX_PAGE_SIZE = 100


class PageSizeError(ValueError):
    """`first` outside 1..MAX_PAGE_SIZE."""


@dataclass(frozen=True)
class Page(Generic[M]):
    rows: list[M]
    has_next_page: bool
    has_previous_page: bool


async def paginate(
    queryset: QuerySet[M], *, first: int, after: int | None, newest_first: bool = False
) -> Page[M]:
    """One query: the `first` rows after the key `after`, plus one to know if more follow."""
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise PageSizeError(f"first must be between 1 and {MAX_PAGE_SIZE}")
    if after is not None:
        queryset = queryset.filter(id__lt=after) if newest_first else queryset.filter(id__gt=after)
    ordered = queryset.order_by("-id" if newest_first else "id").limit(first + 1)
    rows = list(await ordered)
    return Page(
        rows=rows[:first], has_next_page=len(rows) > first, has_previous_page=after is not None
    )
