"""Relay connections: `first` (1..100) and `after`, `pageInfo`, `totalCount` on demand."""

from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Generic, TypeVar

import strawberry
from graphql import GraphQLError

from lms_plugin.resolvers.core.pagination import (
    MAX_PAGE_SIZE,
    Listing,
    Page,
    PageSizeError,
    Row,
    check_first,
    page_of,
    paginate,
)

from .ids import InvalidId, decode_cursor, encode_cursor

N = TypeVar("N")
T = TypeVar("T")
M = TypeVar("M", bound=Row)

# The arguments of every connection field.
First = Annotated[
    int,
    strawberry.argument(
        description=f"每页条数（first）：1 至 {MAX_PAGE_SIZE}，超出范围报 BAD_PAGE_REQUEST。"
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="从此游标之后开始（after）：传上一页的 pageInfo.endCursor；省略则从第一条开始。"
    ),
]


@strawberry.type(description="分页信息（Relay PageInfo）：本页前后是否还有内容，以及首尾游标。")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="之后还有内容（hasNextPage）：以 endCursor 作为 after 取下一页。"
    )
    has_previous_page: bool = strawberry.field(
        description="之前还有内容（hasPreviousPage）：本页由 after 游标开始时为 true。"
    )
    start_cursor: str | None = strawberry.field(
        description="本页第一条的游标（startCursor）；空页为 null。"
    )
    end_cursor: str | None = strawberry.field(
        description="本页最后一条的游标（endCursor），作为下一页的 after；空页为 null。"
    )


@strawberry.type(description="连接中的一条（Relay edge）：一个节点及其游标。")
class Edge(Generic[N]):
    cursor: str = strawberry.field(
        description="这一条的游标（cursor）：不透明的字符串，作为 after 从它之后继续。"
    )
    node: N = strawberry.field(description="这一条的对象（node）。")


@strawberry.type(
    description="分页列表（Relay connection）：本页的 edges（或 nodes）、pageInfo 与按需计算的 "
    "totalCount；用 first 和 after 翻页。"
)
class Connection(Generic[N]):
    edges: list[Edge[N]] = strawberry.field(description="本页的各条（edges），按列表的顺序。")
    page_info: PageInfo = strawberry.field(description="分页信息（pageInfo）。")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="列表的总条数（totalCount），包括所有页；只在请求时计算。")
    async def total_count(self) -> int:
        return await self.count()

    @strawberry.field(description="本页的对象（nodes），不带游标，同 edges 的 node。")
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


def page_request(first: int, after: str | None) -> int | None:
    """Checks `first` and `after` for a page read elsewhere (e.g. several lists in one
    statement); the cursor's key."""
    with _page_request():
        page_of([], first=first, after=None)
        return decode_cursor(after)


def read_connection(
    nodes: Sequence[tuple[int, N]], *, has_next_page: bool, after: int | None, total: int
) -> Connection[N]:
    """A page read with its total by the caller (see `page_request`): each node with its key."""

    async def count() -> int:
        return total

    edges = [Edge(cursor=encode_cursor(key), node=node) for key, node in nodes]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next_page,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count=count,
    )


async def keyset_connection(
    fetch: Callable[[int | None, int], Awaitable[Sequence[M]]],
    present: Callable[[M], N],
    count: Callable[[], Awaitable[int]],
    *,
    first: int,
    after: str | None,
) -> Connection[N]:
    """A page read by a function of (after key, limit) in key order, e.g. a report's SQL."""
    with _page_request():
        check_first(first)
        after_pk = decode_cursor(after)
    rows = list(await fetch(after_pk, first + 1))
    page = Page(
        rows=rows[:first], has_next_page=len(rows) > first, has_previous_page=after_pk is not None
    )
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
