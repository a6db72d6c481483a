"""Relay connections: `first` (1..100) and `after`, `pageInfo`, `totalCount` on demand."""

from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Generic, TypeVar

import strawberry
from graphql import GraphQLError

from lms_plugin.resolvers.core.pagination import (
    MAX_PAGE_SIZE,
    Listing,
    Page,
    PageSizeError,
    Row,
    page_of,
    paginate,
)

from .ids import InvalidId, decode_cursor, encode_cursor

N = TypeVar("N")
T = TypeVar("T")
M = TypeVar("M", bound=Row)


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="All items of the list, on every page.")
    async def total_count(self) -> int:
        return await self.count()

    @strawberry.field(description="The nodes of this page, without edges.")
    def nodes(self) -> list[N]:
        return [edge.node for edge in self.edges]


class BadPageRequest(GraphQLError):
    """`first` out of range or a malformed `after` cursor."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_PAGE_REQUEST"})


async def connection(
    queryset: Listing[M],
    present: Callable[[M], N],
    *,
    first: int,
    after: str | None,
    newest_first: bool = False,
    leading: Sequence[str] = (),
) -> Connection[N]:
    """A page of `queryset` in key order (oldest first, or newest first), after `leading`."""
    with _page_request():
        after_pk = decode_cursor(after)
        page = await paginate(
            queryset, first=first, after=after_pk, newest_first=newest_first, leading=leading
        )
    return _connection_of(page, present, queryset.count)


def list_connection(
    rows: Sequence[M], present: Callable[[M], N], *, first: int, after: str | None
) -> Connection[N]:
    """A page of a small list already loaded (in key order), e.g. by a batched loader."""
    with _page_request():
        page = page_of(rows, first=first, after=decode_cursor(after))

    async def count() -> int:
        return len(rows)

    return _connection_of(page, present, count)


def map_nodes(page: Connection[N], present: Callable[[N], T]) -> Connection[T]:
    """The same page with its nodes presented anew, e.g. after a batched look-up for the page."""
    edges = [Edge(cursor=edge.cursor, node=present(edge.node)) for edge in page.edges]
    return Connection(edges=edges, page_info=page.page_info, count=page.count)


@contextmanager
def _page_request() -> Iterator[None]:
    try:
        yield
    except PageSizeError as exc:
        raise BadPageRequest(f"first 必须在 1 到 {MAX_PAGE_SIZE} 之间") from exc
    except InvalidId as exc:
        raise BadPageRequest("after 游标无效") from exc


def _connection_of(
    page: Page[M], present: Callable[[M], N], count: Callable[[], Awaitable[int]]
) -> Connection[N]:
    edges = [Edge(cursor=encode_cursor(row.pk), node=present(row)) for row in page.rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count=count,
    )
