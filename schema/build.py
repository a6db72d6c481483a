"""Merges every area's Query and Mutation into one `strawberry.Schema`."""

from collections.abc import Callable, Sequence

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from . import (
    classroom,
    desk,
    homework,
    node,
    policies,
    programs,
    registration,
    server,
    study,
    viewer,
    workshops,
)
from .permissions import require_sign_in

QUERIES: tuple[type, ...] = (
    node.Query,
    programs.Query,
    viewer.Query,
    workshops.Query,
    study.Query,
    homework.Query,
    classroom.Query,
    desk.Query,
    server.Query,
)
MUTATIONS: tuple[type, ...] = (
    programs.Mutation,
    policies.Mutation,
    registration.Mutation,
    workshops.Mutation,
    study.Mutation,
    homework.Mutation,
    classroom.Mutation,
)


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Logs nothing: refusals and request errors are expected answers, and the app's error
        policy logs each unexpected error once, with its traceback and request id."""


def build_schema(
    extensions: Sequence[Callable[[], SchemaExtension] | type[SchemaExtension]] = (),
) -> strawberry.Schema:
    return Schema(
        query=merge_types("Query", QUERIES),
        mutation=require_sign_in(merge_types("Mutation", MUTATIONS)),
        extensions=list(extensions),
        config=StrawberryConfig(auto_camel_case=True),
    )
