"""The `Node` interface and `node(id:)`: each area registers how to load its types, in scope."""

from collections.abc import Awaitable, Callable

import strawberry

from .context import Info
from .ids import InvalidId, decode_id


@strawberry.interface(description="An object with a global id, to refetch with `node(id:)`.")
class Node:
    id: strawberry.ID


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
    @strawberry.field(description="Any object by its global id; null when absent or out of scope.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        info.context.signed_in()
        try:
            type_name, pk = decode_id(id)
        except InvalidId:
            return None
        load = _LOADERS.get(type_name)
        return None if load is None else await load(info, pk)
