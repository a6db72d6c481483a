"""Keyset pagination over a queryset ordered by primary key (stable under inserts)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

M = TypeVar("M", bound=Model)

# What the API layer handles without knowing the ORM: a use case builds a listing of rows, and
# `paginate` reads one page of it.
Row = Model
Listing = QuerySet

MAX_PAGE_SIZE = 100


class PageSizeError(ValueError):
    """`first` outside 1..MAX_PAGE_SIZE."""


@dataclass(frozen=True)
class Page(Generic[M]):
    rows: list[M]
    has_next_page: bool
    has_previous_page: bool


def check_first(first: int) -> None:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise PageSizeError(f"first must be between 1 and {MAX_PAGE_SIZE}")


async def paginate(
    queryset: QuerySet[M],
    *,
    first: int,
    after: int | None,
    newest_first: bool = False,
    leading: Sequence[str] = (),
) -> Page[M]:
    """One query: the `first` rows after the key `after`, plus one to know if more follow.

    `leading` columns (e.g. "-pinned") sort before the key; the cursor row's values for them
    place the next page, read with one more query when `after` is given.
    """
    check_first(first)
    if after is not None:
        queryset = queryset.filter(await _after(queryset, after, newest_first, leading))
    ordered = queryset.order_by(*leading, "-id" if newest_first else "id").limit(first + 1)
    rows = list(await ordered)
    return Page(
        rows=rows[:first], has_next_page=len(rows) > first, has_previous_page=after is not None
    )


async def _after(
    queryset: QuerySet[M], after: int, newest_first: bool, leading: Sequence[str]
) -> Q:
    """Rows that sort after the cursor row: lexicographic on the leading columns, then the key."""
    beyond_key = Q(id__lt=after) if newest_first else Q(id__gt=after)
    names = [column.lstrip("-") for column in leading]
    found = await queryset.filter(id=after).values(*names) if names else []
    if not found:  # no leading columns, or the cursor row has left the list
        return beyond_key
    cursor = found[0]
    beyond = [
        Q(
            **{name: cursor[name] for name in names[:i]},
            **{f"{names[i]}__{'lt' if column.startswith('-') else 'gt'}": cursor[names[i]]},
        )
        for i, column in enumerate(leading)
    ]
    return Q(*beyond, Q(**cursor) & beyond_key, join_type="OR")


def page_of(rows: Sequence[M], *, first: int, after: int | None) -> Page[M]:
    """The same page over a small bounded list already in memory, in key order (oldest first)."""
    check_first(first)
    start = 0
    if after is not None:
        start = next((i for i, row in enumerate(rows) if row.pk > after), len(rows))
    return Page(
        rows=list(rows[start : start + first]),
        has_next_page=len(rows) > start + first,
        has_previous_page=after is not None,
    )
