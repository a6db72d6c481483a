"""Relay connections: `first` (1..100) and `after`, `pageInfo`, `totalCount` on demand."""

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry
from graphql import GraphQLError
from tortoise.models import Model
from tortoise.queryset import QuerySet

from lms_plugin.resolvers.pagination import MAX_PAGE_SIZE, PageSizeError, paginate

from .ids import InvalidId, decode_cursor, encode_cursor

N = TypeVar("N")
M = TypeVar("M", bound=Model)


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
    queryset: QuerySet[M],
    present: Callable[[M], N],
    *,
    first: int,
    after: str | None,
    newest_first: bool = False,
) -> Connection[N]:
    """A page of `queryset` in key order (oldest first, or newest first)."""
    try:
        after_pk = decode_cursor(after)
        page = await paginate(queryset, first=first, after=after_pk, newest_first=newest_first)
    except PageSizeError as exc:
        raise BadPageRequest(f"first 必须在 1 到 {MAX_PAGE_SIZE} 之间") from exc
    except InvalidId as exc:
        raise BadPageRequest("after 游标无效") from exc
    edges = [Edge(cursor=encode_cursor(row.pk), node=present(row)) for row in page.rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count=queryset.count,
    )
