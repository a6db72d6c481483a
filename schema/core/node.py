"""The `Node` interface and `node(id:)`: each area registers how to load its types, in scope."""

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from .context import Info
from .ids import InvalidId, decode_id


@strawberry.interface(description="可按全局 id 重新获取的对象（Relay Node）：用 `node(id:)` 取回。")
class Node:
    id: strawberry.ID = strawberry.field(
        description="全局 id（global id）：不透明的字符串，在所有类型中唯一；用于 `node(id:)` "
        "和各输入的 id 字段。"
    )


NodeLoader = Callable[[Info, int], Awaitable[Node | None]]
_LOADERS: dict[str, NodeLoader] = {}


def node_loader(type_name: str) -> Callable[[NodeLoader], NodeLoader]:
    """Register how `node(id:)` loads a type; the loader returns None outside the viewer's scope."""

    def register(load: NodeLoader) -> NodeLoader:
        _LOADERS[type_name] = load
        return load

    return register


@strawberry.type
class Query:
    @strawberry.field(
        description="按全局 id 取任一对象（node）；不存在、id 无效或不在你的范围内时为 null。"
    )
    async def node(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="对象的全局 id（global id）。")
        ],
    ) -> Node | None:
        info.context.signed_in()
        try:
            type_name, pk = decode_id(id)
        except InvalidId:
            return None
        load = _LOADERS.get(type_name)
        return None if load is None else await load(info, pk)
