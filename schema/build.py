"""Merges every area's Query and Mutation into one `strawberry.Schema`."""

from collections.abc import Callable, Sequence

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from . import node, programs

QUERIES: tuple[type, ...] = (node.Query, programs.Query)
MUTATIONS: tuple[type, ...] = (programs.Mutation,)


def build_schema(
    extensions: Sequence[Callable[[], SchemaExtension] | type[SchemaExtension]] = (),
) -> strawberry.Schema:
    return strawberry.Schema(
        query=merge_types("Query", QUERIES),
        mutation=merge_types("Mutation", MUTATIONS),
        extensions=list(extensions),
        config=StrawberryConfig(auto_camel_case=True),
    )
